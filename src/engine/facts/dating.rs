//! When the break-in began, from evidence a forged timestamp cannot move.
//!
//! `facts::timeline` dates the break-in from the planted files' own times, and an intruder can
//! set those to anything (`touch -r wp-config.php shell.php`, or the release's date). This
//! module weighs them against what else the backup holds:
//! - the web server's access log: the first request a planted file answered (a file cannot
//!   answer before it exists);
//! - PHP's and the web server's error logs: the first error a planted file caused;
//! - the SQL dumps: when an out-of-place administrator was created;
//! - and whether the files' dates look copied: identical to the second to an untouched
//!   release file, or on the day the release was unpacked.
//!
//! The earliest of the evidence that cannot be forged together with the files wins when the
//! files' dates look forged or come later; otherwise the files' date stands and the rest
//! confirms it. Only files the scan found malicious are looked up in the logs (a suspicious
//! but harmless file must not set the date). A comparison of several backups adds one more
//! kind, in `engine::series`.

use std::collections::{HashMap, HashSet};

use crate::engine::facts::logs::LogFacts;
use crate::engine::facts::timeline::{dating_files, parse_iso};
use crate::engine::read::time::{iso8601, DAY};
use crate::engine::report::{
    Account, BreakIn, Confidence, Evidence, EvidenceSource, FileReport, Timeline, Verdict,
};

/// Planted files looked up in the logs, at most (a hostile backup can hold a million).
const MAX_PLANTED: usize = 5_000;
/// Pieces of log evidence listed, at most.
const MAX_EVIDENCE: usize = 20;
/// A flagged database row may date the break-in this long before the other evidence.
const DB_LEAD: i64 = 30 * DAY;
/// Evidence this close to the files' date agrees with it.
const AGREE: i64 = 2 * DAY;

/// What the dating reads.
pub struct Inputs<'a> {
    pub files: &'a [FileReport],
    /// The site roots (archive path prefixes), to turn a file into the URL it answers at.
    pub roots: &'a [String],
    pub logs: &'a [LogFacts],
    pub accounts: &'a [Account],
    /// Flagged posts of the dumps and when they were last changed.
    pub changed_rows: &'a [crate::engine::facts::sqldump::ChangedRow],
    /// The file-time view (`timeline::build`).
    pub timeline: &'a Timeline,
    /// The times of every file nothing flagged (untouched release files included): what a
    /// forged date is copied from.
    pub clean_times: &'a [i64],
}

/// The break-in's date from all the evidence, or `None` when nothing dates one.
pub fn break_in(i: &Inputs) -> Option<BreakIn> {
    let planted: Vec<&FileReport> = dating_files(i.files)
        .into_iter()
        .filter(|f| f.verdict == Verdict::Malicious)
        .collect();
    let files_at = i.timeline.start.as_deref().and_then(parse_iso);
    let copied = copied_dates(&planted, i.clean_times);
    let forged = copied || !i.timeline.forged_dates.is_empty();
    let (strong, far) = strong_evidence(i, &planted, files_at.filter(|_| !forged));
    let first = strong.first().and_then(|e| parse_iso(&e.at));
    let mut evidence = Vec::new();
    if let (Some(t), Some(end)) = (files_at, i.timeline.end.as_deref()) {
        evidence.push(Evidence {
            source: EvidenceSource::Files,
            at: iso8601(t),
            what: crate::en!(
                "the flagged files' own dates cluster from {0} to {1}",
                day(&iso8601(t)),
                day(end)
            ),
            file: String::new(),
        });
    }
    let (began, confidence, why, files_forged) = match (files_at, first) {
        (None, None) => return None,
        (Some(f), None) => {
            let (conf, why) = if forged {
                (Confidence::Unsure, crate::en!("From the files' dates alone ({0}), and they look forged: the planted files carry the dates of untouched release files. No log or database row in this backup dates the break-in better.", day(&iso8601(f))))
            } else if planted.is_empty() {
                (Confidence::Unsure, crate::en!("From the dates of files that only look suspicious ({0}); nothing confirms that they are the intruder's.", day(&iso8601(f))))
            } else {
                (Confidence::Likely, crate::en!("From the planted files' dates ({0}). Dates can be forged, and no log or database row in this backup confirms them.", day(&iso8601(f))))
            };
            (f, conf, why, forged)
        }
        (None, Some(s)) => (
            s,
            Confidence::Likely,
            crate::en!("From other evidence: {0}", lead(&strong)),
            false,
        ),
        (Some(f), Some(s)) if (s - f).abs() <= AGREE => (
            f.min(s),
            Confidence::Sure,
            crate::en!(
                "The files' dates ({0}) agree with other evidence: {1}",
                day(&iso8601(f)),
                lead(&strong)
            ),
            false,
        ),
        (Some(f), Some(s)) if s < f => (
            s,
            Confidence::Likely,
            crate::en!(
                "From other evidence: {0} That is before the first flagged file changed ({1}): the intruder was in before the files show it.",
                lead(&strong),
                day(&iso8601(f))
            ),
            false,
        ),
        (Some(f), Some(s)) if forged => (
            s,
            Confidence::Sure,
            crate::en!(
                "The files say {0}, but {1} The files' dates were probably forged.",
                day(&iso8601(f)),
                lead(&strong)
            ),
            true,
        ),
        (Some(f), Some(_)) => (
            f,
            Confidence::Unsure,
            crate::en!(
                "From the planted files' dates ({0}); but {1} Either the files sat unused until then, or their dates were forged.",
                day(&iso8601(f)),
                lead(&strong)
            ),
            false,
        ),
    };
    evidence.extend(strong);
    evidence.extend(far);
    evidence.sort_by(|a, b| a.at.cmp(&b.at));
    Some(BreakIn {
        began: iso8601(began),
        confidence,
        why,
        files_forged,
        evidence,
    })
}

/// The evidence that may set the date (oldest first), and the rest, only listed. A flagged
/// database row only says "odd", not "the intruder's": far before every other date (an old
/// administrator named "support") it does not set the date.
fn strong_evidence(
    i: &Inputs,
    planted: &[&FileReport],
    files_at: Option<i64>,
) -> (Vec<Evidence>, Vec<Evidence>) {
    let mut strong = log_evidence(planted, i.roots, i.logs);
    let anchor = strong
        .iter()
        .filter_map(|e| parse_iso(&e.at))
        .chain(files_at)
        .min();
    let (near, far): (Vec<Evidence>, Vec<Evidence>) = database_evidence(i.accounts, i.changed_rows)
        .into_iter()
        .partition(|e| match (anchor, parse_iso(&e.at)) {
            (Some(a), Some(t)) => t >= a - DB_LEAD,
            _ => true,
        });
    strong.extend(near);
    strong.sort_by(|a, b| a.at.cmp(&b.at));
    (strong, far)
}

fn day(iso: &str) -> &str {
    iso.get(..10).unwrap_or(iso)
}

/// The clause about the earliest strong evidence ("the web server log … shows …"), to follow
/// a colon or "but".
fn lead(strong: &[Evidence]) -> String {
    let Some(e) = strong.first() else {
        return String::new();
    };
    let when = e.at.get(..16).unwrap_or(&e.at).replace('T', " ");
    match e.source {
        EvidenceSource::AccessLog => crate::en!(
            "the web server log {0} shows {1} on {2} UTC.",
            e.file,
            e.what,
            when
        ),
        EvidenceSource::ErrorLog => {
            crate::en!("the error log {0} shows {1} on {2}.", e.file, e.what, when)
        }
        _ => crate::en!(
            "the database dump {0} shows that {1} on {2}.",
            e.file,
            e.what,
            when
        ),
    }
}

/// A planted file as the logs name it.
struct Planted<'f> {
    file: &'f FileReport,
    /// The URL it answers at: its path below its site root, with a leading `/`.
    url: String,
    /// How its server path ends, as error logs name it: the site root's folder and the URL
    /// (`/public_html/x.php`), so `/home/u/public_html/other/x.php` is not taken for it.
    server_tail: String,
}

fn planted_in<'f>(f: &'f FileReport, roots: &[String]) -> Option<Planted<'f>> {
    let root = roots
        .iter()
        .filter(|r| f.path.starts_with(r.as_str()))
        .max_by_key(|r| r.len())
        .map_or("", String::as_str);
    let rel = f.path.get(root.len()..).filter(|r| !r.is_empty())?;
    let folder = root.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    Some(Planted {
        file: f,
        url: format!("/{rel}"),
        server_tail: if folder.is_empty() {
            format!("/{rel}")
        } else {
            format!("/{folder}/{rel}")
        },
    })
}

/// First requests to, and first errors of, the planted files.
fn log_evidence(planted: &[&FileReport], roots: &[String], logs: &[LogFacts]) -> Vec<Evidence> {
    // Each planted file's URL (its path below its site root, with a leading `/`).
    let planted: Vec<Planted> = planted
        .iter()
        .take(MAX_PLANTED)
        .filter_map(|f| planted_in(f, roots))
        .collect();
    let first_errors = first_errors(&planted, logs);
    let mut out = Vec::new();
    for (k, Planted { file: f, url, .. }) in planted.iter().enumerate() {
        let first_hit = logs
            .iter()
            .filter_map(|log| Some((log.requests.get(url)?, log)))
            .min_by_key(|(h, _)| h.at);
        if let Some((h, log)) = first_hit {
            // The address that used the planted file, logged in to the administration first:
            // the intruder's first step.
            let login = logs
                .iter()
                .filter_map(|l| Some((*l.logins.get(&h.client)?, l)))
                .filter(|(at, _)| *at <= h.at)
                .min_by_key(|(at, _)| *at);
            if let Some((at, l)) = login {
                out.push(Evidence {
                    source: EvidenceSource::AccessLog,
                    at: iso8601(at),
                    what: crate::en!(
                        "a login to the site's administration from {0}, the address that later used {1}",
                        h.client,
                        url
                    ),
                    file: l.file.clone(),
                });
            }
            out.push(Evidence {
                source: EvidenceSource::AccessLog,
                at: iso8601(h.at),
                what: crate::en!(
                    "the first request to {0} ({1}, answered {2}, from {3})",
                    url,
                    h.method,
                    h.status,
                    h.client
                ),
                file: log.file.clone(),
            });
        }
        if let Some(Some((t, log))) = first_errors.get(k) {
            out.push(Evidence {
                source: EvidenceSource::ErrorLog,
                at: iso8601(*t),
                what: crate::en!("the first error caused by {0}", f.path),
                file: log.file.clone(),
            });
        }
    }
    out.sort_by(|a, b| a.at.cmp(&b.at));
    out.truncate(MAX_EVIDENCE);
    out
}

/// For each planted file, the first error that names it (a server path ending in its
/// `server_tail`), in one pass over every error of every log: each error path's `/…`
/// suffixes are looked up among the planted files, so the work grows with the errors, never with errors × planted files.
fn first_errors<'l>(planted: &[Planted], logs: &'l [LogFacts]) -> Vec<Option<(i64, &'l LogFacts)>> {
    let index: HashMap<&str, usize> = planted
        .iter()
        .enumerate()
        .map(|(k, p)| (p.server_tail.as_str(), k))
        .collect();
    let mut first: Vec<Option<(i64, &LogFacts)>> = vec![None; planted.len()];
    for log in logs {
        for (path, t) in &log.errors {
            let suffixes = path.match_indices('/').filter_map(|(i, _)| path.get(i..));
            for k in suffixes.filter_map(|sfx| index.get(sfx)) {
                if let Some(slot) = first.get_mut(*k) {
                    if slot.is_none_or(|(u, _)| *t < u) {
                        *slot = Some((*t, log));
                    }
                }
            }
        }
    }
    first
}

/// Out-of-place administrators, dated by their creation, and flagged posts, by their last
/// change.
fn database_evidence(
    accounts: &[Account],
    rows: &[crate::engine::facts::sqldump::ChangedRow],
) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = accounts
        .iter()
        .filter(|a| !a.flags.is_empty() && !a.disabled)
        .filter_map(|a| {
            let t = parse_iso(a.registered.as_deref()?)?;
            Some(Evidence {
                source: EvidenceSource::Database,
                at: iso8601(t),
                what: crate::en!("the administrator \"{0}\" was created", a.login),
                file: a.dump.clone(),
            })
        })
        .collect();
    out.extend(rows.iter().filter_map(|r| {
        Some(Evidence {
            source: EvidenceSource::Database,
            at: iso8601(parse_iso(&r.at)?),
            what: crate::en!(
                "the post {0} of {1}, which holds injected code, was last changed",
                r.row,
                r.table
            ),
            file: r.dump.clone(),
        })
    }));
    out.sort_by(|a, b| a.at.cmp(&b.at));
    out.truncate(MAX_EVIDENCE / 2);
    out
}

/// Whether most planted files carry a date copied from the files around them (`touch -r`):
/// the same second as a file nothing flagged, or the day most of those files carry (the day
/// the site or its release was unpacked).
fn copied_dates(planted: &[&FileReport], clean_times: &[i64]) -> bool {
    let exact: HashSet<i64> = clean_times.iter().copied().collect();
    let mut days: std::collections::HashMap<i64, u32> = std::collections::HashMap::new();
    for t in clean_times {
        *days.entry(t.div_euclid(DAY)).or_default() += 1;
    }
    let common_day = days
        .into_iter()
        .max_by_key(|(d, n)| (*n, std::cmp::Reverse(*d)))
        .map(|(d, _)| d);
    let dated: Vec<i64> = planted
        .iter()
        .filter_map(|f| f.mtime.as_deref().and_then(parse_iso))
        .collect();
    let copied = dated
        .iter()
        .filter(|t| exact.contains(t) || Some(t.div_euclid(DAY)) == common_day)
        .count();
    !dated.is_empty() && copied * 2 >= dated.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::facts::logs::Hit;
    use crate::engine::report::Status;

    fn planted(path: &str, mtime: &str) -> FileReport {
        FileReport {
            path: path.into(),
            status: Status::Added,
            location: None,
            sha256: String::new(),
            size: 1,
            mtime: Some(mtime.into()),
            verdict: Verdict::Malicious,
            reference: None,
            note: None,
            clean_copy: None,
            findings: Vec::new(),
        }
    }

    fn log_with(url: &str, at: &str) -> LogFacts {
        let mut l = LogFacts {
            file: "homedir/logs/example.com-Aug-2026.gz".into(),
            first: parse_iso("2025-01-01T00:00:00Z"),
            last: parse_iso(at),
            ..LogFacts::default()
        };
        l.requests.insert(
            url.into(),
            Hit {
                at: parse_iso(at).unwrap_or(0),
                method: "POST".into(),
                status: 200,
                client: "203.0.113.9".into(),
            },
        );
        l
    }

    fn run(files: &[FileReport], logs: &[LogFacts], all: &[(i64, bool)]) -> BreakIn {
        let tl = crate::engine::facts::timeline::build(files, all);
        let clean: Vec<i64> = all.iter().map(|(t, _)| *t).collect();
        break_in(&Inputs {
            files,
            roots: &["public_html/".into()],
            logs,
            accounts: &[],
            changed_rows: &[],
            timeline: &tl,
            clean_times: &clean,
        })
        .unwrap_or_else(|| BreakIn {
            began: String::new(),
            confidence: Confidence::Unsure,
            why: String::new(),
            files_forged: false,
            evidence: Vec::new(),
        })
    }

    #[test]
    fn a_log_line_beats_a_forged_release_date() {
        let release = "2025-09-30T10:00:00Z";
        let all: Vec<(i64, bool)> = (0..50)
            .map(|_| (parse_iso(release).unwrap_or(0), true))
            .collect();
        let files = [planted("public_html/wp-content/uploads/x.php", release)];
        let logs = [log_with(
            "/wp-content/uploads/x.php",
            "2026-08-30T04:12:33Z",
        )];
        let b = run(&files, &logs, &all);
        assert_eq!(b.began, "2026-08-30T04:12:33Z");
        assert!(b.files_forged);
        assert_eq!(b.confidence, Confidence::Sure);
        assert!(
            b.why.contains("2025-09-30") && b.why.contains("forged"),
            "{}",
            b.why
        );
        assert_eq!(b.evidence.len(), 2);
    }

    #[test]
    fn the_intruders_admin_login_comes_first() {
        let release = "2025-09-30T10:00:00Z";
        let all: Vec<(i64, bool)> = (0..50)
            .map(|_| (parse_iso(release).unwrap_or(0), true))
            .collect();
        let files = [planted("public_html/wp-content/uploads/x.php", release)];
        let mut log = log_with("/wp-content/uploads/x.php", "2026-08-30T04:12:33Z");
        log.logins.insert(
            "203.0.113.9".into(),
            parse_iso("2026-08-29T23:01:00Z").unwrap_or(0),
        );
        log.logins.insert(
            "198.51.100.1".into(),
            parse_iso("2026-01-01T00:00:00Z").unwrap_or(0),
        );
        let b = run(&files, &[log], &all);
        assert_eq!(b.began, "2026-08-29T23:01:00Z", "{b:?}");
        assert!(b.evidence.iter().any(|e| e
            .what
            .contains("login to the site's administration from 203.0.113.9")));
        assert!(
            !b.evidence.iter().any(|e| e.what.contains("198.51.100.1")),
            "the owner's own logins are no evidence"
        );
    }

    #[test]
    fn an_error_names_a_planted_file_by_its_whole_path_below_the_root() {
        let a = planted(
            "public_html/wp-content/uploads/x.php",
            "2026-08-30T04:00:00Z",
        );
        let b = planted("public_html/x.php", "2026-08-30T04:00:00Z");
        let roots = ["public_html/".to_owned()];
        let urls: Vec<Planted> = [&a, &b]
            .into_iter()
            .filter_map(|f| planted_in(f, &roots))
            .collect();
        assert_eq!(urls[1].server_tail, "/public_html/x.php");
        let mut log = LogFacts::default();
        let t = |s: &str| parse_iso(s).unwrap_or(0);
        log.errors.insert(
            "/home/u/public_html/wp-content/uploads/x.php".into(),
            t("2026-08-30T05:00:00Z"),
        );
        log.errors.insert(
            "/home/u/public_html/x.php".into(),
            t("2026-08-30T06:00:00Z"),
        );
        log.errors.insert(
            "/home/u/public_html/other/x.php".into(),
            t("2026-08-30T01:00:00Z"),
        );
        let logs = [log];
        let first: Vec<Option<i64>> = first_errors(&urls, &logs)
            .iter()
            .map(|e| e.map(|(t, _)| t))
            .collect();
        assert_eq!(
            first,
            [
                Some(t("2026-08-30T05:00:00Z")),
                Some(t("2026-08-30T06:00:00Z"))
            ]
        );
    }

    #[test]
    fn an_old_odd_administrator_does_not_set_the_date() {
        let all = [(parse_iso("2024-01-01T00:00:00Z").unwrap_or(0), true)];
        let files = [planted("public_html/a.php", "2026-08-30T04:00:00Z")];
        let tl = crate::engine::facts::timeline::build(&files, &all);
        let admin = |login: &str, at: &str| Account {
            login: login.into(),
            email: String::new(),
            registered: Some(at.into()),
            role: "administrator".into(),
            dump: "db.sql".into(),
            table: "wp_users".into(),
            row: "2".into(),
            flags: vec!["its name imitates a system or service account".into()],
            cms: None,
            disabled: false,
        };
        let accounts = [
            admin("support", "2015-03-01 10:00:00"),
            admin("wp_sys", "2026-08-29 22:00:00"),
        ];
        let b = break_in(&Inputs {
            files: &files,
            roots: &["public_html/".into()],
            logs: &[],
            accounts: &accounts,
            changed_rows: &[],
            timeline: &tl,
            clean_times: &[],
        })
        .unwrap();
        assert_eq!(b.began, "2026-08-29T22:00:00Z", "{b:?}");
        assert_eq!(b.evidence.len(), 3, "the old one is still listed");
    }

    #[test]
    fn agreeing_evidence_is_sure_and_plain_dates_are_likely() {
        let all = [(parse_iso("2024-01-01T00:00:00Z").unwrap_or(0), true)];
        let files = [planted("public_html/a.php", "2026-08-30T04:00:00Z")];
        let logs = [log_with("/a.php", "2026-08-30T05:00:00Z")];
        let b = run(&files, &logs, &all);
        assert_eq!(
            (b.began.as_str(), b.confidence),
            ("2026-08-30T04:00:00Z", Confidence::Sure)
        );
        let b = run(&files, &[], &all);
        assert_eq!(b.confidence, Confidence::Likely);
        assert!(!b.files_forged);
        // A log line for another file says nothing about this one.
        let other = [log_with("/b.php", "2026-09-30T05:00:00Z")];
        assert_eq!(run(&files, &other, &all).confidence, Confidence::Likely);
    }

    #[test]
    fn unforged_early_files_with_a_late_log_stay_but_are_unsure() {
        let all = [(parse_iso("2024-01-01T00:00:00Z").unwrap_or(0), true)];
        let files = [planted("public_html/a.php", "2026-07-01T04:00:00Z")];
        let logs = [log_with("/a.php", "2026-08-30T05:00:00Z")];
        let b = run(&files, &logs, &all);
        assert_eq!(b.began, "2026-07-01T04:00:00Z");
        assert_eq!(b.confidence, Confidence::Unsure);
    }
}
