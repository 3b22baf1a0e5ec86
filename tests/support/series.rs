//! Test bodies for several backups compared (`present::series`) and for break-in dates from
//! evidence (`facts::dating`), shared by the native tests (`tests/engine/series.rs`) and the
//! browser worker (`tests/browser_worker.rs`). The backups are made here from our own files
//! and the defanged samples of `tests/data/malware/`.

#![allow(dead_code)]

use site_triage::engine::present::series::compare;
use site_triage::engine::report::series::{
    BackupError, BackupResult, Comparison, FailedBackup, MadeFrom,
};
use site_triage::engine::report::{Confidence, EvidenceSource, SiteVerdict};

use super::*;

/// A defanged webshell (request data into `eval`): malicious wherever it sits.
const SHELL: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/malware/chopper.php"
));
const SHELL_PATH: &str = "public_html/wp-content/uploads/2026/06/cache.php";
const SECOND_SHELL: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/malware/cmd-system.php"
));
const SECOND_PATH: &str = "public_html/wp-includes/css/dist/theme.php";

/// MS-DOS date and time, as a ZIP stores them.
fn dos(y: u16, m: u16, d: u16, h: u16, mi: u16, s: u16) -> (u16, u16) {
    (
        ((y - 1980) << 9) | (m << 5) | d,
        (h << 11) | (mi << 5) | (s / 2),
    )
}

/// A small site of our own: pages, a stylesheet, a photo, all dated `when`.
fn site_files(when: (u16, u16), about: &str) -> Vec<ZipEntry> {
    let mut v = Vec::new();
    let mut add = |name: &str, data: Vec<u8>| {
        let mut e = ZipEntry::new(name, &data);
        e.dos_time = when;
        v.push(e);
    };
    add(
        "public_html/index.php",
        b"<?php\nrequire __DIR__ . '/inc/page.php';\nshow_page('home');\n".to_vec(),
    );
    add(
        "public_html/inc/page.php",
        b"<?php\nfunction show_page($name) { echo htmlspecialchars($name); }\n".to_vec(),
    );
    add("public_html/about.html", about.as_bytes().to_vec());
    for i in 0..12 {
        add(
            &format!("public_html/articles/post-{i}.html"),
            format!("<html><body><h1>Post {i}</h1><p>Plain words.</p></body></html>\n")
                .into_bytes(),
        );
    }
    add(
        "public_html/css/site.css",
        b"body { font-family: sans-serif; }\n".to_vec(),
    );
    v
}

fn with(mut files: Vec<ZipEntry>, extra: &[(&str, &[u8], (u16, u16))]) -> Vec<u8> {
    for (name, data, when) in extra {
        let mut e = ZipEntry::new(name, data);
        e.dos_time = *when;
        files.push(e);
    }
    zip(&files)
}

/// Scans each backup (name, bytes) and compares them, as the CLI and the page do.
pub fn scan_series(backups: &[(&str, &[u8])]) -> (Vec<BackupResult>, Comparison) {
    let results: Vec<BackupResult> = backups
        .iter()
        .map(|(name, bytes)| match scan_with(bytes, name, &[]) {
            Ok(r) => BackupResult::Scanned(Box::new(r)),
            Err(e) => BackupResult::Failed(FailedBackup {
                archive: (*name).to_owned(),
                error: BackupError {
                    kind: e.kind,
                    message: e.message,
                },
            }),
        })
        .collect();
    let c = compare(&results);
    (results, c)
}

fn june(d: u16) -> (u16, u16) {
    dos(2026, 6, d, 3, 12, 0)
}

/// A clean backup, then an infected one: restore the clean one; the shell was planted in
/// between, whatever its own date says.
pub fn clean_then_infected_restores_the_clean_one() {
    let a = with(site_files(june(1), "<p>About us</p>"), &[]);
    let b = with(
        site_files(june(1), "<p>About us</p>"),
        &[(SHELL_PATH, SHELL, june(2))],
    );
    let (results, c) = scan_series(&[("site-2026-06-02.zip", &b), ("site-2026-06-01.zip", &a)]);
    assert_eq!(
        results[0].report().map(|r| r.verdict),
        Some(SiteVerdict::Compromised)
    );
    let order: Vec<&str> = c.order.iter().map(|e| e.archive.as_str()).collect();
    assert_eq!(order, ["site-2026-06-01.zip", "site-2026-06-02.zip"]);
    assert!(c.order.iter().all(|e| e.made_from == MadeFrom::Name));
    let r = c.restore_from.as_ref().expect("a backup to restore");
    assert_eq!(r.archive, "site-2026-06-01.zip");
    assert!(
        c.recommendation
            .contains("Restore site-2026-06-01.zip (made 2026-06-01)"),
        "{}",
        c.recommendation
    );
    assert_eq!(c.changes.len(), 1);
    let ch = &c.changes[0];
    assert_eq!(ch.added, [SHELL_PATH]);
    assert_eq!(ch.intruder_added, [SHELL_PATH]);
    assert!(ch.changed.is_empty() && ch.removed.is_empty(), "{ch:?}");
    let b = c.break_in.as_ref().expect("a break-in interval");
    assert_eq!(b.after.as_deref(), Some("site-2026-06-01.zip"));
    assert_eq!(b.by, "site-2026-06-02.zip");
    assert!(b.why.contains(SHELL_PATH), "{}", b.why);
}

/// Four backups given out of order; the first infected one is the third: restore the second.
pub fn the_newest_backup_before_the_first_infected_one_is_named() {
    let one = with(site_files(june(1), "<p>About us</p>"), &[]);
    let two = with(site_files(june(1), "<p>About us, updated</p>"), &[]);
    let three = with(
        site_files(june(1), "<p>About us, updated</p>"),
        &[(SHELL_PATH, SHELL, june(3))],
    );
    let four = with(
        site_files(june(1), "<p>About us, updated</p>"),
        &[
            (SHELL_PATH, SHELL, june(3)),
            (SECOND_PATH, SECOND_SHELL, june(4)),
        ],
    );
    let (_, c) = scan_series(&[
        ("backup-6.4.2026_02-00-00_shop.zip", &four),
        ("backup-6.2.2026_02-00-00_shop.zip", &two),
        ("backup-6.1.2026_02-00-00_shop.zip", &one),
        ("backup-6.3.2026_02-00-00_shop.zip", &three),
    ]);
    let order: Vec<Option<&str>> = c.order.iter().map(|e| e.made.as_deref()).collect();
    assert_eq!(
        order,
        [
            Some("2026-06-01T02:00:00Z"),
            Some("2026-06-02T02:00:00Z"),
            Some("2026-06-03T02:00:00Z"),
            Some("2026-06-04T02:00:00Z")
        ]
    );
    assert_eq!(
        c.restore_from.as_ref().map(|r| r.archive.as_str()),
        Some("backup-6.2.2026_02-00-00_shop.zip")
    );
    assert_eq!(c.changes.len(), 3);
    assert_eq!(c.changes[0].changed, ["public_html/about.html"]);
    assert!(c.changes[0].intruder_added.is_empty());
    assert_eq!(c.changes[1].intruder_added, [SHELL_PATH]);
    assert_eq!(c.changes[2].intruder_added, [SECOND_PATH]);
    let b = c.break_in.as_ref().unwrap();
    assert_eq!(b.by, "backup-6.3.2026_02-00-00_shop.zip");
    assert_eq!(
        b.after.as_deref(),
        Some("backup-6.2.2026_02-00-00_shop.zip")
    );
    assert!(b
        .began
        .as_deref()
        .is_some_and(|d| d.starts_with("2026-06-0")));
}

/// Every backup infected: none to restore, and what to do instead.
pub fn no_clean_backup_says_reinstall() {
    let a = with(
        site_files(june(1), "<p>About us</p>"),
        &[(SHELL_PATH, SHELL, june(1))],
    );
    let b = with(
        site_files(june(1), "<p>About us</p>"),
        &[(SHELL_PATH, SHELL, june(1))],
    );
    let b = [b, b"\n".to_vec()].concat(); // not byte-identical: a different archive
    let (_, c) = scan_series(&[("site-2026-06-01.zip", &a), ("site-2026-06-05.zip", &b)]);
    assert!(c.restore_from.is_none());
    assert!(
        c.recommendation.contains("None of these backups is clean"),
        "{}",
        c.recommendation
    );
    assert!(c.steps.len() >= 3, "{:?}", c.steps);
    assert!(c.break_in.as_ref().is_some_and(|b| b.after.is_none()));
}

/// A fully timestomped infection: every file, the shell too, carries the site's date; the
/// access and error logs in the backup tell the truth, and the date follows them.
pub fn a_timestomped_break_in_is_dated_by_its_log_lines() {
    let stamp = dos(2025, 9, 30, 10, 0, 0);
    let log = concat!(
        "198.51.100.7 - - [01/Oct/2025:08:00:00 +0000] \"GET /index.php HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\"\n",
        "198.51.100.7 - - [29/Aug/2026:22:00:00 +0000] \"GET /wp-content/uploads/2026/06/cache.php HTTP/1.1\" 404 0 \"-\" \"probe\"\n",
        "203.0.113.9 - - [30/Aug/2026:06:12:33 +0200] \"POST /wp-content/uploads/2026/06/cache.php HTTP/1.1\" 200 64 \"-\" \"curl/8\"\n",
        "203.0.113.9 - - [30/Aug/2026:04:20:00 +0000] \"POST /wp-content/uploads/2026/06/cache.php HTTP/1.1\" 200 64 \"-\" \"curl/8\"\n",
    );
    let errors = "[30-Aug-2026 04:13:10 UTC] PHP Warning:  Undefined array key \"c\" in /home/shop/public_html/wp-content/uploads/2026/06/cache.php on line 1\n";
    let bytes = with(
        site_files(stamp, "<p>About us</p>"),
        &[
            (SHELL_PATH, SHELL, stamp),
            (
                "access-logs/example.com",
                log.as_bytes(),
                dos(2026, 8, 31, 0, 0, 0),
            ),
            (
                "public_html/error_log",
                errors.as_bytes(),
                dos(2026, 8, 30, 4, 13, 10),
            ),
        ],
    );
    let r = scan_with(&bytes, "site.zip", &[]).unwrap();
    let b = r.timeline.break_in.as_ref().expect("a break-in date");
    assert_eq!(b.began, "2026-08-30T04:12:33Z", "{b:?}");
    assert!(b.files_forged, "{b:?}");
    assert_eq!(b.confidence, Confidence::Sure);
    assert!(b.why.contains("2025-09-30"), "{}", b.why);
    let sources: Vec<EvidenceSource> = b.evidence.iter().map(|e| e.source).collect();
    assert!(sources.contains(&EvidenceSource::AccessLog), "{sources:?}");
    assert!(sources.contains(&EvidenceSource::ErrorLog), "{sources:?}");
    assert!(sources.contains(&EvidenceSource::Files), "{sources:?}");
    // The file-time view still shows what the files claim.
    assert_eq!(r.timeline.start.as_deref(), Some("2025-09-30T10:00:00Z"));
}

/// The same backup given twice is compared once.
pub fn the_same_backup_twice_is_compared_once() {
    let a = with(
        site_files(june(1), "<p>About us</p>"),
        &[(SHELL_PATH, SHELL, june(1))],
    );
    let (_, c) = scan_series(&[("site-2026-06-01.zip", &a), ("copy-of-site.zip", &a)]);
    let copy = c
        .order
        .iter()
        .find(|e| e.archive == "copy-of-site.zip")
        .unwrap();
    assert_eq!(copy.same_as.as_deref(), Some("site-2026-06-01.zip"));
    assert!(c.changes.is_empty(), "{:?}", c.changes);
    assert!(
        c.notes.iter().any(|n| n.contains("exactly the same files")),
        "{:?}",
        c.notes
    );
}

/// Backups of two different sites are said to be so, and not compared.
pub fn backups_of_different_sites_are_not_compared() {
    let a = with(site_files(june(1), "<p>About us</p>"), &[]);
    let mut other: Vec<ZipEntry> = (0..15)
        .map(|i| {
            ZipEntry::new(
                &format!("htdocs/shop/item-{i}.html"),
                format!("<p>Item {i}</p>").as_bytes(),
            )
        })
        .collect();
    other.push(ZipEntry::new(
        SHELL_PATH.replace("public_html", "htdocs").as_str(),
        SHELL,
    ));
    let b = zip(&other);
    let (_, c) = scan_series(&[("site-2026-06-01.zip", &a), ("shop-2026-06-02.zip", &b)]);
    let shop = c
        .order
        .iter()
        .find(|e| e.archive.starts_with("shop"))
        .unwrap();
    assert!(shop.other_site);
    assert!(c.changes.is_empty());
    assert!(
        c.notes.iter().any(|n| n.contains("different site")),
        "{:?}",
        c.notes
    );
    // The shop's infection says nothing about the site's backups.
    assert!(c.break_in.is_none());
    assert!(c.restore_from.is_none());
}

/// A damaged archive in the series has its own error; the others are still compared.
pub fn a_damaged_backup_keeps_its_error_and_the_rest_are_compared() {
    let a = with(site_files(june(1), "<p>About us</p>"), &[]);
    let c3 = with(
        site_files(june(1), "<p>About us</p>"),
        &[(SHELL_PATH, SHELL, june(3))],
    );
    let broken = b"PK\x03\x04 this is not really a zip".to_vec();
    let (results, c) = scan_series(&[
        ("site-2026-06-01.zip", &a),
        ("site-2026-06-02.zip", &broken),
        ("site-2026-06-03.zip", &c3),
    ]);
    assert!(matches!(results[1], BackupResult::Failed(_)));
    let bad = c
        .order
        .iter()
        .find(|e| e.archive == "site-2026-06-02.zip")
        .unwrap();
    assert!(bad.error.is_some() && bad.verdict.is_none());
    assert_eq!(
        c.order.last().map(|e| e.archive.as_str()),
        Some("site-2026-06-02.zip")
    );
    assert_eq!(c.changes.len(), 1);
    assert_eq!(c.changes[0].from, "site-2026-06-01.zip");
    assert_eq!(c.changes[0].to, "site-2026-06-03.zip");
    assert_eq!(
        c.restore_from.as_ref().map(|r| r.archive.as_str()),
        Some("site-2026-06-01.zip")
    );
    assert!(
        c.notes.iter().any(|n| n.contains("could not be read")),
        "{:?}",
        c.notes
    );
}

/// A clean backup and an infected one, scanned and compared.
pub fn clean_then_infected() -> (Vec<BackupResult>, Comparison) {
    let a = with(site_files(june(1), "<p>About us</p>"), &[]);
    let b = with(
        site_files(june(1), "<p>About us</p>"),
        &[(SHELL_PATH, SHELL, june(2))],
    );
    scan_series(&[("site-2026-06-01.zip", &a), ("site-2026-06-02.zip", &b)])
}

/// The comparison of a clean backup and an infected one (for the language tests).
pub fn comparison_of_clean_then_infected() -> Comparison {
    clean_then_infected().1
}

/// The comparison of two infected backups (for the language tests).
pub fn comparison_without_a_clean_backup() -> Comparison {
    let a = with(
        site_files(june(1), "<p>About us</p>"),
        &[(SHELL_PATH, SHELL, june(1))],
    );
    let b = with(
        site_files(june(1), "<p>About us, updated</p>"),
        &[(SHELL_PATH, SHELL, june(1))],
    );
    scan_series(&[("site-2026-06-01.zip", &a), ("site-2026-06-05.zip", &b)]).1
}
