#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

//! Native integration tests of the engine and the command-line tool (one test binary).
//!
//! Real data: Debian's `wordpress`, `dokuwiki` and `mediawiki` packages (fetched once with
//! `apt-get download` into target/test-data) and the bundled hash facts in `manifests/`.
//! Hostile archives are generated here, byte by byte, not committed.

mod support;

use support::cases;

use std::collections::HashMap;

use site_triage::engine::collect::{Collected, FileRecord};
use site_triage::engine::report::{
    ArchiveFormat, Cms, ComponentKind, Location, SecretKind, SiteVerdict, Status, Verdict,
    WarningKind,
};
use site_triage::engine::{self, judge, Reference};
use support::*;

fn status_of<'a>(r: &'a engine::Report, path: &str) -> Option<&'a engine::report::FileReport> {
    r.files.iter().find(|f| f.path == path)
}

/// Regular files of a tree as (relative path, bytes), skipping symlinks.
fn read_tree(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().filter_map(|e| e.ok()) {
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn debian_wordpress_is_recognised_from_hashes_and_version_file() {
    let root = debian_tree("wordpress").join("usr/share/wordpress");
    let bytes = zip_dir(&root, "public_html/");
    let r = scan(&bytes).unwrap();
    assert_eq!(r.cms.len(), 1);
    let wp = &r.cms[0];
    assert_eq!(wp.name, Cms::WordPress);
    assert_eq!(wp.root, "public_html/");
    assert_eq!(wp.version.as_deref(), Some("6.1.9"));
    let h = wp.recognised_by.hashes.as_ref().unwrap();
    assert_eq!(h.version, "6.1.9");
    assert!(h.matched > 2400, "matched {}", h.matched);
    assert_eq!(
        wp.recognised_by.version_file.as_ref().unwrap().version,
        "6.1.9"
    );
    assert_eq!(wp.recognised_by.disagreement, None);
    // Debian patches a handful of core files (update checks off, its own CA bundle path…).
    let modified: Vec<&str> = r
        .files
        .iter()
        .filter(|f| f.status == Status::Modified)
        .map(|f| f.path.as_str())
        .collect();
    assert!(
        modified.contains(&"public_html/wp-admin/update-core.php"),
        "{modified:?}"
    );
    assert!(modified.len() < 20, "{modified:?}");
    // …and replaces bundled libraries with symlinks to system packages: warnings, not "missing".
    assert!(r.warnings.iter().any(|w| w.kind == WarningKind::Symlink));
    assert!(status_of(&r, "public_html/wp-includes/ID3/getid3.php").is_none());
    // its wp-config.php is site-specific: no release covers it
    assert_eq!(
        status_of(&r, "public_html/wp-config.php").unwrap().status,
        Status::Unknown
    );
    assert!(wp
        .components
        .iter()
        .any(|c| c.slug == "akismet" && c.version.is_some()));
    assert_eq!(r.verdict, SiteVerdict::Suspicious);
}

/// A cPanel-style tar.gz of a tampered WordPress: one of every status.
#[test]
fn tampered_wordpress_in_cpanel_tar_gz_gets_every_status() {
    let root = debian_tree("wordpress").join("usr/share/wordpress");
    let mut files: HashMap<String, Vec<u8>> = read_tree(&root).into_iter().collect();
    let p = "backup-3.5.2024_10-20-30_jane/homedir/public_html/";
    // modified: code appended to a core file
    files
        .get_mut("wp-load.php")
        .unwrap()
        .extend_from_slice(b"\n/* injected-test-marker */\n");
    // whitespace-only: CRLF line endings
    let crlf: Vec<u8> = String::from_utf8(files["wp-blog-header.php"].clone())
        .unwrap()
        .replace('\n', "\r\n")
        .into_bytes();
    files.insert("wp-blog-header.php".into(), crlf);
    // missing
    files.remove("wp-includes/class-wp-walker.php");
    // version file edited to claim a newer release
    let v = String::from_utf8(files["wp-includes/version.php"].clone())
        .unwrap()
        .replace("'6.1.9'", "'6.4.2'");
    files.insert("wp-includes/version.php".into(), v.into_bytes());
    let mut list: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(k, v)| (format!("{p}{k}"), v))
        .collect();
    // added in core, at the root, and in uploads; a leftover; a third-party plugin
    for (name, body) in [
        ("wp-includes/css/cache-helper.php", "<?php /* test file */"),
        ("wp-2fa-login.php", "<?php /* test file */"),
        (
            "wp-content/uploads/2024/03/thumb.php",
            "<?php /* test file */",
        ),
        ("wp-content/uploads/2024/03/photo.jpg", "JPEG"),
        ("wp-admin/import-b2.php", "<?php /* old */"),
        (
            "wp-content/plugins/shop/shop.php",
            "<?php\n/*\nPlugin Name: Shop\nVersion: 2.3.4\n*/",
        ),
    ] {
        list.push((format!("{p}{name}"), body.as_bytes().to_vec()));
    }
    list.push((
        "backup-3.5.2024_10-20-30_jane/mysql/jane_wp.sql".into(),
        b"-- dump".to_vec(),
    ));
    list.sort();
    let refs = borrowed(&list);
    let bytes = tar(&refs, true);
    let r = scan_with(&bytes, "backup.tar.gz", &[]).unwrap();
    assert_eq!(r.archive.format, ArchiveFormat::TarGz);
    let wp = &r.cms[0];
    assert_eq!(wp.root, p);
    assert_eq!(
        wp.version.as_deref(),
        Some("6.1.9"),
        "hashes must win over the edited version file"
    );
    assert!(wp
        .recognised_by
        .disagreement
        .as_deref()
        .unwrap()
        .contains("6.4.2"));
    let st = |name: &str| status_of(&r, &format!("{p}{name}")).map(|f| (f.status, f.location));
    assert_eq!(st("wp-load.php"), Some((Status::Modified, None)));
    assert_eq!(
        st("wp-blog-header.php"),
        Some((Status::WhitespaceOnly, None))
    );
    assert_eq!(
        st("wp-includes/class-wp-walker.php"),
        Some((Status::Missing, None))
    );
    assert_eq!(
        st("wp-includes/version.php"),
        Some((Status::Modified, None))
    );
    assert_eq!(
        st("wp-includes/css/cache-helper.php"),
        Some((Status::Added, Some(Location::Core)))
    );
    assert_eq!(
        st("wp-2fa-login.php"),
        Some((Status::Added, Some(Location::Root)))
    );
    assert_eq!(
        st("wp-content/uploads/2024/03/thumb.php"),
        Some((Status::Added, Some(Location::UserContent)))
    );
    assert_eq!(
        st("wp-content/uploads/2024/03/photo.jpg"),
        Some((Status::Unknown, None))
    );
    assert_eq!(st("wp-admin/import-b2.php"), Some((Status::Leftover, None)));
    assert_eq!(
        st("wp-content/plugins/shop/shop.php"),
        Some((Status::Unknown, None))
    );
    assert!(
        st("wp-settings.php").is_none(),
        "unchanged files are not listed"
    );
    assert!(wp
        .components
        .iter()
        .any(|c| c.slug == "shop" && c.version.as_deref() == Some("2.3.4")));
    assert_eq!(
        r.databases,
        ["backup-3.5.2024_10-20-30_jane/mysql/jane_wp.sql"]
    );
    let f = status_of(&r, &format!("{p}wp-load.php")).unwrap();
    assert_eq!(f.mtime.as_deref(), Some("2024-03-05T10:20:30Z"));
    assert_eq!(f.sha256.len(), 64);
    assert_eq!(f.verdict, Verdict::Suspicious);
    for s in [
        Status::Modified,
        Status::WhitespaceOnly,
        Status::Missing,
        Status::Added,
        Status::Leftover,
        Status::Unknown,
    ] {
        assert!(r.summary.get(s) > 0, "{s:?}");
    }
    assert!(r.summary.unchanged > 2400);
}

/// Feeds the files of one release, straight from the hash facts, to the diff.
fn release_as_backup(m: &engine::Manifest, v: usize, mount: &str) -> Collected {
    let files = m
        .entries
        .iter()
        .filter(|e| m.in_version(e, v))
        .enumerate()
        .map(|(i, e)| {
            let path = format!("{mount}{}", m.paths[e.path as usize]);
            FileRecord {
                entry: i as u64,
                name: path.clone(),
                path,
                size: e.size,
                mtime: None,
                sha256: e.sha,
                sha256_ws: Some(e.sha_ws),
                findings: Vec::new(),
                hash_pending: false,
            }
        })
        .collect();
    Collected {
        files,
        format: ArchiveFormat::Zip,
        ..Collected::default()
    }
}

#[test]
fn every_sampled_release_is_recognised_from_hashes() {
    for (name, cms, mount) in [
        ("wordpress", "wordpress", "site/"),
        ("drupal-core", "drupal", "site/core/"),
        ("typo3-cms-core", "typo3", "site/typo3/sysext/core/"),
    ] {
        let m = bundled(name).unwrap();
        let mut bundled_set = HashMap::new();
        bundled_set.insert(name.to_string(), m.clone());
        let mut checked = 0;
        for v in (0..m.versions.len()).step_by(23) {
            let c = release_as_backup(&m, v, mount);
            // Old releases may lack today's marker file; recognition needs one.
            if judge::needed_manifests(&c).is_empty() {
                continue;
            }
            let r = judge::analyze(c, &bundled_set, &[], "x.zip");
            let install = r.cms.iter().find(|i| i.name.id() == cms).unwrap();
            let h = install.recognised_by.hashes.as_ref().unwrap();
            let want = &m.versions[v];
            assert!(
                h.version == *want || h.tied_with.contains(want),
                "{name}: {want} recognised as {} (tied {:?})",
                h.version,
                h.tied_with
            );
            assert_eq!(
                r.summary.modified + r.summary.added + r.summary.missing,
                0,
                "{name} {want}"
            );
            checked += 1;
        }
        assert!(checked > 8, "{name}: only {checked} versions checked");
    }
}

#[test]
fn bundled_manifests_agree_with_reference_facts() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference");
    let wp = bundled("wordpress").unwrap();
    // Facts that hold whether or not ../shared is here.
    assert!(wp.versions.len() >= 885 && wp.versions.first().map(String::as_str) == Some("1.5"));
    assert!(wp.is_old_file("wp-admin/import-b2.php"));
    if !dir.exists() {
        return;
    }
    use std::io::Read;
    for name in ["wordpress", "drupal-core", "typo3-cms-core"] {
        let m = bundled(name).unwrap();
        let gz = std::fs::read(dir.join(format!("{name}.tsv.gz"))).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(gz.as_slice())
            .read_to_string(&mut text)
            .unwrap();
        let rows = text.lines().skip(1).count();
        assert_eq!(m.entries.len(), rows, "{name}");
        for line in text.lines().skip(1).step_by(997) {
            let c: Vec<&str> = line.split('\t').collect();
            let sha = engine::read::hash::unhex(c[1]).unwrap();
            let e = m
                .lookup(c[0])
                .iter()
                .find(|e| e.sha[..16] == sha[..16])
                .unwrap();
            let first = c[4].split(',').next().unwrap();
            assert!(
                m.in_version(e, m.version_index(first).unwrap()),
                "{name} {}",
                c[0]
            );
        }
    }
}

#[test]
fn reference_archives_are_matched_where_their_files_sit() {
    let plugin = zip_files(&[
        (
            "myplugin/myplugin.php",
            b"<?php /* Plugin Name: My Plugin\nVersion: 1.2.0 */",
        ),
        ("myplugin/includes/a.php", b"<?php // a"),
        ("myplugin/includes/b.php", b"<?php // b"),
        ("myplugin/readme.txt", b"readme"),
    ]);
    let m = engine::know::reference::build_from_archive(
        std::io::Cursor::new(&plugin),
        plugin.len() as u64,
        "myplugin.1.2.0.zip",
        &mut engine::collect::Silent,
    )
    .unwrap();
    assert_eq!(m.name, "myplugin");
    assert_eq!(m.versions, ["1.2.0"]);
    assert_eq!(m.hash_len, 32);
    // round trip through the file format the `manifest` command writes
    let m = engine::know::manifest::decode(&engine::know::manifest::encode(&[m]).unwrap())
        .unwrap()
        .remove(0);
    let backup = zip_files(&[
        (
            "www/wp-content/plugins/myplugin/myplugin.php",
            b"<?php /* Plugin Name: My Plugin\nVersion: 1.2.0 */",
        ),
        (
            "www/wp-content/plugins/myplugin/includes/a.php",
            b"<?php // a\n@eval($_POST['x']); // defanged-test",
        ),
        (
            "www/wp-content/plugins/myplugin/includes/c.php",
            b"<?php // new",
        ),
        ("www/wp-content/plugins/myplugin/readme.txt", b"readme"),
        ("www/index.html", b"<html>"),
    ]);
    let r = scan_with(
        &backup,
        "b.zip",
        &[Reference {
            label: "myplugin.1.2.0.zip".into(),
            manifest: m,
        }],
    )
    .unwrap();
    let st = |p: &str| status_of(&r, p).map(|f| f.status);
    assert_eq!(
        st("www/wp-content/plugins/myplugin/includes/a.php"),
        Some(Status::Modified)
    );
    assert_eq!(
        st("www/wp-content/plugins/myplugin/includes/c.php"),
        Some(Status::Added)
    );
    assert_eq!(
        st("www/wp-content/plugins/myplugin/includes/b.php"),
        Some(Status::Missing)
    );
    assert_eq!(st("www/wp-content/plugins/myplugin/readme.txt"), None);
    assert_eq!(st("www/index.html"), Some(Status::Unknown));
    assert!(
        status_of(&r, "www/wp-content/plugins/myplugin/includes/a.php")
            .unwrap()
            .reference
            .as_deref()
            .unwrap()
            .contains("myplugin.1.2.0.zip")
    );
    // a reference that fits nowhere is a warning
    let r = scan_with(
        &zip_files(&[("x/y.txt", b"y")]),
        "b.zip",
        &[Reference {
            label: "other.zip".into(),
            manifest: bundled("typo3-cms-core").unwrap(),
        }],
    )
    .unwrap();
    assert!(r.warnings.iter().any(|w| w.kind == WarningKind::Reference));
}

#[test]
fn non_cms_trees_from_debian_are_unknown_not_alarming() {
    for pkg in ["dokuwiki", "mediawiki"] {
        let tree = debian_tree(pkg);
        let sub = if pkg == "dokuwiki" {
            "usr/share/dokuwiki"
        } else {
            "usr/share/mediawiki"
        };
        let bytes = zip_dir(&tree.join(sub), "public_html/");
        let r = scan(&bytes).unwrap();
        assert!(
            r.cms.is_empty(),
            "{pkg}: {:?}",
            r.cms.iter().map(|c| &c.name).collect::<Vec<_>>()
        );
        assert_eq!(r.roots, ["public_html/"], "{pkg}");
        assert_eq!(r.verdict, SiteVerdict::Clean, "{pkg}");
        assert_eq!(r.summary.unknown, r.summary.files, "{pkg}");
        assert!(r.summary.files > 100, "{pkg}");
    }
}

// ------------------------------------------------------------------ hostile archives

#[test]
fn hostile_names_are_warnings_and_still_scanned() {
    cases::hostile_names_are_warnings_and_still_scanned();
}

#[test]
fn links_encryption_methods_and_crc_are_entry_warnings() {
    cases::links_encryption_methods_and_crc_are_entry_warnings();
}

#[test]
fn lying_sizes_and_duplicates_are_caught() {
    cases::lying_sizes_and_duplicates_are_caught();
}

#[test]
fn shared_data_bomb_entries_are_skipped() {
    cases::shared_data_bomb_entries_are_skipped();
}

#[test]
fn archive_level_failures_have_clear_messages() {
    cases::archive_level_failures_have_clear_messages();
}

#[test]
fn truncated_tar_gz_reports_what_it_could_read() {
    cases::truncated_tar_gz_reports_what_it_could_read();
}

#[test]
fn many_entries_stay_fast_and_bounded() {
    let entries: Vec<ZipEntry> = (0..50_000)
        .map(|i| {
            let mut e = ZipEntry::new(&format!("s/d{}/f{i}.txt", i % 100), b"x");
            e.deflate = false;
            e
        })
        .collect();
    let bytes = zip(&entries);
    let r = scan(&bytes).unwrap();
    assert_eq!(r.summary.files, 50_000);
}

#[test]
fn plain_tar_is_read() {
    cases::plain_tar_is_read();
}

// ------------------------------------------------------------------ command-line tool

fn cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_site-triage"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn cli_json_format_and_exit_codes() {
    let dir = std::env::temp_dir().join(format!("st-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let clean = dir.join("clean.zip");
    std::fs::write(&clean, zip_files(&[("public_html/index.html", b"<html>")])).unwrap();
    let out = cli(&["scan", clean.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["cms", "files", "summary", "warnings", "verdict", "archive"] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert_eq!(v["files"][0]["path"], "public_html/index.html");
    for key in ["status", "sha256", "size", "mtime", "verdict"] {
        assert!(v["files"][0].get(key).is_some(), "{key}");
    }

    let bad = dir.join("notes.txt");
    std::fs::write(&bad, b"hello, this is not an archive at all").unwrap();
    let out = cli(&["scan", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a ZIP"));
    assert_eq!(cli(&["scan"]).status.code(), Some(64));
    assert_eq!(cli(&["scan", "/nonexistent/x.zip"]).status.code(), Some(74));

    // a reference archive turned into a manifest file, then used for a scan
    let plugin = dir.join("tool.2.0.zip");
    std::fs::write(
        &plugin,
        zip_files(&[
            ("tool/tool.php", b"<?php // tool"),
            ("tool/lib.php", b"<?php // lib"),
        ]),
    )
    .unwrap();
    let stm = dir.join("tool.stm");
    let out = cli(&[
        "manifest",
        plugin.to_str().unwrap(),
        "-o",
        stm.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hacked = dir.join("hacked.zip");
    std::fs::write(
        &hacked,
        zip_files(&[
            ("www/plugins/tool/tool.php", b"<?php // tool"),
            ("www/plugins/tool/lib.php", b"<?php // lib changed"),
        ]),
    )
    .unwrap();
    let out = cli(&[
        "scan",
        hacked.to_str().unwrap(),
        "--reference",
        stm.to_str().unwrap(),
        "--format",
        "markdown",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains("`www/plugins/tool/lib.php`"), "{md}");

    // A database dump: findings point at table and row, administrators are listed.
    let dump = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sample/database.sql"),
    )
    .unwrap();
    let site = dir.join("with-db.zip");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &dump).unwrap();
    std::fs::write(
        &site,
        zip_files(&[
            ("mysql/site.sql", &dump),
            ("mysql/copy.sql.gz", &gz.finish().unwrap()),
            ("public_html/index.html", b"<html>"),
        ]),
    )
    .unwrap();
    let out = cli(&["scan", site.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for dump_name in ["mysql/site.sql", "mysql/copy.sql.gz"] {
        let f = v["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == dump_name)
            .unwrap();
        let rogue = f["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["rule"] == "sql-rogue-admin")
            .unwrap();
        assert_eq!(
            (rogue["table"].as_str(), rogue["row"].as_str()),
            (Some("wp_users"), Some("7")),
            "{dump_name}"
        );
        assert!(f["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["rule"] == "sql-external-script" && x["row"] == "12"));
    }
    let admins: Vec<&str> = v["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["login"].as_str().unwrap())
        .collect();
    assert_eq!(
        admins,
        ["jane", "wp_update_service", "jane", "wp_update_service"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn tar_gz_bomb_stops_mid_entry() {
    cases::tar_gz_bomb_stops_mid_entry();
}

#[test]
fn ratio_bomb_entry_is_skipped_with_a_warning() {
    cases::ratio_bomb_entry_is_skipped_with_a_warning();
}

#[test]
fn detection_works_on_representative_samples() {
    cases::detection_works_on_representative_samples();
}

#[test]
fn injections_at_the_end_of_big_files_are_seen() {
    cases::injections_at_the_end_of_big_files_are_seen();
}

#[test]
fn bzip2_entries_are_read() {
    cases::bzip2_entries_are_read();
}

#[test]
fn nested_archives_are_not_unpacked() {
    cases::nested_archives_are_not_unpacked();
}

#[test]
fn zip64_entries_are_read() {
    cases::zip64_entries_are_read();
}

#[test]
fn shares_merge_into_the_same_report() {
    cases::shares_merge_into_the_same_report();
}

// ------------------------------------------------------------------ detection

/// Every defanged sample in tests/data/malware is caught with the verdict and rule expected.
#[test]
fn every_malware_sample_family_is_caught() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/malware");
    let expected = std::fs::read_to_string(dir.join("EXPECTED.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = expected
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').collect())
        .collect();
    let files: Vec<(String, Vec<u8>)> = rows
        .iter()
        .map(|r| {
            (
                format!("public_html/wp-content/plugins/evil/{}", r[0]),
                std::fs::read(dir.join(r[0])).unwrap(),
            )
        })
        .collect();
    let refs = borrowed(&files);
    let r = scan(&zip_files(&refs)).unwrap();
    let mut missed = Vec::new();
    for row in &rows {
        let path = format!("public_html/wp-content/plugins/evil/{}", row[0]);
        let f = status_of(&r, &path).unwrap();
        let verdict = format!("{:?}", f.verdict).to_lowercase();
        if verdict != row[1] || !f.findings.iter().any(|x| x.rule == row[2]) {
            missed.push(format!(
                "{}: {verdict} {:?}",
                row[0],
                f.findings
                    .iter()
                    .map(|x| x.rule.as_str())
                    .collect::<Vec<_>>()
            ));
        }
        // Evidence is shown defanged and short.
        for x in &f.findings {
            assert!(
                x.excerpt.chars().count() <= 200
                    && !x.excerpt.contains("https://")
                    && !x.excerpt.contains("http://"),
                "{}",
                x.excerpt
            );
        }
    }
    assert!(
        missed.is_empty(),
        "{} of {} samples not caught as expected:\n{}",
        missed.len(),
        rows.len(),
        missed.join("\n")
    );
    // Decoded payloads are shown for obfuscated samples.
    let f = status_of(
        &r,
        "public_html/wp-content/plugins/evil/obf-three-layers.php",
    )
    .unwrap();
    assert!(
        f.findings.iter().any(|x| x
            .decoded
            .as_deref()
            .is_some_and(|d| d.contains("system($_GET['c'])"))),
        "{:?}",
        f.findings
    );
    assert_eq!(r.verdict, SiteVerdict::Compromised);
}

/// Clean real code must not raise alarms: Debian's CMS trees and PHP/JS libraries.
#[test]
fn clean_real_code_raises_no_alarm() {
    let mut entries = Vec::new();
    for (pkg, sub) in [
        ("wordpress", "usr/share/wordpress"),
        ("mediawiki", "usr/share/mediawiki"),
        ("dokuwiki", "usr/share/dokuwiki"),
        ("libphp-phpmailer", "usr/share"),
        ("php-getid3", "usr/share"),
        ("libjs-jquery", "usr/share"),
        ("libjs-jquery-ui", "usr/share"),
        ("php-twig", "usr/share"),
        ("php-phpseclib", "usr/share"),
        ("php-tcpdf", "usr/share"),
        ("libphp-simplepie", "usr/share"),
        ("phpmyadmin", "usr/share"),
    ] {
        let root = debian_tree(pkg).join(sub);
        for (rel, bytes) in read_tree(&root) {
            entries.push((format!("site/{pkg}/{rel}"), bytes));
        }
    }
    let refs = borrowed(&entries);
    let r = scan(&zip_files(&refs)).unwrap();
    let flagged: Vec<String> = r
        .files
        .iter()
        .filter(|f| !f.findings.is_empty())
        .map(|f| {
            format!(
                "{} {:?}: {:?}",
                f.path,
                f.verdict,
                f.findings.iter().map(|x| &x.rule).collect::<Vec<_>>()
            )
        })
        .collect();
    let malicious = r
        .files
        .iter()
        .filter(|f| f.verdict == Verdict::Malicious)
        .count();
    let suspicious = r
        .files
        .iter()
        .filter(|f| !f.findings.is_empty() && f.verdict == Verdict::Suspicious)
        .count();
    assert!(r.summary.files > 20_000, "{}", r.summary.files);
    assert_eq!(malicious, 0, "{flagged:#?}");
    assert!(suspicious <= 3, "{flagged:#?}");
}

/// A known clean vendor build is never flagged, whatever a rule thought of it.
#[test]
fn known_good_vendor_builds_are_cleared() {
    let table = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("manifests/known-files.tsv"),
    )
    .unwrap();
    let line = table
        .lines()
        .find(|l| l.contains("jquery 3.7.1") && l.contains("jquery.min.js"))
        .unwrap();
    let sha: [u8; 32] = engine::read::hash::unhex(line.split('\t').next().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let mut flagged = release_as_backup(&bundled("wordpress").unwrap(), 0, "x/")
        .files
        .remove(0);
    flagged.name = "site/js/jquery.min.js".into();
    flagged.path = flagged.name.clone();
    flagged.sha256 = sha;
    flagged.findings = vec![engine::report::Finding {
        rule: "js-external-script-loader".into(),
        severity: engine::report::Severity::Suspicious,
        title: "t".into(),
        why: "w".into(),
        action: engine::report::Action::Review,
        line: Some(1),
        excerpt: String::new(),
        decoded: None,
        table: None,
        row: None,
    }];
    let c = Collected {
        files: vec![flagged],
        format: ArchiveFormat::Zip,
        ..Collected::default()
    };
    let r = judge::analyze(c, &HashMap::new(), &[], "x.zip");
    let f = status_of(&r, "site/js/jquery.min.js").unwrap();
    assert_eq!(f.verdict, Verdict::Clean);
    assert!(f.findings.is_empty());
    assert!(
        f.note.as_deref().unwrap().contains("jquery 3.7.1"),
        "{:?}",
        f.note
    );
}

/// Exports keep hostile names inert: no markup from the backup in the HTML report.
#[test]
fn html_and_markdown_exports_keep_hostile_names_inert() {
    let bytes = zip_files(&[
        (
            "public_html/<img src=x onerror=alert(1)>.php",
            b"<?php @eval($_POST['x']);",
        ),
        ("public_html/<script>alert(1)</script>.js", b"x"),
        ("public_html/[link](javascript:alert(1)).php", b"x"),
    ]);
    let r = scan(&bytes).unwrap();
    let html = engine::present::render::html(&r, None);
    assert!(
        !html.contains("<img") && !html.contains("<script") && !html.contains("<iframe"),
        "{html}"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;.php"));
    assert!(html.contains("default-src 'none'"));
    // In Markdown, names only ever appear inside code spans, where links are not links.
    let md = engine::present::render::markdown(&r);
    let outside_code: String = md.split('`').step_by(2).collect();
    let escaped = |needle: &str| {
        outside_code
            .match_indices(needle)
            .all(|(i, _)| i > 0 && outside_code.as_bytes()[i - 1] == b'\\')
    };
    assert!(
        !outside_code.contains("](javascript:") && escaped("<img") && escaped("<script"),
        "{md}"
    );
    assert!(md.contains("`public_html/[link](javascript:alert(1)).php`"));
}

/// Every literal the code hands to the translation functions, every rule and every fixed
/// wording has a Norwegian translation: a missing one fails here, not in front of a reader.
#[test]
fn every_text_the_code_shows_has_a_norwegian_translation() {
    use site_triage::engine::detect::rules::RULES;
    use site_triage::engine::i18n::{lookup, Lang};
    use site_triage::engine::present::explain;
    use site_triage::engine::report::Action;
    use site_triage::engine::report::Status;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lit = r#""((?:[^"\\]|\\.)*)""#;
    let calls = regex::Regex::new(&format!(
        r#"(?:\bt\(\s*[a-z_]+,\s*|tf!\(\s*[a-z_]+,\s*|en!\(\s*){lit}"#
    ))
    .unwrap();
    // Fixed English texts the page's state and worker hand to `translate`.
    let plain = regex::Regex::new(&format!(r#"=> {lit}|\({lit}\.into\(\)|ok_or\({lit}"#)).unwrap();
    let mut missing = Vec::new();
    let mut checked = 0;
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let src = std::fs::read_to_string(&p).unwrap();
            let src = src.split("#[cfg(test)]").next().unwrap_or_default();
            let mut texts: Vec<String> =
                calls.captures_iter(src).map(|c| c[1].to_string()).collect();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if matches!(name.as_str(), "state.rs" | "worker.rs") {
                texts.extend(
                    plain
                        .captures_iter(src)
                        .filter_map(|c| c.iter().skip(1).flatten().next())
                        .map(|m| m.as_str().to_string())
                        .filter(|s| s.contains(' ') && s.starts_with(char::is_uppercase)),
                );
            }
            for text in texts {
                let text = text.replace("\\\"", "\"").replace("\\\\", "\\");
                checked += 1;
                if lookup(Lang::Nb, &text).is_none() {
                    missing.push(format!("{name}: {text}"));
                }
            }
        }
    }
    let mut fixed: Vec<&str> = vec![explain::FLAGGED_TITLE, explain::FLAGGED_EXPLANATION];
    for g in &explain::GROUPS {
        fixed.extend([g.title, g.explanation]);
    }
    for a in [Action::Delete, Action::Replace, Action::Review] {
        fixed.push(explain::action_text(a));
    }
    for s in Status::ALL {
        fixed.push(explain::status_label(s, None));
    }
    for loc in [Location::Core, Location::Root, Location::UserContent] {
        fixed.push(explain::status_label(Status::Added, Some(loc)));
    }
    for v in [
        SiteVerdict::Clean,
        SiteVerdict::Suspicious,
        SiteVerdict::Compromised,
    ] {
        fixed.extend([explain::verdict_title(v), explain::verdict_advice(v)]);
    }
    for r in RULES {
        fixed.extend([r.title, r.why]);
    }
    for k in [
        SecretKind::DatabasePassword,
        SecretKind::DatabaseUser,
        SecretKind::CmsKeys,
        SecretKind::SmtpPassword,
        SecretKind::InstallPassword,
        SecretKind::GitCredential,
        SecretKind::ApiKey,
    ] {
        fixed.push(engine::present::explain::secret_kind(k));
    }
    for k in [
        "plugin",
        "must-use plugin",
        "theme",
        "module",
        "extension",
        "component",
        "template",
        "profile",
        "other",
    ] {
        fixed.push(engine::present::explain::component_kind(
            &ComponentKind::from_id(k),
        ));
    }
    for text in fixed {
        checked += 1;
        if lookup(Lang::Nb, text).is_none() {
            missing.push(format!("fixed: {text}"));
        }
    }
    assert!(
        checked > 350,
        "only {checked} texts found: is the scan of the source broken?"
    );
    assert!(
        missing.is_empty(),
        "{} of {checked} texts have no Norwegian translation:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

/// Reports of real-looking backups — every malware family, a hacked WordPress sample with a
/// database and config, hostile archive entries — read entirely in Norwegian after
/// `localize`, the checklist too; data (paths, excerpts) stays as it was; the language
/// switch keeps the checklist's step ids (so ticks survive it).
#[test]
fn reports_read_entirely_in_norwegian() {
    use site_triage::engine::i18n::{is_translated, localize, sentences, Lang};
    use site_triage::engine::present::checklist;
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for dir in ["malware", "sample"] {
        for e in std::fs::read_dir(data.join(dir)).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if p.is_dir()
                || name.ends_with(".tsv")
                || name.ends_with(".py")
                || name.ends_with(".md")
            {
                continue;
            }
            let target = match name.as_str() {
                "wp-config.php" => "public_html/wp-config.php".to_string(),
                "database.sql" => "backup/database.sql".to_string(),
                "htaccess" => "public_html/.htaccess".to_string(),
                _ => format!("public_html/wp-content/uploads/2024/{dir}-{name}"),
            };
            files.push((target, std::fs::read(&p).unwrap()));
        }
    }
    files.push((
        "public_html/wp-includes/version.php".into(),
        b"<?php\n$wp_version = '6.4.2';\n".to_vec(),
    ));
    files.push((
        "public_html/wp-settings.php".into(),
        b"<?php // changed\n".to_vec(),
    ));
    let refs = borrowed(&files);
    let mut entries: Vec<ZipEntry> = refs.iter().map(|(n, d)| ZipEntry::new(n, d)).collect();
    let mut link = ZipEntry::new("public_html/link", b"/etc/passwd");
    link.symlink = true;
    link.deflate = false;
    let mut enc = ZipEntry::new("public_html/secret.php", b"x");
    enc.flags |= 1;
    let mut method = ZipEntry::new("public_html/lzma.bin", b"x");
    method.method_override = Some(14);
    let mut crc = ZipEntry::new("public_html/bad-crc.php", b"content");
    crc.crc_override = Some(0xdead_beef);
    entries.extend([
        link,
        enc,
        method,
        crc,
        ZipEntry::new("../../etc/cron.d/evil.php", b"a"),
        ZipEntry::new("public_html/gpj.\u{202e}php", b"d"),
    ]);
    let reports = [
        scan(&zip(&entries)).unwrap(),
        scan(&zip_files(&[("site/readme.txt", b"hello")])).unwrap(),
    ];
    let mut untranslated = Vec::new();
    for r in &reports {
        let nb = localize(r, Lang::Nb);
        assert_eq!(nb.language, Lang::Nb);
        for s in sentences(r) {
            if !is_translated(Lang::Nb, s) {
                untranslated.push(s.to_string());
            }
        }
        // Data is never translated.
        assert_eq!(
            r.files.iter().map(|f| &f.path).collect::<Vec<_>>(),
            nb.files.iter().map(|f| &f.path).collect::<Vec<_>>()
        );
        let en_steps = checklist::build(r);
        let nb_steps = checklist::build(&nb);
        assert_eq!(
            en_steps.iter().map(|s| &s.id).collect::<Vec<_>>(),
            nb_steps.iter().map(|s| &s.id).collect::<Vec<_>>()
        );
        for (e, n) in en_steps.iter().zip(&nb_steps) {
            assert_ne!(e.title, n.title);
            assert_ne!(e.why, n.why);
            for (ei, ni) in e.items.iter().zip(&n.items) {
                // Items that are only a file name stay the same; sentences change.
                if ei.contains(' ') && !ei.starts_with("  ") {
                    assert_ne!(ei, ni, "checklist item not translated");
                }
            }
        }
        let md = engine::present::render::markdown(&nb);
        assert!(md.contains("## Dette gjør du nå"), "{md}");
        let html = engine::present::render::html(&nb, None);
        assert!(html.contains("<html lang=\"nb\">"));
    }
    let r = &reports[0];
    assert_eq!(r.verdict, SiteVerdict::Compromised);
    assert!(!r.secrets.is_empty() && !r.accounts.is_empty() && !r.warnings.is_empty());
    // Exports lose the secrets' values unless asked; the masked forms stay.
    assert!(r.secrets.iter().any(|s| s.value.is_some()));
    let mut stripped = r.clone();
    stripped.strip_secret_values();
    assert!(stripped
        .secrets
        .iter()
        .all(|s| s.value.is_none() && !s.masked.is_empty()));
    assert_eq!(stripped.secrets.len(), r.secrets.len());
    untranslated.sort();
    untranslated.dedup();
    assert!(
        untranslated.is_empty(),
        "{} sentences stay English:\n{}",
        untranslated.len(),
        untranslated.join("\n")
    );
}

/// A ZIP64 archive holding one stored entry of `size` pseudo-random bytes, produced on the
/// fly as it is read (`Read + Seek`): a 4 GiB+ entry without 4 GiB on disk or in memory.
/// Its content and frame are `support::big_entry_*`, shared with the browser test.
struct SyntheticZip {
    head: Vec<u8>,
    size: u64,
    tail: Vec<u8>,
    pos: u64,
    block: Vec<u8>,
    block_no: u64,
}

impl SyntheticZip {
    /// Also returns the entry's CRC-32 and SHA-256, computed from the same bytes.
    fn new(name: &str, size: u64) -> (Self, u32, String) {
        let mut crc = flate2::Crc::new();
        use sha2::Digest;
        let mut sha = sha2::Sha256::new();
        let mut buf = vec![0u8; support::SYNTH_BLOCK as usize];
        let mut done = 0;
        while done < size {
            let n = (size - done).min(support::SYNTH_BLOCK) as usize;
            support::synthetic_block(done / support::SYNTH_BLOCK, &mut buf);
            crc.update(&buf[..n]);
            sha.update(&buf[..n]);
            done += n as u64;
        }
        let crc = crc.sum();
        let (head, tail) = support::big_entry_frame(name, size, crc);
        let zip = SyntheticZip {
            head,
            size,
            tail,
            pos: 0,
            block: vec![0; support::SYNTH_BLOCK as usize],
            block_no: u64::MAX,
        };
        let sha: [u8; 32] = sha.finalize().into();
        (zip, crc, site_triage::engine::read::hash::hex(&sha))
    }

    fn len(&self) -> u64 {
        self.head.len() as u64 + self.size + self.tail.len() as u64
    }
}

impl std::io::Read for SyntheticZip {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let head = self.head.len() as u64;
        let n = if self.pos < head {
            let from = &self.head[self.pos as usize..];
            let n = from.len().min(buf.len());
            buf[..n].copy_from_slice(&from[..n]);
            n
        } else if self.pos < head + self.size {
            let at = self.pos - head;
            let block = at / support::SYNTH_BLOCK;
            if block != self.block_no {
                support::synthetic_block(block, &mut self.block);
                self.block_no = block;
            }
            let in_block = (at % support::SYNTH_BLOCK) as usize;
            let left_in_file = (self.size - at) as usize;
            let n = (self.block.len() - in_block)
                .min(buf.len())
                .min(left_in_file);
            buf[..n].copy_from_slice(&self.block[in_block..in_block + n]);
            n
        } else {
            let at = (self.pos - head - self.size) as usize;
            let from = self.tail.get(at..).unwrap_or(&[]);
            let n = from.len().min(buf.len());
            buf[..n].copy_from_slice(&from[..n]);
            n
        };
        self.pos += n as u64;
        Ok(n)
    }
}

impl std::io::Seek for SyntheticZip {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let target = match to {
            std::io::SeekFrom::Start(p) => Some(p),
            std::io::SeekFrom::End(d) => self.len().checked_add_signed(d),
            std::io::SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target.ok_or_else(|| std::io::Error::other("seek before start"))?;
        Ok(self.pos)
    }
}

/// A single entry larger than 4 GiB (ZIP64 sizes, stored, incompressible): read to the end
/// in bounded memory, with its CRC checked, the right SHA-256 and no warning.
#[test]
fn an_entry_over_4_gib_is_read_in_full() {
    let size = support::BIG_ENTRY_SIZE;
    let (zip, crc, sha) = SyntheticZip::new(support::BIG_ENTRY_NAME, size);
    // The browser test builds the same archive from these (it cannot afford to hash 4 GiB twice).
    assert_eq!(
        (crc, sha.as_str()),
        (support::BIG_ENTRY_CRC, support::BIG_ENTRY_SHA)
    );
    let len = zip.len();
    assert!(len > 4 << 30);
    let r = site_triage::engine::scan(
        zip,
        len,
        "big.zip",
        &mut support::bundled,
        &[],
        &mut site_triage::engine::collect::Silent,
    )
    .unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.summary.files, 1);
    let f = status_of(&r, support::BIG_ENTRY_NAME).unwrap();
    assert_eq!(f.size, size);
    assert_eq!(f.sha256, sha);
}

/// A million tiny entries (a flood, not a site) are read, in one pass and in shares, with
/// every file in the report and memory bounded by the records (~100 MB archive in memory).
#[test]
fn a_million_tiny_entries_are_scanned() {
    let bytes = support::tiny_entries_zip(1_000_000);
    let r = scan(&bytes).unwrap();
    assert_eq!(r.summary.files, 1_000_000);
    assert_eq!(r.archive.format, ArchiveFormat::Zip);
    let two = scan_in_shares(&bytes, 2).unwrap();
    assert_eq!(two.summary.files, 1_000_000);
    assert_eq!(two.files.len(), r.files.len());
}

/// A ZIP says how many entries each share holds: the records get exactly that room up
/// front, not a doubling buffer (at 41,000 files a share had room for 65,536, and both the
/// old and the new buffer were alive while it grew).
#[test]
fn zip_share_records_are_reserved_from_the_central_directory() {
    let names: Vec<String> = (0..1100)
        .map(|i| format!("public_html/wp-content/uploads/f{i}.txt"))
        .collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let bytes = zip_files(&files);
    let len = bytes.len() as u64;
    for (index, count) in [(0, 1), (0, 2), (1, 2)] {
        let part = engine::collect::collect_share(
            std::io::Cursor::new(&bytes),
            len,
            engine::read::Share::new(index, count),
            &mut engine::collect::Silent,
        )
        .unwrap();
        assert!(!part.files.is_empty());
        assert_eq!(
            part.files.capacity(),
            part.files.len(),
            "share {index} of {count}"
        );
    }
}
