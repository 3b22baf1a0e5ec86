//! Reading SQL dumps in a backup (mysqldump / phpMyAdmin exports) of WordPress, Joomla,
//! Drupal and TYPO3: who the administrators are (flagging recent and odd ones, see
//! `tables` for each CMS's rules), which plugins the database switches on, the site address,
//! and scripts or frames injected into posts, options and widgets.
//!
//! Streamed: the dump arrives in chunks during the single pass (a `.sql.gz` through a gzip
//! write-decoder); statements are split outside quotes, and each statement is held only up
//! to [`MAX_STATEMENT`] bytes — longer ones are skipped with a note. Only `CREATE TABLE`
//! (for column order) and `INSERT INTO` statements of the few tables we read are parsed.

use std::collections::HashMap;
use std::io::{self, Write};

use crate::engine::detect;
use crate::engine::report::Finding;
use crate::engine::report::{Account, Action, Cms, Severity};

mod tables;

pub use tables::EnabledPlugin;
use tables::{table_kind, Admin, Row, Table, Tables};

/// A statement longer than this is skipped (one INSERT of a huge table can be 100 MB).
pub const MAX_STATEMENT: usize = 16 << 20;
/// Findings kept per dump.
const MAX_FINDINGS: usize = 200;

/// Streaming reader of one dump file.
pub struct SqlScanner {
    dump: String,
    stmt: Vec<u8>,
    overflow: bool,
    quote: Option<u8>,
    escape: bool,
    line_comment: bool,
    columns: HashMap<String, Vec<String>>,
    tables: Tables,
    /// WordPress's two site addresses (`siteurl`, `home`) per options table.
    addresses: Vec<(String, String, String)>,
    findings: Vec<Finding>,
    db_users: Vec<String>,
    latest: Option<String>,
    /// Flagged posts with the time they were last changed.
    changed_rows: Vec<ChangedRow>,
    pub skipped_statements: u64,
}

/// A row the scan flagged, and when the CMS says it was last changed: a date an intruder who
/// forges file times rarely touches.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChangedRow {
    pub dump: String,
    pub table: String,
    pub row: String,
    /// `YYYY-MM-DD HH:MM:SS`, as the dump holds it.
    pub at: String,
}

/// Flagged rows whose change time is kept, per dump.
const MAX_CHANGED_ROWS: usize = 50;

impl SqlScanner {
    pub fn new(dump: &str) -> Self {
        SqlScanner {
            dump: dump.to_owned(),
            stmt: Vec::new(),
            overflow: false,
            quote: None,
            escape: false,
            line_comment: false,
            columns: HashMap::new(),
            tables: Tables::default(),
            addresses: Vec::new(),
            db_users: Vec::new(),
            findings: Vec::new(),
            latest: None,
            changed_rows: Vec::new(),
            skipped_statements: 0,
        }
    }

    /// Feeds the next bytes of the dump.
    pub fn feed(&mut self, chunk: &[u8]) {
        for &b in chunk {
            if self.line_comment {
                if b == b'\n' {
                    self.line_comment = false;
                }
                continue;
            }
            if !self.overflow {
                if self.stmt.len() < MAX_STATEMENT {
                    self.stmt.push(b);
                } else {
                    self.overflow = true;
                    self.stmt.clear();
                }
            }
            match self.quote {
                Some(q) => {
                    if self.escape {
                        self.escape = false;
                    } else if b == b'\\' && q != b'`' {
                        self.escape = true;
                    } else if b == q {
                        self.quote = None;
                    }
                }
                None => match b {
                    b'\'' | b'"' | b'`' => self.quote = Some(b),
                    b'\n' if self.stmt.len() <= 3 && self.stmt.starts_with(b"--") => {
                        self.stmt.clear();
                    }
                    b'-' if self.stmt.len() == 2 && self.stmt.starts_with(b"--") => {
                        self.stmt.clear();
                        self.line_comment = true;
                    }
                    b';' => self.end_statement(),
                    _ => {}
                },
            }
            if self.stmt.len() == 1 && self.stmt.first().is_some_and(u8::is_ascii_whitespace) {
                self.stmt.clear();
            }
        }
    }

    fn end_statement(&mut self) {
        let stmt = std::mem::take(&mut self.stmt);
        if std::mem::take(&mut self.overflow) {
            self.skipped_statements += 1;
            return;
        }
        let s = trim_start(&stmt);
        if starts_ci(s, b"INSERT INTO")
            || starts_ci(s, b"REPLACE INTO")
            || starts_ci(s, b"INSERT IGNORE INTO")
        {
            self.insert(s);
        } else if starts_ci(s, b"CREATE TABLE") {
            self.create(s);
        } else if starts_ci(s, b"GRANT ") {
            self.grant(s);
        }
    }

    /// `GRANT … TO 'user'@'host' …`: the user's name (never the password that may follow).
    fn grant(&mut self, s: &[u8]) {
        let Some(to) = find_ci(s, b" TO ") else {
            return;
        };
        let rest = trim_start(s.get(to + 4..).unwrap_or(&[]));
        let Some(q) = rest
            .first()
            .copied()
            .filter(|q| matches!(q, b'\'' | b'"' | b'`'))
        else {
            return;
        };
        let body = rest.get(1..).unwrap_or(&[]);
        let Some(end) = body.iter().position(|b| *b == q) else {
            return;
        };
        let user = String::from_utf8_lossy(body.get(..end).unwrap_or(&[])).into_owned();
        if !user.is_empty()
            && user.len() <= 80
            && !self.db_users.contains(&user)
            && self.db_users.len() < 1000
        {
            self.db_users.push(user);
        }
    }

    fn create(&mut self, s: &[u8]) {
        let Some((table, rest)) = table_name(s) else {
            return;
        };
        let Some(open) = rest.iter().position(|b| *b == b'(') else {
            return;
        };
        // Split the definitions at top-level commas; each column starts with its `name`.
        let mut cols = Vec::new();
        let (mut depth, mut quote, mut start) = (0usize, None::<u8>, open + 1);
        for (i, &b) in rest.iter().enumerate().skip(open + 1) {
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None => match b {
                    b'\'' | b'"' => quote = Some(b),
                    b'(' => depth += 1,
                    b')' if depth == 0 => {
                        push_column(&mut cols, rest.get(start..i).unwrap_or(&[]));
                        break;
                    }
                    b')' => depth -= 1,
                    b',' if depth == 0 => {
                        push_column(&mut cols, rest.get(start..i).unwrap_or(&[]));
                        start = i + 1;
                    }
                    _ => {}
                },
            }
        }
        self.columns.insert(table, cols);
    }

    fn insert(&mut self, s: &[u8]) {
        let Some((table, mut rest)) = table_name(s) else {
            return;
        };
        // Optional column list.
        rest = trim_start(rest);
        let mut cols = self.columns.get(&table).cloned().unwrap_or_default();
        if rest.first() == Some(&b'(') {
            if let Some(end) = rest.iter().position(|b| *b == b')') {
                cols = rest
                    .get(1..end)
                    .unwrap_or(&[])
                    .split(|b| *b == b',')
                    .map(|c| {
                        String::from_utf8_lossy(c)
                            .trim()
                            .trim_matches('`')
                            .to_ascii_lowercase()
                    })
                    .collect();
                rest = rest.get(end + 1..).unwrap_or(&[]);
            }
        }
        let Some((kind, prefix)) = table_kind(&table, &cols) else {
            return;
        };
        let Some(v) = find_ci(rest, b"VALUES") else {
            return;
        };
        let mut p = Parser {
            s: rest.get(v + 6..).unwrap_or(&[]),
            i: 0,
        };
        while let Some(vals) = p.tuple() {
            self.row(
                &table,
                kind,
                &prefix,
                &Row {
                    cols: &cols,
                    vals: &vals,
                },
            );
            if !p.comma() {
                break;
            }
        }
    }

    fn row(&mut self, table: &str, kind: Table, prefix: &str, r: &Row) {
        for d in self.tables.row(kind, prefix, table, &self.dump, r) {
            self.note_date(&d);
        }
        match kind {
            Table::WpOptions => {
                let (Some(name), Some(value)) = (r.get("option_name", 1), r.get("option_value", 2))
                else {
                    return;
                };
                self.option_row(table, name, value);
            }
            Table::WpPosts => {
                let (id, content) = (r.get("id", 0), r.get("post_content", 4));
                let changed = r
                    .get("post_modified", 14)
                    .or(r.get("post_date", 2))
                    .filter(|d| {
                        d.len() >= 10 && d.as_bytes().first().is_some_and(u8::is_ascii_digit)
                    });
                if let Some(d) = changed {
                    self.note_date(d);
                }
                if let (Some(id), Some(content)) = (id, content) {
                    let before = self.findings.len();
                    self.content(table, id, content, true);
                    if let (true, Some(d)) = (self.findings.len() > before, changed) {
                        if self.changed_rows.len() < MAX_CHANGED_ROWS {
                            self.changed_rows.push(ChangedRow {
                                dump: self.dump.clone(),
                                table: table.to_owned(),
                                row: id.to_owned(),
                                at: d.to_owned(),
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// An options row: a site address that is not a web address, and scripts in the value
    /// (widgets hold HTML by design, so only their scripts count).
    fn option_row(&mut self, table: &str, name: &str, value: &str) {
        if matches!(name, "siteurl" | "home") && self.addresses.len() < 64 {
            self.addresses
                .push((table.to_owned(), name.to_owned(), value.to_owned()));
        }
        if matches!(name, "siteurl" | "home")
            && !(value.starts_with("http://") || value.starts_with("https://"))
        {
            self.push(Finding::fact(
                "sql-site-address",
                Severity::Suspicious,
                "The site address in the database looks wrong",
                "WordPress's own address setting holds something other than a web address. Attackers change it to send every visitor elsewhere.".into(),
                None,
                detect::excerpt(value.as_bytes(), 0, 0),
            ).in_row(table, name));
        }
        self.content(
            table,
            name,
            value,
            name.starts_with("widget_") || name == "sidebars_widgets",
        );
    }

    fn note_date(&mut self, d: &str) {
        if self.latest.as_deref().is_none_or(|l| d > l) && !d.starts_with("0000") {
            self.latest = Some(d.to_owned());
        }
    }

    /// Scripts and frames in stored content, through the page rules plus an external-script check.
    fn content(&mut self, table: &str, row: &str, value: &str, is_content: bool) {
        let lower = value.to_ascii_lowercase();
        if !(lower.contains("<script")
            || lower.contains("<iframe")
            || lower.contains("eval(")
            || lower.contains("fromcharcode"))
        {
            return;
        }
        let mut found = detect::detector()
            .map(|d| d.scan("row.html", value.as_bytes()))
            .unwrap_or_default();
        if found.is_empty() && is_content {
            if let Some(i) = lower.find("<script") {
                let tag_end = lower
                    .get(i..)
                    .and_then(|t| t.find('>'))
                    .map(|e| i + e)
                    .unwrap_or(i);
                let tag = lower.get(i..=tag_end).unwrap_or("");
                if tag.contains("src=") && (tag.contains("//") || tag.contains("http")) {
                    found.push(Finding::fact(
                        "sql-external-script",
                        Severity::Suspicious,
                        "A script from another website inside your content",
                        "A post or widget loads a script from another website. Attackers inject such scripts into content so that every visitor runs them; check whether you added it.".into(),
                        None,
                        detect::excerpt(value.as_bytes(), i, tag_end),
                    ));
                }
            }
        }
        for mut f in found {
            f.line = None;
            f.table = Some(table.to_owned());
            f.row = Some(row.to_owned());
            f.action = Action::Review;
            self.push(f);
        }
    }

    fn push(&mut self, f: Finding) {
        if self.findings.len() < MAX_FINDINGS {
            self.findings.push(f);
        }
    }

    /// Ends the dump: findings (with rogue-looking administrators), every administrator,
    /// and the plugins the database switches on.
    pub fn finish(mut self) -> DumpFacts {
        if !self.stmt.is_empty() && !self.overflow {
            self.end_statement();
        }
        self.address_check();
        let mut accounts = Vec::new();
        for admin in self.tables.admins() {
            let flags = rogue_flags(&admin, self.latest.as_deref());
            let u = &admin.user;
            if !flags.is_empty() && !u.disabled {
                let email = if u.email.is_empty() {
                    "no email address"
                } else {
                    u.email.as_str()
                };
                let why = crate::en!("The account \"{0}\" ({1}) has full control of the site and {2}. Attackers create accounts like this to come back; if you do not know it, delete it.", u.login, email, flags.join(", and "));
                self.findings.push(Finding {
                    rule: "sql-rogue-admin".into(),
                    severity: Severity::Suspicious,
                    title: "An administrator account that may belong to the attacker".into(),
                    why,
                    action: Action::Review,
                    line: None,
                    excerpt: detect::excerpt(
                        format!(
                            "{} <{}> registered {}",
                            u.login,
                            u.email,
                            u.registered.as_deref().unwrap_or("?")
                        )
                        .as_bytes(),
                        0,
                        0,
                    ),
                    decoded: None,
                    table: Some(u.table.clone()),
                    row: Some(u.row.clone()),
                });
            }
            accounts.push(Account {
                login: u.login.clone(),
                email: u.email.clone(),
                registered: u.registered.clone(),
                role: admin.role,
                dump: self.dump.clone(),
                table: u.table.clone(),
                row: u.row.clone(),
                flags,
                cms: u.cms,
                disabled: u.disabled,
            });
        }
        DumpFacts {
            findings: self.findings,
            accounts,
            enabled: std::mem::take(&mut self.tables.enabled),
            db_users: self.db_users,
            changed_rows: self.changed_rows,
        }
    }

    /// WordPress's `siteurl` and `home` naming two different websites: one was changed to
    /// send visitors (or the admin login) elsewhere.
    fn address_check(&mut self) {
        let host = |v: &str| {
            let v = v.split("://").nth(1).unwrap_or(v);
            let h = v
                .split(['/', ':', '?'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            h.strip_prefix("www.").map(str::to_owned).unwrap_or(h)
        };
        let addresses = std::mem::take(&mut self.addresses);
        for (table, name, value) in &addresses {
            if name != "home" {
                continue;
            }
            let Some((_, _, site)) = addresses
                .iter()
                .find(|(t, n, _)| t == table && n == "siteurl")
            else {
                continue;
            };
            let (a, b) = (host(site), host(value));
            if !a.is_empty() && !b.is_empty() && a != b {
                self.push(Finding::fact(
                    "sql-site-address-elsewhere",
                    Severity::Suspicious,
                    "The database sends visitors to another website",
                    crate::en!("WordPress's two address settings name different websites: \"siteurl\" is {0}, \"home\" is {1}. Attackers change one of them to send visitors or the login page elsewhere; unless you moved the site on purpose, set both back to your own address.", a, b),
                    None,
                    detect::excerpt(format!("siteurl = {site}; home = {value}").as_bytes(), 0, 0),
                ).in_row(table, "home"));
            }
        }
    }
}

/// Plugins the database switches on that are not in the files, as findings on the dump that
/// names them. `sites` are the installs found (CMS, site root); `paths` every file's path,
/// sorted. A plugin counts as absent only where its install's plugin folder holds others:
/// a backup of the database alone says nothing about the files.
pub fn missing_plugins(
    enabled: &[EnabledPlugin],
    sites: &[(Cms, &str)],
    paths: &[&str],
) -> Vec<(String, Finding)> {
    let has_under = |prefix: &str| {
        let i = paths.partition_point(|p| *p < prefix);
        paths.get(i).is_some_and(|p| p.starts_with(prefix))
    };
    let mut out: Vec<(String, Finding)> = Vec::new();
    for e in enabled {
        let roots: Vec<&str> = sites
            .iter()
            .filter(|(c, _)| *c == e.cms)
            .map(|(_, r)| *r)
            .collect();
        let base = e.path.rsplit_once('/').map_or("", |(b, _)| b);
        let judged: Vec<&str> = roots
            .into_iter()
            .filter(|r| has_under(&format!("{r}{base}/")))
            .collect();
        let present = judged.iter().any(|r| {
            let target = format!("{r}{}", e.path);
            paths.binary_search(&target.as_str()).is_ok() || has_under(&format!("{target}/"))
        });
        if judged.is_empty() || present || out.len() >= 50 {
            continue;
        }
        out.push((
            e.dump.clone(),
            Finding::fact(
                "sql-plugin-not-on-disk",
                Severity::Suspicious,
                "The database switches on a plugin that is not in the files",
                crate::en!("The database lists {0} as active, but the backup's files have no such plugin. Attackers switch on a plugin they keep elsewhere, or leave the entry behind when a planted one is removed; if you do not know it, remove it from the list of active plugins.", e.path),
                None,
                detect::excerpt(e.path.as_bytes(), 0, 0),
            ).in_row(&e.table, &e.row),
        ));
    }
    out
}

/// What one dump holds that the report needs.
#[derive(Debug, Default)]
pub struct DumpFacts {
    pub findings: Vec<Finding>,
    pub accounts: Vec<Account>,
    pub enabled: Vec<EnabledPlugin>,
    /// Database users granted rights (`GRANT … TO 'user'@'host'`: cPanel's `mysql.sql`).
    pub db_users: Vec<String>,
    /// Flagged posts and when they were last changed.
    pub changed_rows: Vec<ChangedRow>,
}

/// Free-mail services that hand out addresses for minutes: nobody runs a site with one.
const THROWAWAY_MAIL: [&str; 16] = [
    "mailinator.",
    "guerrillamail.",
    "sharklasers.",
    "yopmail.",
    "10minutemail.",
    "tempmail",
    "temp-mail.",
    "trashmail.",
    "throwawaymail.",
    "getnada.",
    "dispostable.",
    "maildrop.cc",
    "fakeinbox.",
    "mailnesia.",
    "emailondeck.",
    "mohmal.",
];

/// Why an administrator stands out (empty when nothing does).
fn rogue_flags(admin: &Admin, latest: Option<&str>) -> Vec<String> {
    let u = &admin.user;
    let mut flags = Vec::new();
    if let (Some(r), Some(l)) = (&u.registered, latest) {
        if days_between(r, l).is_some_and(|d| d <= 30) {
            flags.push(crate::en!(
                "created on {0}, shortly before the newest activity in this dump",
                r.get(..10).unwrap_or(r)
            ));
        }
    }
    let login = u.login.to_ascii_lowercase();
    let odd_names = [
        "update",
        "service",
        "system",
        "support",
        "wp_",
        "wp-",
        "root",
        "backup",
        "temp",
        "test",
        "adm1n",
        "sysadmin",
        "administrat0r",
        "security",
        "cache",
    ];
    if odd_names.iter().any(|n| login.contains(n))
        || (login.starts_with("admin")
            && login.len() > 5
            && login.chars().skip(5).all(|c| c.is_ascii_digit()))
    {
        flags.push("its name imitates a system or service account".into());
    }
    let email = u.email.to_ascii_lowercase();
    let domain = email.rsplit('@').next().unwrap_or("");
    if email.ends_with(".invalid") || !email.contains('@') {
        flags.push("it has no usable email address".into());
    } else if THROWAWAY_MAIL.iter().any(|d| domain.contains(d)) {
        flags.push(crate::en!(
            "its email address is at {0}, a throw-away mail service",
            domain
        ));
    }
    // Supporting evidence only: plenty of real administrators never write a post.
    if !flags.is_empty() && admin.posts == Some(0) {
        flags.push("it has never written a post".into());
    }
    if let (false, Some((when, ip))) = (flags.is_empty(), &admin.last_login) {
        flags.push(crate::en!(
            "its last logged login was on {0} from {1}",
            when,
            ip
        ));
    }
    flags
}

impl Write for SqlScanner {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.feed(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn push_column(cols: &mut Vec<String>, def: &[u8]) {
    let def = trim_start(def);
    if let Some(after) = def.strip_prefix(b"`") {
        if let Some(end) = after.iter().position(|b| *b == b'`') {
            cols.push(
                String::from_utf8_lossy(after.get(..end).unwrap_or(&[])).to_ascii_lowercase(),
            );
        }
    }
}

fn trim_start(s: &[u8]) -> &[u8] {
    let i = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    s.get(i..).unwrap_or(&[])
}

fn starts_ci(s: &[u8], p: &[u8]) -> bool {
    s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p))
}

fn find_ci(s: &[u8], p: &[u8]) -> Option<usize> {
    s.windows(p.len()).position(|w| w.eq_ignore_ascii_case(p))
}

/// The table name after `INSERT INTO` / `CREATE TABLE [IF NOT EXISTS]`, and what follows.
fn table_name(s: &[u8]) -> Option<(String, &[u8])> {
    let mut rest = s;
    for kw in [
        &b"INSERT IGNORE INTO"[..],
        b"INSERT INTO",
        b"REPLACE INTO",
        b"CREATE TABLE IF NOT EXISTS",
        b"CREATE TABLE",
    ] {
        if starts_ci(rest, kw) {
            rest = trim_start(rest.get(kw.len()..)?);
            break;
        }
    }
    let (name, after) = if rest.first() == Some(&b'`') {
        let end = rest.get(1..)?.iter().position(|b| *b == b'`')? + 1;
        (rest.get(1..end)?, rest.get(end + 1..)?)
    } else {
        let end = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'(')
            .unwrap_or(rest.len());
        (rest.get(..end)?, rest.get(end..)?)
    };
    // `db`.`table`
    let name = String::from_utf8_lossy(name).into_owned();
    if after.first() == Some(&b'.') {
        return table_name(after.get(1..)?);
    }
    Some((name, after))
}

/// Days from `a` to `b` (dates as `YYYY-MM-DD…`), if both parse.
fn days_between(a: &str, b: &str) -> Option<i64> {
    let parse = |s: &str| -> Option<i64> {
        let y = s.get(0..4)?.parse().ok()?;
        let m = s.get(5..7)?.parse().ok()?;
        let d = s.get(8..10)?.parse().ok()?;
        Some(crate::engine::read::time::civil_to_unix(y, m, d) / crate::engine::read::time::DAY)
    };
    Some(parse(b)? - parse(a)?)
}

/// Parses `(v, v, …)` tuples of MySQL literals.
struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn comma(&mut self) -> bool {
        self.skip_ws();
        if self.peek() == Some(b',') {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn tuple(&mut self) -> Option<Vec<Option<String>>> {
        self.skip_ws();
        if self.peek() != Some(b'(') {
            return None;
        }
        self.i += 1;
        let mut out = Vec::new();
        loop {
            self.skip_ws();
            out.push(self.value()?);
            self.skip_ws();
            match self.peek()? {
                b',' => self.i += 1,
                b')' => {
                    self.i += 1;
                    return Some(out);
                }
                _ => return None,
            }
            if out.len() > 512 {
                return None;
            }
        }
    }

    fn value(&mut self) -> Option<Option<String>> {
        match self.peek()? {
            q @ (b'\'' | b'"') => {
                self.i += 1;
                let mut v = Vec::new();
                loop {
                    let b = self.peek()?;
                    self.i += 1;
                    if b == b'\\' {
                        let e = self.peek()?;
                        self.i += 1;
                        v.push(match e {
                            b'n' => b'\n',
                            b'r' => b'\r',
                            b't' => b'\t',
                            b'0' => 0,
                            b'Z' => 0x1a,
                            other => other,
                        });
                    } else if b == q {
                        if self.peek() == Some(q) {
                            self.i += 1;
                            v.push(q);
                        } else {
                            break;
                        }
                    } else {
                        v.push(b);
                    }
                }
                Some(Some(String::from_utf8_lossy(&v).into_owned()))
            }
            _ => {
                let start = self.i;
                while self.peek().is_some_and(|b| b != b',' && b != b')') {
                    self.i += 1;
                }
                let raw = String::from_utf8_lossy(self.s.get(start..self.i)?)
                    .trim()
                    .to_owned();
                Some(if raw.eq_ignore_ascii_case("NULL") {
                    None
                } else {
                    Some(raw)
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DUMP: &str = r#"-- MySQL dump
/*!40101 SET NAMES utf8mb4 */;
CREATE TABLE `wp_users` (
  `ID` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `user_login` varchar(60) NOT NULL DEFAULT '',
  `user_pass` varchar(255) NOT NULL DEFAULT '',
  `user_nicename` varchar(50) NOT NULL DEFAULT '',
  `user_email` varchar(100) NOT NULL DEFAULT '',
  `user_url` varchar(100) NOT NULL DEFAULT '',
  `user_registered` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  PRIMARY KEY (`ID`)
);
INSERT INTO `wp_users` VALUES (1,'jane','$P$Bx','jane','jane@example.com','','2021-04-12 08:00:00'),(7,'wp_update_service','$P$By','x','ops@example.invalid','','2024-03-05 02:16:55');
INSERT INTO `wp_usermeta` VALUES (1,1,'wp_capabilities','a:1:{s:13:\"administrator\";b:1;}'),(9,7,'wp_capabilities','a:1:{s:13:\"administrator\";b:1;}');
INSERT INTO `wp_options` (`option_id`, `option_name`, `option_value`, `autoload`) VALUES (1,'siteurl','https://example.com','yes'),(40,'widget_text','a:1:{i:2;a:1:{s:4:\"text\";s:80:\"<script>eval(String.fromCharCode(97,108,101,114,116))</script>\";}}','yes');
INSERT INTO `wp_posts` VALUES (12,1,'2024-03-01 10:00:00','2024-03-01 10:00:00','<p>Hi; it''s me</p><script src=\"https://cdn.example.invalid/x.js\"></script>','Hello');
"#;

    #[test]
    fn finds_admins_and_injections_with_table_and_row() {
        let mut s = SqlScanner::new("db.sql");
        for chunk in DUMP.as_bytes().chunks(7) {
            s.feed(chunk);
        }
        let DumpFacts {
            findings,
            accounts,
            changed_rows,
            ..
        } = s.finish();
        assert_eq!(accounts.len(), 2, "{accounts:?}");
        // The flagged post keeps its change time, for dating the break-in.
        assert_eq!(
            changed_rows
                .iter()
                .map(|r| (r.table.as_str(), r.row.as_str(), r.at.as_str()))
                .collect::<Vec<_>>(),
            [("wp_posts", "12", "2024-03-01 10:00:00")]
        );
        let rogue = accounts
            .iter()
            .find(|a| a.login == "wp_update_service")
            .unwrap();
        assert!(!rogue.flags.is_empty());
        assert!(accounts
            .iter()
            .find(|a| a.login == "jane")
            .unwrap()
            .flags
            .is_empty());
        let at = |rule: &str| {
            findings.iter().find(|f| f.rule == rule).map(|f| {
                (
                    f.table.clone().unwrap_or_default(),
                    f.row.clone().unwrap_or_default(),
                )
            })
        };
        assert_eq!(at("sql-rogue-admin"), Some(("wp_users".into(), "7".into())));
        assert_eq!(
            at("js-eval-fromcharcode"),
            Some(("wp_options".into(), "widget_text".into()))
        );
        assert_eq!(
            at("sql-external-script"),
            Some(("wp_posts".into(), "12".into()))
        );
    }

    #[test]
    fn oversized_statements_are_skipped_not_held() {
        let mut s = SqlScanner::new("big.sql");
        s.feed(b"INSERT INTO `wp_posts` VALUES (1,'");
        let filler = vec![b'a'; 1 << 20];
        for _ in 0..20 {
            s.feed(&filler);
        }
        s.feed(
            b"');\nINSERT INTO `wp_users` VALUES (1,'a','p','a','a@b.c','','2020-01-01 00:00:00');",
        );
        assert_eq!(s.skipped_statements, 1);
        assert!(s.stmt.capacity() <= MAX_STATEMENT * 2);
        let accounts = s.finish().accounts;
        assert!(accounts.is_empty());
    }
}
