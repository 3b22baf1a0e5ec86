//! Recognising installs and their versions; the integrity diff against bundled and user-given releases.

use super::*;

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
