//! Several backups of one site compared: which was made when, what changed between them,
//! when the intruder's files first appear, and which backup to restore. Plain data, like the
//! rest of `report`; `present::series` works it out from the finished reports.

use serde::{Deserialize, Serialize};

use super::{ErrorKind, Report, SiteVerdict};

/// One backup as given: its report, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BackupResult {
    Scanned(Box<Report>),
    Failed(FailedBackup),
}

impl BackupResult {
    /// The archive's file name as given.
    pub fn archive(&self) -> &str {
        match self {
            BackupResult::Scanned(r) => &r.archive.name,
            BackupResult::Failed(f) => &f.archive,
        }
    }

    pub fn report(&self) -> Option<&Report> {
        match self {
            BackupResult::Scanned(r) => Some(r),
            BackupResult::Failed(_) => None,
        }
    }
}

/// A backup in the series that could not be read at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailedBackup {
    pub archive: String,
    pub error: BackupError,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupError {
    pub kind: ErrorKind,
    pub message: String,
}

/// Where a backup's date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MadeFrom {
    /// The archive's own name (`backup-6.1.2026_03-12-00_user.tar.gz`, `site-2026-06-01.zip`).
    Name,
    /// The newest time of its files that nothing flagged.
    NewestFile,
    /// Nothing dates it.
    Unknown,
}

/// One backup in the order they were made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupEntry {
    /// The archive's file name as given.
    pub archive: String,
    /// Its place in the list as given (0-based).
    pub given: usize,
    /// When it was made (`YYYY-MM-DDTHH:MM:SSZ`, or a day `YYYY-MM-DD` when only the day is
    /// known).
    pub made: Option<String>,
    pub made_from: MadeFrom,
    /// `None` for a backup that could not be read.
    pub verdict: Option<SiteVerdict>,
    /// Why it could not be read.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
    /// The earlier backup in the list with exactly the same files (compared once).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub same_as: Option<String>,
    /// Set when it is a backup of another site than the first: it is not compared.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub other_site: bool,
}

/// What differs between two consecutive backups of the site.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The older backup's and the newer backup's archive names.
    pub from: String,
    pub to: String,
    /// Files that appeared, changed and disappeared (at most [`Change::MAX_LISTED`] each;
    /// `totals` has the counts).
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub totals: ChangeTotals,
    /// The newer backup's malicious files that the older one does not hold as they are.
    pub intruder_added: Vec<String>,
    /// The older backup's malicious files that are gone (or clean again) in the newer one.
    pub intruder_removed: Vec<String>,
    pub admins_added: Vec<String>,
    pub admins_removed: Vec<String>,
    /// Scheduled tasks (their commands) and SSH keys (their fingerprints).
    pub cron_added: Vec<String>,
    pub cron_removed: Vec<String>,
    pub keys_added: Vec<String>,
    pub keys_removed: Vec<String>,
    /// Other differences in plain words (a CMS update).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub notes: Vec<String>,
}

impl Change {
    /// Paths listed per kind of change, at most.
    pub const MAX_LISTED: usize = 500;

    /// Whether nothing at all differs.
    pub fn is_empty(&self) -> bool {
        self.totals == ChangeTotals::default()
            && self.admins_added.is_empty()
            && self.admins_removed.is_empty()
            && self.cron_added.is_empty()
            && self.cron_removed.is_empty()
            && self.keys_added.is_empty()
            && self.keys_removed.is_empty()
            && self.notes.is_empty()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeTotals {
    pub added: u64,
    pub changed: u64,
    pub removed: u64,
}

/// The backup to restore.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestoreFrom {
    /// The archive's file name as given.
    pub archive: String,
    pub made: Option<String>,
    pub why: String,
    /// What to look at in it before restoring.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub caution: Option<String>,
}

/// When the intruder's files first appear in the series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesBreakIn {
    /// The newest backup without them, and when it was made.
    pub after: Option<String>,
    pub after_made: Option<String>,
    /// The first backup with them, and when it was made.
    pub by: String,
    pub by_made: Option<String>,
    /// The best date for the break-in within that interval (the first infected backup's own
    /// evidence, clamped to it).
    pub began: Option<String>,
    pub why: String,
    /// What the first infected backup's own evidence adds (or contradicts).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub detail: Option<String>,
}

/// The comparison of several backups.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Every backup given, oldest first (unreadable and undated ones last).
    pub order: Vec<BackupEntry>,
    pub restore_from: Option<RestoreFrom>,
    /// The recommendation in one plain paragraph.
    pub recommendation: String,
    /// What to do when no backup can be restored.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub steps: Vec<String>,
    /// Consecutive backups of the site, oldest pair first.
    pub changes: Vec<Change>,
    pub break_in: Option<SeriesBreakIn>,
    /// Things said about the series as a whole (other sites, same backup twice).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub notes: Vec<String>,
}

/// What `site-triage scan A B C --format json` writes: every report, then the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesReport {
    pub tool: String,
    pub backups: Vec<BackupResult>,
    #[serde(flatten)]
    pub comparison: Comparison,
}
