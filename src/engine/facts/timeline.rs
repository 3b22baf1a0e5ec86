//! When the break-in most probably began, from the archive's timestamps.
//!
//! The times of suspicious files (flagged, added where they should not be, changed core
//! files) are clustered — changes less than three days apart belong together — and the
//! cluster holding most of them is taken as the break-in. Other files changed in that window
//! are listed for a look even if nothing flagged them. Timestamps can be forged: a changed
//! core file that carries the same date as the untouched release files is called out.

use crate::engine::read::time::{iso8601, DAY};
use crate::engine::report::Dated;
use crate::engine::report::Timeline;
use crate::engine::report::{FileReport, Status, Verdict};

/// Changes closer than this belong to the same episode.
const GAP: i64 = 3 * DAY;
/// Files listed as "also changed around then", at most.
const MAX_ALSO: usize = 100;

fn suspicious(f: &FileReport) -> bool {
    f.status != Status::Missing
        && (f.verdict != Verdict::Clean || matches!(f.status, Status::Modified | Status::Added))
}

/// The files that date the break-in: the malicious ones when there are any (an unconfirmed
/// candidate — an odd but harmless plugin file from 2015 — must not set the date), else
/// every suspicious one.
pub fn dating_files(files: &[FileReport]) -> Vec<&FileReport> {
    let malicious: Vec<&FileReport> = files
        .iter()
        .filter(|f| f.status != Status::Missing && f.verdict == Verdict::Malicious)
        .collect();
    if malicious.is_empty() {
        files.iter().filter(|f| suspicious(f)).collect()
    } else {
        malicious
    }
}

/// The most common day (unix day number) among untouched release files: the day the
/// release was unpacked, which forged dates often copy.
pub fn release_day(all_times: &[(i64, bool)]) -> Option<i64> {
    let mut day_counts: std::collections::HashMap<i64, u32> = std::collections::HashMap::new();
    for (t, unchanged) in all_times {
        if *unchanged {
            *day_counts.entry(t.div_euclid(DAY)).or_default() += 1;
        }
    }
    day_counts
        .into_iter()
        .max_by_key(|(d, n)| (*n, std::cmp::Reverse(*d)))
        .map(|(d, _)| d)
}

/// `all`: every file's (mtime, unchanged?) — including unchanged ones, which the report omits.
pub fn build(files: &[FileReport], all_times: &[(i64, bool)]) -> Timeline {
    let parse = |m: &Option<String>| m.as_deref().and_then(parse_iso);
    let mut sus: Vec<(i64, &FileReport)> = Vec::new();
    let mut undated = 0u32;
    for f in dating_files(files) {
        match parse(&f.mtime) {
            Some(t) => sus.push((t, f)),
            None => undated += 1,
        }
    }
    sus.sort_by_key(|(t, _)| *t);
    let mut tl = Timeline {
        undated,
        ..Timeline::default()
    };
    // Clusters of suspicious times.
    let mut best: Option<(usize, usize)> = None;
    let mut start = 0;
    for i in 0..=sus.len() {
        let split = i == sus.len()
            || (i > 0
                && sus.get(i).map(|x| x.0).unwrap_or(0) - sus.get(i - 1).map(|x| x.0).unwrap_or(0)
                    > GAP);
        if split && i > start {
            if best.is_none_or(|(a, b)| i - start > b - a) {
                best = Some((start, i));
            }
            start = i;
        }
    }
    if let Some((a, b)) = best {
        let (t0, t1) = (
            sus.get(a).map(|x| x.0).unwrap_or(0),
            sus.get(b - 1).map(|x| x.0).unwrap_or(0),
        );
        tl.start = Some(iso8601(t0));
        tl.end = Some(iso8601(t1));
        let flagged: std::collections::HashSet<&str> =
            sus.iter().map(|(_, f)| f.path.as_str()).collect();
        tl.also_changed = files
            .iter()
            .filter(|f| !flagged.contains(f.path.as_str()) && f.status != Status::Missing)
            .filter_map(|f| {
                parse(&f.mtime)
                    .filter(|t| *t >= t0 - DAY && *t <= t1 + DAY)
                    .map(|t| (t, f))
            })
            .take(MAX_ALSO)
            .map(|(t, f)| Dated {
                path: f.path.clone(),
                mtime: iso8601(t),
            })
            .collect();
        // The most common day among untouched release files: a changed core file dated that
        // day but outside the window had its date reset to hide it.
        if let Some(release_day) = release_day(all_times) {
            // Every changed file counts here, flagged or not: a forged date is the tell.
            tl.forged_dates = files
                .iter()
                .filter(|f| suspicious(f) && f.status == Status::Modified)
                .filter_map(|f| parse(&f.mtime).map(|t| (t, f)))
                .filter(|(t, _)| t.div_euclid(DAY) == release_day && (*t < t0 || *t > t1))
                .map(|(t, f)| Dated {
                    path: f.path.clone(),
                    mtime: iso8601(t),
                })
                .collect();
        }
    }
    tl.suspicious = sus
        .iter()
        .map(|(t, f)| Dated {
            path: f.path.clone(),
            mtime: iso8601(*t),
        })
        .collect();
    // Per-day counts over every dated file, for the picture (last 400 days with activity).
    let mut days: std::collections::BTreeMap<i64, (u32, u32)> = std::collections::BTreeMap::new();
    for (t, _) in all_times {
        days.entry(t.div_euclid(DAY)).or_default().0 += 1;
    }
    for (t, _) in &sus {
        days.entry(t.div_euclid(DAY)).or_default().1 += 1;
    }
    let n = days.len();
    tl.days = days
        .into_iter()
        .skip(n.saturating_sub(400))
        .map(|(d, (all, s))| (iso8601(d * DAY).get(..10).unwrap_or("").to_owned(), all, s))
        .collect();
    tl
}

/// Parses `YYYY-MM-DDTHH:MM:SS…`.
pub fn parse_iso(s: &str) -> Option<i64> {
    let num = |a: usize, b: usize| -> Option<i64> { s.get(a..b)?.parse().ok() };
    let days = crate::engine::read::time::civil_to_unix(
        num(0, 4)?,
        u32::try_from(num(5, 7)?).ok()?,
        u32::try_from(num(8, 10)?).ok()?,
    );
    Some(days + num(11, 13)? * 3600 + num(14, 16)? * 60 + num(17, 19)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::report::Verdict;

    fn file(path: &str, status: Status, verdict: Verdict, mtime: &str) -> FileReport {
        FileReport {
            path: path.into(),
            status,
            location: None,
            sha256: String::new(),
            size: 1,
            mtime: Some(mtime.into()),
            verdict,
            reference: None,
            note: None,
            clean_copy: None,
            findings: Vec::new(),
        }
    }

    #[test]
    fn finds_the_break_in_cluster_and_forged_dates() {
        let files = vec![
            file(
                "old-added.php",
                Status::Added,
                Verdict::Suspicious,
                "2022-01-01T00:00:00Z",
            ),
            file(
                "a.php",
                Status::Added,
                Verdict::Malicious,
                "2024-03-05T02:17:40Z",
            ),
            file(
                "b.php",
                Status::Modified,
                Verdict::Malicious,
                "2024-03-05T02:18:03Z",
            ),
            file(
                "c.php",
                Status::Added,
                Verdict::Malicious,
                "2024-03-06T23:02:09Z",
            ),
            file(
                "plugin/x.php",
                Status::Unknown,
                Verdict::Clean,
                "2024-03-05T10:00:00Z",
            ),
            file(
                "core.php",
                Status::Modified,
                Verdict::Suspicious,
                "2023-11-02T09:14:00Z",
            ),
        ];
        let release = civil(2023, 11, 2) + 9 * 3600;
        let all: Vec<(i64, bool)> = (0..100).map(|_| (release, true)).collect();
        let tl = build(&files, &all);
        assert_eq!(tl.start.as_deref(), Some("2024-03-05T02:17:40Z"));
        assert_eq!(tl.end.as_deref(), Some("2024-03-06T23:02:09Z"));
        assert_eq!(
            tl.also_changed
                .iter()
                .map(|d| d.path.as_str())
                .collect::<Vec<_>>(),
            ["plugin/x.php"]
        );
        assert_eq!(
            tl.forged_dates
                .iter()
                .map(|d| d.path.as_str())
                .collect::<Vec<_>>(),
            ["core.php"]
        );
    }

    fn civil(y: i64, m: u32, d: u32) -> i64 {
        crate::engine::read::time::civil_to_unix(y, m, d)
    }
}
