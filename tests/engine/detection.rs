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
    assert_eq!(suspicious, 0, "{flagged:#?}");
    // Not one finding at all, hints included (the README says so).
    assert!(flagged.is_empty(), "{flagged:#?}");
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
    // Debian's own wp-config.php ends with `?>` and a newline: not code after the end.
    let debian =
        std::fs::read(debian_tree("wordpress").join("usr/share/wordpress/wp-config.php")).unwrap();
    let mut closed = wp.clone();
    closed.extend_from_slice(b"\n?>\n");
    let zip = zip_files(&[
        ("a/wp-config.php", &wp),
        ("b/wp-config.php", &appended),
        ("e/wp-config.php", &debian),
        ("f/wp-config.php", &closed),
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
    assert!(!rules("e/wp-config.php").contains(&"php-after-config-end".to_string()));
    assert!(!rules("f/wp-config.php").contains(&"php-after-config-end".to_string()));
    assert!(!rules("c/configuration.php").contains(&"php-after-config-end".to_string()));
    assert!(rules("d/configuration.php").contains(&"php-after-config-end".to_string()));
}

/// Pseudo-random bytes (xorshift64*): the entropy of compressed image data, reproducible.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn fill(&mut self, out: &mut Vec<u8>, n: usize) {
        let start = out.len();
        out.resize(start + n, 0);
        for chunk in out[start..].chunks_mut(8) {
            let v = self.next().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }

    /// A size in bytes the way a site's uploads come: thumbnails, medium sizes, full photos.
    fn size(&mut self) -> usize {
        let r = self.next() % 100;
        let (lo, hi) = match r {
            0..50 => (3_000, 30_000),
            50..90 => (30_000, 150_000),
            _ => (150_000, 600_000),
        };
        lo + (self.next() as usize) % (hi - lo)
    }
}

/// A photo-shaped file of `format` and about `size` bytes: the format's real header and
/// structure around entropy-coded (random) data, with camera metadata in JPEGs.
fn generated_photo(format: usize, size: usize, noise: &mut Noise) -> (&'static str, Vec<u8>) {
    let mut out = Vec::with_capacity(size + 512);
    match format {
        0 => {
            out.extend_from_slice(
                b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00",
            );
            out.extend_from_slice(b"\xFF\xE1\x00\x40Exif\x00\x00MM\x00\x2ACanon\x00EOS 80D\x002024:05:17 10:22:31\x00");
            out.resize(out.len() + 20, 0);
            out.extend_from_slice(b"\xFF\xDB\x00\x43\x00");
            noise.fill(&mut out, 64);
            out.extend_from_slice(
                b"\xFF\xC0\x00\x11\x08\x0F\xA0\x17\x70\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01",
            );
            out.extend_from_slice(b"\xFF\xDA\x00\x0C\x03\x01\x00\x02\x11\x03\x11\x00\x3F\x00");
            // Entropy-coded data: a 0xFF byte is always followed by a stuffed 0x00.
            let body = out.len();
            noise.fill(&mut out, size);
            let mut k = body;
            while k + 1 < out.len() {
                if out[k] == 0xFF {
                    out[k + 1] = 0x00;
                    k += 1;
                }
                k += 1;
            }
            out.extend_from_slice(b"\xFF\xD9");
            ("jpg", out)
        }
        1 => {
            out.extend_from_slice(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x07\x80\x00\x00\x04\x38\x08\x06\x00\x00\x00");
            noise.fill(&mut out, 4);
            for _ in 0..size / 65_536 + 1 {
                let n = size.min(65_536);
                out.extend_from_slice(&(n as u32).to_be_bytes());
                out.extend_from_slice(b"IDAT");
                noise.fill(&mut out, n + 4);
            }
            out.extend_from_slice(b"\x00\x00\x00\x00IEND\xAE\x42\x60\x82");
            ("png", out)
        }
        2 => {
            out.extend_from_slice(b"GIF89a\x80\x02\xE0\x01\xF7\x00\x00");
            noise.fill(&mut out, 768);
            out.extend_from_slice(b"\x2C\x00\x00\x00\x00\x80\x02\xE0\x01\x00\x08");
            let mut left = size;
            while left > 0 {
                let n = left.min(255);
                out.push(n as u8);
                noise.fill(&mut out, n);
                left -= n;
            }
            out.extend_from_slice(b"\x00\x3B");
            ("gif", out)
        }
        _ => {
            out.extend_from_slice(b"RIFF");
            out.extend_from_slice(&((size + 12) as u32).to_le_bytes());
            out.extend_from_slice(b"WEBPVP8 ");
            out.extend_from_slice(&(size as u32).to_le_bytes());
            noise.fill(&mut out, size);
            ("webp", out)
        }
    }
}

/// "PHP in an image" needs PHP code, not the three bytes `<?=` that about one photo in a
/// hundred carries somewhere in its compressed data: 20,000 generated photos of realistic
/// sizes in four formats (1.6 GB), none flagged; the same photo carrying a PHP backdoor is.
#[test]
fn twenty_thousand_photos_raise_no_alarm() {
    let detector = engine::detect::detector().unwrap();
    let mut noise = Noise(0x5eed_1234_abcd_0001);
    let (mut flagged, mut bytes, mut with_tag) = (Vec::new(), 0usize, 0usize);
    for n in 0..20_000 {
        let size = noise.size();
        let (ext, photo) = generated_photo(n % 4, size, &mut noise);
        bytes += photo.len();
        if photo.windows(2).any(|w| w == b"<?") {
            with_tag += 1;
        }
        let path = format!("wp-content/uploads/2024/05/IMG_{n:05}.{ext}");
        let found = detector.scan(&path, &photo);
        if !found.is_empty() {
            flagged.push(format!(
                "{path}: {:?}",
                found.iter().map(|f| &f.rule).collect::<Vec<_>>()
            ));
        }
    }
    assert!(bytes > 1_000_000_000, "{bytes} bytes generated");
    // The data is realistic: many photos carry `<?` by chance.
    assert!(with_tag > 1_000, "only {with_tag} photos carry <?");
    assert!(
        flagged.is_empty(),
        "{} photos flagged: {:?}",
        flagged.len(),
        &flagged[..flagged.len().min(5)]
    );
    let (_, mut photo) = generated_photo(0, 20_000, &mut noise);
    photo.extend_from_slice(b"<?php @eval($_POST['x']); ?>");
    assert!(!detector
        .scan("wp-content/uploads/2024/05/IMG_99999.jpg", &photo)
        .is_empty());
}
