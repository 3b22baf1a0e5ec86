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

/// The comparison of several backups as sections, in reading order: which one to restore,
/// the backups by date, when the intruder's files first appear, what changed between each
/// two, and notes on the series.
pub fn comparison(c: &crate::engine::report::series::Comparison, l: Lang) -> Vec<Section> {
    let mut out = Vec::new();
    let mut restore = Vec::new();
    if let Some(x) = c.restore_from.as_ref().and_then(|r| r.caution.as_ref()) {
        restore.push(Item::flagged(x.clone(), &[], false));
    }
    restore.extend(c.steps.iter().cloned().map(Item::plain));
    out.push(section(
        "restore",
        t(l, "Which backup to restore"),
        c.recommendation.clone(),
        restore,
    ));
    out.push(section(
        "backups",
        t(l, "Your backups, oldest first"),
        t(l, "When each backup was made and what this tool found in it. Each one's own report follows below.").to_owned(),
        c.order.iter().map(|e| backup_line(l, e)).collect(),
    ));
    if let Some(b) = &c.break_in {
        let mut items = vec![Item::plain(b.why.clone())];
        items.extend(b.detail.clone().map(Item::plain));
        let day = |d: &String| d.get(..10).unwrap_or(d).to_owned();
        let intro = match (b.after_made.as_ref().map(day), b.by_made.as_ref().map(day)) {
            (Some(a), Some(z)) => tf!(
                l,
                "The intruder's files were planted between {0} and {1}.",
                a,
                z
            ),
            (None, Some(z)) => tf!(l, "The intruder's files were planted before {0}.", z),
            _ => t(l, "When the intruder's files first appear in your backups.").to_owned(),
        };
        out.push(section(
            "break-in",
            t(l, "When the intruder's files first appear"),
            intro,
            items,
        ));
    }
    for ch in &c.changes {
        out.push(change_section(l, ch));
    }
    if !c.notes.is_empty() {
        out.push(section(
            "series-notes",
            t(l, "About these backups"),
            String::new(),
            c.notes.iter().cloned().map(Item::plain).collect(),
        ));
    }
    out
}

fn backup_line(l: Lang, e: &crate::engine::report::series::BackupEntry) -> Item {
    use crate::engine::report::series::MadeFrom;
    use crate::engine::report::SiteVerdict;
    let made = e
        .made
        .as_deref()
        .map(|m| m.get(..16).unwrap_or(m).replace('T', " "));
    let when = match (made, e.made_from) {
        (Some(m), MadeFrom::Name) => tf!(l, "made {0} (from its name)", m),
        (Some(m), _) => tf!(l, "made about {0} (its newest file)", m),
        (None, _) => t(l, "date unknown").to_owned(),
    };
    let verdict = match e.verdict {
        Some(SiteVerdict::Compromised) => t(l, "hacked: holds the intruder's files"),
        Some(SiteVerdict::Suspicious) => t(l, "suspicious: some files need a look"),
        Some(SiteVerdict::Clean) => t(l, "no sign of the intruder"),
        None => t(l, "could not be read"),
    };
    let mut flags = Vec::new();
    if let Some(d) = &e.same_as {
        flags.push(tf!(l, "the same backup as {0}", d));
    }
    if e.other_site {
        flags.push(t(l, "a different site: not compared").to_owned());
    }
    Item::flagged(
        tf!(l, "{0}: {1}; {2}", e.archive, when, verdict),
        &flags,
        e.verdict == Some(SiteVerdict::Compromised),
    )
}

/// Files listed per kind of change in a section, at most (the JSON has up to 500).
const SHOWN_PER_KIND: usize = 40;

fn change_section(l: Lang, ch: &crate::engine::report::series::Change) -> Section {
    let mut items = Vec::new();
    for p in &ch.intruder_added {
        items.push(Item::flagged(
            tf!(l, "New malicious file: {0}", p),
            &[],
            true,
        ));
    }
    for p in &ch.intruder_removed {
        items.push(Item::plain(tf!(l, "Malicious file gone: {0}", p)));
    }
    let named = [
        (&ch.admins_added, "New administrator: {0}", true),
        (&ch.admins_removed, "Administrator gone: {0}", false),
        (&ch.cron_added, "New scheduled task: {0}", true),
        (&ch.cron_removed, "Scheduled task gone: {0}", false),
        (&ch.keys_added, "New SSH key: {0}", true),
        (&ch.keys_removed, "SSH key gone: {0}", false),
    ];
    for (list, tpl, new) in named {
        for x in list.iter() {
            let text = crate::engine::i18n::fill(t(l, tpl), &[x]);
            let flags = if new {
                vec![t(l, "new since the older backup").to_owned()]
            } else {
                Vec::new()
            };
            items.push(Item::flagged(text, &flags, false));
        }
    }
    items.extend(ch.notes.iter().cloned().map(Item::plain));
    let files = [
        (&ch.added, ch.totals.added, "Appeared: {0}"),
        (&ch.changed, ch.totals.changed, "Changed: {0}"),
        (&ch.removed, ch.totals.removed, "Disappeared: {0}"),
    ];
    for (list, total, tpl) in files {
        for p in list.iter().take(SHOWN_PER_KIND) {
            items.push(Item::plain(crate::engine::i18n::fill(t(l, tpl), &[p])));
        }
        let shown = list.len().min(SHOWN_PER_KIND) as u64;
        if total > shown {
            items.push(Item::plain(tf!(
                l,
                "… and {0} more (the JSON report lists up to 500)",
                total - shown
            )));
        }
    }
    let intro = if ch.is_empty() {
        t(l, "Nothing changed between these two backups.").to_owned()
    } else {
        tf!(
            l,
            "{0} file(s) appeared, {1} changed and {2} disappeared.",
            ch.totals.added,
            ch.totals.changed,
            ch.totals.removed
        )
    };
    Section {
        id: "change",
        title: tf!(l, "From {0} to {1}", ch.from, ch.to),
        intro,
        items,
    }
}
