//! The report: the one data type that the command-line tool, the browser app, the exports
//! and the tests all read.
//!
//! It is plain serde data with no behaviour beyond small helpers, so the page can import it
//! without pulling in any scanning code. Field names are the JSON format documented in the
//! README; renaming one is a breaking change for people who script against `--format json`.

use serde::{Deserialize, Serialize};

mod account;
mod facts;
mod kinds;
pub mod series;

pub use account::{CronJob, Forwarder, HostedSite, HostingAccount, HostingLogin, SshKey};
pub use facts::{Account, BreakIn, Confidence, Dated, Evidence, EvidenceSource, Secret, Timeline};
pub use kinds::{Action, ArchiveFormat, Cms, ComponentKind, ErrorKind, Lang, SecretKind, Severity};

/// Overall and per-file judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Clean,
    Suspicious,
    Malicious,
}

/// Judgement of the whole site, worded for the top of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SiteVerdict {
    Clean,
    Suspicious,
    Compromised,
}

/// Result of comparing one file with the clean release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Byte-identical to the release.
    Unchanged,
    /// Same as the release once whitespace is ignored (line endings, indentation).
    WhitespaceOnly,
    /// The release has this file with different content.
    Modified,
    /// In a folder a release owns (or the site root, or a user-content folder) but not part
    /// of the release.
    Added,
    /// In the release, absent from the backup.
    Missing,
    /// A file that an older release shipped and later upgrades delete.
    Leftover,
    /// No reference covers this file (third-party plugin, media, site-specific file).
    Unknown,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Unchanged,
        Status::WhitespaceOnly,
        Status::Modified,
        Status::Added,
        Status::Missing,
        Status::Leftover,
        Status::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unchanged => "unchanged",
            Status::WhitespaceOnly => "whitespace-only",
            Status::Modified => "modified",
            Status::Added => "added",
            Status::Missing => "missing",
            Status::Leftover => "leftover",
            Status::Unknown => "unknown",
        }
    }
}

/// Where an `added` file sits, which says how alarming it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Location {
    /// A folder that belongs to the CMS or to a reference package (e.g. `wp-includes/`).
    Core,
    /// Directly in the site's root folder.
    Root,
    /// A folder for uploads and other user content, where code has no business.
    UserContent,
    /// In the hosting account but outside every website (a full-account backup's home
    /// directory: `tmp/`, hidden folders, mail).
    OutsideSite,
}

/// How a CMS installation was recognised.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Recognition {
    /// The version its version file declares, and that file's path in the archive.
    pub version_file: Option<VersionFile>,
    /// The release whose manifest matches the files best.
    pub hashes: Option<HashMatch>,
    /// Set when the two disagree, in plain words.
    pub disagreement: Option<String>,
    /// More packages of the same release compared beside the main one (TYPO3's system
    /// extensions, Drupal's root files), each with its own match.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub parts: Vec<HashMatch>,
    /// Why there is no hash match although clean data for this CMS exists (it could not be
    /// loaded, or no file is identical to any release we know), in plain words.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub no_match: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionFile {
    pub path: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HashMatch {
    /// Best-matching release.
    pub version: String,
    /// Files of that release found byte-identical in the backup.
    pub matched: u32,
    /// Files that release ships.
    pub expected: u32,
    /// Other releases that match equally well (identical files in the backup).
    pub tied_with: Vec<String>,
    /// Which manifest: "bundled:wordpress" or the reference archive's name.
    pub manifest: String,
    /// For a part: what it is ("backend", "root files").
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub part: String,
    /// Files of that release that are not in the backup.
    #[serde(default)]
    pub missing: u32,
    /// Whether those files are listed one by one (only when the install is otherwise
    /// complete: hosts and Composer routinely leave out docs and tests, and a list of
    /// thousands of absent files would bury what matters).
    #[serde(default)]
    pub missing_listed: bool,
}

/// A plugin, theme, module or extension found in the site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    /// "plugin", "must-use plugin", "theme", "module", "extension", "component",
    /// "template", "library", or the word a component's own manifest gives.
    pub kind: ComponentKind,
    /// Folder or file name that identifies it (the slug).
    pub slug: String,
    /// Display name from its header or manifest.
    pub name: String,
    pub version: Option<String>,
    /// Path of the file that declared it, as named in the archive.
    pub path: String,
}

/// One CMS installation found in the backup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CmsInstall {
    /// "wordpress", "joomla", "drupal" or "typo3".
    pub name: Cms,
    /// The version we settled on (hash match preferred over the version file).
    pub version: Option<String>,
    /// The site root as a path prefix in the archive ("" for the archive root, else ending in `/`).
    pub root: String,
    /// How it was recognised.
    pub recognised_by: Recognition,
    pub components: Vec<Component>,
    /// The newest release in the bundled data, when newer than this one (an update is due).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub newer_release: Option<String>,
    /// For a copy shipped inside another install's plugin, theme or module: that folder
    /// (a path prefix in the archive). Such a copy is not a site of its own.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub vendored_in: Option<String>,
}

/// One file of the backup (or one missing release file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    /// Exactly as the entry is named in the archive (for missing files: where it should be).
    pub path: String,
    pub status: Status,
    /// For `added` files: which kind of folder it is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Lowercase hex SHA-256 of the exact bytes (empty for missing files).
    pub sha256: String,
    pub size: u64,
    /// Modification time from the archive, `YYYY-MM-DDTHH:MM:SSZ`. ZIP's DOS times carry no
    /// zone and are shown as if UTC; see the README.
    pub mtime: Option<String>,
    pub verdict: Verdict,
    /// Which release it was compared with, e.g. "wordpress 6.4.2".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// A short plain-language remark (e.g. which release a leftover came from).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For a file compared with a release archive the user gave: where its clean copy is,
    /// so its changed lines can be shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clean_copy: Option<CleanCopy>,
    /// What the content rules found in it, strongest first.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub findings: Vec<Finding>,
}

/// One piece of evidence found in a file's content (or in a row of a database dump).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id, e.g. "php-eval-request".
    pub rule: String,
    pub severity: Severity,
    /// One plain sentence: what this is.
    pub title: String,
    /// Why it is dangerous.
    pub why: String,
    pub action: Action,
    /// 1-based line of the evidence (in the file; for decoded code, where the encoded part starts).
    pub line: Option<u32>,
    /// At most 200 characters around the evidence, defanged (links broken, controls shown).
    pub excerpt: String,
    /// When the evidence was inside encoded code: the decoded text around it, and how it was hidden.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decoded: Option<String>,
    /// For a finding in a database dump: the table and the row (primary key or option name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
}

impl Finding {
    /// A finding about a fact of the backup rather than a content rule's match (a dump's row,
    /// an account's cron line or key): nothing decoded, to be reviewed unless the caller says
    /// otherwise; [`Finding::in_row`] places it in a dump.
    pub fn fact(
        rule: &str,
        severity: Severity,
        title: &str,
        why: String,
        line: Option<u32>,
        excerpt: String,
    ) -> Finding {
        Finding {
            rule: rule.to_owned(),
            severity,
            title: title.to_owned(),
            why,
            action: Action::Review,
            line,
            excerpt,
            decoded: None,
            table: None,
            row: None,
        }
    }

    /// The same finding, located at a table and row of a SQL dump.
    pub fn in_row(mut self, table: &str, row: &str) -> Finding {
        self.table = Some(table.to_owned());
        self.row = Some(row.to_owned());
        self
    }
}

/// A file inside a release archive the user supplied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CleanCopy {
    /// The release archive's file name.
    pub archive: String,
    /// The entry's name inside it.
    pub path: String,
}

/// Kinds of warning, for filtering and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum WarningKind {
    SuspiciousName,
    DuplicateName,
    Symlink,
    Encrypted,
    UnsupportedMethod,
    Corrupt,
    Truncated,
    SizeMismatch,
    Bomb,
    Special,
    Limit,
    Reference,
}

/// Something odd about one entry, or about the archive, that did not stop the scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    pub kind: WarningKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub message: String,
}

impl Warning {
    pub fn new(kind: WarningKind, path: Option<&str>, message: impl Into<String>) -> Self {
        Warning {
            kind,
            path: path.map(str::to_owned),
            message: message.into(),
        }
    }
}

/// Counts for the top of the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Regular files read from the archive.
    pub files: u64,
    /// Their total uncompressed size.
    pub bytes: u64,
    pub unchanged: u64,
    pub whitespace_only: u64,
    pub modified: u64,
    pub added: u64,
    pub missing: u64,
    pub leftover: u64,
    pub unknown: u64,
    pub suspicious: u64,
    pub malicious: u64,
    pub warnings: u64,
}

impl Summary {
    pub fn count(&mut self, s: Status) {
        match s {
            Status::Unchanged => self.unchanged += 1,
            Status::WhitespaceOnly => self.whitespace_only += 1,
            Status::Modified => self.modified += 1,
            Status::Added => self.added += 1,
            Status::Missing => self.missing += 1,
            Status::Leftover => self.leftover += 1,
            Status::Unknown => self.unknown += 1,
        }
    }

    pub fn get(&self, s: Status) -> u64 {
        match s {
            Status::Unchanged => self.unchanged,
            Status::WhitespaceOnly => self.whitespace_only,
            Status::Modified => self.modified,
            Status::Added => self.added,
            Status::Missing => self.missing,
            Status::Leftover => self.leftover,
            Status::Unknown => self.unknown,
        }
    }
}

/// Facts about the archive itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArchiveInfo {
    /// The file name the user gave (no directories).
    pub name: String,
    /// "zip", "tar" or "tar.gz".
    pub format: ArchiveFormat,
    /// Size of the archive file in bytes.
    pub size: u64,
    /// Entries of any kind (files, folders, links).
    pub entries: u64,
    /// The newest time among its files that nothing flagged (`YYYY-MM-DDTHH:MM:SSZ`): about
    /// when the backup was made, when its name does not say.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub newest_file: Option<String>,
}

/// The whole result of a scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Name and version of the tool that wrote it.
    pub tool: String,
    /// The language of its sentences ("en" as the engine writes it; see `i18n::localize`).
    #[serde(default)]
    pub language: Lang,
    pub archive: ArchiveInfo,
    pub verdict: SiteVerdict,
    /// One line for the top of the page, in plain words.
    pub headline: String,
    pub cms: Vec<CmsInstall>,
    /// Site roots found (prefixes ending in `/`, or "" for the archive root).
    pub roots: Vec<String>,
    /// SQL dumps found in the backup (paths as named in the archive).
    pub databases: Vec<String>,
    /// Administrator accounts found in those dumps; `flags` says why one looks out of place.
    pub accounts: Vec<Account>,
    /// When the break-in most probably began.
    pub timeline: Timeline,
    /// Passwords and keys in config files, and where to change each (values only on request).
    pub secrets: Vec<Secret>,
    /// The hosting account around the site, for a full-account backup (cPanel, DirectAdmin).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub account: Option<HostingAccount>,
    /// Every file whose status is not `unchanged`, then every missing release file.
    pub files: Vec<FileReport>,
    pub summary: Summary,
    pub warnings: Vec<Warning>,
}

impl Report {
    /// Removes every secret's value (for exports the user did not explicitly ask to hold
    /// them); the masked form stays.
    pub fn strip_secret_values(&mut self) {
        for s in &mut self.secrets {
            s.value = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_are_the_wire_names() {
        for s in Status::ALL {
            assert_eq!(
                serde_json::to_value(s)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned)),
                Some(s.as_str().to_owned())
            );
        }
    }
}
