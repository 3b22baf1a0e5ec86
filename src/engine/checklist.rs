//! The cleanup checklist: the process in PRODUCT.md ("The cleanup process the tool walks
//! people through"), filled in with the facts of this backup — which CMS version to reinstall,
//! which files to remove, which config file holds the database password.
//!
//! One builder for every front end: the page shows it with checkboxes, the CLI prints it in
//! Markdown. Each step says what to do and why, in plain words, then lists concrete items.

use serde::{Deserialize, Serialize};

use super::cms::display_name;
use super::report::{Report, SiteVerdict, Status, Verdict};

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
}

fn step(id: &str, title: &str, why: &str, items: Vec<String>) -> Step {
    Step {
        id: id.into(),
        title: title.into(),
        why: why.into(),
        items,
    }
}

/// Config files that hold the database password, by CMS.
fn config_files(report: &Report) -> Vec<String> {
    let names = [
        "wp-config.php",
        "configuration.php",
        "settings.php",
        "LocalConfiguration.php",
        ".env",
    ];
    let mut out: Vec<String> = report
        .files
        .iter()
        .filter(|f| {
            names
                .iter()
                .any(|n| f.path.ends_with(&format!("/{n}")) || f.path == *n)
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

/// Builds the checklist, naming the host and its support contact when known.
pub fn build_for(report: &Report, host: Option<&HostInfo>) -> Vec<Step> {
    let flagged: Vec<&str> = report
        .files
        .iter()
        .filter(|f| f.verdict != Verdict::Clean)
        .map(|f| f.path.as_str())
        .collect();
    let tl = &report.timeline;
    let first_change = tl
        .start
        .as_deref()
        .map(|t| t.get(..10).unwrap_or(t).to_owned());
    let reinstall: Vec<String> = report
        .cms
        .iter()
        .map(|c| match &c.version {
            Some(v) => format!("Install a fresh copy of {} {v} from its official website, then carry over only your content.", display_name(&c.name)),
            None => format!("Install a fresh copy of {} (the same version as before) from its official website.", display_name(&c.name)),
        })
        .collect();
    let mut steps = Vec::new();
    let alarming = report.verdict != SiteVerdict::Clean;
    steps.push(step(
        "offline",
        "Take the site offline while you repair it",
        "A hacked site can infect its visitors, and the attacker may still have access. Ask your host to suspend it, show a maintenance page, or block visitors in the hosting panel. (Never shut down a whole shared server: every site on it goes offline.)",
        Vec::new(),
    ));
    let host_items = match host.filter(|h| !h.name.is_empty() || !h.support.is_empty()) {
        Some(h) => vec![format!(
            "Contact {}{}.",
            if h.name.is_empty() {
                "your host's support"
            } else {
                h.name.as_str()
            },
            if h.support.is_empty() {
                String::new()
            } else {
                format!(": {}", h.support)
            }
        )],
        None => Vec::new(),
    };
    steps.push(step(
        "host",
        "Tell your hosting provider",
        "They may already be investigating, can check their server logs, and may suspend the account meanwhile. Give them this report.",
        host_items,
    ));
    steps.push(step(
        "evidence",
        "Keep a copy of everything before changing anything",
        "Save this backup and every log your host offers (web server, FTP, SSH, database). They show how and when the attacker got in.",
        vec![format!("Keep {} unchanged in a safe place.", report.archive.name)],
    ));
    let mut when = Vec::new();
    if let Some(d) = &first_change {
        when.push(format!("The break-in most probably began on {d}: the suspicious changes in this backup cluster from {} to {}. Restore from a backup made before {d}; backups made after that date may contain the intruder's files.", d, tl.end.as_deref().map(|t| t.get(..10).unwrap_or(t)).unwrap_or(d)));
        when.push("Dates inside a backup can be forged by an attacker: check the backup you want to restore with this tool too before you use it.".into());
        if !tl.also_changed.is_empty() {
            when.push(format!("{} other file(s) changed around the same time without being flagged; look at them (listed under \"When it happened\").", tl.also_changed.len()));
        }
        for f in tl.forged_dates.iter().take(10) {
            when.push(format!("{} was changed but carries the date of the original release files ({}): its date was probably faked to hide it.", f.path, f.mtime.get(..10).unwrap_or(&f.mtime)));
        }
    }
    steps.push(step(
        "when",
        "Find out when it happened",
        "The backup you restore must be older than the break-in.",
        when,
    ));
    let mut secrets = vec![
        "Your hosting control panel password (for example cPanel).".to_string(),
        "Every FTP, SFTP and SSH account.".to_string(),
        "Every email account on this hosting.".to_string(),
        "Every administrator and editor account inside your CMS.".to_string(),
        "Anyone else who had access (a developer, an agency, an old employee): change the passwords they knew and remove access they no longer need.".to_string(),
    ];
    if !report.accounts.is_empty() {
        let names: Vec<&str> = report.accounts.iter().map(|a| a.login.as_str()).collect();
        secrets.push(format!(
            "Reset the password of every administrator found in the database: {}.",
            names.join(", ")
        ));
        for a in report.accounts.iter().filter(|a| !a.flags.is_empty()) {
            secrets.push(format!(
                "Delete the administrator \"{}\" unless you know exactly who it is: {}.",
                a.login,
                a.flags.join(", and ")
            ));
        }
    }
    // One item per secret, except keys/salts: one item per file covering all its lines.
    let mut key_files: Vec<(&str, Vec<&str>, u32, u32)> = Vec::new();
    for s in &report.secrets {
        if s.kind == "cms-keys" {
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
            format!("line {first}")
        } else {
            format!("lines {first}–{last}")
        };
        secrets.push(format!(
            "Replace the secret keys and salts ({}) in {file}, {lines}, with new random values: this logs everyone out, including the attacker. WordPress: generate a new set at api.wordpress.org/secret-key/1.1/salt/.",
            names.join(", ")
        ));
    }
    if !report.secrets.iter().any(|s| s.kind == "database-password") {
        for c in config_files(report) {
            secrets.push(format!(
                "The database password — change it in your hosting panel, then put the new one in {c}."
            ));
        }
    }
    steps.push(step(
        "passwords",
        "Change every password",
        "Attackers usually keep the passwords they stole. Change them all, from a computer you trust, and remove accounts you do not know.",
        secrets,
    ));
    let mut restore = vec!["Delete everything in the site's folder first: attackers leave files that would otherwise survive the restore.".to_string()];
    restore.extend(reinstall);
    restore.push("Carry over only your data: the uploads folder without the flagged files listed here, and the database after removing the unknown administrators and injected scripts.".into());
    let components: Vec<String> = report
        .cms
        .iter()
        .flat_map(|c| c.components.iter())
        .map(|c| format!("{} {}", c.name, c.kind))
        .collect();
    if !components.is_empty() {
        restore.push(format!(
            "Reinstall plugins and themes fresh from their official sources instead of copying them back: {}.",
            components.join(", ")
        ));
    }
    if !flagged.is_empty() {
        restore.push(format!(
            "Do not copy back these {} flagged file(s):",
            flagged.len()
        ));
        restore.extend(flagged.iter().take(50).map(|p| format!("  {p}")));
    }
    steps.push(step(
        "restore",
        "Delete, then restore a clean copy",
        "Cleaning files one by one is for experts. Restore a backup from before the break-in, or reinstall the CMS clean and carry over only your data.",
        restore,
    ));
    steps.push(step(
        "secure",
        "Secure the site",
        "Close the hole the attacker used, or they will be back.",
        {
            let mut items: Vec<String> = report
                .cms
                .iter()
                .filter_map(|c| {
                    let newer = c.newer_release.as_ref()?;
                    Some(format!(
                        "{} {} is out of date: update to the newest release ({} or later). Old versions have known security holes.",
                        display_name(&c.name),
                        c.version.as_deref().unwrap_or(""),
                        newer
                    ))
                })
                .collect();
            items.extend([
                "Update every plugin and every theme; remove the ones you do not use.".to_string(),
                "Block PHP from running in upload folders (your host can help, or an .htaccess rule in the uploads folder).".to_string(),
                "Set file permissions so the web server cannot change your code: folders 755, files 644, configuration files 600 or 640.".to_string(),
                "Turn on two-factor login for administrators.".to_string(),
                "Keep regular backups somewhere other than the hosting account, and keep several old ones.".to_string(),
            ]);
            items
        },
    ));
    steps.push(step(
        "online",
        "Bring it back online and watch it",
        "Check the site from another device, ask search engines to re-check it if they flagged it, and scan the next backup with this tool.",
        Vec::new(),
    ));
    if !alarming {
        steps.retain(|s| matches!(s.id.as_str(), "evidence" | "secure"));
    }
    steps
}
