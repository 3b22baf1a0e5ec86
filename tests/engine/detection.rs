//! Content detection: the defanged samples, clean real code, known files.

use super::*;

#[test]
fn detection_works_on_representative_samples() {
    cases::detection_works_on_representative_samples();
}

#[test]
fn injections_at_the_end_of_big_files_are_seen() {
    cases::injections_at_the_end_of_big_files_are_seen();
}

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

/// Code appended after the normal end of a configuration file is reported; the file as the
/// CMS writes it is not.
#[test]
fn code_after_the_end_of_a_config_file_is_seen() {
    let wp = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sample/wp-config.php"),
    )
    .unwrap();
    let mut appended = wp.clone();
    appended.extend_from_slice(b"\n$k = 'x'; if (isset($k)) { echo $k; }\n");
    let joomla =
        b"<?php\nclass JConfig {\n\tpublic $offline = '0';\n\tpublic $password = 'p';\n}\n";
    let mut joomla_appended = joomla.to_vec();
    joomla_appended.extend_from_slice(b"$t = base64_decode('ZWNobyAx'); echo $t;\n");
    let zip = zip_files(&[
        ("a/wp-config.php", &wp),
        ("b/wp-config.php", &appended),
        ("c/configuration.php", joomla),
        ("d/configuration.php", &joomla_appended),
    ]);
    let r = scan(&zip).unwrap();
    let rules = |p: &str| -> Vec<String> {
        status_of(&r, p)
            .map(|f| f.findings.iter().map(|x| x.rule.clone()).collect())
            .unwrap_or_default()
    };
    assert!(!rules("a/wp-config.php").contains(&"php-after-config-end".to_string()));
    assert!(rules("b/wp-config.php").contains(&"php-after-config-end".to_string()));
    assert!(!rules("c/configuration.php").contains(&"php-after-config-end".to_string()));
    assert!(rules("d/configuration.php").contains(&"php-after-config-end".to_string()));
}
