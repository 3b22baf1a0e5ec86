//! The configuration files of the CMSes and frameworks a site may run: ONE list, read by the
//! secret finder (which files to read for passwords and keys), the integrity diff (which
//! files every site has at its root and no release ships) and the checklist (which files to
//! update after the database password changes).

/// One kind of config file, by file name.
pub struct ConfigFile {
    /// The file name as the CMS writes it.
    pub name: &'static str,
    /// It holds the database password (update it after changing that password).
    pub database_password: bool,
    /// It sits at a site's root in a normal install (not part of any release there).
    pub at_site_root: bool,
}

const fn c(name: &'static str, database_password: bool, at_site_root: bool) -> ConfigFile {
    ConfigFile {
        name,
        database_password,
        at_site_root,
    }
}

pub const CONFIG_FILES: &[ConfigFile] = &[
    c("wp-config.php", true, true),
    c("configuration.php", true, true),
    c("settings.php", true, false),
    c("LocalConfiguration.php", true, false),
    c("AdditionalConfiguration.php", false, false),
    c(".env", true, true),
    // Only as `.git/config` (a remote URL may carry a token).
    c("config", false, false),
    c("parameters.yml", false, false),
    c("env.php", false, false),
];

/// The config file a path is, if any (any case: backups made on Windows or macOS change it).
pub fn config_file(path: &str) -> Option<&'static ConfigFile> {
    let name = crate::engine::read::paths::file_name(path);
    CONFIG_FILES
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(name))
        .filter(|c| c.name != "config" || path.ends_with(".git/config"))
}

impl ConfigFile {
    /// The path names this file in the CMS's own spelling (`Configuration.php` of a bundled
    /// library is not Joomla's `configuration.php`).
    pub fn spelled_as_in(&self, path: &str) -> bool {
        crate::engine::read::paths::file_name(path) == self.name
    }
}
