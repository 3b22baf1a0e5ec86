//! Administrators in every CMS's database dump (mysqldump and phpMyAdmin exports, written in
//! `tests/data/dumps/` as those tools write them), and the plugins a dump switches on.

use super::*;

use site_triage::engine::report::Account;

fn dump(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/dumps")
        .join(name);
    std::fs::read(&p).unwrap()
}

fn account<'a>(r: &'a engine::Report, login: &str) -> &'a Account {
    r.accounts
        .iter()
        .find(|a| a.login == login)
        .unwrap_or_else(|| panic!("no account {login} in {:?}", r.accounts))
}

/// (table, row) of every finding of `rule` in the report.
fn rows_of(r: &engine::Report, rule: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = r
        .files
        .iter()
        .flat_map(|f| &f.findings)
        .filter(|f| f.rule == rule)
        .map(|f| {
            (
                f.table.clone().unwrap_or_default(),
                f.row.clone().unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

fn gz(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn drupal_10_admins_come_from_roles_config_and_user_1() {
    let bytes = zip_files(&[("backup/shop.sql.gz", &gz(&dump("drupal10.sql")))]);
    let r = scan(&bytes).unwrap();
    let logins: Vec<&str> = r.accounts.iter().map(|a| a.login.as_str()).collect();
    // mia is only an editor; oldadmin's administrator role row is marked deleted.
    assert_eq!(logins.len(), 3, "{logins:?}");
    assert!(account(&r, "shopowner").role.contains("user 1"));
    assert!(account(&r, "shopowner").flags.is_empty());
    assert_eq!(
        account(&r, "lars").role,
        "the rights of the role \"site_ops\""
    );
    let rogue = account(&r, "drupal_sysupdate");
    assert_eq!(rogue.cms, Some(Cms::Drupal));
    assert_eq!(
        (rogue.table.as_str(), rogue.row.as_str()),
        ("users_field_data", "3")
    );
    assert_eq!(rogue.registered.as_deref(), Some("2024-07-29 00:00:00"));
    assert!(
        rogue.flags.iter().any(|f| f.contains("throw-away")),
        "{:?}",
        rogue.flags
    );
    assert_eq!(
        rows_of(&r, "sql-rogue-admin"),
        vec![("users_field_data".into(), "3".into())]
    );
    assert_eq!(r.verdict, SiteVerdict::Suspicious);
}

#[test]
fn drupal_7_admins_come_from_role_names_and_permissions() {
    let bytes = zip_files(&[("db/club.sql", &dump("drupal7-phpmyadmin.sql"))]);
    let r = scan(&bytes).unwrap();
    assert_eq!(r.accounts.len(), 3, "{:?}", r.accounts);
    assert!(account(&r, "clubadmin").role.contains("user 1"));
    assert_eq!(
        account(&r, "petra").role,
        "the rights of the role \"webmaster\""
    );
    let rogue = account(&r, "admin2");
    assert_eq!(
        (rogue.table.as_str(), rogue.row.as_str()),
        ("d7_users", "3")
    );
    assert!(rogue.flags.len() >= 2, "{:?}", rogue.flags);
    assert_eq!(
        rows_of(&r, "sql-rogue-admin"),
        vec![("d7_users".into(), "3".into())]
    );
}

#[test]
fn joomla_admins_follow_the_group_tree_and_enabled_plugins_are_checked() {
    let site: Vec<(&str, &[u8])> = vec![
        (
            "public_html/libraries/src/Version.php",
            b"<?php\nfinal class Version {\n    public const MAJOR_VERSION = 4;\n    public const MINOR_VERSION = 4;\n    public const PATCH_VERSION = 6;\n}\n",
        ),
        ("public_html/plugins/system/cache/cache.php", b"<?php\n// cache plugin\n"),
        ("public_html/plugins/system/cache/cache.xml", b"<extension/>\n"),
    ];
    let sql = dump("joomla4-phpmyadmin.sql");
    let mut files = site.clone();
    files.push(("sql/site.sql", &sql));
    let r = scan(&zip_files(&files)).unwrap();
    let mut logins: Vec<&str> = r.accounts.iter().map(|a| a.login.as_str()).collect();
    logins.sort_unstable();
    assert_eq!(logins, ["joomla_support", "olduser", "owner"]);
    assert_eq!(account(&r, "owner").role, "super user");
    let rogue = account(&r, "joomla_support");
    assert_eq!(rogue.role, "super user (through the group \"Maintenance\")");
    assert_eq!(
        (rogue.table.as_str(), rogue.row.as_str()),
        ("k3x9_users", "414")
    );
    // Blocked accounts are listed, marked, and not reported as the attacker's.
    assert!(account(&r, "olduser").disabled);
    assert_eq!(
        rows_of(&r, "sql-rogue-admin"),
        vec![("k3x9_users".into(), "414".into())]
    );
    // The logrotation plugin is off; the cache plugin is on disk; jcorehelper is on but absent.
    assert_eq!(
        rows_of(&r, "sql-plugin-not-on-disk"),
        vec![("k3x9_extensions".into(), "250".into())]
    );
    // Without the site's files, nothing can be said about its plugins.
    let alone = scan(&zip_files(&[("sql/site.sql", &sql)])).unwrap();
    assert!(rows_of(&alone, "sql-plugin-not-on-disk").is_empty());
}

#[test]
fn typo3_admins_honour_deleted_disabled_and_admin_groups() {
    let bytes = zip_files(&[("typo3-12.sql", &dump("typo3-12.sql"))]);
    let r = scan(&bytes).unwrap();
    let mut logins: Vec<&str> = r.accounts.iter().map(|a| a.login.as_str()).collect();
    logins.sort_unstable();
    // karin is an editor; deletedadmin is deleted.
    assert_eq!(logins, ["_cli_backup", "agency", "disabledadmin", "tom"]);
    assert!(account(&r, "disabledadmin").disabled);
    assert_eq!(
        account(&r, "tom").role,
        "a group that manages users or the system"
    );
    assert_eq!(account(&r, "agency").role, "administrator");
    assert!(account(&r, "agency").flags.is_empty());
    assert_eq!(
        rows_of(&r, "sql-rogue-admin"),
        vec![("be_users".into(), "3".into())]
    );
    // Its backend login, from sys_log, is named as supporting evidence (the failed one is not).
    let flags = account(&r, "_cli_backup").flags.join("; ");
    assert!(flags.contains("from 203.0.113.66"), "{flags}");
}

#[test]
fn wordpress_plugins_switched_on_but_absent_and_a_moved_home_are_found() {
    let sql = b"INSERT INTO `wpx7_options` (`option_id`, `option_name`, `option_value`, `autoload`) VALUES (1,'siteurl','https://bakery.example','yes'),(2,'home','https://bakery-offers.example.top','yes'),(33,'active_plugins','a:3:{i:0;s:19:\"akismet/akismet.php\";i:1;s:24:\"wp-zcache/wp-zcache.php\";i:2;s:9:\"hello.php\";}','yes');\n";
    let files: Vec<(&str, &[u8])> = vec![
        (
            "site/wp-includes/version.php",
            b"<?php\n$wp_version = '6.5.5';\n",
        ),
        (
            "site/wp-content/plugins/akismet/akismet.php",
            b"<?php\n/* Plugin Name: Akismet */\n",
        ),
        (
            "site/wp-content/plugins/hello.php",
            b"<?php\n/* Plugin Name: Hello Dolly */\n",
        ),
        ("site/wp.sql", sql),
    ];
    let r = scan(&zip_files(&files)).unwrap();
    assert_eq!(
        rows_of(&r, "sql-plugin-not-on-disk"),
        vec![("wpx7_options".into(), "active_plugins".into())]
    );
    let why: Vec<&str> = r
        .files
        .iter()
        .flat_map(|f| &f.findings)
        .filter(|f| f.rule == "sql-plugin-not-on-disk")
        .map(|f| f.why.as_str())
        .collect();
    assert!(why[0].contains("wp-content/plugins/wp-zcache"), "{why:?}");
    assert_eq!(
        rows_of(&r, "sql-site-address-elsewhere"),
        vec![("wpx7_options".into(), "home".into())]
    );
}
