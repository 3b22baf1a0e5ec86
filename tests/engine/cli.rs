//! The command-line tool: formats, exit codes, options.

use super::*;

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

/// `--format csv` writes the file list with the JSON's names (`user-content`, not a Rust
/// Debug name), quoted cells and spreadsheet formulas defused; secrets stay out of every
/// format unless `--include-secrets`.
#[test]
fn csv_format_uses_the_wire_names_and_exports_hide_secrets() {
    let dir = std::env::temp_dir().join(format!("st-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let backup = dir.join("site.zip");
    std::fs::write(
        &backup,
        zip_files(&[
            (
                "public_html/wp-content/uploads/2024/=x.php",
                b"<?php echo 1;",
            ),
            (
                "public_html/wp-config.php",
                b"<?php define('DB_PASSWORD', 'Sup3rS3cretPass');",
            ),
        ]),
    )
    .unwrap();
    let b = backup.to_str().unwrap();
    let out = cli(&["scan", b, "--format", "csv"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("path,status,location,verdict,size,mtime,sha256,findings")
    );
    let row = text
        .lines()
        .find(|l| l.contains("=x.php"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        row.starts_with("\"'public_html/") || row.starts_with("\"public_html/"),
        "{row}"
    );
    assert!(row.contains(",added,user-content,"), "{row}");
    for format in ["text", "json", "markdown", "html", "csv"] {
        let hidden = cli(&["scan", b, "--format", format]);
        assert!(
            !String::from_utf8_lossy(&hidden.stdout).contains("Sup3rS3cretPass"),
            "{format} shows a secret"
        );
    }
    let shown = cli(&["scan", b, "--format", "json", "--include-secrets"]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("Sup3rS3cretPass"));
    assert_eq!(cli(&["scan", b, "--format", "xml"]).status.code(), Some(64));
}

/// Several backups on the command line: one JSON document with every report, the backup to
/// restore and the changes; text, Markdown and HTML lead with the comparison; the exit code
/// is the worst verdict; a damaged backup is reported and the rest still compared.
#[test]
fn cli_compares_several_backups() {
    let dir = std::env::temp_dir().join(format!("st-cli-series-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let shell: &[u8] = include_bytes!("../data/malware/chopper.php");
    let page: &[(&str, &[u8])] = &[
        ("public_html/index.html", b"<html>home</html>"),
        ("public_html/about.html", b"<html>about</html>"),
    ];
    let clean = dir.join("site-2026-06-01.zip");
    std::fs::write(&clean, zip_files(page)).unwrap();
    let hacked = dir.join("site-2026-06-08.zip");
    let mut files = page.to_vec();
    files.push(("public_html/wp-content/uploads/x.php", shell));
    std::fs::write(&hacked, zip_files(&files)).unwrap();
    let broken = dir.join("site-2026-06-04.zip");
    std::fs::write(&broken, b"PK\x03\x04 not a zip at all").unwrap();
    let (h, b, c) = (
        hacked.to_str().unwrap(),
        broken.to_str().unwrap(),
        clean.to_str().unwrap(),
    );
    let out = cli(&["scan", h, b, c, "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["backups"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["backups"][0]["verdict"], "compromised");
    assert!(
        v["backups"][1]["error"]["message"].is_string(),
        "{}",
        v["backups"][1]
    );
    assert_eq!(v["restore_from"]["archive"], "site-2026-06-01.zip");
    assert_eq!(v["restore_from"]["made"], "2026-06-01");
    assert_eq!(v["changes"][0]["from"], "site-2026-06-01.zip");
    assert_eq!(v["changes"][0]["to"], "site-2026-06-08.zip");
    assert_eq!(
        v["changes"][0]["added"][0],
        "public_html/wp-content/uploads/x.php"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("site-2026-06-04.zip"));

    let text = cli(&["scan", h, c]);
    let text = String::from_utf8_lossy(&text.stdout);
    let first = text.lines().take(4).collect::<Vec<_>>().join("\n");
    assert!(first.contains("2 backups compared"), "{first}");
    assert!(
        first.contains("Restore site-2026-06-01.zip (made 2026-06-01)"),
        "{first}"
    );
    let md = cli(&["scan", h, c, "--format", "markdown"]);
    assert!(String::from_utf8_lossy(&md.stdout).starts_with("# Site Triage: 2 backups compared"));
    let html = cli(&["scan", h, c, "--format", "html", "--lang", "nb"]);
    let html = String::from_utf8_lossy(&html.stdout);
    assert!(
        html.contains("Gjenopprett site-2026-06-01.zip"),
        "{}",
        &html[..html.len().min(2000)]
    );
    assert_eq!(html.matches("<html").count(), 1);
    let csv = cli(&["scan", h, c, "--format", "csv"]);
    let csv = String::from_utf8_lossy(&csv.stdout);
    assert!(csv.starts_with("backup,path,"), "{csv}");
    assert!(
        csv.contains("\"site-2026-06-08.zip\",\"public_html/wp-content/uploads/x.php\""),
        "{csv}"
    );
    assert_eq!(cli(&["scan", c, c]).status.code(), Some(0));
}
