//! Several backups of one site, compared: the decision both cleanup guides turn on —
//! *restore from a backup made before the attack* — made for the owner.
//!
//! It reads only finished reports (the page keeps them; the command line has them), which is
//! why it sits with the presenters and not in the scan: nothing is rescanned and no archive
//! is held. A report lists every file that is not an untouched release file, with its hash,
//! so two reports say what appeared, changed and disappeared in between; a release file
//! absent from one list was identical to the release there.
//!
//! Order comes from when each backup was made: its name when it carries a date (cPanel's
//! `backup-M.D.YYYY_HH-MM-SS_user`, plugins' `2026-06-01-0312`, `20260601`), else its newest
//! unflagged file. The first backup that holds malicious files dates the break-in to the
//! interval since the one before it, whatever the files' own dates say; the newest backup
//! before it is the one to restore.

use std::collections::{HashMap, HashSet};

use crate::engine::report::series::{
    BackupEntry, BackupResult, Change, ChangeTotals, Comparison, MadeFrom, RestoreFrom,
    SeriesBreakIn,
};
use crate::engine::report::{Confidence, Report, SiteVerdict, Status, Verdict};

/// The newest readable backup of the site (the first one's), by the comparison's order: the
/// one to show first, as it is the site as it is now.
pub fn newest(backups: &[Backup]) -> Option<usize> {
    order_of(backups)
        .iter()
        .rev()
        .find(|e| e.verdict.is_some() && !e.other_site)
        .map(|e| e.given)
}

/// One backup as the comparison reads it: its report, or why it could not be read.
#[derive(Debug, Clone, Copy)]
pub enum Backup<'a> {
    Scanned(&'a Report),
    Failed { archive: &'a str, message: &'a str },
}

impl<'a> Backup<'a> {
    fn archive(&self) -> &'a str {
        match self {
            Backup::Scanned(r) => &r.archive.name,
            Backup::Failed { archive, .. } => archive,
        }
    }

    fn report(&self) -> Option<&'a Report> {
        match self {
            Backup::Scanned(r) => Some(r),
            Backup::Failed { .. } => None,
        }
    }
}

impl<'a> From<&'a BackupResult> for Backup<'a> {
    fn from(b: &'a BackupResult) -> Self {
        match b {
            BackupResult::Scanned(r) => Backup::Scanned(r),
            BackupResult::Failed(f) => Backup::Failed {
                archive: &f.archive,
                message: &f.error.message,
            },
        }
    }
}

/// Compares the backups (in the order given; they are sorted by date here).
pub fn compare(backups: &[BackupResult]) -> Comparison {
    let refs: Vec<Backup> = backups.iter().map(Backup::from).collect();
    compare_refs(&refs)
}

/// [`compare`] over borrowed reports (the page keeps its reports behind `Rc`s).
pub fn compare_refs(backups: &[Backup]) -> Comparison {
    let order = order_of(backups);
    let compared: Vec<(&BackupEntry, &Report)> = order
        .iter()
        .filter(|e| !e.other_site && e.same_as.is_none())
        .filter_map(|e| Some((e, backups.get(e.given)?.report()?)))
        .collect();
    let changes: Vec<Change> = compared
        .windows(2)
        .filter_map(|w| match w {
            [(_, a), (_, b)] => Some(diff(a, b)),
            _ => None,
        })
        .collect();
    let first_bad = compared
        .iter()
        .position(|(_, r)| r.verdict == SiteVerdict::Compromised);
    let break_in =
        first_bad.and_then(|k| series_break_in(&compared, k, changes.get(k.wrapping_sub(1))));
    let mut c = Comparison {
        notes: notes(&order),
        order: order.clone(),
        changes,
        break_in,
        ..Comparison::default()
    };
    recommend(&mut c, &compared, first_bad);
    c
}

/// Every backup with its date, duplicates and other sites marked, oldest first (unreadable
/// and undated ones last): the comparison's order, without comparing any files.
fn order_of(backups: &[Backup]) -> Vec<BackupEntry> {
    let mut order: Vec<BackupEntry> = backups
        .iter()
        .enumerate()
        .map(|(i, b)| entry(i, b))
        .collect();
    mark_duplicates_and_other_sites(&mut order, backups);
    order.sort_by(|a, b| {
        let key = |e: &BackupEntry| {
            (
                e.verdict.is_none(),
                e.made.is_none(),
                e.made.clone(),
                e.given,
            )
        };
        key(a).cmp(&key(b))
    });
    order
}

fn entry(given: usize, b: &Backup) -> BackupEntry {
    let (made, made_from) = match made_from_name(b.archive()) {
        Some(m) => (Some(m), MadeFrom::Name),
        None => match b.report().and_then(|r| r.archive.newest_file.clone()) {
            Some(m) => (Some(m), MadeFrom::NewestFile),
            None => (None, MadeFrom::Unknown),
        },
    };
    BackupEntry {
        archive: b.archive().to_owned(),
        given,
        made,
        made_from,
        verdict: b.report().map(|r| r.verdict),
        error: match b {
            Backup::Failed { message, .. } => Some((*message).to_owned()),
            Backup::Scanned(_) => None,
        },
        same_as: None,
        other_site: false,
    }
}

/// The same backup given twice is compared once; a backup of another site than the first
/// one given is not compared at all.
fn mark_duplicates_and_other_sites(order: &mut [BackupEntry], backups: &[Backup]) {
    let reports: Vec<Option<&Report>> = backups.iter().map(Backup::report).collect();
    let first = reports.iter().flatten().next().copied();
    for i in 0..order.len() {
        let Some(r) = reports.get(i).copied().flatten() else {
            continue;
        };
        let dup = (0..i).find(|&j| {
            reports
                .get(j)
                .copied()
                .flatten()
                .is_some_and(|o| same_content(o, r))
        });
        let other = first.is_some_and(|f| !same_site(f, r));
        let name = dup.and_then(|j| order.get(j)).map(|e| e.archive.clone());
        if let Some(e) = order.get_mut(i) {
            e.same_as = name;
            e.other_site = other;
        }
    }
}

/// Every file's key (its path without a wrapping top folder) → hash, status and verdict.
fn files_of(r: &Report) -> HashMap<&str, (&str, Status, Verdict)> {
    let wrapper = wrapper(r);
    r.files
        .iter()
        .map(|f| {
            (
                key_of(&f.path, wrapper),
                (f.sha256.as_str(), f.status, f.verdict),
            )
        })
        .collect()
}

fn key_of<'p>(path: &'p str, wrapper: &str) -> &'p str {
    path.get(wrapper.len()..).unwrap_or(path)
}

/// The one top folder every file sits in (`backup-6.1.2026_03-12-00_user/`, `mysite/`), which
/// differs between backups of the same site, or "".
fn wrapper(r: &Report) -> &str {
    let mut top: Option<&str> = None;
    for f in &r.files {
        let Some((first, _)) = f.path.split_once('/') else {
            return "";
        };
        match top {
            None => top = Some(first),
            Some(t) if t != first => return "",
            Some(_) => {}
        }
    }
    top.and_then(|t| r.files.first().and_then(|f| f.path.get(..t.len() + 1)))
        .unwrap_or("")
}

fn same_content(a: &Report, b: &Report) -> bool {
    if a.summary.files != b.summary.files || a.files.len() != b.files.len() {
        return false;
    }
    let versions = |r: &Report| -> Vec<(String, Option<String>)> {
        r.cms
            .iter()
            .map(|c| (c.root.clone(), c.version.clone()))
            .collect()
    };
    versions(a) == versions(b) && files_of(a) == files_of(b)
}

/// Whether two reports are of the same site: the same hosting user, an install of the same
/// CMS at the same place, and (for sites with files of their own) a fifth of them shared.
fn same_site(a: &Report, b: &Report) -> bool {
    let user = |r: &Report| r.account.as_ref().and_then(|h| h.user.clone());
    if let (Some(x), Some(y)) = (user(a), user(b)) {
        if x != y {
            return false;
        }
    }
    let installs = |r: &Report| -> HashSet<(crate::engine::report::Cms, String)> {
        let w = wrapper(r).len();
        r.cms
            .iter()
            .filter(|c| c.vendored_in.is_none())
            .map(|c| (c.name, c.root.get(w..).unwrap_or(&c.root).to_owned()))
            .collect()
    };
    let (ia, ib) = (installs(a), installs(b));
    if !ia.is_empty() && !ib.is_empty() && ia.is_disjoint(&ib) {
        return false;
    }
    if ia.is_empty() != ib.is_empty() {
        return false;
    }
    let present = |r: &Report| -> HashSet<String> {
        files_of(r)
            .into_iter()
            .filter(|(_, (_, s, _))| *s != Status::Missing)
            .map(|(k, _)| k.to_owned())
            .collect()
    };
    let (pa, pb) = (present(a), present(b));
    let small = pa.len().min(pb.len());
    small < 10 || pa.intersection(&pb).count() * 5 >= small
}

/// What differs from `a` (older) to `b` (newer).
fn diff(a: &Report, b: &Report) -> Change {
    let (fa, fb) = (files_of(a), files_of(b));
    // Shown as the newer backup names them (the older one for what disappeared).
    let (wa, wb) = (wrapper(a), wrapper(b));
    let in_b = |k: &str| format!("{wb}{k}");
    let in_a = |k: &str| format!("{wa}{k}");
    let mut c = Change {
        from: a.archive.name.clone(),
        to: b.archive.name.clone(),
        ..Change::default()
    };
    let mut added = Vec::new();
    let mut changed = Vec::new();
    let mut removed = Vec::new();
    let release_file = |s: Status| matches!(s, Status::Modified | Status::WhitespaceOnly);
    for (k, (sha, status, verdict)) in &fb {
        let before = fa.get(k);
        let what = match (before, status) {
            (Some((_, Status::Missing, _)), Status::Missing) => None,
            (_, Status::Missing) => Some(&mut removed),
            (Some((_, Status::Missing, _)), _) => Some(&mut added),
            (Some((s, _, _)), _) if s != sha => Some(&mut changed),
            (Some(_), _) => None,
            (None, s) if release_file(*s) => Some(&mut changed),
            (None, Status::Leftover) => None,
            (None, _) => Some(&mut added),
        };
        let was_bad = before.is_some_and(|(s, _, v)| s == sha && *v == Verdict::Malicious);
        if *verdict == Verdict::Malicious && !was_bad && *status != Status::Missing {
            c.intruder_added.push(in_b(k));
        }
        if let Some(list) = what {
            list.push(in_b(k));
        }
    }
    for (k, (_, status, verdict)) in &fa {
        if fb.contains_key(k) {
            continue;
        }
        match status {
            Status::Missing => added.push(in_b(k)),
            s if release_file(*s) => changed.push(in_b(k)),
            _ => removed.push(in_a(k)),
        }
        if *verdict == Verdict::Malicious {
            c.intruder_removed.push(in_a(k));
        }
    }
    for (k, (sha, _, verdict)) in &fa {
        // Still listed in the newer backup, but not as the same malicious file: cleaned,
        // replaced, or missing from a release folder.
        let cleaned = fb
            .get(k)
            .is_some_and(|(s, _, v)| s != sha || *v != Verdict::Malicious);
        if *verdict == Verdict::Malicious && cleaned {
            c.intruder_removed.push(in_a(k));
        }
    }
    c.totals = ChangeTotals {
        added: added.len() as u64,
        changed: changed.len() as u64,
        removed: removed.len() as u64,
    };
    for list in [
        &mut added,
        &mut changed,
        &mut removed,
        &mut c.intruder_added,
        &mut c.intruder_removed,
    ] {
        list.sort();
        list.truncate(Change::MAX_LISTED);
    }
    (c.added, c.changed, c.removed) = (added, changed, removed);
    let (na, nb) = (named_things(a), named_things(b));
    (c.admins_added, c.admins_removed) = set_diff(&na.admins, &nb.admins);
    (c.cron_added, c.cron_removed) = set_diff(&na.cron, &nb.cron);
    (c.keys_added, c.keys_removed) = set_diff(&na.keys, &nb.keys);
    c.notes = version_notes(a, b);
    c
}

/// Administrators, scheduled tasks and SSH keys of a report, by name.
struct Named {
    admins: Vec<String>,
    cron: Vec<String>,
    keys: Vec<String>,
}

fn named_things(r: &Report) -> Named {
    let mut admins: Vec<String> = r
        .accounts
        .iter()
        .filter(|a| !a.disabled)
        .map(|a| a.login.clone())
        .collect();
    let (mut cron, mut keys) = match &r.account {
        Some(h) => (
            h.cron.iter().map(|c| c.command.clone()).collect(),
            h.ssh_keys.iter().map(|k| k.fingerprint.clone()).collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    for v in [&mut admins, &mut cron, &mut keys] {
        v.sort();
        v.dedup();
    }
    Named { admins, cron, keys }
}

/// (in `b` only, in `a` only), both sorted.
fn set_diff(a: &[String], b: &[String]) -> (Vec<String>, Vec<String>) {
    let (sa, sb): (HashSet<&String>, HashSet<&String>) = (a.iter().collect(), b.iter().collect());
    let mut added: Vec<String> = b.iter().filter(|x| !sa.contains(x)).cloned().collect();
    let mut removed: Vec<String> = a.iter().filter(|x| !sb.contains(x)).cloned().collect();
    added.truncate(Change::MAX_LISTED);
    removed.truncate(Change::MAX_LISTED);
    (added, removed)
}

/// "WordPress was updated from 6.4.2 to 6.5.3".
fn version_notes(a: &Report, b: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for cb in &b.cms {
        let Some(ca) = a.cms.iter().find(|c| c.name == cb.name) else {
            continue;
        };
        if let (Some(va), Some(vb)) = (&ca.version, &cb.version) {
            if va != vb {
                out.push(crate::en!(
                    "{0} went from version {1} to {2}.",
                    cb.name.display_name(),
                    va,
                    vb
                ));
            }
        }
    }
    out
}

fn day(t: &str) -> &str {
    t.get(..10).unwrap_or(t)
}

/// When the first infected backup (`k` in the compared list) says the intruder came, within
/// the interval since the backup before it.
fn series_break_in(
    compared: &[(&BackupEntry, &Report)],
    k: usize,
    change: Option<&Change>,
) -> Option<SeriesBreakIn> {
    let (by, report) = compared.get(k)?;
    let own = report.timeline.break_in.as_ref();
    let own_began = own
        .map(|b| b.began.clone())
        .or_else(|| report.timeline.start.clone());
    let by_made = by.made.clone();
    let Some((after, _)) = k.checked_sub(1).and_then(|j| compared.get(j)) else {
        let why = match &by_made {
            Some(m) => crate::en!("Every backup here already holds the intruder's files: the break-in is older than the oldest one, {0} (made {1}).", by.archive, day(m)),
            None => crate::en!("Every backup here already holds the intruder's files: the break-in is older than the oldest one, {0}.", by.archive),
        };
        return Some(SeriesBreakIn {
            after: None,
            after_made: None,
            by: by.archive.clone(),
            by_made,
            began: own_began,
            why,
            detail: None,
        });
    };
    let after_made = after.made.clone();
    let first_file = change
        .and_then(|c| c.intruder_added.first())
        .cloned()
        .unwrap_or_default();
    let interval = match (&after_made, &by_made) {
        (Some(a), Some(b)) => crate::en!(
            "{0} is in {1} (made {2}) and not in {3} (made {4}): it was planted between those dates, whatever its own date says.",
            first_file,
            by.archive,
            day(b),
            after.archive,
            day(a)
        ),
        _ => crate::en!(
            "{0} is in {1} and not in {2}: it was planted in between.",
            first_file,
            by.archive,
            after.archive
        ),
    };
    // The first infected backup's own evidence, clamped to the interval.
    let (began, detail) = match (own_began, &after_made) {
        (Some(b), Some(a)) if b.as_str() < a.as_str() => (
            Some(a.clone()),
            Some(crate::en!("Its own date, {0}, is older than {1}, which does not hold it: that date was forged.", day(&b), after.archive)),
        ),
        (Some(b), _) if by_made.as_deref().is_some_and(|m| day(&b) > day(m)) => (by_made.clone(), None),
        (Some(b), _) => {
            let sure = own.is_some_and(|x| x.confidence == Confidence::Sure);
            let text = if sure {
                crate::en!("The evidence inside {0} puts it on {1}, within that interval.", by.archive, day(&b))
            } else {
                crate::en!("The files' dates inside {0} say {1}, within that interval.", by.archive, day(&b))
            };
            (Some(b), Some(text))
        }
        (None, _) => (after_made.clone(), None),
    };
    Some(SeriesBreakIn {
        after: Some(after.archive.clone()),
        after_made,
        by: by.archive.clone(),
        by_made,
        began,
        why: interval,
        detail,
    })
}

/// Which backup to restore, in plain words, and the steps when none is clean.
fn recommend(c: &mut Comparison, compared: &[(&BackupEntry, &Report)], first_bad: Option<usize>) {
    let made = |e: &BackupEntry| e.made.as_deref().map(day).unwrap_or("").to_owned();
    let pick = |e: &BackupEntry, why: String, caution: Option<String>| RestoreFrom {
        archive: e.archive.clone(),
        made: e.made.clone(),
        why,
        caution,
    };
    match first_bad {
        Some(0) => {
            let cms = compared
                .first()
                .and_then(|(_, r)| r.cms.iter().find(|i| i.vendored_in.is_none()))
                .map(|i| i.name.display_name())
                .unwrap_or("the site's software");
            c.recommendation = crate::en!("None of these backups is clean: each holds the intruder's files. Do not restore any of them; reinstall {0} clean and carry your data over.", cms);
            c.steps = vec![
                crate::en!("Download a fresh copy of {0}, and of each plugin and theme you use, from their official sites.", cms),
                "Copy over only your own content: uploaded images and documents (never a .php file from the uploads folder) and the database once its administrators are checked.".to_owned(),
                "Set new passwords and keys everywhere (see the checklist).".to_owned(),
                "Scan a backup of the result with this tool before you put it online.".to_owned(),
            ];
        }
        Some(k) => {
            let Some((e, r)) = k.checked_sub(1).and_then(|j| compared.get(j)) else {
                return;
            };
            let why = if made(e).is_empty() {
                "It is the newest backup without the intruder's files.".to_owned()
            } else {
                crate::en!(
                    "It is the newest backup without the intruder's files (made {0}).",
                    made(e)
                )
            };
            let caution = (r.verdict == SiteVerdict::Suspicious)
                .then(|| "It still has files that need a look first: see its report.".to_owned());
            c.recommendation = match &e.made {
                Some(m) => crate::en!(
                    "Restore {0} (made {1}): it is the newest backup without the intruder's files.",
                    e.archive,
                    day(m)
                ),
                None => crate::en!(
                    "Restore {0}: it is the newest backup without the intruder's files.",
                    e.archive
                ),
            };
            c.restore_from = Some(pick(e, why, caution));
        }
        None => {
            let newest = compared.last();
            c.recommendation = match newest {
                Some((e, r)) if r.verdict == SiteVerdict::Suspicious => crate::en!("None of these backups holds files known to be malicious. The newest, {0}, has files that need a look: see its report.", e.archive),
                Some(_) => "None of these backups shows the intruder's files.".to_owned(),
                None => "No backup could be compared.".to_owned(),
            };
        }
    }
}

/// What is said about the series as a whole.
fn notes(order: &[BackupEntry]) -> Vec<String> {
    let mut out = Vec::new();
    for e in order {
        if let Some(err) = &e.error {
            out.push(crate::en!(
                "{0} could not be read ({1}); the others were compared without it.",
                e.archive,
                err
            ));
        } else if let Some(d) = &e.same_as {
            out.push(crate::en!(
                "{0} holds exactly the same files as {1}: it was compared once.",
                e.archive,
                d
            ));
        } else if e.other_site {
            out.push(crate::en!("{0} is a backup of a different site: it has its own report below and is not compared with the others.", e.archive));
        } else if e.made.is_none() {
            out.push(crate::en!(
                "Nothing in {0} says when it was made: it is placed last.",
                e.archive
            ));
        }
    }
    out
}

/// When a backup was made, from its file name: cPanel's `backup-M.D.YYYY_HH-MM-SS_user`,
/// `YYYY-MM-DD[-_T]HH[-:]MM[[-:]SS]`, `YYYYMMDD[-_]HHMM[SS]`. A full time gives
/// `YYYY-MM-DDTHH:MM:SSZ`, a day alone `YYYY-MM-DD`.
pub fn made_from_name(name: &str) -> Option<String> {
    let b = name.as_bytes();
    if let Some(i) = name.to_ascii_lowercase().find("backup-") {
        if let Some(t) = cpanel_date(b.get(i + 7..)?) {
            return Some(t);
        }
    }
    (0..b.len())
        .filter(|&i| b.get(i).is_some_and(u8::is_ascii_digit))
        .filter(|&i| i == 0 || !b.get(i - 1).is_some_and(u8::is_ascii_digit))
        .find_map(|i| dated_at(b.get(i..)?))
}

/// Digits at the start of `b` (at most `max`), and how many.
fn digits(b: &[u8], max: usize) -> (u32, usize) {
    let mut v = 0u32;
    let mut n = 0;
    while let Some(d) = b.get(n).filter(|c| c.is_ascii_digit() && n < max) {
        v = v * 10 + u32::from(d - b'0');
        n += 1;
    }
    (v, n)
}

fn valid(y: u32, m: u32, d: u32) -> bool {
    (1995..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

fn format_date(y: u32, m: u32, d: u32, time: Option<(u32, u32, u32)>) -> Option<String> {
    if !valid(y, m, d) {
        return None;
    }
    Some(match time {
        Some((h, mi, s)) if h < 24 && mi < 60 && s < 60 => {
            format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
        }
        _ => format!("{y:04}-{m:02}-{d:02}"),
    })
}

/// `6.1.2026_03-12-00…`
fn cpanel_date(b: &[u8]) -> Option<String> {
    let (m, n1) = digits(b, 2);
    let b = b.get(n1..)?.strip_prefix(b".")?;
    let (d, n2) = digits(b, 2);
    let b = b.get(n2..)?.strip_prefix(b".")?;
    let (y, n3) = digits(b, 4);
    if n1 == 0 || n2 == 0 || n3 != 4 {
        return None;
    }
    let rest = b.get(4..).unwrap_or(&[]);
    let time = rest.strip_prefix(b"_").and_then(|r| {
        let (h, a) = digits(r, 2);
        let r = r.get(a..)?.strip_prefix(b"-")?;
        let (mi, c) = digits(r, 2);
        let r = r.get(c..)?.strip_prefix(b"-")?;
        let (s, e) = digits(r, 2);
        (a == 2 && c == 2 && e == 2).then_some((h, mi, s))
    });
    format_date(y, m, d, time)
}

/// A date starting at `b`: `2026-06-01…` or `20260601…`.
fn dated_at(b: &[u8]) -> Option<String> {
    let (run, n) = digits(b, 8);
    let sep = |c: &u8| matches!(c, b'-' | b'_' | b'.');
    let (y, m, d, rest) = if n == 8 && !b.get(8).is_some_and(u8::is_ascii_digit) {
        (run / 10_000, run / 100 % 100, run % 100, b.get(8..)?)
    } else if n == 4 && b.get(4).is_some_and(sep) {
        let (m, a) = digits(b.get(5..)?, 2);
        let r = b.get(5 + a..)?;
        if a != 2 || !r.first().is_some_and(sep) {
            return None;
        }
        let (d, c) = digits(r.get(1..)?, 2);
        if c != 2 {
            return None;
        }
        (run, m, d, r.get(3..)?)
    } else {
        return None;
    };
    if !valid(y, m, d) {
        return None;
    }
    format_date(y, m, d, time_after(rest))
}

/// `-0312`, `_031200`, `T03:12:00`, `-03-12-00` after a date.
fn time_after(rest: &[u8]) -> Option<(u32, u32, u32)> {
    let r = rest
        .strip_prefix(b"-")
        .or_else(|| rest.strip_prefix(b"_"))
        .or_else(|| rest.strip_prefix(b"T"))
        .or_else(|| rest.strip_prefix(b" "))?;
    let (run, n) = digits(r, 6);
    if r.get(n).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    match n {
        6 => Some((run / 10_000, run / 100 % 100, run % 100)),
        4 => Some((run / 100, run % 100, 0)),
        2 => {
            let r = r.get(2..)?;
            let r = r.strip_prefix(b":").or_else(|| r.strip_prefix(b"-"))?;
            let (mi, a) = digits(r, 2);
            let s = r
                .get(a..)
                .and_then(|x| x.strip_prefix(b":").or_else(|| x.strip_prefix(b"-")))
                .map(|x| digits(x, 2))
                .filter(|(_, k)| *k == 2)
                .map_or(0, |(v, _)| v);
            (a == 2).then_some((run, mi, s))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_backup_names() {
        for (name, want) in [
            (
                "backup-6.1.2026_03-12-00_shopuser.tar.gz",
                Some("2026-06-01T03:12:00Z"),
            ),
            (
                "backup-12.31.2025_23-59-59_u.tar.gz",
                Some("2025-12-31T23:59:59Z"),
            ),
            (
                "backup_2026-06-01-0312_My_Site_3f2a-plugins.zip",
                Some("2026-06-01T03:12:00Z"),
            ),
            ("site-2026-06-01.zip", Some("2026-06-01")),
            (
                "example_20260601_031200_archive.zip",
                Some("2026-06-01T03:12:00Z"),
            ),
            (
                "mysite 2026-06-01T03:12:00.zip",
                Some("2026-06-01T03:12:00Z"),
            ),
            ("backup.zip", None),
            ("site-v6.4.2.zip", None),
            ("123456789.zip", None),
            ("2026-13-01.zip", None),
        ] {
            assert_eq!(made_from_name(name).as_deref(), want, "{name}");
        }
    }
}
