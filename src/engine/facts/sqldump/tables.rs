//! The tables of each CMS that say who may administer the site, and how their rows add up to
//! an administrator: WordPress's users and capabilities, Joomla's users and group tree,
//! Drupal 7's and 8+'s users and roles (user 1 always has every right), TYPO3's backend users
//! and groups. Also which plugins the database switches on, to compare with the files.
//!
//! Dumps list tables alphabetically, so a grant often arrives before its user; everything is
//! gathered while the dump streams and resolved once at its end ([`Tables::admins`]). Every
//! map is bounded ([`MAX_ROWS`]): a hostile dump of a million users costs at most that much.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::engine::report::Cms;

/// Rows kept per kind of fact (users, grants, groups).
const MAX_ROWS: usize = 100_000;
/// Parent links followed in a group tree before giving up (a hostile dump can make a loop).
const MAX_DEPTH: usize = 32;

/// A CMS table, known by the end of its name; the part before is the site's table prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Table {
    WpUsers,
    WpUsermeta,
    WpOptions,
    WpPosts,
    JoomlaUsers,
    JoomlaGroupMap,
    JoomlaGroups,
    JoomlaExtensions,
    Drupal8Users,
    Drupal8Roles,
    DrupalConfig,
    Drupal7Users,
    Drupal7UserRoles,
    Drupal7Role,
    Drupal7RolePermission,
    Typo3Users,
    Typo3Groups,
    Typo3SysLog,
}

/// Which table `name` is (its columns settle the shared `…users` suffix), and its prefix.
pub(super) fn table_kind(name: &str, cols: &[String]) -> Option<(Table, String)> {
    let t = name.to_ascii_lowercase();
    let has = |c: &str| cols.iter().any(|x| x == c);
    let cut = |suffix: &str| t.strip_suffix(suffix).map(str::to_owned);
    let fixed = [
        ("be_users", Table::Typo3Users),
        ("be_groups", Table::Typo3Groups),
        ("sys_log", Table::Typo3SysLog),
        ("users_field_data", Table::Drupal8Users),
        ("user__roles", Table::Drupal8Roles),
        ("users_roles", Table::Drupal7UserRoles),
        ("role_permission", Table::Drupal7RolePermission),
        ("_user_usergroup_map", Table::JoomlaGroupMap),
        ("_usergroups", Table::JoomlaGroups),
        ("_usermeta", Table::WpUsermeta),
        ("_options", Table::WpOptions),
        ("_posts", Table::WpPosts),
    ];
    for (suffix, kind) in fixed {
        if let Some(p) = cut(suffix) {
            return Some((kind, p));
        }
    }
    if let Some(p) = cut("_extensions").filter(|_| has("element") && has("folder")) {
        return Some((Table::JoomlaExtensions, p));
    }
    if let Some(p) = cut("role").filter(|_| has("rid") && has("name")) {
        return Some((Table::Drupal7Role, p));
    }
    if let Some(p) = cut("config").filter(|_| has("collection") && has("data")) {
        return Some((Table::DrupalConfig, p));
    }
    let p = cut("users")?;
    if has("username") {
        return Some((
            Table::JoomlaUsers,
            p.strip_suffix('_').unwrap_or(&p).to_owned(),
        ));
    }
    if has("mail") && has("uid") {
        return Some((Table::Drupal7Users, p));
    }
    // WordPress's columns, or a dump without column names: WordPress's order is assumed.
    p.strip_suffix('_')
        .map(|p| (Table::WpUsers, p.to_owned()))
        .filter(|_| cols.is_empty() || has("user_login"))
}

/// A user row, whatever the CMS.
#[derive(Debug, Default, Clone)]
pub(super) struct User {
    pub cms: Option<Cms>,
    pub table: String,
    pub row: String,
    pub login: String,
    pub email: String,
    pub registered: Option<String>,
    /// Blocked, disabled or inactive: cannot log in today.
    pub disabled: bool,
}

/// A plugin (or extension) the database switches on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnabledPlugin {
    pub cms: Cms,
    /// The dump file, table and row that switch it on.
    pub dump: String,
    pub table: String,
    pub row: String,
    /// Its folder (or file) relative to the site root, e.g. `wp-content/plugins/akismet`.
    pub path: String,
}

/// An administrator found at the end of a dump.
#[derive(Debug, Clone)]
pub(super) struct Admin {
    pub user: User,
    pub role: String,
    /// Posts written, where the CMS keeps that (WordPress).
    pub posts: Option<u32>,
    /// The newest backend login the CMS logged (TYPO3's `sys_log`): when, from which address.
    pub last_login: Option<(String, String)>,
}

/// What a dump's CMS tables say, gathered row by row.
#[derive(Debug, Default)]
pub(super) struct Tables {
    users: HashMap<String, User>,
    /// (user key, role) grants that need no further lookup.
    grants: Vec<(String, String)>,
    /// Joomla: (user key, group key); groups: key → (parent key, title).
    group_maps: Vec<(String, String)>,
    groups: HashMap<String, (String, String)>,
    /// Drupal: (user key, role key); role key → name; roles that carry admin rights.
    role_maps: Vec<(String, String)>,
    role_names: HashMap<String, String>,
    admin_roles: HashSet<String>,
    /// TYPO3: group key → admin-like; (user key, group keys).
    typo3_admin_groups: HashSet<String>,
    typo3_members: Vec<(String, Vec<String>)>,
    /// WordPress posts per author key.
    posts: HashMap<String, u32>,
    /// TYPO3: user key → newest logged login (Unix time, address).
    logins: HashMap<String, (i64, String)>,
    pub enabled: Vec<EnabledPlugin>,
}

/// One row, with its column names (lower case) beside it.
pub(super) struct Row<'a> {
    pub cols: &'a [String],
    pub vals: &'a [Option<String>],
}

impl Row<'_> {
    /// The value of `name`, or of position `default` when the dump named no columns.
    pub fn get(&self, name: &str, default: usize) -> Option<&str> {
        let i = if self.cols.is_empty() {
            default
        } else {
            self.cols.iter().position(|c| c == name)?
        };
        self.vals.get(i).and_then(|v| v.as_deref())
    }

    fn flag(&self, name: &str, default: usize) -> bool {
        self.get(name, default)
            .is_some_and(|v| v.trim() != "0" && !v.trim().is_empty())
    }
}

/// A Unix time as `YYYY-MM-DD HH:MM:SS` (Drupal and TYPO3 store seconds).
fn unix_date(v: Option<&str>) -> Option<String> {
    let t: i64 = v?.trim().parse().ok().filter(|t| *t > 0)?;
    Some(
        crate::engine::read::time::iso8601(t)
            .replace('T', " ")
            .replace('Z', ""),
    )
}

fn new_user(table: &str, cms: Cms, row: &str, login: Option<&str>, email: Option<&str>) -> User {
    User {
        cms: Some(cms),
        table: table.to_owned(),
        row: row.trim().to_owned(),
        login: login.unwrap_or("").to_owned(),
        email: email.unwrap_or("").to_owned(),
        ..User::default()
    }
}

fn key(family: &str, prefix: &str, id: &str) -> String {
    format!("{family}:{prefix}:{}", id.trim())
}

impl Tables {
    fn add_user(&mut self, key: String, user: User) {
        if self.users.len() < MAX_ROWS || self.users.contains_key(&key) {
            self.users.insert(key, user);
        }
    }

    fn push<T>(list: &mut Vec<T>, item: T) {
        if list.len() < MAX_ROWS {
            list.push(item);
        }
    }

    /// Takes one row of `kind`; returns the dates it carries (for the dump's newest activity).
    pub fn row(
        &mut self,
        kind: Table,
        prefix: &str,
        table: &str,
        dump: &str,
        r: &Row,
    ) -> Vec<String> {
        let mut dates = Vec::new();
        let d = &mut dates;
        match kind {
            Table::WpUsers | Table::WpUsermeta | Table::WpPosts | Table::WpOptions => {
                self.wordpress(kind, prefix, table, dump, r, d)
            }
            Table::JoomlaUsers
            | Table::JoomlaGroupMap
            | Table::JoomlaGroups
            | Table::JoomlaExtensions => self.joomla(kind, prefix, table, dump, r, d),
            Table::Typo3Users => self.typo3_user(prefix, table, r, d),
            Table::Typo3Groups => self.typo3_group(prefix, r),
            Table::Typo3SysLog => self.typo3_login(prefix, r),
            _ => self.drupal(kind, prefix, table, r, d),
        }
        dates
    }

    /// WordPress: users, capabilities, posts per author, active plugins.
    fn wordpress(
        &mut self,
        kind: Table,
        prefix: &str,
        table: &str,
        dump: &str,
        r: &Row,
        dates: &mut Vec<String>,
    ) {
        match kind {
            Table::WpUsers => {
                let Some(id) = r.get("id", 0) else {
                    return;
                };
                let mut u = new_user(
                    table,
                    Cms::WordPress,
                    id,
                    r.get("user_login", 1),
                    r.get("user_email", 4),
                );
                u.registered = r.get("user_registered", 6).map(str::to_owned);
                dates.extend(u.registered.clone());
                self.add_user(key("wp", prefix, id), u);
            }
            Table::WpUsermeta => {
                let (uid, mkey, value) = (
                    r.get("user_id", 1),
                    r.get("meta_key", 2),
                    r.get("meta_value", 3),
                );
                if let (Some(uid), Some(mkey), Some(value)) = (uid, mkey, value) {
                    if mkey.ends_with("capabilities") && value.contains("\"administrator\"") {
                        Self::push(
                            &mut self.grants,
                            (key("wp", prefix, uid), "administrator".into()),
                        );
                    }
                }
            }
            Table::WpPosts => {
                if let Some(a) = r.get("post_author", 1) {
                    let n = self.posts.entry(key("wp", prefix, a));
                    *n.or_insert(0) += 1;
                }
            }
            Table::WpOptions if r.get("option_name", 1) == Some("active_plugins") => {
                for p in serialized_strings(r.get("option_value", 2).unwrap_or("")) {
                    let folder = p.split('/').next().unwrap_or(p);
                    Self::push(
                        &mut self.enabled,
                        EnabledPlugin {
                            cms: Cms::WordPress,
                            dump: dump.to_owned(),
                            table: table.to_owned(),
                            row: "active_plugins".into(),
                            path: format!("wp-content/plugins/{folder}"),
                        },
                    );
                }
            }
            _ => {}
        }
    }

    /// Joomla: users, the group map and tree, enabled plugins.
    fn joomla(
        &mut self,
        kind: Table,
        prefix: &str,
        table: &str,
        dump: &str,
        r: &Row,
        dates: &mut Vec<String>,
    ) {
        match kind {
            Table::JoomlaUsers => {
                let Some(id) = r.get("id", 0) else {
                    return;
                };
                let mut u = new_user(
                    table,
                    Cms::Joomla,
                    id,
                    r.get("username", 2),
                    r.get("email", 3),
                );
                u.registered = r.get("registerdate", 8).map(str::to_owned);
                u.disabled = r.flag("block", 5);
                dates.extend(u.registered.clone());
                dates.extend(r.get("lastvisitdate", 9).map(str::to_owned));
                self.add_user(key("joomla", prefix, id), u);
            }
            Table::JoomlaGroupMap => {
                if let (Some(uid), Some(gid)) = (r.get("user_id", 0), r.get("group_id", 1)) {
                    Self::push(
                        &mut self.group_maps,
                        (key("joomla", prefix, uid), key("joomla", prefix, gid)),
                    );
                }
            }
            Table::JoomlaGroups => {
                if let Some(id) = r.get("id", 0) {
                    if self.groups.len() < MAX_ROWS {
                        self.groups.insert(
                            key("joomla", prefix, id),
                            (
                                key("joomla", prefix, r.get("parent_id", 1).unwrap_or("0")),
                                r.get("title", 4).unwrap_or("").to_owned(),
                            ),
                        );
                    }
                }
            }
            Table::JoomlaExtensions => {
                let enabled = r.flag("enabled", 7);
                if enabled && r.get("type", 3) == Some("plugin") {
                    if let (Some(folder), Some(element)) = (r.get("folder", 5), r.get("element", 4))
                    {
                        Self::push(
                            &mut self.enabled,
                            EnabledPlugin {
                                cms: Cms::Joomla,
                                dump: dump.to_owned(),
                                table: table.to_owned(),
                                row: r.get("extension_id", 0).unwrap_or("").to_owned(),
                                path: format!("plugins/{folder}/{element}"),
                            },
                        );
                    }
                }
            }
            _ => {}
        }
    }

    /// Drupal 7 and 8+: users (user 1 has every right), roles, admin roles.
    fn drupal(&mut self, kind: Table, prefix: &str, table: &str, r: &Row, dates: &mut Vec<String>) {
        match kind {
            Table::Drupal8Users | Table::Drupal7Users => {
                let Some(uid) = r.get("uid", 0).filter(|u| u.trim() != "0") else {
                    return;
                };
                let family = if kind == Table::Drupal8Users {
                    "d8"
                } else {
                    "d7"
                };
                let (name_at, mail_at) = if kind == Table::Drupal8Users {
                    (4, 6)
                } else {
                    (1, 3)
                };
                let mut u = new_user(
                    table,
                    Cms::Drupal,
                    uid,
                    r.get("name", name_at),
                    r.get("mail", mail_at),
                );
                u.registered = unix_date(r.get("created", 7));
                u.disabled = !r.flag("status", 10);
                dates.extend(u.registered.clone());
                dates.extend(unix_date(r.get("access", 8)));
                dates.extend(unix_date(r.get("changed", 99)));
                if uid.trim() == "1" {
                    Self::push(
                        &mut self.grants,
                        (
                            key(family, prefix, uid),
                            "site owner (user 1, every right)".into(),
                        ),
                    );
                }
                self.add_user(key(family, prefix, uid), u);
            }
            Table::Drupal8Roles => {
                if r.flag("deleted", 1) {
                    return;
                }
                if let (Some(uid), Some(role)) =
                    (r.get("entity_id", 2), r.get("roles_target_id", 6))
                {
                    Self::push(
                        &mut self.role_maps,
                        (key("d8", prefix, uid), key("d8", prefix, role)),
                    );
                    self.role_names
                        .insert(key("d8", prefix, role), role.to_owned());
                }
            }
            Table::DrupalConfig => {
                let (name, data) = (r.get("name", 1), r.get("data", 2));
                if let (Some(role), Some(data)) =
                    (name.and_then(|n| n.strip_prefix("user.role.")), data)
                {
                    if data.contains("s:8:\"is_admin\";b:1") || grants_admin(data) {
                        self.admin_roles.insert(key("d8", prefix, role));
                    }
                }
            }
            Table::Drupal7UserRoles => {
                if let (Some(uid), Some(rid)) = (r.get("uid", 0), r.get("rid", 1)) {
                    Self::push(
                        &mut self.role_maps,
                        (key("d7", prefix, uid), key("d7", prefix, rid)),
                    );
                }
            }
            Table::Drupal7Role => {
                if let (Some(rid), Some(name)) = (r.get("rid", 0), r.get("name", 1)) {
                    if self.role_names.len() < MAX_ROWS {
                        self.role_names
                            .insert(key("d7", prefix, rid), name.to_owned());
                    }
                }
            }
            Table::Drupal7RolePermission => {
                if let (Some(rid), Some(perm)) = (r.get("rid", 0), r.get("permission", 1)) {
                    if grants_admin(perm) {
                        self.admin_roles.insert(key("d7", prefix, rid));
                    }
                }
            }
            _ => {}
        }
    }

    /// TYPO3: a `sys_log` row of a backend login (type 255, action 1, no error).
    fn typo3_login(&mut self, prefix: &str, r: &Row) {
        let login = r.get("type", 99) == Some("255")
            && r.get("action", 99) == Some("1")
            && !r.flag("error", 99);
        let (Some(uid), Some(ts)) = (r.get("userid", 99), r.get("tstamp", 99)) else {
            return;
        };
        let Ok(ts) = ts.trim().parse::<i64>() else {
            return;
        };
        if !login || (self.logins.len() >= MAX_ROWS && !self.logins.contains_key(uid)) {
            return;
        }
        let ip: String = r.get("ip", 99).unwrap_or("").chars().take(64).collect();
        let e = self
            .logins
            .entry(key("typo3", prefix, uid))
            .or_insert((ts, ip.clone()));
        if ts >= e.0 {
            *e = (ts, ip);
        }
    }

    /// TYPO3: a backend group that may manage users or the system counts as admin-like.
    fn typo3_group(&mut self, prefix: &str, r: &Row) {
        let Some(uid) = r.get("uid", 0) else {
            return;
        };
        let mods = r.get("groupmods", 99).unwrap_or("").to_ascii_lowercase();
        let admin_like = [
            "beuser",
            "toolsmaint",
            "toolssettings",
            "backend_user_management",
            "permissions",
        ]
        .iter()
        .any(|m| mods.contains(m));
        if admin_like && !r.flag("deleted", 99) && !r.flag("hidden", 99) {
            self.typo3_admin_groups.insert(key("typo3", prefix, uid));
        }
    }

    fn typo3_user(&mut self, prefix: &str, table: &str, r: &Row, dates: &mut Vec<String>) {
        let Some(uid) = r.get("uid", 0) else {
            return;
        };
        if r.flag("deleted", 99) {
            return;
        }
        let u = User {
            cms: Some(Cms::Typo3),
            table: table.to_owned(),
            row: uid.trim().to_owned(),
            login: r.get("username", 3).unwrap_or("").to_owned(),
            email: r.get("email", 99).unwrap_or("").to_owned(),
            registered: unix_date(r.get("crdate", 99)),
            disabled: r.flag("disable", 99),
        };
        dates.extend(u.registered.clone());
        dates.extend(unix_date(r.get("lastlogin", 99)));
        dates.extend(unix_date(r.get("tstamp", 2)));
        let k = key("typo3", prefix, uid);
        if r.flag("admin", 99) {
            Self::push(&mut self.grants, (k.clone(), "administrator".into()));
        } else if let Some(groups) = r.get("usergroup", 99).filter(|g| !g.is_empty()) {
            let keys = groups
                .split(',')
                .take(64)
                .map(|g| key("typo3", prefix, g))
                .collect();
            Self::push(&mut self.typo3_members, (k.clone(), keys));
        }
        self.add_user(k, u);
    }

    /// Joomla: whether a group is Super Users (8) or Administrator (7), or descends from one;
    /// the role in words.
    fn joomla_role(&self, group: &str) -> Option<String> {
        let mut g = group.to_owned();
        for _ in 0..MAX_DEPTH {
            let id = g.rsplit(':').next().unwrap_or("");
            if id == "8" || id == "7" {
                let title = self.groups.get(group).map(|x| x.1.as_str()).unwrap_or("");
                return Some(match (id == "8", g == group) {
                    (true, true) => "super user".to_owned(),
                    (false, true) => "administrator".to_owned(),
                    (true, false) => crate::en!("super user (through the group \"{0}\")", title),
                    (false, false) => {
                        crate::en!("administrator (through the group \"{0}\")", title)
                    }
                });
            }
            g = self.groups.get(&g)?.0.clone();
        }
        None
    }

    /// Every administrator, once each, with all their roles.
    pub fn admins(&self) -> Vec<Admin> {
        let mut roles: Vec<(String, String)> = self.grants.clone();
        for (u, g) in &self.group_maps {
            if let Some(role) = self.joomla_role(g) {
                roles.push((u.clone(), role));
            }
        }
        for (u, r) in &self.role_maps {
            let name = self.role_names.get(r).map(String::as_str).unwrap_or("");
            if name == "administrator" || self.admin_roles.contains(r) {
                let name = if name.is_empty() {
                    r.rsplit(':').next().unwrap_or("")
                } else {
                    name
                };
                roles.push((
                    u.clone(),
                    crate::en!("the rights of the role \"{0}\"", name),
                ));
            }
        }
        for (u, groups) in &self.typo3_members {
            if groups.iter().any(|g| self.typo3_admin_groups.contains(g)) {
                roles.push((u.clone(), "a group that manages users or the system".into()));
            }
        }
        let mut out: Vec<(String, Admin)> = Vec::new();
        for (k, role) in roles {
            let Some(user) = self.users.get(&k) else {
                continue;
            };
            match out.iter_mut().find(|(ok, _)| *ok == k) {
                Some((_, a)) if !a.role.contains(&role) => {
                    a.role.push_str(", ");
                    a.role.push_str(&role);
                }
                Some(_) => {}
                None => {
                    let posts = (user.cms == Some(Cms::WordPress))
                        .then(|| self.posts.get(&k).copied().unwrap_or(0))
                        .filter(|_| !self.posts.is_empty());
                    let last_login = self
                        .logins
                        .get(&k)
                        .and_then(|(t, ip)| Some((unix_date(Some(&t.to_string()))?, ip.clone())));
                    out.push((
                        k,
                        Admin {
                            user: user.clone(),
                            role,
                            posts,
                            last_login,
                        },
                    ));
                }
            }
        }
        out.into_iter().map(|(_, a)| a).collect()
    }
}

/// Permissions that amount to running the site (Drupal).
fn grants_admin(text: &str) -> bool {
    [
        "administer site configuration",
        "administer permissions",
        "administer users",
        "administer modules",
    ]
    .iter()
    .any(|p| text.contains(p))
}

/// The string values of a PHP-serialised array (`a:1:{i:0;s:19:"akismet/akismet.php";}`).
fn serialized_strings(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("s:") {
        rest = rest.get(i + 2..).unwrap_or("");
        let Some(colon) = rest.find(':') else { break };
        let Ok(n) = rest.get(..colon).unwrap_or("").parse::<usize>() else {
            continue;
        };
        let body = rest.get(colon + 1..).unwrap_or("");
        if let Some(v) = body.strip_prefix('"').and_then(|b| b.get(..n)) {
            out.push(v);
            rest = body.get(n + 1..).unwrap_or("");
        }
        if out.len() >= 1000 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialized_strings_reads_plugin_lists_and_survives_garbage() {
        assert_eq!(
            serialized_strings("a:2:{i:0;s:19:\"akismet/akismet.php\";i:1;s:9:\"hello.php\";}"),
            vec!["akismet/akismet.php", "hello.php"]
        );
        assert!(serialized_strings("s:999:\"short\"").is_empty());
        assert!(serialized_strings("s:x:s:").is_empty());
    }

    #[test]
    fn a_group_loop_ends() {
        let mut t = Tables::default();
        t.groups
            .insert("joomla:j:20".into(), ("joomla:j:21".into(), "a".into()));
        t.groups
            .insert("joomla:j:21".into(), ("joomla:j:20".into(), "b".into()));
        assert_eq!(t.joomla_role("joomla:j:20"), None);
        t.groups
            .insert("joomla:j:22".into(), ("joomla:j:8".into(), "Ops".into()));
        assert_eq!(
            t.joomla_role("joomla:j:22").as_deref(),
            Some("super user (through the group \"Ops\")")
        );
    }
}
