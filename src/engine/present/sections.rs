//! The report's facts beyond its files, as sections a person reads: the administrators in the
//! database, and for a full-account backup the hosting account — its websites, scheduled tasks
//! (cron), SSH keys, mail forwarders and logins — each with a plain explanation for someone who
//! has never heard of them. The text, Markdown and HTML renderers and the page all present
//! these same sections, so the wording lives in one place.

use crate::engine::i18n::{t, Lang};
use crate::engine::report::{HostingAccount, Report, Verdict};
use crate::tf;

/// One section: a title, what it means in plain words, and its items.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Stable id (for anchors and tests): "admins", "sites", "cron", "keys", "forwarders", "logins".
    pub id: &'static str,
    pub title: String,
    pub intro: String,
    pub items: Vec<Item>,
}

/// One line of a section. Names from the backup are neither made visible nor escaped here:
/// each renderer does both for its own format.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub text: String,
    /// Why it stands out; empty when it does not.
    pub flags: Vec<String>,
    /// It is the intruder's, as far as the evidence goes (malicious), not only odd.
    pub malicious: bool,
}

impl Item {
    fn plain(text: String) -> Item {
        Item {
            text,
            flags: Vec::new(),
            malicious: false,
        }
    }

    fn flagged(text: String, flags: &[String], malicious: bool) -> Item {
        Item {
            text,
            flags: flags.to_vec(),
            malicious,
        }
    }
}

fn section(id: &'static str, title: &str, intro: String, items: Vec<Item>) -> Section {
    Section {
        id,
        title: title.to_owned(),
        intro,
        items,
    }
}

/// Every section this report has (none for a plain site backup without a dump).
pub fn sections(report: &Report) -> Vec<Section> {
    let l = report.language;
    let mut out = Vec::new();
    if !report.accounts.is_empty() {
        out.push(section(
            "admins",
            t(l, "Administrator accounts in your database"),
            t(l, "These accounts can do anything on your site. Check that you know every one of them; reset all their passwords.").to_owned(),
            report
                .accounts
                .iter()
                .map(|a| Item::flagged(admin_line(l, a), &a.flags, false))
                .collect(),
        ));
    }
    if let Some(h) = &report.account {
        out.extend(hosting(report, h));
    }
    out
}

/// One administrator: who, what rights, since when, where in which dump.
pub fn admin_line(l: Lang, a: &crate::engine::report::Account) -> String {
    let mut line = tf!(
        l,
        "{0} <{1}>, {2}, created {3} ({4}, table {5}, row {6})",
        a.login,
        a.email,
        a.role,
        a.registered.as_deref().unwrap_or("?"),
        a.dump,
        a.table,
        a.row
    );
    if a.disabled {
        line.push_str(t(l, "; disabled: it cannot log in"));
    }
    line
}

fn hosting(report: &Report, h: &HostingAccount) -> Vec<Section> {
    let l = report.language;
    let mut out = Vec::new();
    let who = h.user.as_deref().unwrap_or_default();
    out.push(section(
        "sites",
        t(l, "Your hosting account"),
        tf!(l, "This backup holds the whole {0} account {1}, not only the website: the settings and files around your sites, where intruders leave their way back in. Each website of the account is listed here; the files of all of them were checked.", h.panel, who),
        h
            .sites
            .iter()
            .map(|s| {
                let mut text = tf!(
                    l,
                    "{0} ({1}) in {2}",
                    if s.domain.is_empty() { "?".to_owned() } else { s.domain.clone() },
                    t(l, kind_word(&s.kind)),
                    if s.root.is_empty() { t(l, "a folder outside this backup").to_owned() } else { s.root.clone() }
                );
                let cms = report.cms.iter().find(|c| !s.root.is_empty() && c.root == s.root);
                if let Some(c) = cms {
                    let what = match &c.version {
                        Some(v) => format!("{} {v}", c.name.display_name()),
                        None => c.name.display_name().to_owned(),
                    };
                    text.push_str(&tf!(l, ": {0}", what));
                }
                Item::plain(text)
            })
            .collect(),
    ));
    out.push(section(
        "cron",
        t(l, "Scheduled tasks (cron)"),
        t(l, "The server runs these commands by itself, on a timetable, even when nobody visits the site. Intruders add one so that their code comes back after every clean-up. Delete every task you did not set up (cPanel → Cron Jobs).").to_owned(),
        h
            .cron
            .iter()
            .map(|c| {
                let text = tf!(l, "{0}: {1} (line {2} of {3})", c.when, c.command, c.line, c.file);
                Item::flagged(text, &c.flags, c.verdict == Verdict::Malicious)
            })
            .collect(),
    ));
    out.push(section(
        "keys",
        t(l, "SSH keys"),
        t(l, "A key is a file on someone's computer that lets it log in to your hosting account without a password. Every key listed here can do that today. Remove each key you cannot name (cPanel → SSH Access → Manage SSH Keys).").to_owned(),
        h
            .ssh_keys
            .iter()
            .map(|k| {
                let text = tf!(l, "{0} {1} \"{2}\" (line {3} of {4})", k.key_type, k.fingerprint, k.comment, k.line, k.file);
                Item::flagged(text, &k.flags, k.verdict == Verdict::Malicious)
            })
            .collect(),
    ));
    out.push(section(
        "forwarders",
        t(l, "Mail forwarders"),
        t(l, "A forwarder sends a copy of the mail of one address somewhere else. Intruders add one to read your mail, including the messages that reset passwords. Delete every forwarder you did not set up (cPanel → Forwarders).").to_owned(),
        h
            .forwarders
            .iter()
            .map(|f| Item::flagged(tf!(l, "{0} → {1} ({2})", f.from, f.to, f.file), &f.flags, false))
            .collect(),
    ));
    out.push(section(
        "logins",
        t(l, "Logins of this hosting account"),
        t(l, "Every login the backup names (never their passwords). Give each a new password, and delete the ones nobody uses.").to_owned(),
        h
            .logins
            .iter()
            .map(|x| Item::plain(tf!(l, "{0}: {1} ({2})", t(l, login_word(&x.kind)), x.name, x.file)))
            .collect(),
    ));
    out.retain(|s| s.id == "sites" || !s.items.is_empty());
    out
}

/// The word for a site's kind, as the catalog holds it.
pub fn kind_word(kind: &str) -> &'static str {
    match kind {
        "main domain" => "main domain",
        "addon domain" => "addon domain",
        "parked domain" => "parked domain",
        "subdomain" => "subdomain",
        _ => "domain",
    }
}

/// The word for a login's kind, as the catalog holds it.
pub fn login_word(kind: &str) -> &'static str {
    match kind {
        "control panel" => "control panel",
        "email" => "email",
        "FTP" => "FTP",
        "database" => "database",
        _ => "login",
    }
}
