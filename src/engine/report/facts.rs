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
    /// When the break-in began, from every piece of evidence in the backup (file times,
    /// log lines, database rows), with how sure that is (see `facts::dating`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub break_in: Option<BreakIn>,
}

/// The break-in's date from the evidence, and which evidence gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BreakIn {
    /// When it most probably began (`YYYY-MM-DDTHH:MM:SSZ`).
    pub began: String,
    pub confidence: Confidence,
    /// In plain words: what gave the date, and what disagrees.
    pub why: String,
    /// The planted files' own dates were probably forged (log lines or copied dates say so).
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub files_forged: bool,
    /// Each piece of evidence, oldest first.
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// Pieces of evidence that cannot be forged together agree.
    Sure,
    /// One kind of evidence, nothing against it.
    Likely,
    /// File times only, and they look forged or rest on unconfirmed files.
    Unsure,
}

/// Where a piece of dating evidence comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceSource {
    /// The planted or changed files' own times (forgeable).
    Files,
    /// The web server's access log: the first request a planted file answered.
    AccessLog,
    /// A PHP or web server error log: the first error a planted file caused.
    ErrorLog,
    /// A SQL dump: when an out-of-place administrator was created.
    Database,
    /// Two backups: the planted files are in one and not in the one before.
    Backups,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub source: EvidenceSource,
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: String,
    /// What it shows, in plain words.
    pub what: String,
    /// The log, dump or archive it is read from.
    pub file: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dated {
    pub path: String,
    pub mtime: String,
}
