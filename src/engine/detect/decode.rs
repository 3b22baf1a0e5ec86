//! Deobfuscation by emulation: PHP and JavaScript disguises undone in Rust, never executed.
//!
//! Two passes, both bounded in depth and size:
//! - [`normalize`] rewrites disguises in place so the rules can read the code: `chr(101).chr(118)`
//!   → `'ev'`, `"\x65\166al"` → `'eval'`, `'ev'.'al'` → `'eval'`, and names stored in
//!   variables or `$GLOBALS` and then called (`$f = 'base64_decode'; $f(…)`) → the name itself.
//! - [`layers`] finds decoding chains over literals — `eval(gzinflate(base64_decode('…')))`,
//!   `str_rot13`, `strrev`, `hex2bin`, `pack('H*', …)`, `urldecode`, XOR with a literal key —
//!   and applies them, layer by layer, to reveal the payload the chain would have run.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::engine::read::hash::is_ws;

/// Layers decoded at most.
pub const MAX_DEPTH: usize = 5;
/// A decoded payload is cut at this size (and so is every intermediate step).
pub const MAX_OUT: usize = 1 << 20;

/// Compiled once, in ASCII mode (see `rules::expand` for why).
fn re(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(&format!("(?-u){pattern}")).ok())
        .as_ref()
}

/// Undoes PHP string-literal escapes (`\x41`, `\101`, `\n`, `\\`, `\"`, `\$`).
pub fn unescape_double(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s.get(i).copied().unwrap_or(0);
        if c != b'\\' || i + 1 >= s.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let n = s.get(i + 1).copied().unwrap_or(0);
        match n {
            b'x' | b'X' => {
                let hex: Vec<u8> = s
                    .iter()
                    .skip(i + 2)
                    .take(2)
                    .copied()
                    .take_while(u8::is_ascii_hexdigit)
                    .collect();
                if hex.is_empty() {
                    out.extend_from_slice(b"\\x");
                    i += 2;
                } else {
                    let v = u8::from_str_radix(std::str::from_utf8(&hex).unwrap_or("0"), 16)
                        .unwrap_or(0);
                    out.push(v);
                    i += 2 + hex.len();
                }
            }
            b'0'..=b'7' => {
                let oct: Vec<u8> = s
                    .iter()
                    .skip(i + 1)
                    .take(3)
                    .copied()
                    .take_while(|d| (b'0'..=b'7').contains(d))
                    .collect();
                let v =
                    u32::from_str_radix(std::str::from_utf8(&oct).unwrap_or("0"), 8).unwrap_or(0);
                out.push((v & 0xff) as u8);
                i += 1 + oct.len();
            }
            b'n' => {
                out.push(b'\n');
                i += 2;
            }
            b't' => {
                out.push(b'\t');
                i += 2;
            }
            b'r' => {
                out.push(b'\r');
                i += 2;
            }
            b'\\' | b'"' | b'$' | b'\'' => {
                out.push(n);
                i += 2;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn unescape_single(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s.get(i).copied().unwrap_or(0);
        let n = s.get(i + 1).copied();
        if c == b'\\' && matches!(n, Some(b'\\' | b'\'')) {
            out.push(n.unwrap_or(b'\\'));
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The value of a PHP/JS string literal including its quotes.
pub fn literal_value(lit: &[u8]) -> Vec<u8> {
    let inner = lit.get(1..lit.len().saturating_sub(1)).unwrap_or(&[]);
    match lit.first() {
        Some(b'"') => unescape_double(inner),
        _ => unescape_single(inner),
    }
}

/// A single-quoted PHP literal for the value (so rewritten code stays readable by the rules).
pub fn quote(v: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len() + 2);
    out.push(b'\'');
    for &b in v {
        if b == b'\'' || b == b'\\' {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'\'');
    out
}

/// Whether `text` has a backslash escape that [`normalize`] decodes in a double-quoted
/// literal (`\x..`, `\X..`, octal): a cheap necessary condition, checked before the search
/// through every literal of the file.
fn has_code_escape(text: &[u8]) -> bool {
    memchr::memchr_iter(b'\\', text)
        .any(|i| matches!(text.get(i + 1), Some(b'x' | b'X' | b'0'..=b'7')))
}

/// Whether `text` has `'` `.` `'` with only whitespace between (what the concatenation fold
/// needs), checked before the fold's regex, whose counted repetitions are slow to search.
fn has_literal_concat(text: &[u8]) -> bool {
    let ws = |b: &&u8| is_ws(**b);
    memchr::memchr_iter(b'.', text).any(|i| {
        let before = text.get(..i).unwrap_or_default();
        let after = text.get(i + 1..).unwrap_or_default();
        before.iter().rev().find(|b| !ws(b)) == Some(&b'\'')
            && after.iter().find(|b| !ws(b)) == Some(&b'\'')
    })
}

/// Rewrites common disguises so that rules see the names they hide. Returns `None` when
/// nothing was disguised.
pub fn normalize(text: &[u8]) -> Option<Vec<u8>> {
    let mut cur = text.to_vec();
    let mut changed = false;
    changed |= fold_chr_chains(&mut cur);
    changed |= fold_from_char_code(&mut cur);
    changed |= unescape_literals(&mut cur);
    changed |= fold_string_tables(&mut cur);
    changed |= fold_concatenation(&mut cur);
    changed |= unscramble_str_replace(&mut cur);
    changed |= resolve_variable_calls(&mut cur);
    changed.then_some(cur)
}

/// A packed payload at most this big is unpacked.
const MAX_PACKED: usize = 1 << 20;

/// One word of a packed payload read back as its number in base `a` (digits `0-9a-zA-Z`).
fn packed_number(word: &[u8], a: usize) -> Option<usize> {
    let mut n = 0usize;
    for &c in word {
        let d = match c {
            b'0'..=b'9' => usize::from(c - b'0'),
            b'a'..=b'z' => usize::from(c - b'a') + 10,
            b'A'..=b'Z' => usize::from(c - b'A') + 36,
            _ => return None,
        };
        if d >= a.max(1) {
            return None;
        }
        n = n.checked_mul(a)?.checked_add(d)?;
    }
    Some(n)
}

/// Dean Edwards' packer (`eval(function(p,a,c,k,e,d){…}('0 1=2…',62,7,'var|x|…'.split('|'),0,{}))`,
/// whatever its parameters are named): the payloads with their words put back, so the rules
/// read what the script runs. Minified libraries ship packed too; unpacking only lets the
/// rules judge the code, it is no evidence by itself.
pub fn unpacked(text: &[u8]) -> Option<Vec<u8>> {
    static PACKED: OnceLock<Option<Regex>> = OnceLock::new();
    static WORD: OnceLock<Option<Regex>> = OnceLock::new();
    let cur = text;
    memchr::memmem::find(cur, b"split")?;
    let (Some(packed), Some(word)) = (
        re(
            &PACKED,
            r#"\}\s*\(\s*'((?:[^'\\]|\\.)+)'\s*,\s*(\d{1,2})\s*,\s*(\d{1,6})\s*,\s*'([^']*)'\s*(?:\.split|\[\s*'split'\s*\])\s*\(\s*'\|'\s*\)"#,
        ),
        re(&WORD, r"\b\w+\b"),
    ) else {
        return None;
    };
    let mut unpacked: Vec<Vec<u8>> = Vec::new();
    for c in packed.captures_iter(cur).take(4) {
        let (Some(p), Some(a), Some(k)) = (c.get(1), c.get(2), c.get(4)) else {
            continue;
        };
        let a: usize = std::str::from_utf8(a.as_bytes())
            .ok()
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        if !(2..=62).contains(&a) || p.as_bytes().len() > MAX_PACKED {
            continue;
        }
        let keys: Vec<&[u8]> = k.as_bytes().split(|b| *b == b'|').collect();
        let body = word.replace_all(p.as_bytes(), |w: &regex::bytes::Captures| {
            let t = w.get(0).map(|m| m.as_bytes()).unwrap_or(&[]);
            match packed_number(t, a).and_then(|n| keys.get(n)) {
                Some(key) if !key.is_empty() => key.to_vec(),
                _ => t.to_vec(),
            }
        });
        // The payload sat in a quoted literal: its quotes and backslashes are escaped.
        unpacked.push(replace_all(&body, b"\\'", b"'"));
    }
    (!unpacked.is_empty()).then(|| unpacked.join(&b"\n"[..]))
}

/// Tables of strings at most this big are folded in.
const MAX_TABLE_ITEMS: usize = 20_000;
const MAX_TABLE_BYTES: usize = 4 << 20;

/// The string literals of a JavaScript array starting at `at` (just after `[`): their
/// source text with quotes, and where the `]` is. `None` unless every item is a literal.
fn string_items(text: &[u8], at: usize) -> Option<(Vec<&[u8]>, usize)> {
    let mut items = Vec::new();
    let mut i = at;
    let mut bytes = 0usize;
    loop {
        while text.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let q = *text.get(i)?;
        if q == b']' && items.is_empty() {
            return None;
        }
        if q != b'\'' && q != b'"' {
            return None;
        }
        let start = i;
        i += 1;
        loop {
            match *text.get(i)? {
                b'\\' => i += 2,
                b'\n' => return None,
                c if c == q => break,
                _ => i += 1,
            }
        }
        i += 1;
        bytes += i - start;
        items.push(text.get(start..i)?);
        if items.len() > MAX_TABLE_ITEMS || bytes > MAX_TABLE_BYTES {
            return None;
        }
        while text.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        match *text.get(i)? {
            b',' => i += 1,
            b']' => return Some((items, i)),
            _ => return None,
        }
    }
}

/// An obfuscator's table of strings (`var _0x1137=['click','/media/…php','POST'];`) read into
/// the places that index it (`jQuery[_0x1137[5]]` → `jQuery['ajax']`), so the rules see what
/// the script calls and where it sends. A table that the script rotates before use
/// (`t['push'](t['shift']())`) is left alone: its indices mean something else at run time.
fn fold_string_tables(cur: &mut Vec<u8>) -> bool {
    static TABLE: OnceLock<Option<Regex>> = OnceLock::new();
    static INDEX: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(table) = re(
        &TABLE,
        r"\b(?:var|let|const)\s+([A-Za-z_$][A-Za-z0-9_$]{0,40})\s*=\s*\[",
    ) else {
        return false;
    };
    if memchr::memmem::find(cur, b"=[").is_none() && memchr::memmem::find(cur, b"= [").is_none() {
        return false;
    }
    let mut tables: Vec<(Vec<u8>, Vec<Vec<u8>>)> = Vec::new();
    for c in table.captures_iter(cur).take(8) {
        let (Some(name), Some(all)) = (c.get(1), c.get(0)) else {
            continue;
        };
        let Some((items, _)) = string_items(cur, all.end()) else {
            continue;
        };
        let n = name.as_bytes();
        let rotated = [&b"['push']"[..], b".push("].iter().any(|p| {
            let mut needle = n.to_vec();
            needle.extend_from_slice(p);
            memchr::memmem::find(cur, &needle).is_some()
        });
        if !rotated && items.len() >= 2 {
            tables.push((n.to_vec(), items.iter().map(|x| x.to_vec()).collect()));
        }
    }
    if tables.is_empty() {
        return false;
    }
    let Some(index) = re(
        &INDEX,
        r"([A-Za-z_$][A-Za-z0-9_$]{0,40})\[\s*(0x[0-9a-fA-F]{1,6}|\d{1,6})\s*\]",
    ) else {
        return false;
    };
    let mut changed = false;
    // What the folding may add, so a one-megabyte item indexed a million times cannot make
    // gigabytes of text.
    let mut budget = cur.len().max(1 << 20);
    let out = index.replace_all(cur, |c: &regex::bytes::Captures| {
        let whole = c.get(0).map(|m| m.as_bytes()).unwrap_or(&[]);
        let name = c.get(1).map(|m| m.as_bytes()).unwrap_or(&[]);
        let num = c.get(2).map(|m| m.as_bytes()).unwrap_or(&[]);
        let k = std::str::from_utf8(num)
            .ok()
            .and_then(|t| match t.strip_prefix("0x") {
                Some(h) => usize::from_str_radix(h, 16).ok(),
                None => t.parse().ok(),
            });
        let hit = tables
            .iter()
            .find(|(n, _)| n.as_slice() == name)
            .and_then(|(_, items)| items.get(k?));
        match hit {
            Some(item) if item.len() <= budget => {
                budget -= item.len();
                changed = true;
                item.clone()
            }
            _ => whole.to_vec(),
        }
    });
    if changed {
        *cur = out.into_owned();
    }
    changed
}

/// `chr(101).chr(118)…` → `'ev…'`; true when it rewrote something.
fn fold_chr_chains(cur: &mut Vec<u8>) -> bool {
    static CHR_CHAIN: OnceLock<Option<Regex>> = OnceLock::new();
    static DIGITS: OnceLock<Option<Regex>> = OnceLock::new();
    let mut changed = false;
    // chr(101).chr(118)… → 'ev…'
    if let Some(r) = re(
        &CHR_CHAIN,
        r"(?i)chr\s*\(\s*\d{1,3}\s*\)(?:\s*\.\s*chr\s*\(\s*\d{1,3}\s*\))*",
    ) {
        if r.is_match(cur) {
            let digits = re(&DIGITS, r"\d{1,3}");
            *cur = r
                .replace_all(cur, |c: &regex::bytes::Captures| {
                    let bytes: Vec<u8> = digits
                        .map(|d| {
                            d.find_iter(c.get(0).map(|m| m.as_bytes()).unwrap_or(&[]))
                                .filter_map(|m| {
                                    std::str::from_utf8(m.as_bytes()).ok()?.parse::<u32>().ok()
                                })
                                .map(|v| (v & 0xff) as u8)
                                .collect()
                        })
                        .unwrap_or_default();
                    quote(&bytes)
                })
                .into_owned();
            changed = true;
        }
    }
    changed
}

/// `String.fromCharCode(101,118,…)` → `'ev…'` (JavaScript); true when it rewrote something.
fn fold_from_char_code(cur: &mut Vec<u8>) -> bool {
    static FROMCHARCODE: OnceLock<Option<Regex>> = OnceLock::new();
    let mut changed = false;
    // String.fromCharCode(101,118,…) → 'ev…' (JavaScript)
    if let Some(r) = re(
        &FROMCHARCODE,
        r"String\.fromCharCode\s*\(\s*(\d{1,5}(?:\s*,\s*\d{1,5})*)\s*\)",
    ) {
        if r.is_match(cur) {
            *cur = r
                .replace_all(cur, |c: &regex::bytes::Captures| {
                    let list = c.get(1).map(|m| m.as_bytes()).unwrap_or(&[]);
                    let bytes: Vec<u8> = list
                        .split(|b| *b == b',')
                        .filter_map(|n| std::str::from_utf8(n).ok()?.trim().parse::<u32>().ok())
                        .map(|v| (v & 0xff) as u8)
                        .collect();
                    quote(&bytes)
                })
                .into_owned();
            changed = true;
        }
    }
    changed
}

/// `"\x65\166al"` → `'eval'`; true when it rewrote something.
fn unescape_literals(cur: &mut Vec<u8>) -> bool {
    static ESCAPED: OnceLock<Option<Regex>> = OnceLock::new();
    let mut changed = false;
    // "\x65\166al" → 'eval' (only literals that contain escapes; a file without any such
    // escape is not rewritten, so it is not searched string by string either)
    if let Some(r) = re(&ESCAPED, r#""(?:[^"\\\n]|\\.)*""#).filter(|_| has_code_escape(cur)) {
        let mut any = false;
        let next = r.replace_all(cur, |c: &regex::bytes::Captures| {
            let lit = c.get(0).map(|m| m.as_bytes()).unwrap_or(&[]);
            if has_code_escape(lit) {
                any = true;
                quote(&literal_value(lit))
            } else {
                lit.to_vec()
            }
        });
        if any {
            *cur = next.into_owned();
            changed = true;
        }
    }
    changed
}

/// `'ev'.'al'` → `'eval'`; true when it rewrote something.
fn fold_concatenation(cur: &mut Vec<u8>) -> bool {
    static CONCAT: OnceLock<Option<Regex>> = OnceLock::new();
    let mut changed = false;
    // 'ev'.'al' → 'eval' (repeat to fold longer chains; only where a literal meets a literal)
    if let Some(r) = re(
        &CONCAT,
        r"'((?:[^'\\]|\\.){0,2000})'\s*\.\s*'((?:[^'\\]|\\.){0,2000})'",
    )
    .filter(|_| has_literal_concat(cur))
    {
        for _ in 0..8 {
            if !r.is_match(cur) {
                break;
            }
            *cur = r
                .replace_all(cur, |c: &regex::bytes::Captures| {
                    let mut v = unescape_single(c.get(1).map(|m| m.as_bytes()).unwrap_or(&[]));
                    v.extend(unescape_single(
                        c.get(2).map(|m| m.as_bytes()).unwrap_or(&[]),
                    ));
                    quote(&v)
                })
                .into_owned();
            changed = true;
        }
    }
    changed
}

/// `str_replace('Q', '', 'sQyQsQtQeQm')` → `'system'`; true when it rewrote something.
fn unscramble_str_replace(cur: &mut Vec<u8>) -> bool {
    static STR_REPLACE: OnceLock<Option<Regex>> = OnceLock::new();
    let mut changed = false;
    // str_replace('Q', '', 'sQyQsQtQeQm') → 'system' (Weevely-style name scrambling)
    if let Some(r) = re(
        &STR_REPLACE,
        r"str_replace\s*\(\s*'((?:[^'\\]|\\.){1,40})'\s*,\s*'((?:[^'\\]|\\.){0,40})'\s*,\s*'((?:[^'\\\n]|\\.)+)'\s*\)",
    ) {
        if r.is_match(cur) {
            *cur = r
                .replace_all(cur, |c: &regex::bytes::Captures| {
                    let get = |i| unescape_single(c.get(i).map(|m| m.as_bytes()).unwrap_or(&[]));
                    let (from, to, subject) = (get(1), get(2), get(3));
                    quote(&replace_all(&subject, &from, &to))
                })
                .into_owned();
            changed = true;
        }
    }
    changed
}

/// `$f = 'system'; $f(…)` and `$GLOBALS['x'] = 'eval'; $GLOBALS['x'](…)` → `system(…)`, `eval(…)`; true when it rewrote something.
fn resolve_variable_calls(cur: &mut Vec<u8>) -> bool {
    static ASSIGN: OnceLock<Option<Regex>> = OnceLock::new();
    static GLOBALS_ASSIGN: OnceLock<Option<Regex>> = OnceLock::new();
    static CALL: OnceLock<Option<Regex>> = OnceLock::new();
    let mut changed = false;
    // $f = 'base64_decode'; … $f(…)  and  $GLOBALS['x'] = 'eval'; … $GLOBALS['x'](…)
    let mut names: HashMap<Vec<u8>, Vec<u8>> = HashMap::new();
    if let Some(r) = re(
        &ASSIGN,
        r"(\$[A-Za-z_][A-Za-z0-9_]{0,40})\s*=\s*'([A-Za-z_][A-Za-z0-9_]{2,40})'\s*;",
    ) {
        for c in r.captures_iter(cur).take(200) {
            if let (Some(v), Some(n)) = (c.get(1), c.get(2)) {
                names.insert(v.as_bytes().to_vec(), n.as_bytes().to_vec());
            }
        }
    }
    if let Some(r) = re(
        &GLOBALS_ASSIGN,
        r#"\$GLOBALS\s*\[\s*'([^']{1,40})'\s*\]\s*=\s*'([A-Za-z_][A-Za-z0-9_]{2,40})'\s*;"#,
    ) {
        for c in r.captures_iter(cur).take(200) {
            if let (Some(k), Some(n)) = (c.get(1), c.get(2)) {
                let mut key = b"$GLOBALS['".to_vec();
                key.extend_from_slice(k.as_bytes());
                key.extend_from_slice(b"']");
                names.insert(key, n.as_bytes().to_vec());
            }
        }
    }
    // One pass over the calls `$f(` / `$GLOBALS['k'](`, replacing those whose name is known.
    if !names.is_empty() {
        if let Some(r) = re(
            &CALL,
            r"(?:\$GLOBALS\s*\[\s*'([^']{1,40})'\s*\]|(\$[A-Za-z_][A-Za-z0-9_]{0,40}))\s*\(",
        ) {
            let mut any = false;
            let next = r.replace_all(cur, |c: &regex::bytes::Captures| {
                let key = match (c.get(1), c.get(2)) {
                    (Some(k), _) => [&b"$GLOBALS['"[..], k.as_bytes(), b"']"].concat(),
                    (None, Some(v)) => v.as_bytes().to_vec(),
                    (None, None) => Vec::new(),
                };
                match names.get(&key) {
                    Some(name) => {
                        any = true;
                        [name.as_slice(), b"("].concat()
                    }
                    None => c.get(0).map(|m| m.as_bytes().to_vec()).unwrap_or_default(),
                }
            });
            if any {
                *cur = next.into_owned();
                changed = true;
            }
        }
    }
    changed
}

/// Every `from` in `hay` replaced by `to`.
pub(super) fn replace_all(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay.get(i..i + from.len()) == Some(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay.get(i).copied().unwrap_or(0));
            i += 1;
        }
    }
    out
}

/// Decodes base64 leniently, like PHP's `base64_decode` (characters outside the alphabet are skipped).
pub fn base64(input: &[u8]) -> Option<Vec<u8>> {
    // Lenient, like PHP's base64_decode: skips characters outside the alphabet.
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in input {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
        if out.len() > MAX_OUT {
            return None;
        }
    }
    Some(out)
}

fn inflate(input: &[u8], kind: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let limit = MAX_OUT as u64 + 1;
    let ok = match kind {
        "gzinflate" => flate2::read::DeflateDecoder::new(input)
            .take(limit)
            .read_to_end(&mut out)
            .is_ok(),
        "gzuncompress" => flate2::read::ZlibDecoder::new(input)
            .take(limit)
            .read_to_end(&mut out)
            .is_ok(),
        _ => flate2::read::GzDecoder::new(input)
            .take(limit)
            .read_to_end(&mut out)
            .is_ok(),
    };
    (ok && !out.is_empty()).then_some(out)
}

fn hex2bin(input: &[u8]) -> Option<Vec<u8>> {
    let s: Vec<u8> = input
        .iter()
        .copied()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    if s.len() % 2 != 0 || !s.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    s.chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok())
        .collect()
}

fn urldecode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input.get(i) {
            Some(b'%') => match input.get(i + 1..i + 3).and_then(hex2bin) {
                Some(v) => {
                    out.extend(v);
                    i += 3;
                }
                None => {
                    out.push(b'%');
                    i += 1;
                }
            },
            Some(b'+') => {
                out.push(b' ');
                i += 1;
            }
            Some(c) => {
                out.push(*c);
                i += 1;
            }
            None => break,
        }
    }
    out
}

/// Applies one PHP decoding function to a value (`None` if it does not apply).
pub fn apply(func: &str, v: &[u8]) -> Option<Vec<u8>> {
    let out = match func {
        "base64_decode" => base64(v)?,
        "gzinflate" | "gzuncompress" | "gzdecode" => inflate(v, func)?,
        "str_rot13" => v
            .iter()
            .map(|c| match c {
                b'a'..=b'z' => (c - b'a' + 13) % 26 + b'a',
                b'A'..=b'Z' => (c - b'A' + 13) % 26 + b'A',
                _ => *c,
            })
            .collect(),
        "strrev" => v.iter().rev().copied().collect(),
        "hex2bin" | "pack" => hex2bin(v)?,
        "urldecode" | "rawurldecode" => urldecode(v),
        "atob" => base64(v)?,
        "unescape" | "decodeuricomponent" => urldecode(v),
        _ => return None,
    };
    (out.len() <= MAX_OUT).then_some(out)
}

/// One decoded payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// Byte offset of the chain in the text it was found in (top level: the file).
    pub offset: usize,
    /// The functions applied, outermost first ("gzinflate(base64_decode(…))").
    pub chain: String,
    /// Whether the chain's result is executed (`eval`, `assert`, `create_function`…).
    pub executed: bool,
    pub depth: usize,
    pub payload: Vec<u8>,
}

/// Finds decoding chains over literals (or variables holding literals) and decodes them,
/// recursively through the payloads, up to [`MAX_DEPTH`] layers.
pub fn layers(text: &[u8]) -> Vec<Layer> {
    let mut out = Vec::new();
    decode_into(text, 1, 0, &mut out);
    out
}

fn decode_into(text: &[u8], depth: usize, base_offset: usize, out: &mut Vec<Layer>) {
    static CHAIN: OnceLock<Option<Regex>> = OnceLock::new();
    static XOR: OnceLock<Option<Regex>> = OnceLock::new();
    if depth > MAX_DEPTH || out.len() > 64 {
        return;
    }
    // A chain is one or more decoding calls (optionally ending in `pack('H*', …)`) around a
    // literal or a variable, optionally inside something that runs it. The chain must be
    // non-empty, or a bare literal would match (and swallow code between two quotes).
    let Some(chain_re) = re(
        &CHAIN,
        r#"(?i)(@?\b(?:eval|assert|create_function|new\s+Function|Function)\s*\(\s*(?:['"][^'"]*['"]\s*,\s*)?)?((?:(?:base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|strrev|hex2bin|urldecode|rawurldecode|atob|unescape|decodeURIComponent)\s*\(\s*)*(?:(?:base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|strrev|hex2bin|urldecode|rawurldecode|atob|unescape|decodeURIComponent)\s*\(\s*|pack\s*\(\s*['"]H\*['"]\s*,\s*))('(?:[^'\\]|\\.)+'|"(?:[^"\\]|\\.)+"|\$[A-Za-z_][A-Za-z0-9_]{0,40})"#,
    ) else {
        return;
    };
    // XOR with a literal key: `$out .= $data[$i] ^ $key[$i % strlen($key)]`.
    let xor_at = re(
        &XOR,
        r"\^\s*\$[A-Za-z_][A-Za-z0-9_]{0,40}\s*\[\s*\$[A-Za-z_][A-Za-z0-9_]{0,40}\s*%\s*strlen",
    )
    .and_then(|r| r.find(text))
    .map(|m| m.start());
    // Most files hold neither a chain nor a XOR loop: looking first spares them the
    // assignments' captures (both need the variables).
    if xor_at.is_none() && !chain_re.is_match(text) {
        return;
    }
    let vars = literal_vars(text);
    for c in chain_re.captures_iter(text).take(64) {
        let (Some(funcs), Some(arg)) = (c.get(2), c.get(3)) else {
            continue;
        };
        let Some((names, payload)) = decode_chain(funcs.as_bytes(), arg.as_bytes(), &vars) else {
            continue;
        };
        let offset = base_offset + c.get(0).map(|m| m.start()).unwrap_or(0);
        let chain = format!(
            "{}{}…{}",
            names.join("("),
            if names.is_empty() { "" } else { "(" },
            ")".repeat(names.len())
        );
        let nested = payload.clone();
        out.push(Layer {
            offset,
            chain,
            executed: c.get(1).is_some(),
            depth,
            payload,
        });
        // Payloads often decode to another layer of the same kind.
        let normalized = normalize(&nested).unwrap_or(nested);
        decode_into(&normalized, depth + 1, offset, out);
    }
    if let Some(xor_start) = xor_at {
        xor_layers(&vars, base_offset + xor_start, depth, out);
    }
}

/// Variables assigned a literal, for chains over `$var` and XOR keys.
fn literal_vars(text: &[u8]) -> HashMap<Vec<u8>, Vec<u8>> {
    static VAR_ASSIGN: OnceLock<Option<Regex>> = OnceLock::new();
    let mut vars: HashMap<Vec<u8>, Vec<u8>> = HashMap::new();
    if let Some(r) = re(
        &VAR_ASSIGN,
        r#"(\$[A-Za-z_][A-Za-z0-9_]{0,40})\s*=\s*('(?:[^'\\]|\\.){1,}'|"(?:[^"\\]|\\.){1,}")\s*;"#,
    ) {
        for c in r.captures_iter(text).take(500) {
            if let (Some(v), Some(l)) = (c.get(1), c.get(2)) {
                vars.insert(v.as_bytes().to_vec(), literal_value(l.as_bytes()));
            }
        }
    }
    vars
}

/// Runs one chain of decoding calls (`funcs`, outermost first) over its argument (a literal,
/// or a variable holding one): the functions' names and the decoded value.
fn decode_chain(
    funcs: &[u8],
    arg: &[u8],
    vars: &HashMap<Vec<u8>, Vec<u8>>,
) -> Option<(Vec<String>, Vec<u8>)> {
    let mut value = if arg.first() == Some(&b'$') {
        match vars.get(arg) {
            Some(v) => v.clone(),
            None => return None,
        }
    } else {
        literal_value(arg)
    };
    let mut names: Vec<String> = String::from_utf8_lossy(funcs)
        .split('(')
        .map(|s| {
            s.trim()
                .trim_start_matches(|c: char| !c.is_ascii_alphabetic())
                .to_ascii_lowercase()
        })
        .filter(|s| s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !s.is_empty())
        .collect();
    let is_pack = names.last().map(String::as_str) == Some("pack");
    if is_pack {
        names.pop();
    }
    if is_pack {
        value = apply("pack", &value)?;
    }
    let mut ok = true;
    for f in names.iter().rev() {
        match apply(f, &value) {
            Some(v) => value = v,
            None => {
                ok = false;
                break;
            }
        }
    }
    (ok && !value.is_empty()).then_some((names, value))
}

/// A XOR with a literal key (`$out .= $data[$i] ^ $key[$i % strlen($key)]`): tries each
/// short literal as the key over each long one (base64-decoded when it decodes), and keeps a
/// result that reads as text.
fn xor_layers(vars: &HashMap<Vec<u8>, Vec<u8>>, offset: usize, depth: usize, out: &mut Vec<Layer>) {
    let literals: Vec<&Vec<u8>> = vars.values().collect();
    let keys: Vec<&Vec<u8>> = literals.iter().copied().filter(|v| v.len() <= 64).collect();
    for data in literals.iter().filter(|v| v.len() > 16) {
        let raw = base64(data)
            .filter(|b| b.len() > 8)
            .unwrap_or_else(|| (*data).clone());
        for key in &keys {
            if key.is_empty() || std::ptr::eq(*key, *data) {
                continue;
            }
            let x: Vec<u8> = raw
                .iter()
                .enumerate()
                .map(|(i, b)| b ^ key.get(i % key.len()).copied().unwrap_or(0))
                .collect();
            let printable = x
                .iter()
                .filter(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
                .count();
            if x.len() >= 8 && printable * 100 / x.len() >= 95 {
                out.push(Layer {
                    offset,
                    chain: "XOR with a key".into(),
                    executed: false,
                    depth,
                    payload: x,
                });
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_tables_are_read_back_into_place() {
        let t = normalize(b"var _0x1=['ajax','/media/x.php'];jQuery[_0x1[0]]({url:_0x1[0x1]});")
            .unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&t),
            "var _0x1=['ajax','/media/x.php'];jQuery['ajax']({url:'/media/x.php'});"
        );
        // a rotated table's indices mean something else at run time
        let r = b"var t=['a','b'];(function(){t['push'](t['shift']());})();f(t[0]);";
        assert!(normalize(r).is_none_or(|n| !n.ends_with(b"f('a');")));
        // one big item indexed over and over stays within bounds
        let mut big = b"var t=['".to_vec();
        big.extend(std::iter::repeat_n(b'x', 500_000));
        big.extend_from_slice(b"','y'];");
        for _ in 0..10_000 {
            big.extend_from_slice(b"t[0];");
        }
        let n = normalize(&big).unwrap_or_default();
        assert!(n.len() < 4 * big.len(), "{}", n.len());
    }

    #[test]
    fn packed_scripts_are_unpacked() {
        let src = b"eval(function(p,a,c,k,e,d){return p}('0 1=2 3.4(\\'5\\');',7,6,'var|m|new|CoinHive|Anonymous|k'.split('|'),0,{}))";
        let u = unpacked(src).unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&u),
            "var m=new CoinHive.Anonymous('k');"
        );
        assert!(unpacked(b"no packer here; 'a'.split('|')").is_none());
    }

    fn b64(s: &[u8]) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for ch in s.chunks(3) {
            let n = (u32::from(ch[0]) << 16)
                | (u32::from(*ch.get(1).unwrap_or(&0)) << 8)
                | u32::from(*ch.get(2).unwrap_or(&0));
            for k in 0..4 {
                if k <= ch.len() {
                    out.push(A[((n >> (18 - 6 * k)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[test]
    fn gates_see_what_the_rewrites_need() {
        assert!(has_code_escape(br#"$f = "\x65val";"#));
        assert!(has_code_escape(br#""\145val""#));
        assert!(!has_code_escape(br#"$a = "line\n"; $b = 'x\'y';"#));
        assert!(!has_code_escape(b"no backslash at all\\"));
        assert!(has_literal_concat(b"$f = 'ev'.'al';"));
        assert!(has_literal_concat(b"$f = 'ev' .\n\t 'al';"));
        assert!(!has_literal_concat(
            b"$f = $a . 'al'; echo 'x' . $b; $n = 1.5;"
        ));
        assert!(!has_literal_concat(b"'"));
        assert!(!has_literal_concat(b"."));
        // Files the gates turn away come out of normalize unchanged, as before.
        assert_eq!(normalize(b"<?php echo 'a' . $b . \"c\\n\";"), None);
    }

    #[test]
    fn normalizes_disguises() {
        let n = normalize(b"$a = chr(101).chr(118).chr(97).chr(108); $b = \"\\x73\\171stem\";")
            .unwrap();
        let n = String::from_utf8(n).unwrap();
        assert!(n.contains("'eval'") && n.contains("'system'"), "{n}");
        let n = String::from_utf8(
            normalize(b"$f = 'ba'.'se'.'64_decode'; $g='sys'.'tem'; $g($_GET['c']);").unwrap(),
        )
        .unwrap();
        assert!(n.contains("system($_GET['c'])"), "{n}");
        let n = String::from_utf8(
            normalize(b"$GLOBALS['x'] = 'assert'; $GLOBALS['x']($_POST['p']);").unwrap(),
        )
        .unwrap();
        assert!(n.contains("assert($_POST['p'])"), "{n}");
        let n =
            String::from_utf8(normalize(b"eval(String.fromCharCode(97,108,101,114,116))").unwrap())
                .unwrap();
        assert!(n.contains("eval('alert')"), "{n}");
        assert!(normalize(b"<?php echo 'hello';").is_none());
    }

    #[test]
    fn decodes_chains_layer_by_layer() {
        let inner = format!("eval(base64_decode('{}'));", b64(b"system($_GET['c']);"));
        let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut z, inner.as_bytes()).unwrap();
        let outer = format!(
            "<?php @eval(gzinflate(base64_decode('{}')));",
            b64(&z.finish().unwrap())
        );
        let l = layers(outer.as_bytes());
        assert!(l.len() >= 2, "{l:?}");
        assert!(l[0].executed && l[0].chain.starts_with("gzinflate(base64_decode"));
        assert_eq!(l.last().unwrap().payload, b"system($_GET['c']);");
        // through a variable, rot13 and strrev
        let s = format!(
            "$p = '{}'; eval(str_rot13(strrev($p)));",
            String::from_utf8(
                apply(
                    "strrev",
                    &apply("str_rot13", b"passthru($_POST[\"x\"]);").unwrap()
                )
                .unwrap()
            )
            .unwrap()
        );
        let l = layers(s.as_bytes());
        assert_eq!(l[0].payload, b"passthru($_POST[\"x\"]);");
        // pack('H*')
        let l = layers(b"eval(pack('H*', '73797374656d28245f4745545b2763275d293b'));");
        assert_eq!(l[0].payload, b"system($_GET['c']);");
    }

    #[test]
    fn xor_with_literal_key() {
        let key = b"k3y";
        let plain = b"system($_REQUEST['cmd']);";
        let enc: Vec<u8> = plain
            .iter()
            .enumerate()
            .map(|(i, c)| c ^ key[i % 3])
            .collect();
        let src = format!("$d = '{}'; $k = 'k3y'; for($i=0;$i<strlen($d);$i++) $o .= $d[$i] ^ $k[$i % strlen($k)];", b64(&enc));
        let l = layers(src.as_bytes());
        assert!(l.iter().any(|x| x.payload == plain), "{l:?}");
    }
}
#[cfg(test)]
mod sample_tests {
    #[test]
    fn sample_backdoor_payload() {
        let src = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/sample/backdoor.php"
        ))
        .unwrap();
        let l = super::layers(&src);
        assert!(!l.is_empty(), "no layer");
        assert_eq!(
            String::from_utf8_lossy(&l[0].payload),
            "if (isset($_GET['c'])) { system($_GET['c']); }"
        );
    }
}
