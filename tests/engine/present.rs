//! What the owner reads: exports that keep hostile names inert, and the Norwegian translation.

use super::*;

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
    for loc in [
        Location::Core,
        Location::Root,
        Location::UserContent,
        Location::OutsideSite,
    ] {
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
    let dumps: Vec<(String, Vec<u8>)> = [
        "drupal10.sql",
        "drupal7-phpmyadmin.sql",
        "joomla4-phpmyadmin.sql",
        "typo3-12.sql",
    ]
    .iter()
    .map(|n| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/dumps")
            .join(n);
        (format!("db/{n}"), std::fs::read(path).unwrap())
    })
    .collect();
    let reports = [
        scan(&zip(&entries)).unwrap(),
        scan(&zip_files(&[("site/readme.txt", b"hello")])).unwrap(),
        scan(&super::hosting::account_backup(&[])).unwrap(),
        scan(&zip_files(&borrowed(&dumps))).unwrap(),
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
