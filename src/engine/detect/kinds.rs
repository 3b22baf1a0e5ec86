//! What kind of file a name is: ONE table of extensions, read by every part of the engine
//! that needs to know (which rule set a file goes through, whether it is media that is never
//! compared whitespace-insensitively or scanned as text, whether it runs on the server,
//! whether a double extension like `logo.png.php` imitates media), and ONE list of the
//! configuration files of the CMSes a site may run ([`CONFIG_FILES`]: where the secret finder
//! reads passwords, which files every site has at its root, which to update after the
//! database password changes).
//!
//! Each column of [`EXTENSIONS`] is one question; a name's extension is looked up once.

use serde::{Deserialize, Serialize};

use crate::engine::read::paths;

/// Which rule set a file goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Php,
    Js,
    Html,
    Htaccess,
    UserIni,
    Image,
}

/// What an extension says about a file.
#[derive(Debug, Clone, Copy)]
pub struct Traits {
    /// The rule set for it, if any.
    pub rules: Option<FileKind>,
    /// Media, fonts, documents and archives: hashed exactly, never as text.
    pub binary: bool,
    /// It runs on the server (or is PHP under another name).
    pub server_code: bool,
    /// Used as the inner extension of `name.png.php` to pass for media.
    pub media_name: bool,
}

const fn t(rules: Option<FileKind>, binary: bool, server_code: bool, media_name: bool) -> Traits {
    Traits {
        rules,
        binary,
        server_code,
        media_name,
    }
}

const PHP: Option<FileKind> = Some(FileKind::Php);
const JS: Option<FileKind> = Some(FileKind::Js);
const HTML: Option<FileKind> = Some(FileKind::Html);
const IMAGE: Option<FileKind> = Some(FileKind::Image);
const MEDIA: Traits = t(None, true, false, false);

/// Every extension the engine knows, lowercase, with its traits.
pub const EXTENSIONS: &[(&str, Traits)] = &[
    // PHP and its aliases (`.module`, `.install`, `.theme`: Drupal's PHP files).
    ("php", t(PHP, false, true, false)),
    ("php3", t(PHP, false, true, false)),
    ("php4", t(PHP, false, true, false)),
    ("php5", t(PHP, false, true, false)),
    ("php7", t(PHP, false, true, false)),
    ("php8", t(PHP, false, true, false)),
    ("phtml", t(PHP, false, true, false)),
    ("pht", t(PHP, false, true, false)),
    ("phar", t(PHP, false, true, false)),
    ("phps", t(PHP, false, true, false)),
    ("inc", t(PHP, false, true, false)),
    ("module", t(PHP, false, false, false)),
    ("install", t(PHP, false, false, false)),
    ("theme", t(PHP, false, false, false)),
    // Other server-side code.
    ("cgi", t(None, false, true, false)),
    ("pl", t(None, false, true, false)),
    ("py", t(None, false, true, false)),
    ("sh", t(None, false, true, false)),
    ("asp", t(None, false, true, false)),
    ("aspx", t(None, false, true, false)),
    ("jsp", t(None, false, true, false)),
    // Scripts and markup for the browser.
    ("js", t(JS, false, false, false)),
    ("mjs", t(JS, false, false, false)),
    ("cjs", t(JS, false, false, false)),
    ("html", t(HTML, false, false, false)),
    ("htm", t(HTML, false, false, false)),
    ("shtml", t(HTML, false, true, false)),
    ("tpl", t(HTML, false, false, false)),
    ("twig", t(HTML, false, false, false)),
    ("svg", t(HTML, false, false, true)),
    ("xhtml", t(HTML, false, false, false)),
    ("txt", t(None, false, false, true)),
    // Images: binary, and PHP hidden in them is looked for.
    ("jpg", t(IMAGE, true, false, true)),
    ("jpeg", t(IMAGE, true, false, true)),
    ("png", t(IMAGE, true, false, true)),
    ("gif", t(IMAGE, true, false, true)),
    ("webp", t(IMAGE, true, false, true)),
    ("avif", t(IMAGE, true, false, true)),
    ("bmp", t(IMAGE, true, false, true)),
    ("ico", t(IMAGE, true, false, true)),
    ("tif", t(IMAGE, true, false, false)),
    ("tiff", t(IMAGE, true, false, false)),
    ("heic", MEDIA),
    // Other media, fonts, documents, archives.
    ("pdf", t(None, true, false, true)),
    ("mp4", MEDIA),
    ("m4v", MEDIA),
    ("mov", MEDIA),
    ("avi", MEDIA),
    ("webm", MEDIA),
    ("mkv", MEDIA),
    ("mp3", MEDIA),
    ("m4a", MEDIA),
    ("wav", MEDIA),
    ("ogg", MEDIA),
    ("flac", MEDIA),
    ("zip", MEDIA),
    ("gz", MEDIA),
    ("tgz", MEDIA),
    ("bz2", MEDIA),
    ("xz", MEDIA),
    ("7z", MEDIA),
    ("rar", MEDIA),
    ("woff", MEDIA),
    ("woff2", MEDIA),
    ("ttf", MEDIA),
    ("otf", MEDIA),
    ("eot", MEDIA),
    ("psd", MEDIA),
    ("doc", MEDIA),
    ("docx", MEDIA),
    ("xls", MEDIA),
    ("xlsx", MEDIA),
    ("ppt", MEDIA),
    ("pptx", MEDIA),
    ("odt", MEDIA),
    ("wpress", MEDIA),
    ("jpa", MEDIA),
];

const NONE: Traits = t(None, false, false, false);

/// The traits of a lowercase extension (no dot); an unknown one has none.
pub fn traits(ext: &str) -> Traits {
    EXTENSIONS
        .iter()
        .find(|(e, _)| *e == ext)
        .map_or(NONE, |(_, t)| *t)
}

/// Media and archives: never compared whitespace-insensitively, never scanned as text.
pub fn is_binary_ext(ext: &str) -> bool {
    traits(ext).binary
}

/// Files that run on the server (or reconfigure it).
pub fn is_server_code(path: &str) -> bool {
    let name = paths::file_name(path);
    traits(&paths::extension(path)).server_code || name == ".htaccess" || name == ".user.ini"
}

/// `logo.png.php`, `photo.jpg.phtml`…: a media extension before the last one.
pub fn named_like_media(path: &str) -> bool {
    let name = paths::file_name(path).to_ascii_lowercase();
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts
            .get(parts.len() - 2)
            .is_some_and(|inner| traits(inner).media_name)
}

/// Which rule set applies to a file, from its name (and its first bytes for odd names).
pub fn kind_of(path: &str, head: &[u8]) -> Option<FileKind> {
    let name = paths::file_name(path).to_ascii_lowercase();
    if name == ".htaccess" || name.ends_with(".htaccess") {
        return Some(FileKind::Htaccess);
    }
    if name == ".user.ini" || name == "php.ini" {
        return Some(FileKind::UserIni);
    }
    if let Some(kind) = traits(&paths::extension(path)).rules {
        return Some(kind);
    }
    let h = head.get(..head.len().min(1024)).unwrap_or(head);
    let start = h
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(h.len());
    let trimmed = h.get(start..).unwrap_or(&[]);
    (trimmed.starts_with(b"<?php") || trimmed.starts_with(b"<?=")).then_some(FileKind::Php)
}

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
    let name = paths::file_name(path);
    CONFIG_FILES
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(name))
        .filter(|c| c.name != "config" || path.ends_with(".git/config"))
}

impl ConfigFile {
    /// The path names this file in the CMS's own spelling (`Configuration.php` of a bundled
    /// library is not Joomla's `configuration.php`).
    pub fn spelled_as_in(&self, path: &str) -> bool {
        paths::file_name(path) == self.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_entry_per_extension() {
        for (i, (e, _)) in EXTENSIONS.iter().enumerate() {
            assert!(
                !EXTENSIONS.iter().skip(i + 1).any(|(f, _)| f == e),
                "{e} twice"
            );
            assert_eq!(*e, e.to_ascii_lowercase());
        }
    }

    #[test]
    fn kinds_from_names() {
        assert_eq!(kind_of("a/b.PHP", b""), Some(FileKind::Php));
        assert_eq!(kind_of("x/.htaccess", b""), Some(FileKind::Htaccess));
        assert_eq!(kind_of("x/php.ini", b""), Some(FileKind::UserIni));
        assert_eq!(kind_of("x/photo.avif", b""), Some(FileKind::Image));
        assert_eq!(kind_of("x/noext", b"  <?php echo 1;"), Some(FileKind::Php));
        assert_eq!(kind_of("x/readme", b"hello"), None);
        assert!(named_like_media("up/logo.png.php"));
        assert!(!named_like_media("up/logo.php"));
        assert!(is_server_code("up/x.phtml") && is_server_code("up/.user.ini"));
        assert!(!is_server_code("up/x.module"));
        assert!(is_binary_ext("woff2") && !is_binary_ext("php"));
    }
}
