//! The facts of a report beyond its files: administrator accounts from SQL dumps, secrets in
//! config files, and the break-in's timeline. Plain data, like the rest of `report`.

use serde::{Deserialize, Serialize};

use super::kinds::{Cms, SecretKind};

/// A CMS account with administrator rights found in a dump.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub login: String,
    pub email: String,
    /// When it was created, as the dump says (`YYYY-MM-DD HH:MM:SS`).
    pub registered: Option<String>,
    pub role: String,
    /// The dump file, table and row (primary key) it comes from.
    pub dump: String,
    pub table: String,
    pub row: String,
    /// Why it looks out of place (empty when it does not).
    pub flags: Vec<String>,
    /// Which CMS the dump belongs to.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cms: Option<Cms>,
    /// Blocked or disabled in the CMS: it cannot log in as the dump stands.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Secret {
    pub kind: SecretKind,
    /// The setting's name in the file (`DB_PASSWORD`, `$password`, `hash_salt`…).
    pub name: String,
    /// The file, as named in the archive.
    pub file: String,
    pub line: u32,
    /// `s3cr••••7x`: enough to recognise it, not to use it.
    pub masked: String,
    /// The value itself; removed from exports unless the user opts in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Where to change it and what to update afterwards, in plain words.
    pub how: String,
}

/// When the break-in most probably began (see `facts::timeline` for how it is worked out).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// The earliest suspicious change of the main cluster (`YYYY-MM-DDTHH:MM:SSZ`).
    pub start: Option<String>,
    /// The last suspicious change of that cluster.
    pub end: Option<String>,
    /// Suspicious files with their times, oldest first.
    pub suspicious: Vec<Dated>,
    /// Files not flagged but changed within a day of the window: worth a look.
    pub also_changed: Vec<Dated>,
    /// Changed files whose date looks like the untouched release files' (dates forged).
    pub forged_dates: Vec<Dated>,
    /// Files per day (for a picture): (day `YYYY-MM-DD`, all files, suspicious files).
    pub days: Vec<(String, u32, u32)>,
    /// Suspicious files without a usable time.
    pub undated: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dated {
    pub path: String,
    pub mtime: String,
}
