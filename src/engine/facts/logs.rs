//! Log files inside the backup, read for the one thing forged timestamps cannot move: when
//! the web server first answered a request for a file, and when PHP first complained about
//! it.
//!
//! An intruder who resets a planted file's date to the release's cannot rewrite the access
//! log line that shows the first request to it. So while the single pass reads a log
//! (`error_log`, `debug.log`, `access.log`, cPanel's `logs/*.gz` and `access-logs/`), this
//! keeps, per requested PHP path, its first successful request, and per file named in an
//! error, its first error. Which of those files were planted is known only after the judge,
//! which then asks [`LogFacts`] (see `facts::dating`).
//!
//! Logs are attacker-reachable text (any visitor writes into an access log): every line is
//! bounded, only parsed fields are kept, and the tables stop growing at fixed sizes.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use crate::engine::read::paths;
use crate::engine::read::time::civil_to_unix;

/// Requested paths (and error paths) kept per log, at most.
pub const MAX_PATHS: usize = 20_000;
/// Client addresses whose first login is kept, per log, at most.
pub const MAX_CLIENTS: usize = 5_000;
/// Longer lines are not parsed (their start still counts towards the next line).
const MAX_LINE: usize = 8 * 1024;
/// A log is read up to this many (inflated) bytes: a gzip bomb stops here.
const MAX_BYTES: u64 = 1 << 30;

/// The first successful request to one path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Unix seconds (UTC).
    pub at: i64,
    pub method: String,
    pub status: u16,
    pub client: String,
}

/// What one log file says.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogFacts {
    /// The log's name as in the archive.
    pub file: String,
    /// Its first and last dated line (the period it covers).
    pub first: Option<i64>,
    pub last: Option<i64>,
    /// URL path (no query, percent-decoded) → its first successful (2xx/3xx) request.
    pub requests: HashMap<String, Hit>,
    /// Server path named in an error (`… in /home/u/public_html/x.php on line 3`) → its first
    /// error's time.
    pub errors: HashMap<String, i64>,
    /// Client address → its first successful login to a CMS's administration (a login form
    /// posted and answered with a redirect).
    #[serde(default)]
    pub logins: HashMap<String, i64>,
}

impl LogFacts {
    /// Whether the log says anything at all.
    pub fn is_empty(&self) -> bool {
        self.first.is_none()
    }
}

/// Whether a file is a log this module reads, from its normalised path alone. Asked of every
/// file of the backup, so it allocates nothing.
pub fn is_log(path: &str) -> bool {
    let name = paths::file_name(path);
    let plain = strip_suffix_ci(name, ".gz").unwrap_or(name);
    // `access.log.1`, `error_log-20260801`: rotated copies.
    let stem = plain
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end_matches(['.', '-', '_']);
    let named = [
        "error_log",
        "access_log",
        "php_errorlog",
        "ssl_log",
        "ssl_access_log",
    ];
    if named.iter().any(|n| stem.eq_ignore_ascii_case(n))
        || strip_suffix_ci(stem, ".log").is_some()
        || strip_suffix_ci(stem, "_log").is_some()
    {
        return true;
    }
    // cPanel: `homedir/logs/example.com-Aug-2026.gz`, `homedir/access-logs/example.com`.
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let folder = paths::file_name(dir);
    (folder.eq_ignore_ascii_case("logs") || strip_suffix_ci(folder, "access-logs").is_some())
        && !kinds_of_code(plain)
}

/// `s` without `suffix`, compared without regard to ASCII case.
fn strip_suffix_ci<'s>(s: &'s str, suffix: &str) -> Option<&'s str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let (head, tail) = (s.get(..cut)?, s.get(cut..)?);
    tail.eq_ignore_ascii_case(suffix).then_some(head)
}

fn kinds_of_code(name: &str) -> bool {
    let ext = paths::extension(name);
    matches!(
        ext.as_str(),
        "php" | "phtml" | "js" | "html" | "htm" | "json" | "xml" | "css"
    )
}

/// Whether a URL path names a file PHP would run (what planted files are requested as).
fn php_like(path: &str) -> bool {
    let ext = paths::extension(path);
    matches!(
        ext.as_str(),
        "php" | "php3" | "php4" | "php5" | "php7" | "php8" | "phtml" | "pht" | "phar" | "inc"
    )
}

/// Reads a log line by line as its bytes arrive (plain, or behind a gzip write-decoder).
pub struct LogScanner {
    facts: LogFacts,
    line: Vec<u8>,
    long: bool,
    bytes: u64,
}

impl LogScanner {
    pub fn new(file: &str) -> Self {
        LogScanner {
            facts: LogFacts {
                file: file.to_owned(),
                ..LogFacts::default()
            },
            line: Vec::new(),
            long: false,
            bytes: 0,
        }
    }

    pub fn finish(mut self) -> LogFacts {
        if !self.line.is_empty() && !self.long {
            let line = std::mem::take(&mut self.line);
            self.parse(&line);
        }
        self.facts
    }

    fn parse(&mut self, line: &[u8]) {
        let Ok(text) = std::str::from_utf8(line) else {
            return;
        };
        if let Some(r) = access_line(text) {
            self.seen(r.at);
            if is_login(&r) {
                let full = self.facts.logins.len() >= MAX_CLIENTS;
                match self.facts.logins.get_mut(&r.client) {
                    Some(t) => *t = (*t).min(r.at),
                    None if !full => {
                        self.facts.logins.insert(r.client.clone(), r.at);
                    }
                    None => {}
                }
            }
            if (200..400).contains(&r.status) && php_like(&r.path) {
                let full = self.facts.requests.len() >= MAX_PATHS;
                match self.facts.requests.get_mut(&r.path) {
                    Some(h) if r.at < h.at => *h = r.hit(),
                    Some(_) => {}
                    None if !full => {
                        let hit = r.hit();
                        self.facts.requests.insert(r.path, hit);
                    }
                    None => {}
                }
            }
            return;
        }
        if let Some((at, file)) = error_line(text) {
            self.seen(at);
            if let Some(file) = file {
                let full = self.facts.errors.len() >= MAX_PATHS;
                match self.facts.errors.get_mut(file) {
                    Some(t) => *t = (*t).min(at),
                    None if !full => {
                        self.facts.errors.insert(file.to_owned(), at);
                    }
                    None => {}
                }
            }
        }
    }

    fn seen(&mut self, at: i64) {
        self.facts.first = Some(self.facts.first.map_or(at, |f| f.min(at)));
        self.facts.last = Some(self.facts.last.map_or(at, |l| l.max(at)));
    }
}

impl Write for LogScanner {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes += buf.len() as u64;
        if self.bytes > MAX_BYTES {
            return Err(io::Error::other("log too large"));
        }
        let mut rest = buf;
        while let Some(i) = memchr::memchr(b'\n', rest) {
            let (part, next) = rest.split_at(i);
            if !self.long && self.line.len() + part.len() <= MAX_LINE {
                self.line.extend_from_slice(part);
                let line = std::mem::take(&mut self.line);
                self.parse(&line);
                self.line = line;
            }
            self.line.clear();
            self.long = false;
            rest = next.get(1..).unwrap_or(&[]);
        }
        if !self.long {
            if self.line.len() + rest.len() <= MAX_LINE {
                self.line.extend_from_slice(rest);
            } else {
                self.long = true;
                self.line.clear();
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A successful login to a CMS's administration: its login form posted and answered with a
/// redirect (a failed login shows the form again, 200).
fn is_login(r: &Request) -> bool {
    const FORMS: [&str; 6] = [
        "/wp-login.php",
        "/administrator/index.php",
        "/administrator/",
        "/user/login",
        "/typo3/",
        "/typo3/index.php",
    ];
    r.method == "POST" && matches!(r.status, 302 | 303) && FORMS.iter().any(|f| r.path.ends_with(f))
}

/// One parsed access-log line.
struct Request {
    at: i64,
    method: String,
    path: String,
    status: u16,
    client: String,
}

impl Request {
    fn hit(&self) -> Hit {
        Hit {
            at: self.at,
            method: self.method.clone(),
            status: self.status,
            client: self.client.clone(),
        }
    }
}

/// The month of `Aug`, `aug`…
fn month(s: &str) -> Option<u32> {
    const M: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = s.get(..3)?.to_ascii_lowercase();
    M.iter()
        .position(|m| *m == lower)
        .and_then(|i| u32::try_from(i + 1).ok())
}

fn num(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `HH:MM:SS` (a fraction after the seconds is ignored) as seconds of the day.
fn clock(s: &str) -> Option<i64> {
    let mut it = s.split(':');
    let h = num(it.next()?)?;
    let m = num(it.next()?)?;
    let sec = it.next()?;
    let sec = num(sec.split('.').next()?)?;
    (h < 24 && m < 60 && sec < 61).then_some(h * 3600 + m * 60 + sec)
}

fn date(y: i64, m: u32, d: i64) -> Option<i64> {
    ((1990..=2100).contains(&y) && (1..=31).contains(&d))
        .then(|| civil_to_unix(y, m, u32::try_from(d).unwrap_or(1)))
}

/// `30/Aug/2026:04:12:33 +0200` → UTC seconds.
fn access_time(s: &str) -> Option<i64> {
    let (stamp, zone) = s.split_once(' ').unwrap_or((s, "+0000"));
    let mut it = stamp.splitn(3, '/');
    let d = num(it.next()?)?;
    let m = month(it.next()?)?;
    let rest = it.next()?;
    let (y, time) = rest.split_once(':')?;
    let t = date(num(y)?, m, d)? + clock(time)?;
    let zone = zone.trim();
    let sign = match zone.as_bytes().first() {
        Some(b'-') => -1,
        Some(b'+') => 1,
        _ => return Some(t),
    };
    let hh = num(zone.get(1..3)?)?;
    let mm = num(zone.get(3..5)?)?;
    Some(t - sign * (hh * 3600 + mm * 60))
}

/// A line of the common or combined log format:
/// `203.0.113.9 - - [30/Aug/2026:04:12:33 +0000] "POST /x.php?a=1 HTTP/1.1" 200 512 …`.
fn access_line(line: &str) -> Option<Request> {
    let open = line.find(" [")?;
    let client = line.get(..open)?.split(' ').next()?.to_owned();
    let rest = line.get(open + 2..)?;
    let close = rest.find(']')?;
    let at = access_time(rest.get(..close)?)?;
    let rest = rest.get(close + 1..)?.trim_start().strip_prefix('"')?;
    let end = rest.find('"')?;
    let mut req = rest.get(..end)?.split(' ');
    let method = req.next()?;
    if method.is_empty() || method.len() > 10 || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let target = req.next()?;
    let status = num(rest.get(end + 1..)?.split_whitespace().next()?)?;
    Some(Request {
        at,
        method: method.to_owned(),
        path: url_path(target),
        status: u16::try_from(status).ok()?,
        client: client.chars().take(64).collect(),
    })
}

/// The path of a request target: no scheme and host, no query, `%xx` decoded, `//` folded.
pub fn url_path(target: &str) -> String {
    let t = target.split(['?', '#']).next().unwrap_or("");
    let t = match t.find("://") {
        Some(i) => t
            .get(i + 3..)
            .and_then(|r| r.find('/').and_then(|j| r.get(j..)))
            .unwrap_or("/"),
        None => t,
    };
    let bytes = t.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |k: usize| bytes.get(k).and_then(|c| (*c as char).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
        if out.ends_with(b"//") {
            out.pop();
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A PHP or Apache error-log line: its time, and the server path of the file it names.
/// `[30-Aug-2026 04:12:33 UTC] PHP Warning:  … in /home/u/public_html/x.php on line 3` or
/// `[Sun Aug 30 04:12:33.123456 2026] [php:error] [pid 9] … in /var/www/x.php:12`.
fn error_line(line: &str) -> Option<(i64, Option<&str>)> {
    let rest = line.strip_prefix('[')?;
    let close = rest.find(']')?;
    let stamp = rest.get(..close)?;
    let at = php_time(stamp).or_else(|| apache_time(stamp))?;
    let msg = rest.get(close + 1..)?;
    Some((at, error_path(msg)))
}

/// `30-Aug-2026 04:12:33 UTC` (the zone's name is not converted: PHP logs in the server's).
fn php_time(s: &str) -> Option<i64> {
    let mut it = s.split(' ');
    let mut d = it.next()?.splitn(3, '-');
    let day = num(d.next()?)?;
    let m = month(d.next()?)?;
    let y = num(d.next()?)?;
    Some(date(y, m, day)? + clock(it.next()?)?)
}

/// `Sun Aug 30 04:12:33.123456 2026`.
fn apache_time(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [_, m, d, time, y] = parts.as_slice() else {
        return None;
    };
    Some(date(num(y)?, month(m)?, num(d)?)? + clock(time)?)
}

/// The file an error message blames: the absolute path after its last ` in `.
fn error_path(msg: &str) -> Option<&str> {
    let i = msg.rfind(" in /")?;
    let rest = msg.get(i + 4..)?;
    let end = rest
        .find([' ', ':', '(', ',', '\'', '"'])
        .unwrap_or(rest.len());
    let p = rest.get(..end)?;
    (p.len() > 1 && p.len() <= 1024).then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::read::time::iso8601;

    fn read(text: &str) -> LogFacts {
        let mut s = LogScanner::new("access.log");
        // Odd chunk sizes: lines cross writes.
        for chunk in text.as_bytes().chunks(7) {
            s.write_all(chunk).unwrap_or_default();
        }
        s.finish()
    }

    #[test]
    fn names_of_logs() {
        for p in [
            "public_html/error_log",
            "wp-content/debug.log",
            "backup-8.30.2026_04-00-00_u/homedir/logs/example.com-Aug-2026.gz",
            "homedir/access-logs/example.com",
            "logs/access.log.1",
            "logs/error_log-20260801.gz",
        ] {
            assert!(is_log(p), "{p}");
        }
        for p in [
            "wp-content/plugins/x/logs/view.php",
            "logs.php",
            "wp-content/uploads/log.txt",
        ] {
            assert!(!is_log(p), "{p}");
        }
    }

    #[test]
    fn first_successful_request_per_php_path_in_utc() {
        let f = read(concat!(
            "198.51.100.7 - - [29/Aug/2026:23:59:01 +0000] \"GET /wp-content/uploads/x.php HTTP/1.1\" 404 12 \"-\" \"scanner\"\n",
            "203.0.113.9 - - [30/Aug/2026:06:12:33 +0200] \"POST /wp-content/uploads/x.php?c=id HTTP/1.1\" 200 512 \"-\" \"curl\"\n",
            "203.0.113.9 - - [30/Aug/2026:05:00:00 +0000] \"GET //wp-content/uploads/%78.php HTTP/1.1\" 200 1\n",
            "203.0.113.9 - - [30/Aug/2026:05:00:00 +0000] \"GET /style.css HTTP/1.1\" 200 1\n",
            "garbage [ line\n",
        ));
        assert!(f.logins.is_empty(), "a failed or plain request is no login");
        let hit = f.requests.get("/wp-content/uploads/x.php").map(|h| h.at);
        assert_eq!(hit.map(iso8601).as_deref(), Some("2026-08-30T04:12:33Z"));
        assert_eq!(f.requests.len(), 1, "{:?}", f.requests);
        assert_eq!(
            f.first.map(iso8601).as_deref(),
            Some("2026-08-29T23:59:01Z")
        );
    }

    #[test]
    fn successful_admin_logins_per_address() {
        let f = read(concat!(
            "203.0.113.9 - - [28/Aug/2026:01:00:00 +0000] \"POST /wp-login.php HTTP/1.1\" 200 4000\n",
            "203.0.113.9 - - [28/Aug/2026:01:00:05 +0000] \"POST /wp-login.php HTTP/1.1\" 302 0\n",
            "198.51.100.2 - - [29/Aug/2026:01:00:05 +0000] \"POST /blog/wp-login.php HTTP/1.1\" 302 0\n",
        ));
        let at = |c: &str| f.logins.get(c).copied().map(iso8601);
        assert_eq!(at("203.0.113.9").as_deref(), Some("2026-08-28T01:00:05Z"));
        assert_eq!(at("198.51.100.2").as_deref(), Some("2026-08-29T01:00:05Z"));
    }

    #[test]
    fn error_lines_name_their_file() {
        let f = read(concat!(
            "[30-Aug-2026 04:12:33 UTC] PHP Warning:  Undefined variable $x in /home/u/public_html/wp-content/uploads/x.php on line 3\n",
            "[Sun Aug 30 03:00:00.123456 2026] [php:error] [pid 9] [client 1.2.3.4:5] PHP Parse error: syntax error in /home/u/public_html/a.php:12\n",
            "[30-Aug-2026 05:00:00 UTC] PHP Notice: eval()'d code in /home/u/public_html/b.php(4) : eval()'d code on line 1\n",
        ));
        let at = |p: &str| f.errors.get(p).copied().map(iso8601);
        assert_eq!(
            at("/home/u/public_html/wp-content/uploads/x.php").as_deref(),
            Some("2026-08-30T04:12:33Z")
        );
        assert_eq!(
            at("/home/u/public_html/a.php").as_deref(),
            Some("2026-08-30T03:00:00Z")
        );
        assert!(
            f.errors.contains_key("/home/u/public_html/b.php"),
            "{:?}",
            f.errors
        );
    }

    #[test]
    fn overlong_lines_and_floods_are_bounded() {
        let mut s = LogScanner::new("access.log");
        let long = format!(
            "1.2.3.4 - - [30/Aug/2026:04:12:33 +0000] \"GET /{}.php HTTP/1.1\" 200 1\n",
            "a".repeat(MAX_LINE)
        );
        s.write_all(long.as_bytes()).unwrap_or_default();
        for i in 0..(MAX_PATHS + 50) {
            let l = format!(
                "1.2.3.4 - - [30/Aug/2026:04:12:33 +0000] \"GET /{i}.php HTTP/1.1\" 200 1\n"
            );
            s.write_all(l.as_bytes()).unwrap_or_default();
        }
        let f = s.finish();
        assert_eq!(f.requests.len(), MAX_PATHS);
        assert!(!f.requests.keys().any(|k| k.len() > MAX_LINE));
    }
}
