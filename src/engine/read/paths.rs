//! Entry names from a hostile archive, turned into safe, comparable paths.
//!
//! The archive decides every name. We never extract, but the names still drive matching
//! (which release file is this?) and what the user reads, so each name is normalised to
//! forward slashes without `.`/`..`/empty components, and anything odd about it — escaping
//! the folder, absolute or drive-letter paths, control characters, undecodable bytes — is
//! reported back so the caller can turn it into a warning.

/// What was odd about a name (empty when nothing was).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct NameIssues {
    pub parent_escape: bool,
    pub absolute: bool,
    pub drive_letter: bool,
    pub backslashes: bool,
    pub control_chars: bool,
    pub not_utf8: bool,
    pub too_long: bool,
}

impl NameIssues {
    pub fn any(&self) -> bool {
        self.parent_escape
            || self.absolute
            || self.drive_letter
            || self.control_chars
            || self.not_utf8
            || self.too_long
    }

    /// One plain sentence listing the issues.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.parent_escape {
            parts.push("it tries to climb out of the backup folder with \"../\"");
        }
        if self.absolute {
            parts.push("it is an absolute path");
        }
        if self.drive_letter {
            parts.push("it starts with a Windows drive letter");
        }
        if self.control_chars {
            parts.push("it contains invisible control or text-direction characters");
        }
        if self.not_utf8 {
            parts.push("it is not valid text (shown with replacement characters)");
        }
        if self.too_long {
            parts.push("it is extremely long (shortened here)");
        }
        parts.join("; ")
    }
}

/// Names longer than this are cut for matching and display.
pub const MAX_NAME: usize = 4096;

/// Unicode direction overrides that make `gpj.php` display as `php.jpg`.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Decodes raw name bytes: UTF-8 when valid, otherwise lossy (flagged).
pub fn decode_name(raw: &[u8], issues: &mut NameIssues) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            issues.not_utf8 = true;
            String::from_utf8_lossy(raw).into_owned()
        }
    }
}

/// Normalises an entry name into a relative path with `/` separators.
/// Returns the path and whether the entry names a directory (trailing slash).
pub fn normalize(name: &str, issues: &mut NameIssues) -> (String, bool) {
    let mut name = name;
    if name.len() > MAX_NAME {
        issues.too_long = true;
        let mut cut = MAX_NAME;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name = name.get(..cut).unwrap_or("");
    }
    if name.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        issues.control_chars = true;
    }
    let owned;
    let name = if name.contains('\\') {
        issues.backslashes = true;
        owned = name.replace('\\', "/");
        owned.as_str()
    } else {
        name
    };
    let bytes = name.as_bytes();
    if bytes.len() >= 2
        && bytes.get(1) == Some(&b':')
        && bytes.first().is_some_and(|b| b.is_ascii_alphabetic())
    {
        issues.drive_letter = true;
    }
    if name.starts_with('/') {
        issues.absolute = true;
    }
    let is_dir = name.ends_with('/');
    let mut out: Vec<&str> = Vec::new();
    for (i, comp) in name.split('/').enumerate() {
        match comp {
            "" | "." => {}
            ".." => {
                issues.parent_escape = true;
                out.pop();
            }
            c if i == 0 && issues.drive_letter && c.len() == 2 => {}
            c => out.push(c),
        }
    }
    (out.join("/"), is_dir)
}

/// The part after the last `/`.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Lowercased extension without the dot ("" when none).
pub fn extension(path: &str) -> String {
    let name = file_name(path);
    match name.rfind('.') {
        Some(i) if i > 0 => name.get(i + 1..).unwrap_or("").to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// The folder part including its trailing `/` ("" for a top-level file).
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => path.get(..=i).unwrap_or(""),
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> (String, NameIssues) {
        let mut i = NameIssues::default();
        let (p, _) = normalize(s, &mut i);
        (p, i)
    }

    #[test]
    fn hostile_names() {
        assert_eq!(norm("a/./b//c.php").0, "a/b/c.php");
        let (p, i) = norm("../../etc/passwd");
        assert_eq!(p, "etc/passwd");
        assert!(i.parent_escape);
        let (p, i) = norm("/var/www/x.php");
        assert_eq!(p, "var/www/x.php");
        assert!(i.absolute);
        let (p, i) = norm("C:\\Windows\\x.php");
        assert_eq!(p, "Windows/x.php");
        assert!(i.drive_letter && i.backslashes);
        let (_, i) = norm("a\u{202e}gpj.php");
        assert!(i.control_chars);
        let (_, i) = norm("line\nbreak.php");
        assert!(i.control_chars);
        assert!(!norm("plain/name.php").1.any());
        let long = "a/".repeat(5000);
        let (p, i) = norm(&long);
        assert!(i.too_long && p.len() <= MAX_NAME);
    }

    #[test]
    fn parts() {
        assert_eq!(file_name("a/b/c.PHP"), "c.PHP");
        assert_eq!(extension("a/b/c.PHP"), "php");
        assert_eq!(extension(".htaccess"), "");
        assert_eq!(parent("a/b/c"), "a/b/");
        assert_eq!(parent("c"), "");
    }
}
