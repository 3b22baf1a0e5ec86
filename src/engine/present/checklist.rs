//! The cleanup checklist: the process in PRODUCT.md ("The cleanup process the tool walks
//! people through"), filled in with the facts of this backup — which CMS version to reinstall,
//! which files to remove, which config file holds the database password.
//!
//! One builder for every front end: the page shows it with checkboxes, the CLI prints it in
//! Markdown. Each step says what to do and why, in plain words, then lists concrete items.

use serde::{Deserialize, Serialize};

use crate::engine::detect::kinds::config_file;
use crate::engine::i18n::{t, Lang};
use crate::engine::report::{Report, SecretKind, SiteVerdict, Status, Verdict};
use crate::tf;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Stable id (for remembering ticks).
    pub id: String,
    pub title: String,
    pub why: String,
    /// Concrete things to do or check, from this backup.
    pub items: Vec<String>,
}

/// What a hosting company tells about itself (from `config.json` next to the page).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HostInfo {
    /// The hosting company's name.
    #[serde(default)]
    pub name: String,
    /// How to reach support: an address, phone number or web page, as plain text.
    #[serde(default)]
    pub support: String,
    /// The page's language when neither the reader nor the browser picked one ("nb", "en").
    #[serde(default)]
    pub language: String,
}

fn step(l: Lang, id: &str, title: &'static str, why: &'static str, items: Vec<String>) -> Step {
    Step {
        id: id.into(),
        title: t(l, title).into(),
        why: t(l, why).into(),
        items,
    }
}

/// Config files that hold the database password, by CMS.
fn config_files(report: &Report) -> Vec<String> {
    let mut out: Vec<String> = report
        .files
        .iter()
        .filter(|f| {
            config_file(&f.path).is_some_and(|c| c.database_password && c.spelled_as_in(&f.path))
        })
        .filter(|f| f.status != Status::Missing)
        .map(|f| f.path.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Builds the checklist for a report.
pub fn build(report: &Report) -> Vec<Step> {
    build_for(report, None)
}

/// The checklist of one backup among several: its "restore" step starts with the backup
/// the comparison recommends (or says that none is clean, and what to do instead).
pub fn build_in_series(
    report: &Report,
    host: Option<&HostInfo>,
    comparison: Option<&crate::engine::report::series::Comparison>,
) -> Vec<Step> {
    let mut steps = build_for(report, host);
    let Some(c) = comparison else {
        return steps;
    };
    // The backups date the break-in more surely than one backup's own evidence: first.
    if let (Some(b), Some(st)) = (&c.break_in, steps.iter_mut().find(|s| s.id == "when")) {
        let mut items = vec![b.why.clone()];
        items.extend(b.detail.clone());
        items.append(&mut st.items);
        st.items = items;
    }
    let mut advice = vec![c.recommendation.clone()];
    if let Some(r) = &c.restore_from {
        advice.extend(r.caution.clone());
    }
    advice.extend(c.steps.iter().cloned());
    match steps.iter_mut().find(|s| s.id == "restore") {
        Some(st) => {
            advice.append(&mut st.items);
            st.items = advice;
        }
        None => steps.push(step(
            report.language,
            "restore",
            "Delete, then restore a clean copy",
            "Cleaning files one by one is for experts. Restore a backup from before the break-in, or reinstall the CMS clean and carry over only your data.",
            advice,
        )),
    }
    steps
}

/// Builds the checklist, naming the host and its support contact when known. It is written
/// in the report's language (see `i18n::localize`).
pub fn build_for(report: &Report, host: Option<&HostInfo>) -> Vec<Step> {
    let l = report.language;
    let mut steps = vec![
        step(
            l,
            "offline",
            "Take the site offline while you repair it",
            "A hacked site can infect its visitors, and the attacker may still have access. Ask your host to suspend it, show a maintenance page, or block visitors in the hosting panel. (Never shut down a whole shared server: every site on it goes offline.)",
            Vec::new(),
        ),
        step(
            l,
            "host",
            "Tell your hosting provider",
            "They may already be investigating, can check their server logs, and may suspend the account meanwhile. Give them this report.",
            host_items(l, host),
        ),
        step(
            l,
            "evidence",
            "Keep a copy of everything before changing anything",
            "Save this backup and every log your host offers (web server, FTP, SSH, database). They show how and when the attacker got in.",
            vec![tf!(l, "Keep {0} unchanged in a safe place.", report.archive.name)],
        ),
        step(
            l,
            "when",
            "Find out when it happened",
            "The backup you restore must be older than the break-in.",
            when_items(report),
        ),
        step(
            l,
            "passwords",
            "Change every password",
            "Attackers usually keep the passwords they stole. Change them all, from a computer you trust, and remove accounts you do not know.",
            password_items(report),
        ),
        step(
            l,
            "account",
            "Close the intruder's ways back into your hosting account",
            "Intruders leave tasks, keys, forwarders and links outside the website so that they can come back after a clean-up. Remove each one listed here before you restore anything.",
            account_items(report),
        ),
        step(
            l,
            "restore",
            "Delete, then restore a clean copy",
            "Cleaning files one by one is for experts. Restore a backup from before the break-in, or reinstall the CMS clean and carry over only your data.",
            restore_items(report),
        ),
        step(
            l,
            "secure",
            "Secure the site",
            "Close the hole the attacker used, or they will be back.",
            secure_items(report),
        ),
        step(
            l,
            "online",
            "Bring it back online and watch it",
            "Check the site from another device, ask search engines to re-check it if they flagged it, and scan the next backup with this tool.",
            Vec::new(),
        ),
    ];
    steps.retain(|s| s.id != "account" || !s.items.is_empty());
    if report.verdict == SiteVerdict::Clean {
        steps.retain(|s| matches!(s.id.as_str(), "evidence" | "secure"));
    }
    steps
}

fn host_items(l: Lang, host: Option<&HostInfo>) -> Vec<String> {
    match host.filter(|h| !h.name.is_empty() || !h.support.is_empty()) {
        Some(h) => vec![match (h.name.is_empty(), h.support.is_empty()) {
            (false, false) => tf!(l, "Contact {0}: {1}.", h.name, h.support),
            (false, true) => tf!(l, "Contact {0}.", h.name),
            _ => tf!(l, "Contact your host's support: {0}.", h.support),
        }],
        None => Vec::new(),
    }
}

/// When it began, and what to distrust about the dates.
fn when_items(report: &Report) -> Vec<String> {
    let l = report.language;
    let tl = &report.timeline;
    let first_change = tl
        .start
        .as_deref()
        .map(|t| t.get(..10).unwrap_or(t).to_owned());
    let mut when = Vec::new();
    if let Some(b) = &tl.break_in {
        let d = b.began.get(..10).unwrap_or(&b.began);
        when.push(tf!(l, "The break-in most probably began on {0}. Restore from a backup made before {0}; backups made after that date may contain the intruder's files.", d));
        when.push(b.why.clone());
        when.push(t(l, "Dates inside a backup can be forged by an attacker: check the backup you want to restore with this tool too before you use it.").into());
    } else if let Some(d) = &first_change {
        when.push(tf!(l, "The break-in most probably began on {0}: the suspicious changes in this backup cluster from {0} to {1}. Restore from a backup made before {0}; backups made after that date may contain the intruder's files.", d, tl.end.as_deref().map(|x| x.get(..10).unwrap_or(x)).unwrap_or(d)));
        when.push(t(l, "Dates inside a backup can be forged by an attacker: check the backup you want to restore with this tool too before you use it.").into());
    }
    if first_change.is_some() {
        if !tl.also_changed.is_empty() {
            when.push(tf!(l, "{0} other file(s) changed around the same time without being flagged; look at them (listed under \"When it happened\").", tl.also_changed.len()));
        }
        for f in tl.forged_dates.iter().take(10) {
            when.push(tf!(l, "{0} was changed but carries the date of the original release files ({1}): its date was probably faked to hide it.", f.path, f.mtime.get(..10).unwrap_or(&f.mtime)));
        }
    }
    when
}

/// The intruder's ways back that the hosting account shows: tasks, keys, forwarders, links.
fn account_items(report: &Report) -> Vec<String> {
    let l = report.language;
    let mut items = Vec::new();
    if let Some(h) = &report.account {
        for c in h.cron.iter().filter(|c| c.verdict != Verdict::Clean) {
            items.push(tf!(
                l,
                "Delete the scheduled task on line {0} of {1} (cPanel → Cron Jobs): {2}",
                c.line,
                c.file,
                c.command
            ));
        }
        for k in h.ssh_keys.iter().filter(|k| k.verdict != Verdict::Clean) {
            items.push(tf!(
                l,
                "Remove the SSH key {0} \"{1}\" unless you know exactly whose it is: {2}.",
                k.fingerprint,
                k.comment,
                k.flags.join(t(l, ", and "))
            ));
        }
        for f in h.forwarders.iter().filter(|f| !f.flags.is_empty()) {
            items.push(tf!(
                l,
                "Delete the forwarder {0} → {1} unless you set it up: {2}.",
                f.from,
                f.to,
                f.flags.join(t(l, ", and "))
            ));
        }
    }
    for f in &report.files {
        if let Some(x) = f
            .findings
            .iter()
            .find(|x| x.rule == "symlink-out-of-account")
        {
            items.push(tf!(
                l,
                "Delete the link {0}: {1}",
                f.path,
                f.note.as_deref().unwrap_or(&x.title)
            ));
        }
    }
    items
}

/// The hosting account's logins by name, one item per kind, when the backup lists them.
fn login_items(report: &Report) -> Option<Vec<String>> {
    let l = report.language;
    let h = report.account.as_ref()?;
    let names = |kind: &str| -> Vec<&str> {
        let mut v: Vec<&str> = h
            .logins
            .iter()
            .filter(|x| x.kind == kind)
            .map(|x| x.name.as_str())
            .collect();
        v.dedup();
        v
    };
    let list = |v: &[&str]| {
        let shown: Vec<&str> = v.iter().take(30).copied().collect();
        let mut s = shown.join(", ");
        if v.len() > shown.len() {
            s.push_str(&tf!(l, " and {0} more", v.len() - shown.len()));
        }
        s
    };
    let mut items = Vec::new();
    match names("control panel").first() {
        Some(u) => items.push(tf!(
            l,
            "The {0} login \"{1}\": change it first, from a computer you trust.",
            h.panel,
            u
        )),
        None => items.push(
            t(
                l,
                "Your hosting control panel password (for example cPanel).",
            )
            .to_string(),
        ),
    }
    let email = names("email");
    if !email.is_empty() {
        items.push(tf!(
            l,
            "Every email account of the hosting account ({0}): {1}.",
            email.len(),
            list(&email)
        ));
    }
    let ftp = names("FTP");
    if !ftp.is_empty() {
        items.push(tf!(
            l,
            "Every FTP account ({0}): {1}; delete the ones nobody uses.",
            ftp.len(),
            list(&ftp)
        ));
    }
    let db = names("database");
    if !db.is_empty() {
        items.push(tf!(l, "Every database user ({0}): {1}. Change each in the hosting panel (MySQL Databases), then in the configuration file that uses it.", db.len(), list(&db)));
    }
    items.push(t(l, "Every SSH and SFTP login.").to_string());
    Some(items)
}

/// Every password and secret to change, and where.
fn password_items(report: &Report) -> Vec<String> {
    let l = report.language;
    let mut secrets = login_items(report).unwrap_or_else(|| {
        vec![
            t(
                l,
                "Your hosting control panel password (for example cPanel).",
            )
            .to_string(),
            t(l, "Every FTP, SFTP and SSH account.").to_string(),
            t(l, "Every email account on this hosting.").to_string(),
        ]
    });
    secrets.extend([
        t(l, "Every administrator and editor account inside your CMS.").to_string(),
        t(l, "Anyone else who had access (a developer, an agency, an old employee): change the passwords they knew and remove access they no longer need.").to_string(),
    ]);
    if !report.accounts.is_empty() {
        let names: Vec<&str> = report.accounts.iter().map(|a| a.login.as_str()).collect();
        secrets.push(tf!(
            l,
            "Reset the password of every administrator found in the database: {0}.",
            names.join(", ")
        ));
        for a in report.accounts.iter().filter(|a| !a.flags.is_empty()) {
            secrets.push(tf!(
                l,
                "Delete the administrator \"{0}\" unless you know exactly who it is: {1}.",
                a.login,
                a.flags.join(t(l, ", and "))
            ));
        }
    }
    secrets.extend(secret_items(report));
    secrets
}

/// One item per secret, except keys/salts: one item per file covering all its lines.
fn secret_items(report: &Report) -> Vec<String> {
    let l = report.language;
    let mut secrets = Vec::new();
    let mut key_files: Vec<(&str, Vec<&str>, u32, u32)> = Vec::new();
    for s in &report.secrets {
        if s.kind == SecretKind::CmsKeys {
            match key_files.iter_mut().find(|k| k.0 == s.file) {
                Some(k) => {
                    k.1.push(&s.name);
                    k.2 = k.2.min(s.line);
                    k.3 = k.3.max(s.line);
                }
                None => key_files.push((&s.file, vec![&s.name], s.line, s.line)),
            }
        } else {
            secrets.push(s.how.clone());
        }
    }
    for (file, names, first, last) in key_files {
        let lines = if first == last {
            tf!(l, "line {0}", first)
        } else {
            tf!(l, "lines {0}–{1}", first, last)
        };
        secrets.push(tf!(
            l,
            "Replace the secret keys and salts ({0}) in {1}, {2}, with new random values: this logs everyone out, including the attacker. WordPress: generate a new set at api.wordpress.org/secret-key/1.1/salt/.",
            names.join(", "),
            file,
            lines
        ));
    }
    if !report
        .secrets
        .iter()
        .any(|s| s.kind == SecretKind::DatabasePassword)
    {
        for c in config_files(report) {
            secrets.push(tf!(
                l,
                "The database password — change it in your hosting panel, then put the new one in {0}.",
                c
            ));
        }
    }
    secrets
}

/// Deleting, reinstalling and carrying over only the data.
fn restore_items(report: &Report) -> Vec<String> {
    let l = report.language;
    let flagged: Vec<&str> = report
        .files
        .iter()
        .filter(|f| f.verdict != Verdict::Clean)
        .map(|f| f.path.as_str())
        .collect();
    let reinstall: Vec<String> = report
        .cms
        .iter()
        .map(|c| match &c.version {
            Some(v) => tf!(l, "Install a fresh copy of {0} {1} from its official website, then carry over only your content.", c.name.display_name(), v),
            None => tf!(l, "Install a fresh copy of {0} (the same version as before) from its official website.", c.name.display_name()),
        })
        .collect();
    let mut restore = vec![t(l, "Delete everything in the site's folder first: attackers leave files that would otherwise survive the restore.").to_string()];
    restore.extend(reinstall);
    restore.push(t(l, "Carry over only your data: the uploads folder without the flagged files listed here, and the database after removing the unknown administrators and injected scripts.").into());
    let components: Vec<String> = report
        .cms
        .iter()
        .flat_map(|c| c.components.iter())
        .map(|c| {
            format!(
                "{} ({})",
                c.name,
                t(l, crate::engine::present::explain::component_kind(&c.kind))
            )
        })
        .collect();
    if !components.is_empty() {
        restore.push(tf!(
            l,
            "Reinstall plugins and themes fresh from their official sources instead of copying them back: {0}.",
            components.join(", ")
        ));
    }
    if !flagged.is_empty() {
        restore.push(tf!(
            l,
            "Do not copy back these {0} flagged file(s):",
            flagged.len()
        ));
        restore.extend(flagged.iter().take(50).map(|p| format!("  {p}")));
    }
    restore
}

/// Closing the hole: updates first, then the habits.
fn secure_items(report: &Report) -> Vec<String> {
    let l = report.language;
    let mut items: Vec<String> = report
        .cms
        .iter()
        .filter_map(|c| {
            let newer = c.newer_release.as_ref()?;
            Some(tf!(
                l,
                "{0} {1} is out of date: update to the newest release ({2} or later). Old versions have known security holes.",
                c.name.display_name(),
                c.version.as_deref().unwrap_or(""),
                newer
            ))
        })
        .collect();
    items.extend([
        t(l, "Update every plugin and every theme; remove the ones you do not use.").to_string(),
        t(l, "Block PHP from running in upload folders (your host can help, or an .htaccess rule in the uploads folder).").to_string(),
        t(l, "Set file permissions so the web server cannot change your code: folders 755, files 644, configuration files 600 or 640.").to_string(),
        t(l, "Turn on two-factor login for administrators.").to_string(),
        t(l, "Keep regular backups somewhere other than the hosting account, and keep several old ones.").to_string(),
    ]);
    items
}
