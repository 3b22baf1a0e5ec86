//! The rule engine: which content rules fire on a file, with line, excerpt and decoded payload.
//!
//! Built once per process/worker ([`detector`]). For each kind of file: an Aho-Corasick
//! pre-filter on literals every rule of that kind needs (most files stop there), then each
//! rule's own regex, which finds its evidence directly. Not one `RegexSet` over all of them:
//! the set's lazy DFA gave up on real plugin code (its states explode with forty patterns of
//! bounded repeats) and its PikeVM fallback ran at 3.4 MB/s on the development corpus's 120 MB
//! of plugin code, against 55 MB/s for the rules one by one, each with its own literal
//! prefilter (`cargo run --release --example rulebench -- DIR`). The same set runs on the normalised text (disguises undone) and on every payload
//! the decoder reveals, so `eval(gzinflate(base64_decode('…')))` is judged by what it hides.

pub mod decode;
pub mod kinds;
pub mod php;
pub mod rules;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::bytes::Regex;

use crate::engine::detect::kinds::FileKind;
use crate::engine::detect::rules::{expand, Rule, RULES};
use crate::engine::read::paths;
use crate::engine::report::Finding;
use crate::engine::report::{Action, Severity};
pub use kinds::kind_of;
use kinds::named_like_media;

/// Content beyond this is not scanned (the tail of bigger files is, see `collect`).
pub const SCAN_HEAD: usize = 4 << 20;
/// Bytes kept from the end of a big file (injections are often appended).
pub const SCAN_TAIL: usize = 256 << 10;
/// Characters of an excerpt.
pub const EXCERPT: usize = 200;

struct KindSet {
    kind: FileKind,
    gate: Gate,
    rules: Vec<(&'static Rule, Regex)>,
}

pub struct Detector {
    sets: Vec<KindSet>,
}

/// What a file of a kind must contain before its rules run at all.
enum Gate {
    /// No cheap condition: every file goes through the rules.
    None,
    /// At least one of the kind's [`triggers`].
    Literals(AhoCorasick),
    /// A PHP opening tag ([`has_php_tag`]).
    PhpTag,
}

impl Gate {
    fn for_kind(kind: FileKind) -> Option<Gate> {
        if kind == FileKind::Image {
            return Some(Gate::PhpTag);
        }
        let t = triggers(kind);
        if t.is_empty() {
            return Some(Gate::None);
        }
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(t)
            .ok()?;
        Some(Gate::Literals(ac))
    }

    fn passes(&self, text: &[u8]) -> bool {
        match self {
            Gate::None => true,
            Gate::Literals(ac) => ac.is_match(text),
            Gate::PhpTag => has_php_tag(text),
        }
    }
}

/// Literals at least one of which a file of this kind must contain for any rule to match.
fn triggers(kind: FileKind) -> &'static [&'static str] {
    match kind {
        FileKind::Php => &[
            "eval",
            "assert",
            "create_function",
            "system",
            "exec",
            "passthru",
            "popen",
            "proc_open",
            "preg_replace",
            "include",
            "require",
            "$_",
            "base64",
            "gzinflate",
            "gzuncompress",
            "str_rot13",
            "strrev",
            "hex2bin",
            "pack(",
            "chr(",
            "\\x",
            "move_uploaded_file",
            "FilesMan",
            "shell",
            "fromCharCode",
            "iframe",
            "HTTP_USER_AGENT",
            "add_x_header",
            "log_errors",
            "__REMOTE__",
            "file_put_contents",
            "fwrite",
            "`",
            "call_user_func",
            "array_map",
            "usort",
            "GLOBALS",
            "^",
            "Function",
            "unescape",
            "cookie",
            "cvv",
            "card",
            "unlink(",
            "WSO",
            "b374k",
            "weevely",
            "uname",
            ".Anonymous(",
            "coinhive",
        ],
        FileKind::Js | FileKind::Html => &[
            "eval",
            "fromCharCode",
            "unescape",
            "cookie",
            "createElement",
            "iframe",
            "cvv",
            "cvc",
            "card",
            "atob",
            "Function",
            ".Anonymous(",
            "coinhive",
            "serialize",
        ],
        // Images are gated by [`has_php_tag`] instead (an automaton is slow on random bytes).
        FileKind::Htaccess | FileKind::UserIni | FileKind::Image => &[],
    }
}

/// Whether `text` holds a PHP opening tag, `<?php` in any case or `<?=`: what each rule for
/// images needs. The gate for media, which is most of a backup's bytes: memchr's substring
/// search for `<?` and a look at what follows. As an Aho-Corasick prefilter (`<?`, ASCII
/// case-insensitive) it stopped at every `<` — every 256 bytes of random data — and was a
/// quarter of a media worker's time (bench/profile-workers.mjs).
fn has_php_tag(text: &[u8]) -> bool {
    memchr::memmem::find_iter(text, b"<?").any(|i| {
        let rest = text.get(i + 2..).unwrap_or_default();
        rest.first() == Some(&b'=')
            || rest
                .get(..3)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"php"))
    })
}

impl Detector {
    fn new() -> Option<Detector> {
        let kinds = [
            FileKind::Php,
            FileKind::Js,
            FileKind::Html,
            FileKind::Htaccess,
            FileKind::UserIni,
            FileKind::Image,
        ];
        let mut sets = Vec::new();
        for kind in kinds {
            let rules: Vec<&'static Rule> =
                RULES.iter().filter(|r| r.kinds.contains(&kind)).collect();
            let patterns: Vec<String> = rules.iter().map(|r| expand(r.pattern)).collect();
            let compiled: Option<Vec<(&'static Rule, Regex)>> = rules
                .iter()
                .zip(&patterns)
                .map(|(r, p)| Regex::new(p).ok().map(|re| (*r, re)))
                .collect();
            sets.push(KindSet {
                kind,
                gate: Gate::for_kind(kind)?,
                rules: compiled?,
            });
        }
        Some(Detector { sets })
    }

    fn set(&self, kind: FileKind) -> Option<&KindSet> {
        self.sets.iter().find(|s| s.kind == kind)
    }

    /// Runs the rules of `kind` over `text`: (rule, match start) for each rule that fired.
    fn run(&self, kind: FileKind, text: &[u8]) -> Vec<(&'static Rule, usize, usize)> {
        let Some(ks) = self.set(kind) else {
            return Vec::new();
        };
        if !ks.gate.passes(text) {
            return Vec::new();
        }
        ks.rules
            .iter()
            .filter_map(|(rule, re)| {
                let m = re.find(text)?;
                Some((*rule, m.start(), m.end()))
            })
            .collect()
    }

    /// Seconds each rule of `kind` spends on `text` (for `examples/rulebench`'s
    /// `STAGE=rules`: which rule is slow on which input).
    pub fn rule_times(&self, kind: FileKind, text: &[u8]) -> Vec<(&'static str, f64)> {
        let Some(ks) = self.set(kind) else {
            return Vec::new();
        };
        ks.rules
            .iter()
            .map(|(rule, re)| {
                let t = std::time::Instant::now();
                let _ = re.find(text);
                (rule.id, t.elapsed().as_secs_f64())
            })
            .collect()
    }

    /// Scans one file's content. `path` decides the kind (and whether it is scanned at all).
    pub fn scan(&self, path: &str, content: &[u8]) -> Vec<Finding> {
        let Some(kind) = kind_of(path, content) else {
            return Vec::new();
        };
        let raw = self.run(kind, content);
        let norm = matches!(kind, FileKind::Php | FileKind::Js | FileKind::Html)
            .then(|| decode::normalize(content))
            .flatten();
        let norm_hits = norm.as_ref().map(|n| self.run(kind, n)).unwrap_or_default();
        // The code without comments only matters when something matched the source, or
        // when comments glue the code's parts together (`eval/*x*/(/*y*/base64_decode…`).
        let glued = kind == FileKind::Php && comments_glue_code(content);
        let want_plain = !raw.is_empty() || !norm_hits.is_empty() || glued;
        let resolved = (kind == FileKind::Php)
            .then(|| php::resolve_with(content, want_plain))
            .flatten();
        // Evidence found only in comments is no evidence, except for a tool's own markers,
        // and in a file that reads its comments back as data (`getDocComment`).
        let comments_are_code =
            want_plain && memchr::memmem::find(content, b"getDocComment").is_some();
        let mut found = Found::default();
        for (rule, start, end) in raw {
            let in_code = match &resolved {
                Some(res) if !comments_are_code && !MARKER_RULES.contains(&rule.id) => {
                    self.rule_matches(kind, rule.id, &res.plain)
                }
                _ => true,
            };
            if in_code {
                found.add(rule, finding(rule, content, start, end, None));
            }
        }
        if matches!(kind, FileKind::Js | FileKind::Html) {
            self.packed_findings(
                kind,
                content,
                norm.as_deref().unwrap_or(content),
                &mut found,
            );
        }
        if matches!(kind, FileKind::Php | FileKind::Js | FileKind::Html) {
            if let Some(norm) = norm {
                if matches!(kind, FileKind::Js | FileKind::Html) {
                    script_findings(content, &norm, &mut found);
                }
                // The same disguises undone in the code without its comments (worked out
                // only when there is something to check: it is a second full rewrite).
                let plain_norm = (!norm_hits.is_empty())
                    .then_some(())
                    .and(resolved.as_ref())
                    .filter(|_| !comments_are_code)
                    .map(|r| decode::normalize(&r.plain).unwrap_or_else(|| r.plain.clone()));
                for (rule, start, end) in norm_hits {
                    if let Some(p) = &plain_norm {
                        if !MARKER_RULES.contains(&rule.id) && !self.rule_matches(kind, rule.id, p)
                        {
                            continue;
                        }
                    }
                    let mut f = finding(rule, &norm, start, end, None);
                    f.decoded = Some(crate::en!(
                        "(after undoing character tricks) {0}",
                        excerpt(&norm, start, end)
                    ));
                    found.add(rule, f);
                }
            }
            let mut layers = decode::layers(content);
            if let Some(res) = resolved.as_ref().filter(|r| r.changed) {
                // Offsets in the resolved text are not the file's: no line for these.
                layers.extend(decode::layers(&res.text).into_iter().map(|mut l| {
                    l.offset = usize::MAX;
                    l
                }));
            }
            // Decoded payloads first: their evidence reads best ("hidden by base64: …").
            self.layer_findings(kind, content, &layers, &mut found);
            if let Some(res) = resolved.as_ref() {
                self.read_as_php(content, res, glued, &mut found);
            }
        }
        code_level_findings(kind, path, content, &mut found);
        if kind == FileKind::Php {
            toolkit(&mut found);
        }
        let mut out: Vec<Finding> = found.0.into_values().collect();
        out.extend(hints(kind, path, content));
        // Hints only support real evidence.
        if !out.iter().any(|f| f.severity > Severity::Hint) {
            return Vec::new();
        }
        out.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.line.cmp(&b.line)));
        out
    }

    /// What reading the file as PHP shows: the rules on the resolved code, on the code
    /// without the comments glued between its parts, and hidden code or commands.
    fn read_as_php(&self, content: &[u8], res: &php::Resolved, glued: bool, found: &mut Found) {
        if res.changed {
            self.resolved_findings(content, res, found);
        }
        if glued {
            self.unglued_findings(res, found);
        }
        if res.hidden_code {
            hidden_code_finding(res, found);
        }
        if res.hidden_command {
            hidden_command_finding(res, found);
        }
    }

    /// The rules on what a packed script unpacks to ([`decode::unpacked`]). An address in
    /// it counts only where it names a script or carries data (`…/l2.php?p=…`): packed map
    /// and chart libraries unpack to plain image and tile addresses.
    fn packed_findings(&self, kind: FileKind, content: &[u8], norm: &[u8], found: &mut Found) {
        let Some(unpacked) = decode::unpacked(norm) else {
            return;
        };
        for (rule, start, end) in self.run(kind, &unpacked) {
            if rule.severity > Severity::Hint {
                found.add(rule, undisguised(rule, &unpacked, start, end));
            }
        }
        if let Some(f) = hidden_urls(content, &unpacked).filter(|f| {
            let e = f.excerpt.to_ascii_lowercase();
            e.contains(".php") || e.contains(".js") || e.contains('?')
        }) {
            found.0.entry("js-hidden-url").or_insert(f);
        }
        if let Some(f) = checkout_skimmer(&unpacked) {
            found.0.entry("js-checkout-skimmer").or_insert(f);
        }
    }

    /// Whether rule `id` of `kind` matches `text` (a rule of another kind always does).
    fn rule_matches(&self, kind: FileKind, id: &str, text: &[u8]) -> bool {
        let Some(ks) = self.set(kind) else {
            return true;
        };
        match ks.rules.iter().find(|(r, _)| r.id == id) {
            Some((_, re)) => re.is_match(text),
            None => true,
        }
    }

    /// The rules on PHP read as PHP ([`php::resolve`]). What only the data flow shows, in a
    /// file without disguises, is weaker evidence: admin code hands request data to commands
    /// in plain sight too, and behind a permission check it is the plugin's own feature.
    fn resolved_findings(&self, content: &[u8], res: &php::Resolved, found: &mut Found) {
        let plain = !res.disguised;
        if plain && has_permission_check(content) {
            return;
        }
        for (rule, start, end) in self.run(FileKind::Php, &res.text) {
            let mut f = finding(rule, &res.text, start, end, None);
            f.line = None;
            f.decoded = Some(crate::en!(
                "(read as PHP, with its variables and disguises resolved) {0}",
                excerpt(&res.text, start, end)
            ));
            if plain {
                f.severity = f.severity.min(Severity::Suspicious);
            }
            found.add(rule, f);
        }
    }

    /// The rules on the code without the comments glued between its parts.
    fn unglued_findings(&self, res: &php::Resolved, found: &mut Found) {
        for (rule, start, end) in self.run(FileKind::Php, &res.plain) {
            let mut f = finding(rule, &res.plain, start, end, None);
            f.line = None;
            f.decoded = Some(crate::en!(
                "(without the comments put between its parts) {0}",
                excerpt(&res.plain, start, end)
            ));
            found.add(rule, f);
        }
    }

    /// The rules on every payload the decoder reveals.
    fn layer_findings(
        &self,
        kind: FileKind,
        content: &[u8],
        layers: &[decode::Layer],
        found: &mut Found,
    ) {
        for layer in layers.iter().take(32) {
            let line = (layer.offset != usize::MAX).then(|| line_of(content, layer.offset));
            let payload_kind = if matches!(kind, FileKind::Php) && looks_like_php(&layer.payload) {
                FileKind::Php
            } else {
                kind
            };
            let payload =
                decode::normalize(&layer.payload).unwrap_or_else(|| layer.payload.clone());
            // A PHP payload is read as PHP too: what it hides in turn is resolved.
            let resolved = (payload_kind == FileKind::Php)
                .then(|| php::resolve_with(&layer.payload, false))
                .flatten()
                .filter(|r| r.changed || r.hidden_code);
            let mut hits: Vec<_> = self
                .run(payload_kind, &payload)
                .into_iter()
                .map(|(rule, start, end)| (rule, &payload[..], start, end))
                .collect();
            if let Some(res) = &resolved {
                hits.extend(
                    self.run(FileKind::Php, &res.text)
                        .into_iter()
                        .map(|(rule, start, end)| (rule, &res.text[..], start, end)),
                );
                if res.hidden_code {
                    hidden_code_finding(res, found);
                }
            }
            for (rule, text, start, end) in hits {
                let at = if layer.offset == usize::MAX {
                    0
                } else {
                    layer.offset
                };
                let mut f = finding(rule, content, at, at, None);
                f.line = line;
                f.decoded = Some(crate::en!(
                    "hidden by {0} (layer {1}): {2}",
                    layer.chain,
                    layer.depth,
                    excerpt(text, start, end)
                ));
                found.add(rule, f);
            }
        }
    }
}

/// Whether comments are put between the parts of expressions (`eval/*x*/(`, `'a'/*y*/.`):
/// a disguise against scanners that read the text as it is, never a way to write code.
fn comments_glue_code(content: &[u8]) -> bool {
    let glue_after = |b: u8| matches!(b, b'(' | b'.' | b'\'' | b'"' | b'$' | b')' | b';');
    let glue_before = |b: u8| {
        b.is_ascii_alphanumeric() || matches!(b, b'(' | b'.' | b'_' | b'=' | b'\'' | b'"' | b')')
    };
    let mut glued = 0;
    let mut from = 0;
    // One pass: each comment from its `/*` to its `*/`, the bytes either side looked at.
    while let Some(open) = memchr::memmem::find(content.get(from..).unwrap_or_default(), b"/*") {
        let open = from + open;
        let Some(close) = memchr::memmem::find(content.get(open + 2..).unwrap_or_default(), b"*/")
        else {
            return false;
        };
        let close = open + 2 + close;
        let before = open.checked_sub(1).and_then(|p| content.get(p).copied());
        let after = content.get(close + 2).copied();
        if before.is_some_and(glue_before) && after.is_some_and(glue_after) {
            glued += 1;
            if glued >= 4 {
                return true;
            }
        }
        from = close + 2;
    }
    false
}

/// Rules whose evidence is a tool's own text (its name, its author's tag): it counts in a
/// comment too.
const MARKER_RULES: [&str; 1] = ["php-shell-family"];

/// Findings by rule: the first evidence of each rule is kept.
#[derive(Default)]
struct Found(BTreeMap<&'static str, Finding>);

impl Found {
    fn add(&mut self, rule: &'static Rule, f: Finding) {
        self.0.entry(rule.id).or_insert(f);
    }
}

/// Suspicious traits of attack tools: a plugin may show one of them for a reason of its own,
/// hardly two in the same file.
const TOOL_TRAITS: &[&str] = &[
    "php-uploader",
    "php-shell-family",
    "php-password-gate",
    "php-hides-from-logs",
    "php-spam-relay",
    "php-dropper",
    "php-write-request",
    "php-remote-content-shown",
    "php-callable-request",
    "php-include-request",
    "php-exec-request",
    "php-eval-request",
    "php-read-request-file",
    "php-mail-hide-origin",
];

/// Two or more [`TOOL_TRAITS`] in one file, and nothing malicious yet: the file is a tool.
fn toolkit(found: &mut Found) {
    if found.0.values().any(|f| f.severity == Severity::Malicious) {
        return;
    }
    let traits: Vec<&str> = found
        .0
        .iter()
        .filter(|(id, f)| TOOL_TRAITS.contains(id) && f.severity == Severity::Suspicious)
        .map(|(id, _)| *id)
        .collect();
    if traits.len() < 2 {
        return;
    }
    let Some(rule) = RULES.iter().find(|r| r.id == "php-attack-toolkit") else {
        return;
    };
    let mut f = finding(rule, b"", 0, 0, None);
    f.line = None;
    f.excerpt = traits.join(", ");
    found.add(rule, f);
}

/// A check that only a logged-in administrator gets this far (WordPress, Joomla, Drupal).
fn has_permission_check(content: &[u8]) -> bool {
    const CHECKS: [&[u8]; 9] = [
        b"current_user_can(",
        b"check_admin_referer(",
        b"wp_verify_nonce(",
        b"check_ajax_referer(",
        b"user_can(",
        b"is_super_admin(",
        b"->authorise(",
        b"user_access(",
        b"->hasPermission(",
    ];
    CHECKS
        .iter()
        .any(|c| memchr::memmem::find(content, c).is_some())
}

/// Web addresses that only appear once a script's disguises are undone (`fromCharCode`
/// lists, hex escapes): malicious where the script also sends the visitor there or loads
/// code from there, suspicious otherwise.
fn hidden_urls(raw: &[u8], norm: &[u8]) -> Option<Finding> {
    static URL: OnceLock<Option<Regex>> = OnceLock::new();
    static SINK: OnceLock<Option<Regex>> = OnceLock::new();
    let rule = RULES.iter().find(|r| r.id == "js-hidden-url")?;
    let url = rules::cached(&URL, rule.pattern)?;
    let hidden = url.find_iter(norm).take(200).find(|m| {
        let u = m.as_bytes();
        u.len() > 10 && memchr::memmem::find(raw, u).is_none()
    })?;
    let sink = rules::cached(
        &SINK,
        r"(?i)(?:location(?:\.href)?\s*=|\.src\s*=|document\.write|createElement|window\.open|XMLHttpRequest|fetch\s*\(|sendBeacon|\.setAttribute\s*\(|<script|<iframe|replace\s*\(|['\x22](?:location|href|src|ajax|open|write|createElement|appendChild)['\x22])",
    )?;
    let mut f = undisguised(rule, norm, hidden.start(), hidden.end());
    if !sink.is_match(norm) {
        f.severity = Severity::Suspicious;
    }
    Some(f)
}

/// What only a script's undisguised text shows: addresses it hides, skimmers whose strings
/// sat in a table or behind escapes.
fn script_findings(content: &[u8], norm: &[u8], found: &mut Found) {
    if let Some(f) = hidden_urls(content, norm) {
        found.0.entry("js-hidden-url").or_insert(f);
    }
    if !found.0.contains_key("js-checkout-skimmer") {
        if let Some(mut f) = checkout_skimmer(norm) {
            f.decoded = Some(f.excerpt.clone());
            found.0.entry("js-checkout-skimmer").or_insert(f);
        }
    }
    if let Some(f) = hidden_skimmer(content, norm) {
        found.0.entry("js-hidden-skimmer").or_insert(f);
    }
}

/// A finding in a script's text with its disguises undone: no line of the file, and the
/// undone text as the decoded evidence.
fn undisguised(rule: &'static Rule, norm: &[u8], start: usize, end: usize) -> Finding {
    let mut f = finding(rule, norm, start, end, None);
    f.line = None;
    f.decoded = Some(crate::en!(
        "(after undoing character tricks) {0}",
        excerpt(norm, start, end)
    ));
    f
}

/// A script that, once its disguises are undone, names payment-card fields and a way to send
/// data out, where neither was written plainly: card data collected in hiding.
fn hidden_skimmer(raw: &[u8], norm: &[u8]) -> Option<Finding> {
    static CARD: OnceLock<Option<Regex>> = OnceLock::new();
    let rule = RULES.iter().find(|r| r.id == "js-hidden-skimmer")?;
    let card = rules::cached(&CARD, rule.pattern)?;
    let at = card.find(norm)?;
    if card.is_match(raw) || !sends_out(norm) {
        return None;
    }
    Some(undisguised(rule, norm, at.start(), at.end()))
}

/// Whether a script sends something to a server (any of the ways skimmers use).
fn sends_out(text: &[u8]) -> bool {
    static SEND: OnceLock<Option<Regex>> = OnceLock::new();
    rules::cached(
        &SEND,
        r"(?i)XMLHttpRequest|sendBeacon|new\s+Image\b|\bImage\(\)|WebSocket|\.ajax\b|\.post\s*\(|\bfetch\b|\.send\s*\(|['\x22](?:ajax|send|post|fetch|sendBeacon|src)['\x22]",
    )
    .is_some_and(|r| r.is_match(text))
}

/// The page's address tested against the names of shops' checkout pages, form fields
/// read, and something sent out: a skimmer that wakes up on the checkout page.
fn checkout_skimmer(content: &[u8]) -> Option<Finding> {
    static CHECKOUT: OnceLock<Option<Regex>> = OnceLock::new();
    static FORM: OnceLock<Option<Regex>> = OnceLock::new();
    let rule = RULES.iter().find(|r| r.id == "js-checkout-skimmer")?;
    // Cheap necessary conditions first: most scripts name neither.
    let has = |n: &[u8]| contains(content, n);
    if !has(b"ocation") || !(has(b"heckout") || has(b"nepage") || has(b"nestep")) {
        return None;
    }
    let at = rules::cached(&CHECKOUT, rule.pattern)?.find(content)?;
    let form = rules::cached(
        &FORM,
        r#"(?i)serialize\s*\(|\.val\s*\(\s*\)|\.value\b|querySelectorAll\s*\(|FormData|['"]input\b"#,
    )?;
    if !form.is_match(content) || !sends_out(content) {
        return None;
    }
    Some(finding(rule, content, at.start(), at.end(), None))
}

/// An obfuscator's rotated string table (`['push'](t['shift']())`) holding `eval` and a
/// web address: a script that fetches code from elsewhere and runs it, hidden.
fn string_table_loader(content: &[u8]) -> Option<Finding> {
    static ROTATE: OnceLock<Option<Regex>> = OnceLock::new();
    static ADDRESS: OnceLock<Option<Regex>> = OnceLock::new();
    let rule = RULES.iter().find(|r| r.id == "js-string-table-loader")?;
    let eval = memchr::memmem::find(content, b"'eval'")
        .or_else(|| memchr::memmem::find(content, b"\"eval\""))?;
    let rotate = rules::cached(&ROTATE, rule.pattern)?;
    let address = rules::cached(
        &ADDRESS,
        r#"['"](?:https?:)?//[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}[/'"?]"#,
    )?;
    if !rotate.is_match(content) || !address.is_match(content) {
        return None;
    }
    Some(finding(rule, content, eval, eval + 6, None))
}

/// A script that backdates a file (`touch(…, time() - …)`) and deletes itself.
fn covers_tracks(content: &[u8]) -> Option<Finding> {
    static SELF_DELETE: OnceLock<Option<Regex>> = OnceLock::new();
    static BACKDATE: OnceLock<Option<Regex>> = OnceLock::new();
    let rule = RULES.iter().find(|r| r.id == "php-cover-tracks")?;
    let self_delete = rules::cached(&SELF_DELETE, r"\bunlink\s*\(\s*__FILE__\s*\)")?;
    if !self_delete.is_match(content) {
        return None;
    }
    let m = rules::cached(&BACKDATE, rule.pattern)?.find(content)?;
    Some(finding(rule, content, m.start(), m.end(), None))
}

/// Code after the normal end of a CMS's configuration file: after `require_once ABSPATH .
/// 'wp-settings.php';` in `wp-config.php` (WordPress is loaded by then; nothing of its own
/// follows), after the closing brace of `class JConfig` in Joomla's `configuration.php`.
/// Loaders are appended there because the file runs on every request.
fn code_after_config_end(path: &str, content: &[u8]) -> Option<Finding> {
    static WP_END: OnceLock<Option<Regex>> = OnceLock::new();
    static JOOMLA_END: OnceLock<Option<Regex>> = OnceLock::new();
    let rule = RULES.iter().find(|r| r.id == "php-after-config-end")?;
    let end = match paths::file_name(path) {
        "wp-config.php" => rules::cached(&WP_END, rule.pattern)?.find(content)?.end(),
        "configuration.php" => {
            let class = rules::cached(&JOOMLA_END, r"(?i)\bclass\s+JConfig\b")?.find(content)?;
            closing_brace(content, class.end())? + 1
        }
        _ => return None,
    };
    let rest = content.get(end..)?;
    let blank = |t: &php::Tok| match t {
        php::Tok::Punct(p) => *p == b";",
        php::Tok::Html(h) => h.iter().all(u8::is_ascii_whitespace),
        _ => false,
    };
    // What follows is still PHP (the lexer starts outside it): a closing `?>` and the
    // newline after it, as Debian's and many hand-written configs end, are not code.
    let mut code = b"<?php ".to_vec();
    code.extend_from_slice(rest);
    if php::lex(&code).iter().all(blank) {
        return None;
    }
    let start = end
        + rest
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(0);
    Some(finding(
        rule,
        content,
        start,
        (start + 80).min(content.len()),
        None,
    ))
}

/// The `}` closing the first `{` after `from` (braces in strings and comments counted too:
/// a configuration file has none there).
fn closing_brace(content: &[u8], from: usize) -> Option<usize> {
    let open = from + memchr::memchr(b'{', content.get(from..)?)?;
    let mut depth = 0usize;
    for (k, b) in content.iter().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

/// Code that `eval` (or `assert`, `create_function`) runs was decoded or assembled from a
/// disguise at run time: the rule `php-eval-decoded`, however the call was written.
fn hidden_code_finding(res: &php::Resolved, found: &mut Found) {
    let Some(rule) = RULES.iter().find(|r| r.id == "php-eval-decoded") else {
        return;
    };
    let at = memchr::memmem::find(&res.text, b"eval(")
        .or_else(|| memchr::memmem::find(&res.text, b"assert("))
        .unwrap_or(0);
    found.add(rule, read_as_php_finding(rule, res, at));
}

/// A finding on the resolved code at `at` (the next 80 bytes as evidence): no line of the
/// file, and the resolved text as the decoded evidence.
fn read_as_php_finding(rule: &'static Rule, res: &php::Resolved, at: usize) -> Finding {
    let end = (at + 80).min(res.text.len());
    let mut f = finding(rule, &res.text, at, end, None);
    f.line = None;
    f.decoded = Some(crate::en!(
        "(read as PHP, with its variables and disguises resolved) {0}",
        excerpt(&res.text, at, end)
    ));
    f
}

/// A shell command run under a name spelled from a disguise: `php-hidden-command`.
fn hidden_command_finding(res: &php::Resolved, found: &mut Found) {
    static CALL: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(rule) = RULES.iter().find(|r| r.id == "php-hidden-command") else {
        return;
    };
    let at = rules::cached(
        &CALL,
        r"(?i)\b(?:system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec)\s*\(",
    )
    .and_then(|c| c.find(&res.text))
    .map_or(0, |m| m.start());
    found.add(rule, read_as_php_finding(rule, res, at));
}

/// The rules that are not one pattern, for the kinds they apply to.
fn code_level_findings(kind: FileKind, path: &str, content: &[u8], found: &mut Found) {
    /// A check that is not one pattern: the rule it reports, the check.
    type Check = (&'static str, fn(&[u8]) -> Option<Finding>);
    const PHP: [Check; 2] = [
        ("php-cover-tracks", covers_tracks),
        ("php-credential-harvest", credential_harvest),
    ];
    const SCRIPTS: [Check; 2] = [
        ("js-checkout-skimmer", checkout_skimmer),
        ("js-string-table-loader", string_table_loader),
    ];
    let php = kind == FileKind::Php;
    let scripts = matches!(kind, FileKind::Js | FileKind::Html | FileKind::Php);
    let checks = PHP
        .iter()
        .filter(|_| php)
        .chain(SCRIPTS.iter().filter(|_| scripts));
    for (id, check) in checks {
        if let Some(f) = check(content) {
            found.0.entry(id).or_insert(f);
        }
    }
    if php {
        // Cloaking is content from elsewhere shown (found already), chosen by robot name.
        if found.0.contains_key("php-remote-content-shown") {
            if let Some(f) = cloaking(content) {
                found.0.entry("php-seo-cloaking").or_insert(f);
            }
        }
        if let Some(f) = code_after_config_end(path, content) {
            found.0.entry("php-after-config-end").or_insert(f);
        }
    }
}

/// Whether `needle` occurs in `hay` (the cheap necessary conditions of code-level checks).
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

/// A password (or card number) from the form, labelled, with the visitor's IP address,
/// sent out by mail, to a chat service or into a file: a phishing kit's back end.
fn credential_harvest(content: &[u8]) -> Option<Finding> {
    static LABEL: OnceLock<Option<Regex>> = OnceLock::new();
    static OUT: OnceLock<Option<Regex>> = OnceLock::new();
    let rule = RULES.iter().find(|r| r.id == "php-credential-harvest")?;
    let has = |n: &[u8]| contains(content, n);
    if !has(b"REMOTE_ADDR") || !(has(b"$_POST") || has(b"$_REQUEST") || has(b"$_GET")) {
        return None;
    }
    let out = rules::cached(
        &OUT,
        r"(?i)\bmail\s*\(|api\.telegram\.org|\bfwrite\s*\(|\bfile_put_contents\s*\(|\bfputs\s*\(",
    )?;
    if !out.is_match(content) {
        return None;
    }
    let m = rules::cached(&LABEL, rule.pattern)?.find(content)?;
    Some(finding(rule, content, m.start(), m.end(), None))
}

/// Content fetched from another server shown (found already), and the visitor's browser
/// name compared with search engines' robots: cloaking.
fn cloaking(content: &[u8]) -> Option<Finding> {
    static BOTS: OnceLock<Option<Regex>> = OnceLock::new();
    let rule = RULES.iter().find(|r| r.id == "php-seo-cloaking")?;
    let ua = memchr::memmem::find(content, b"HTTP_USER_AGENT")?;
    let m = rules::cached(&BOTS, rule.pattern)?.find(content)?;
    let (start, end) = if m.start() < ua {
        (m.start(), m.end())
    } else {
        (ua, ua + 15)
    };
    Some(finding(rule, content, start, end, None))
}

/// Hints from the file's name and shape (supporting evidence only).
fn hints(kind: FileKind, path: &str, content: &[u8]) -> Vec<Finding> {
    let mut out = Vec::new();
    if kind == FileKind::Php && named_like_media(path) {
        out.push(Finding {
            rule: "php-named-like-image".into(),
            // Libraries have names like module.graphic.gif.php: supporting evidence only.
            severity: Severity::Hint,
            title: "A program disguised with an image name".into(),
            why: "This PHP program has a name that pretends to be an image (like logo.png.php). Real images never end in .php; attackers name files this way so they look harmless.".into(),
            action: Action::Review,
            line: None,
            excerpt: excerpt(paths::file_name(path).as_bytes(), 0, 0),
            decoded: None,
            table: None,
            row: None,
        });
    }
    if kind == FileKind::Php {
        if let Some((start, len)) = longest_line(content).filter(|(_, len)| *len > 20_000) {
            out.push(Finding {
                rule: "very-long-line".into(),
                severity: Severity::Hint,
                title: "An extremely long line of code".into(),
                why: crate::en!("One line is {0} characters long. People do not write PHP like that; packed or encoded malware does.", len),
                action: Action::Review,
                line: Some(line_of(content, start)),
                excerpt: excerpt(content, start, start),
                decoded: None,
                table: None,
                row: None,
            });
        }
    }
    out
}

/// Start and length of the longest line.
fn longest_line(text: &[u8]) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    let mut start = 0;
    for (i, b) in text.iter().enumerate() {
        if *b == b'\n' {
            if best.is_none_or(|(_, l)| i - start > l) {
                best = Some((start, i - start));
            }
            start = i + 1;
        }
    }
    let tail = text.len() - start;
    if best.is_none_or(|(_, l)| tail > l) {
        best = Some((start, tail));
    }
    best
}

fn looks_like_php(b: &[u8]) -> bool {
    let s = b.get(..b.len().min(4096)).unwrap_or(b);
    s.windows(2).any(|w| w == b"$_" || w == b"<?")
        || s.windows(5).any(|w| w == b"eval(" || w == b"echo ")
}

/// Content known to be clean, by SHA-256 (published library files: `know::libraries`
/// registers itself here, so the collector, which sits below `know`, can ask).
type KnownClean = Box<dyn Fn(&crate::engine::read::hash::Sha) -> bool + Send + Sync>;

static KNOWN_CLEAN: OnceLock<KnownClean> = OnceLock::new();

/// Registers the test for known-clean content (first call wins).
pub fn set_known_clean(test: KnownClean) {
    let _ = KNOWN_CLEAN.set(test);
}

/// Whether content with this hash needs no analysis: it is byte-identical to published code.
pub fn known_clean(sha: &crate::engine::read::hash::Sha) -> bool {
    KNOWN_CLEAN.get().is_some_and(|t| t(sha))
}

/// The shared, compiled detector (built on first use).
pub fn detector() -> Option<&'static Detector> {
    static D: OnceLock<Option<Detector>> = OnceLock::new();
    D.get_or_init(Detector::new).as_ref()
}

fn line_of(text: &[u8], offset: usize) -> u32 {
    let upto = text.get(..offset.min(text.len())).unwrap_or(text);
    u32::try_from(upto.iter().filter(|b| **b == b'\n').count() + 1).unwrap_or(u32::MAX)
}

/// At most [`EXCERPT`] characters around `start..end`, on one line, defanged: links are
/// broken (`hxxp://`) and invisible or control characters are shown as `·`.
pub fn excerpt(text: &[u8], start: usize, end: usize) -> String {
    let start = start.min(text.len());
    let line_start = text
        .get(..start)
        .and_then(|t| t.iter().rposition(|b| *b == b'\n'))
        .map(|i| i + 1)
        .unwrap_or(0);
    let from = start.saturating_sub(60).max(line_start);
    let to = end.max(start + 1).saturating_add(120).min(text.len());
    let slice = text.get(from..to).unwrap_or(&[]);
    let slice = match slice
        .iter()
        .skip(start - from + 1)
        .position(|b| *b == b'\n')
    {
        Some(i) => slice.get(..start - from + 1 + i).unwrap_or(slice),
        None => slice,
    };
    let s = String::from_utf8_lossy(slice);
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_control() || paths::is_bidi_control(c) {
                '·'
            } else {
                c
            }
        })
        .take(EXCERPT)
        .collect();
    out = out
        .replace("http://", "hxxp://")
        .replace("https://", "hxxps://")
        .replace("HTTP://", "hxxp://")
        .replace("HTTPS://", "hxxps://");
    out.trim().to_owned()
}

fn finding(
    rule: &'static Rule,
    text: &[u8],
    start: usize,
    end: usize,
    decoded: Option<String>,
) -> Finding {
    Finding {
        rule: rule.id.into(),
        severity: rule.severity,
        title: rule.title.into(),
        why: rule.why.into(),
        action: Action::Review,
        line: Some(line_of(text, start)),
        excerpt: excerpt(text, start, end),
        decoded,
        table: None,
        row: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_compiles() {
        assert!(detector().is_some());
        for r in RULES {
            assert!(Regex::new(&expand(r.pattern)).is_ok(), "{}", r.id);
        }
    }

    #[test]
    fn php_tag_gate_lets_through_what_image_rules_match() {
        for yes in [
            &b"\xff\xd8<?php eval($_GET[1]);"[..],
            b"<?PhP system('x');",
            b"exif <?= $x ?>",
            b"a<<?php",
        ] {
            assert!(has_php_tag(yes), "{}", String::from_utf8_lossy(yes));
        }
        for no in [
            &b"\xff\xd8<?xml version"[..],
            b"<? ",
            b"<?ph",
            b"<",
            b"",
            b"php <!",
        ] {
            assert!(!has_php_tag(no), "{}", String::from_utf8_lossy(no));
        }
        // Every rule for images needs a tag the gate sees.
        let d = detector().unwrap();
        let set = d.set(FileKind::Image).unwrap();
        for (rule, re) in &set.rules {
            for sample in [
                &b"<?php eval($_POST[1]);"[..],
                b"<?= 1 ?>",
                b"<?PHP system(1);",
            ] {
                if re.is_match(sample) {
                    assert!(has_php_tag(sample), "{}", rule.id);
                }
            }
            assert!(
                !re.is_match(b"<?xml eval system exec"),
                "{} matches without a PHP tag",
                rule.id
            );
        }
    }

    #[test]
    fn excerpt_is_short_defanged_one_line() {
        let t =
            b"line one\n<script src=\"https://evil.example/x.js\"></script> and more\nline three";
        let e = excerpt(t, 9, 20);
        assert!(e.starts_with("<script src=\"hxxps://evil.example"), "{e}");
        assert!(!e.contains('\n') && !e.contains("line three"));
        let long = vec![b'a'; 5000];
        assert!(excerpt(&long, 2500, 2501).chars().count() <= EXCERPT);
    }
}
