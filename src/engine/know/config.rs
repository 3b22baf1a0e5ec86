//! The configuration files of the CMSes and frameworks a site may run: ONE list, read by the
//! secret finder (which files to read for passwords and keys), the integrity diff (which
//! files every site has at its root and no release ships) and the checklist (which files to
//! update after the database password changes). Names compare case-insensitively.

/// One kind of config file, by file name.
pub struct ConfigFile {
    /// Lowercase file name.
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
    c("localconfiguration.php", true, false),
    c("additionalconfiguration.php", false, false),
    c(".env", true, true),
    // Only as `.git/config` (a remote URL may carry a token).
    c("config", false, false),
    c("parameters.yml", false, false),
    c("env.php", false, false),
];

/// The config file a path is, if any.
pub fn config_file(path: &str) -> Option<&'static ConfigFile> {
    let name = crate::engine::read::paths::file_name(path).to_ascii_lowercase();
    CONFIG_FILES
        .iter()
        .find(|c| c.name == name)
        .filter(|c| c.name != "config" || path.ends_with(".git/config"))
}
