//! The hosting account around the site, as a cPanel (or DirectAdmin) full backup shows it:
//! its sites, scheduled tasks, SSH keys, mail forwarders and the logins to change. Plain data,
//! like the rest of `report`; `facts::account` fills it in.

use serde::{Deserialize, Serialize};

use super::Verdict;

/// What a full-account backup says about the account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HostingAccount {
    /// "cPanel" or "DirectAdmin".
    pub panel: String,
    /// The account's user name on the server, when the backup names it.
    pub user: Option<String>,
    /// The home directory as a path prefix in the archive (ends in `/`).
    pub home: String,
    pub sites: Vec<HostedSite>,
    pub cron: Vec<CronJob>,
    pub ssh_keys: Vec<SshKey>,
    pub forwarders: Vec<Forwarder>,
    /// Every login of the account found by name (never a password or hash).
    pub logins: Vec<HostingLogin>,
}

/// One website of the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostedSite {
    pub domain: String,
    /// "main domain", "addon domain", "subdomain", "parked domain".
    pub kind: String,
    /// Its document root as a path prefix in the archive ("" when it lies outside the backup).
    pub root: String,
}

/// One line of the account's crontab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CronJob {
    /// The crontab file, as named in the archive, and the line.
    pub file: String,
    pub line: u32,
    /// When it runs, as written (`*/5 * * * *`, `@reboot`).
    pub schedule: String,
    /// The same in plain words ("every 5 minutes").
    pub when: String,
    /// The command, at most 300 characters.
    pub command: String,
    pub verdict: Verdict,
    /// Why it stands out (empty when it does not).
    pub flags: Vec<String>,
}

/// One key that may log in over SSH.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SshKey {
    pub file: String,
    pub line: u32,
    /// `ssh-ed25519`, `ssh-rsa`, …
    pub key_type: String,
    /// The key's label (often `user@computer`), at most 100 characters.
    pub comment: String,
    /// `SHA256:…`, as `ssh-keygen -lf` prints it.
    pub fingerprint: String,
    /// Suspicious when it stands out, malicious when its file changed during the break-in.
    pub verdict: Verdict,
    pub flags: Vec<String>,
}

/// A rule that sends the account's mail somewhere else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forwarder {
    pub file: String,
    /// The address (or `*` for every address of the domain) whose mail is sent on.
    pub from: String,
    /// Where it goes: addresses, or a program (`|/path`).
    pub to: String,
    pub flags: Vec<String>,
}

/// A login of the account, for the password checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostingLogin {
    /// "control panel", "email", "FTP", "database".
    pub kind: String,
    pub name: String,
    /// The file that lists it, as named in the archive.
    pub file: String,
}
