//! The hosting account around the site, for full-account backups: a cPanel full backup
//! (`backup-M.D.YYYY_HH-MM-SS_USER/` with `homedir/`, `cp/`, `cron/`, `userdata/`, `va/`,
//! `mysql/`…) or a DirectAdmin user backup (`backup/`, `domains/<domain>/public_html/`).
//!
//! Why: intruders make sure they can come back, and they leave that outside the website — a
//! cron line, an SSH key, a mail forwarder, a script in a hidden folder, a symlink to another
//! account. This module finds the layout, reads the small metadata files the collector kept
//! ([`capture_limit`]), and returns the report's "hosting account" section, the findings to
//! attach to those files, the links that leave the account, and which files lie outside
//! every website. Names only: password hashes in `shadow` or `proftpdpasswd` are never kept.

mod cron;
mod keys;

use std::collections::HashMap;

use crate::engine::detect::{self, kinds};
use crate::engine::read::{paths, LinkEntry};
use crate::engine::report::{
    Action, Finding, Forwarder, HostedSite, HostingAccount, HostingLogin, Severity,
};

/// Bytes kept of each account metadata file (crontab, keys, forwarders, account lists).
const META_MAX: usize = 256 * 1024;
/// Sites, forwarders and logins listed at most.
const MAX_ITEMS: usize = 500;

/// Whether the collector keeps this file's first bytes for the account section. Decided from
/// the name alone (the layout is known only once every name is seen), so the patterns are
/// anchored near the archive's top.
pub fn capture_limit(path: &str) -> Option<usize> {
    // Called for every file of every backup: no allocation, the last three segments only.
    let n = path.matches('/').count() + 1;
    let mut back = path.rsplit('/');
    let name = back.next().unwrap_or("");
    let parent = back.next().unwrap_or("");
    let grand = back.next();
    let shallow = n <= 4;
    let meta_dir = matches!(parent, "cron" | "va" | "vf" | "userdata" | "cp");
    let home_file = matches!(name, "authorized_keys" | "authorized_keys2") && parent == ".ssh"
        || name == ".forward" && n <= 4
        || matches!(name, "passwd" | "shadow") && grand == Some("etc") && n <= 6;
    let panel_file = matches!(name, "proftpdpasswd" | "crontab.conf" | "user.conf") && shallow
        || parent == "email" && matches!(name, "passwd" | "aliases")
        || name == "ftp.passwd";
    let meta = shallow && meta_dir && !kinds::is_server_code(path);
    (meta || home_file || panel_file).then_some(META_MAX)
}

/// A file of the backup: its normalised path and its name as the archive gives it.
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    pub path: &'a str,
    pub name: &'a str,
}

/// Where a full-account backup's parts are.
#[derive(Debug, Clone)]
pub struct Layout {
    pub panel: &'static str,
    /// The folder holding the backup's parts (`backup-…_jane/`, or "").
    pub base: String,
    /// The account's home directory in the archive.
    pub home: String,
    pub user: Option<String>,
}

/// Recognises a cPanel full backup or a DirectAdmin user backup.
pub fn layout(files: &[Named]) -> Option<Layout> {
    let mut bases: Vec<String> = Vec::new();
    for f in files {
        if let Some(i) = segment_at(f.path, "homedir/") {
            let base = f.path.get(..i).unwrap_or("");
            if base.matches('/').count() <= 2 && !bases.iter().any(|b| b == base) && bases.len() < 8
            {
                bases.push(base.to_owned());
            }
        }
    }
    let has = |prefix: &str| files.iter().any(|f| f.path.starts_with(prefix));
    for base in &bases {
        let parts = [
            "cp/",
            "cron/",
            "userdata/",
            "mysql/",
            "va/",
            "homedir_paths",
            "version",
        ];
        if parts.iter().any(|p| has(&format!("{base}{p}"))) {
            let user = cpanel_user(base, files);
            return Some(Layout {
                panel: "cPanel",
                base: base.clone(),
                home: format!("{base}homedir/"),
                user,
            });
        }
    }
    let da = files.iter().find_map(|f| {
        let base = f.path.strip_suffix("backup/user.conf")?;
        (base.is_empty() || base.ends_with('/')).then(|| base.to_owned())
    })?;
    Some(Layout {
        panel: "DirectAdmin",
        home: da.clone(),
        base: da,
        user: None,
    })
}

/// Where `seg` (ending in `/`) starts as a whole path segment.
fn segment_at(path: &str, seg: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = path.get(from..)?.find(seg) {
        let at = from + i;
        if at == 0 || path.as_bytes().get(at - 1) == Some(&b'/') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The account's user: the backup folder's `…_USER` suffix, else the file in `cp/`.
fn cpanel_user(base: &str, files: &[Named]) -> Option<String> {
    let folder = base.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    // A transfer archive: `cpmove-USER/`.
    if let Some(user) = folder.strip_prefix("cpmove-").filter(|u| !u.is_empty()) {
        return Some(user.to_owned());
    }
    if folder.starts_with("backup-") {
        if let Some((_, user)) = folder.rsplit_once('_') {
            if !user.is_empty() {
                return Some(user.to_owned());
            }
        }
    }
    let cp = format!("{base}cp/");
    files
        .iter()
        .find_map(|f| {
            f.path
                .strip_prefix(cp.as_str())
                .filter(|n| !n.contains('/'))
        })
        .map(str::to_owned)
}

/// What the account section produced.
#[derive(Debug, Default)]
pub struct AccountFacts {
    pub account: HostingAccount,
    /// Findings to attach to files (normalised path).
    pub findings: Vec<(String, Finding)>,
    /// The account's websites' roots in the archive (for "outside your website").
    pub site_roots: Vec<String>,
}

/// Reads the account's metadata files.
pub fn read(
    layout: &Layout,
    files: &[Named],
    captures: &HashMap<String, Vec<u8>>,
    db_users: &[(String, String)],
) -> AccountFacts {
    let mut out = AccountFacts {
        account: HostingAccount {
            panel: layout.panel.to_owned(),
            user: layout.user.clone(),
            home: layout.home.clone(),
            ..HostingAccount::default()
        },
        ..AccountFacts::default()
    };
    let name_of: HashMap<&str, &str> = files.iter().map(|f| (f.path, f.name)).collect();
    let mut kept: Vec<(&str, &[u8])> = captures
        .iter()
        .filter(|(p, _)| p.starts_with(layout.base.as_str()))
        .map(|(p, v)| (p.as_str(), v.as_slice()))
        .collect();
    kept.sort_unstable_by_key(|(p, _)| *p);
    for (path, text) in &kept {
        let shown = name_of.get(path).copied().unwrap_or(path);
        let rel = path.get(layout.base.len()..).unwrap_or("");
        read_one(layout, &mut out, path, shown, rel, text);
    }
    out.account.sites = sites(layout, files, &kept);
    out.site_roots = out
        .account
        .sites
        .iter()
        .filter(|s| !s.root.is_empty())
        .map(|s| s.root.clone())
        .collect();
    let domains: Vec<String> = out.account.sites.iter().map(|s| s.domain.clone()).collect();
    for f in &mut out.account.forwarders {
        judge_forwarder(f, &domains);
    }
    for fw in &out.account.forwarders {
        if fw.to.starts_with('|') {
            out.findings.push((fw.file.clone(), forwarder_finding(fw)));
        }
    }
    if let Some(u) = &layout.user {
        let file = format!("{}cp/{u}", layout.base);
        out.account
            .logins
            .insert(0, login("control panel", u, &file));
    }
    for (dump, user) in db_users.iter().take(MAX_ITEMS) {
        out.account.logins.push(login("database", user, dump));
    }
    out
}

fn login(kind: &str, name: &str, file: &str) -> HostingLogin {
    HostingLogin {
        kind: kind.to_owned(),
        name: name.chars().filter(|c| !c.is_control()).take(100).collect(),
        file: file.to_owned(),
    }
}

/// One kept metadata file, by where it sits.
fn read_one(
    layout: &Layout,
    out: &mut AccountFacts,
    path: &str,
    shown: &str,
    rel: &str,
    text: &[u8],
) {
    let segs: Vec<&str> = rel.split('/').collect();
    let a = &mut out.account;
    match segs.as_slice() {
        ["cron", _] | ["backup", "crontab.conf"] => {
            for job in cron::read(shown, text) {
                if !job.flags.is_empty() {
                    out.findings.push((path.to_owned(), cron_finding(&job)));
                }
                if a.cron.len() < MAX_ITEMS {
                    a.cron.push(job);
                }
            }
        }
        [.., ".ssh", "authorized_keys" | "authorized_keys2"]
            if path.starts_with(layout.home.as_str()) =>
        {
            for key in keys::read(shown, text) {
                if !key.flags.is_empty() {
                    out.findings.push((path.to_owned(), key_finding(&key)));
                }
                a.ssh_keys.push(key);
            }
        }
        ["va", domain] | ["backup", domain, "email", "aliases"] => {
            a.forwarders.extend(aliases(shown, domain, text));
        }
        ["vf", domain] => a.forwarders.extend(filters(shown, domain, text)),
        [.., ".forward"] => a.forwarders.extend(aliases_plain(shown, text)),
        ["homedir", "etc", domain, "passwd" | "shadow"] | ["backup", domain, "email", "passwd"] => {
            for name in first_fields(text) {
                let addr = format!("{name}@{domain}");
                if !a.logins.iter().any(|l| l.kind == "email" && l.name == addr) {
                    a.logins.push(login("email", &addr, shown));
                }
            }
        }
        ["backup", "user.conf"] => {
            let text = String::from_utf8_lossy(text);
            let user = text.lines().find_map(|l| l.strip_prefix("username="));
            if let Some(u) = user
                .map(str::trim)
                .filter(|u| !u.is_empty() && u.len() <= 64)
            {
                a.user = Some(u.to_owned());
                a.logins.insert(0, login("control panel", u, shown));
            }
        }
        ["proftpdpasswd"] | ["backup", _, "ftp.passwd"] => {
            for name in first_fields(text) {
                a.logins.push(login("FTP", name, shown));
            }
        }
        _ => {}
    }
    a.logins.truncate(MAX_ITEMS);
    a.forwarders.truncate(MAX_ITEMS);
}

/// The names before the first `:` (or `=`) of each line: `passwd`, `shadow`, `proftpdpasswd`.
fn first_fields(text: &[u8]) -> Vec<&str> {
    let text = std::str::from_utf8(text).unwrap_or("");
    text.lines()
        .take(MAX_ITEMS)
        .filter_map(|l| l.split([':', '=']).next())
        .map(str::trim)
        .filter(|n| !n.is_empty() && !n.starts_with('#') && n.len() <= 64)
        .collect()
}

/// cPanel's `va/<domain>` (and DirectAdmin's `aliases`): `from: to, to2`.
fn aliases(file: &str, domain: &str, text: &[u8]) -> Vec<Forwarder> {
    let text = String::from_utf8_lossy(text);
    let mut out = Vec::new();
    for line in text.lines().take(MAX_ITEMS * 4) {
        let Some((from, to)) = line.split_once(':') else {
            continue;
        };
        let (from, to) = (from.trim(), to.trim());
        // The catch-all's defaults: refuse, or keep it in the account.
        // `*: jane` delivers to the account's own mailbox.
        let local = !to.contains(['@', '|', '/']);
        if from.is_empty() || from.starts_with('#') || to.starts_with(':') || local {
            continue;
        }
        let from = if from == "*" || from.contains('@') {
            from.to_owned()
        } else {
            format!("{from}@{domain}")
        };
        out.push(forwarder(file, &from, to));
    }
    out
}

/// `~/.forward`: every line is a destination for the account's own mail.
fn aliases_plain(file: &str, text: &[u8]) -> Vec<Forwarder> {
    let text = String::from_utf8_lossy(text);
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .take(MAX_ITEMS)
        .map(|l| forwarder(file, "(account mail)", l))
        .collect()
}

/// cPanel's `vf/<domain>` mail filters: `deliver "addr"` and `pipe "program"` send mail out.
fn filters(file: &str, domain: &str, text: &[u8]) -> Vec<Forwarder> {
    let text = String::from_utf8_lossy(text);
    let mut out = Vec::new();
    for line in text.lines().take(MAX_ITEMS * 4) {
        let l = line.trim();
        let l = l.strip_prefix("unseen ").unwrap_or(l);
        let (prefix, what) = if let Some(r) = l.strip_prefix("deliver ") {
            ("", r)
        } else if let Some(r) = l.strip_prefix("pipe ") {
            ("|", r)
        } else {
            continue;
        };
        let to = format!("{prefix}{}", what.trim().trim_matches('"'));
        out.push(forwarder(file, &format!("(filter for {domain})"), &to));
    }
    out
}

fn forwarder(file: &str, from: &str, to: &str) -> Forwarder {
    Forwarder {
        file: file.to_owned(),
        from: from.chars().filter(|c| !c.is_control()).take(200).collect(),
        to: to.chars().filter(|c| !c.is_control()).take(300).collect(),
        flags: Vec::new(),
    }
}

/// Why a forwarder stands out: mail handed to a program, or sent outside the account's domains.
fn judge_forwarder(f: &mut Forwarder, domains: &[String]) {
    if f.to.starts_with('|') {
        f.flags
            .push("it hands your mail to a program, which intruders use to run code".into());
        return;
    }
    let outside: Vec<&str> =
        f.to.split(',')
            .map(str::trim)
            .filter(|t| t.contains('@'))
            .filter(|t| {
                let d = t.rsplit('@').next().unwrap_or("").to_ascii_lowercase();
                !domains.iter().any(|own| d == own.to_ascii_lowercase())
            })
            .collect();
    if !outside.is_empty() && !domains.is_empty() {
        f.flags.push(crate::en!(
            "it sends copies of your mail to {0}, outside your own domains",
            outside.join(", ")
        ));
    }
}

/// The account's websites: cPanel's `userdata/` (main, addon, sub and parked domains with
/// their document roots), DirectAdmin's `domains/<domain>/public_html/`.
fn sites(layout: &Layout, files: &[Named], kept: &[(&str, &[u8])]) -> Vec<HostedSite> {
    let userdata = format!("{}userdata/", layout.base);
    let main = kept
        .iter()
        .find(|(p, _)| p.strip_prefix(userdata.as_str()) == Some("main"))
        .map(|(_, t)| String::from_utf8_lossy(t).into_owned())
        .unwrap_or_default();
    let kinds = domain_kinds(&main);
    let mut out: Vec<HostedSite> = Vec::new();
    for (p, text) in kept {
        let Some(name) = p.strip_prefix(userdata.as_str()) else {
            continue;
        };
        if name == "main" || name == "cache" || name.ends_with("_SSL") || name.ends_with(".cache") {
            continue;
        }
        let text = String::from_utf8_lossy(text);
        let field = |k: &str| {
            text.lines()
                .find_map(|l| l.trim().strip_prefix(k))
                .map(|v| v.trim().trim_matches(['"', '\'']).to_owned())
        };
        let domain = field("servername:").unwrap_or_else(|| name.to_owned());
        let root = field("documentroot:")
            .and_then(|d| server_to_archive(&d, layout))
            .unwrap_or_default();
        let kind = kinds
            .iter()
            .find(|(d, _)| *d == domain)
            .map_or("subdomain", |(_, k)| *k);
        if out.len() < MAX_ITEMS && !out.iter().any(|s| s.domain == domain) {
            out.push(HostedSite {
                domain,
                kind: kind.to_owned(),
                root,
            });
        }
    }
    // Parked domains show the main domain's site; addon domains are listed by their own file.
    for (d, k) in &kinds {
        if !out.iter().any(|s| &s.domain == d) && *k != "subdomain" {
            let root = out
                .iter()
                .find(|s| s.kind == "main domain")
                .map(|s| s.root.clone())
                .unwrap_or_default();
            out.push(HostedSite {
                domain: d.clone(),
                kind: (*k).to_owned(),
                root,
            });
        }
    }
    if layout.panel == "DirectAdmin" {
        let domains = format!("{}domains/", layout.base);
        for f in files {
            let Some(rest) = f.path.strip_prefix(domains.as_str()) else {
                continue;
            };
            let Some((d, tail)) = rest.split_once('/') else {
                continue;
            };
            if tail.starts_with("public_html/")
                && !out.iter().any(|s| s.domain == d)
                && out.len() < MAX_ITEMS
            {
                out.push(HostedSite {
                    domain: d.to_owned(),
                    kind: "domain".into(),
                    root: format!("{domains}{d}/public_html/"),
                });
            }
        }
    }
    if out.is_empty()
        && files
            .iter()
            .any(|f| f.path.starts_with(&format!("{}public_html/", layout.home)))
    {
        out.push(HostedSite {
            domain: String::new(),
            kind: "main domain".into(),
            root: format!("{}public_html/", layout.home),
        });
    }
    out.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.domain.cmp(&b.domain)));
    out
}

/// `userdata/main`: which domain is the main one, the addon, parked and sub domains.
fn domain_kinds(main: &str) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    let mut section = "";
    for line in main.lines().take(10_000) {
        let t = line.trim();
        if let Some(d) = t.strip_prefix("main_domain:") {
            out.push((d.trim().to_owned(), "main domain"));
            section = "";
            continue;
        }
        if !line.starts_with(' ') && !line.starts_with('-') {
            section = match t.trim_end_matches(':').split(':').next().unwrap_or("") {
                "addon_domains" => "addon domain",
                "parked_domains" => "parked domain",
                "sub_domains" => "subdomain",
                _ => "",
            };
            continue;
        }
        if section.is_empty() {
            continue;
        }
        let d = t
            .trim_start_matches('-')
            .split(':')
            .next()
            .unwrap_or("")
            .trim();
        if !d.is_empty() && out.len() < MAX_ITEMS {
            out.push((d.to_owned(), section));
        }
    }
    out
}

/// `/home/jane/public_html/shop` → `<home in the archive>public_html/shop/`.
fn server_to_archive(dir: &str, layout: &Layout) -> Option<String> {
    let rest = dir.strip_prefix('/')?;
    let mut segs = rest.split('/');
    let top = segs.next()?;
    let user = segs.next()?;
    if !top.starts_with("home") || layout.user.as_deref().is_some_and(|u| u != user) {
        return None;
    }
    let tail: Vec<&str> = segs.filter(|s| !s.is_empty() && *s != "..").collect();
    let mut root = layout.home.clone();
    for s in tail {
        root.push_str(s);
        root.push('/');
    }
    Some(root)
}

/// Whether code at `path` sits outside every website of the account; `Some(true)` when it is
/// in a folder where no program belongs (temporary, hidden, mail).
pub fn outside_site(path: &str, layout: &Layout, site_roots: &[String]) -> Option<bool> {
    let rel = path.strip_prefix(layout.home.as_str())?;
    if site_roots.iter().any(|r| path.starts_with(r.as_str())) || rel.starts_with("public_html/") {
        return None;
    }
    let tools = [
        ".cpanel/",
        ".cagefs/",
        ".softaculous/",
        ".composer/",
        ".wp-cli/",
        ".npm/",
        ".cache/composer/",
        ".trash/",
        ".nvm/",
        ".rvm/",
        ".local/lib/",
    ];
    if tools.iter().any(|t| rel.starts_with(t)) {
        return Some(false);
    }
    let code = kinds::is_server_code(path)
        || matches!(
            paths::extension(path).as_str(),
            "sh" | "pl" | "py" | "cgi" | "elf" | "so"
        );
    let odd = rel.starts_with("tmp/")
        || rel.starts_with("mail/")
        || rel.starts_with("etc/")
        || rel.split('/').rev().skip(1).any(|s| s.starts_with('.'));
    Some(code && odd)
}

/// Links that leave the account or the backup toward the system or other accounts.
pub fn escaping_link(link: &LinkEntry, layout: Option<&Layout>) -> Option<Finding> {
    let t = link.target.trim();
    if !t.starts_with('/') {
        // Relative: does it climb above the archive's top?
        let depth = link.path.matches('/').count() as i64;
        let mut level = depth;
        for s in t.split('/') {
            match s {
                ".." => level -= 1,
                "" | "." => {}
                _ => level += 1,
            }
            if level < 0 {
                return Some(link_finding(link, "a place outside this backup"));
            }
        }
        return None;
    }
    let norm = t.trim_end_matches('/');
    let sensitive = norm.is_empty()
        || [
            "/etc",
            "/root",
            "/proc",
            "/var/lib/mysql",
            "/var/cpanel",
            "/usr/local/cpanel",
            "/usr/local/directadmin",
            "/var/log",
            "/boot",
        ]
        .iter()
        .any(|p| norm == *p || norm.starts_with(&format!("{p}/")));
    let other_home = {
        let mut segs = norm.trim_start_matches('/').split('/');
        let top = segs.next().unwrap_or("");
        let owner = segs.next();
        top.starts_with("home")
            && match (owner, layout.and_then(|l| l.user.as_deref())) {
                (Some(o), Some(u)) => o != u,
                (None, _) => true,
                (Some(_), None) => false,
            }
    };
    if sensitive {
        Some(link_finding(link, "the server's own system files"))
    } else if other_home {
        Some(link_finding(link, "another account's home directory"))
    } else {
        None
    }
}

fn link_finding(link: &LinkEntry, where_: &str) -> Finding {
    let mut f = Finding::fact(
        "symlink-out-of-account",
        Severity::Malicious,
        "A shortcut that reaches outside your account",
        crate::en!("This is a symbolic link (a shortcut) to \"{0}\", {1}. Intruders on shared hosting plant such links to read other sites' passwords and the server's files through your website; nothing you installed needs one. Delete it.", link.target, where_),
        None,
        detect::excerpt(format!("{} -> {}", link.name, link.target).as_bytes(), 0, 0),
    );
    f.action = Action::Delete;
    f
}

fn cron_finding(job: &crate::engine::report::CronJob) -> Finding {
    Finding::fact(
        "cron-intruder-task",
        Severity::Malicious,
        "A scheduled task that does what intruders' tasks do",
        crate::en!("This task runs {0} and {1}. Intruders add tasks like this so that their code comes back after every clean-up. Delete the line (cPanel → Cron Jobs), then look for what it runs.", job.when, job.flags.join(", and ")),
        Some(job.line),
        detect::excerpt(job.command.as_bytes(), 0, 0),
    )
}

fn key_finding(key: &crate::engine::report::SshKey) -> Finding {
    Finding::fact(
        "ssh-key-odd",
        Severity::Suspicious,
        "An SSH key that stands out",
        crate::en!("The key {0} ({1}) may log in to your hosting account without a password, and {2}. Unless you know exactly whose it is, remove it (cPanel → SSH Access → Manage SSH Keys).", key.fingerprint, key.comment, key.flags.join(", and ")),
        Some(key.line),
        detect::excerpt(format!("{} {}", key.key_type, key.comment).as_bytes(), 0, 0),
    )
}

fn forwarder_finding(f: &Forwarder) -> Finding {
    Finding::fact(
        "mail-pipe-to-program",
        Severity::Suspicious,
        "Mail handed to a program",
        crate::en!("Mail for {0} is handed to the program {1}. Intruders use this to run their code whenever an email arrives; unless you set it up, delete the forwarder (cPanel → Forwarders).", f.from, f.to),
        None,
        detect::excerpt(format!("{}: {}", f.from, f.to).as_bytes(), 0, 0),
    )
}

/// What the account's items mean once every file is judged and the break-in dated: cron
/// lines running a flagged file ([`runs_flagged`]), keys and forwarders changed during the
/// break-in ([`during_break_in`]).
pub fn judge_with_files(
    account: &mut HostingAccount,
    files: &mut [crate::engine::report::FileReport],
    timeline: &crate::engine::report::Timeline,
) {
    runs_flagged(account, files);
    during_break_in(account, files, timeline);
}

/// Keys and forwarders whose file was changed during the break-in: an intruder's way back in.
/// Runs once the timeline is known (it comes from the other findings, so this cannot feed it).
pub fn during_break_in(
    account: &mut HostingAccount,
    files: &mut [crate::engine::report::FileReport],
    timeline: &crate::engine::report::Timeline,
) {
    use crate::engine::facts::timeline::parse_iso;
    let (Some(start), Some(end)) = (
        timeline.start.as_deref().and_then(parse_iso),
        timeline.end.as_deref().and_then(parse_iso),
    ) else {
        return;
    };
    let slack = 2 * crate::engine::read::time::DAY;
    // Only the files that hold keys or forwarders are judged here, not every file's date.
    let named: std::collections::HashSet<&str> = account
        .ssh_keys
        .iter()
        .map(|k| k.file.as_str())
        .chain(account.forwarders.iter().map(|w| w.file.as_str()))
        .collect();
    let hits: Vec<usize> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| named.contains(f.path.as_str()))
        .map(|(i, _)| i)
        .collect();
    for i in hits {
        let Some(f) = files.get_mut(i) else {
            continue;
        };
        let Some(t) = f.mtime.as_deref().and_then(parse_iso) else {
            continue;
        };
        if t < start - slack || t > end + slack {
            continue;
        }
        let day = f
            .mtime
            .as_deref()
            .and_then(|m| m.get(..10))
            .unwrap_or("")
            .to_owned();
        let flag = crate::en!("its file was changed on {0}, during the break-in", day);
        let keys: Vec<&mut crate::engine::report::SshKey> = account
            .ssh_keys
            .iter_mut()
            .filter(|k| k.file == f.path)
            .collect();
        if !keys.is_empty() {
            let n = keys.len();
            let labels: Vec<String> = keys
                .iter()
                .map(|k| format!("{} {}", k.key_type, k.comment))
                .collect();
            for k in keys {
                k.flags.push(flag.clone());
                k.verdict = crate::engine::report::Verdict::Malicious;
            }
            f.findings.insert(0, Finding::fact(
                "ssh-key-during-break-in",
                Severity::Malicious,
                "SSH keys changed during the break-in",
                crate::en!("This list of keys that may log in without a password ({0} key(s)) was changed on {1}, while the intruder was active. At least one key is probably theirs: remove every key you cannot name (cPanel → SSH Access → Manage SSH Keys).", n, day),
                None,
                detect::excerpt(labels.join("; ").as_bytes(), 0, 0),
            ));
            f.verdict = crate::engine::report::Verdict::Malicious;
        }
        let mut forwarded = Vec::new();
        for fw in account
            .forwarders
            .iter_mut()
            .filter(|w| w.file == f.path && !w.to.starts_with('|'))
        {
            fw.flags.push(flag.clone());
            forwarded.push(format!("{} -> {}", fw.from, fw.to));
        }
        if !forwarded.is_empty() {
            f.findings.push(Finding::fact(
                "mail-forwarder-during-break-in",
                Severity::Suspicious,
                "Mail forwarders changed during the break-in",
                crate::en!("The forwarders in this file were changed on {0}, while the intruder was active. A forwarder lets them read your mail, including password-reset messages; delete every one you did not set up (cPanel → Forwarders).", day),
                None,
                detect::excerpt(forwarded.join("; ").as_bytes(), 0, 0),
            ));
            f.verdict = f.verdict.max(crate::engine::report::Verdict::Suspicious);
        }
    }
}

/// Cron lines that run a file this scan flagged: the task is the intruder's way of keeping it
/// running, whatever the line looks like.
pub fn runs_flagged(account: &mut HostingAccount, files: &mut [crate::engine::report::FileReport]) {
    use crate::engine::report::Verdict;
    let home_on_server = match &account.user {
        Some(u) => format!("/home/{u}/"),
        None => return,
    };
    let flagged: std::collections::HashSet<&str> = files
        .iter()
        .filter(|f| f.verdict == Verdict::Malicious && f.path.starts_with(account.home.as_str()))
        .map(|f| f.path.as_str())
        .collect();
    let mut hits: Vec<(String, u32, String, String, String)> = Vec::new();
    for job in account
        .cron
        .iter_mut()
        .filter(|j| j.verdict == Verdict::Clean)
    {
        for word in job.command.split_whitespace() {
            let word = word.trim_matches(['"', '\'', ';']);
            let Some(rel) = word
                .strip_prefix(home_on_server.as_str())
                .or_else(|| word.strip_prefix("~/"))
            else {
                continue;
            };
            let path = format!("{}{rel}", account.home);
            if flagged.contains(path.as_str()) {
                job.flags.push(crate::en!(
                    "it runs {0}, a file this check found malicious",
                    word
                ));
                job.verdict = Verdict::Malicious;
                hits.push((
                    job.file.clone(),
                    job.line,
                    job.when.clone(),
                    word.to_owned(),
                    job.command.clone(),
                ));
                break;
            }
        }
    }
    for (file, line, when, program, command) in hits {
        if let Some(f) = files.iter_mut().find(|f| f.path == file) {
            f.findings.push(Finding::fact(
                "cron-intruder-task",
                Severity::Malicious,
                "A scheduled task that does what intruders' tasks do",
                crate::en!("This task runs {0} the file {1}, which this check found malicious. Intruders add tasks like this so that their code keeps running after every clean-up. Delete the line (cPanel → Cron Jobs) and the file.", when, program),
                Some(line),
                detect::excerpt(command.as_bytes(), 0, 0),
            ));
            f.verdict = Verdict::Malicious;
        }
    }
}
