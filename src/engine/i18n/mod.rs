//! Languages: every sentence a site owner reads, in English and Norwegian Bokmål.
//!
//! Why a catalog keyed by the English text (gettext style) rather than message ids: the
//! engine, the CLI and the JSON contract speak English, and the wording lives where it is
//! used, readable in the code. Translation is one step at the edge:
//!
//! - fixed text goes through [`t`] (`t(lang, "Print")`);
//! - text with values is a template with numbered holes, `{0}`, `{1}`… — [`tf`] fills one
//!   in the reader's language;
//! - a report the engine wrote in English is turned into another language by [`localize`],
//!   which matches each sentence against the catalog's templates and translates the values
//!   it captured too. The page keeps the English report and localizes a copy, so the switch
//!   between languages is instant and needs no new scan.
//!
//! The catalog is `nb.txt` next to this file. Tests check that every literal the code hands
//! to [`t`]/[`tf`] has a translation, and that every sentence of the reports our test
//! backups produce is translated.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::engine::report::Report;

/// English text with values, written as a catalog template: `en!("{0} files", n)`.
/// The template, not the finished sentence, is what the catalog translates.
#[macro_export]
macro_rules! en {
    ($tpl:literal $(, $arg:expr)* $(,)?) => {
        $crate::engine::i18n::fill($tpl, &[$(&($arg).to_string()),*])
    };
}

/// Text with values in the reader's language: `tf!(lang, "{0} files", n)`.
#[macro_export]
macro_rules! tf {
    ($lang:expr, $tpl:literal $(, $arg:expr)* $(,)?) => {
        $crate::engine::i18n::fill($crate::engine::i18n::t($lang, $tpl), &[$(&($arg).to_string()),*])
    };
}

pub use crate::engine::report::Lang;

const NB_CATALOG: &str = include_str!("nb.txt");

/// One entry of the catalog: an English text (maybe a template) and its translation.
struct Entry {
    en: &'static str,
    nb: &'static str,
}

fn unescape(s: &str) -> String {
    s.replace("\\n", "\n")
}

/// Parses `nb.txt`: pairs of `en: …` / `nb: …` lines; `#` lines and blank lines are skipped.
fn parse(text: &'static str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut pending: Option<&'static str> = None;
    for line in text.lines() {
        if let Some(en) = line.strip_prefix("en: ") {
            pending = Some(en);
        } else if let Some(nb) = line.strip_prefix("nb: ") {
            if let Some(en) = pending.take() {
                out.push(Entry { en, nb });
            }
        }
    }
    out
}

/// A template split for matching English sentences: fixed text, a value, fixed text, …
/// (hand-matched rather than with `regex`, which would double the page's wasm).
struct Template {
    /// The fixed pieces around the holes; `holes[i]` sits between `pieces[i]` and `pieces[i + 1]`.
    pieces: Vec<String>,
    /// Hole numbers in order of appearance.
    holes: Vec<usize>,
    nb: String,
    /// Length of its fixed text: the most specific template wins when several match.
    literal: usize,
}

impl Template {
    fn parse(en: &str, nb: String) -> Option<Template> {
        let mut pieces = Vec::new();
        let mut holes = Vec::new();
        let mut current = String::new();
        for part in parts(en) {
            match part {
                Part::Text(t) => current.push_str(t),
                Part::Hole(n, _) => {
                    pieces.push(std::mem::take(&mut current));
                    holes.push(n);
                }
            }
        }
        pieces.push(current);
        let literal = pieces.iter().map(String::len).sum();
        // Two holes side by side cannot be told apart.
        let separated = pieces
            .iter()
            .skip(1)
            .take(pieces.len().saturating_sub(2))
            .all(|p| !p.is_empty());
        (!holes.is_empty() && separated).then_some(Template {
            pieces,
            holes,
            nb,
            literal,
        })
    }

    /// The values of the holes if `text` has this template's shape (each value non-empty,
    /// taken as short as possible); a value given twice (`{0}` … `{0}`) must agree.
    fn captures<'a>(&self, text: &'a str) -> Option<Vec<&'a str>> {
        let first = self.pieces.first()?;
        let last = self.pieces.last()?;
        let body = text.strip_prefix(first.as_str())?;
        if body.len() < last.len() {
            return None;
        }
        let body = body.strip_suffix(last.as_str())?;
        let mut values: Vec<&str> = Vec::with_capacity(self.holes.len());
        let mut rest = body;
        let middle = self
            .pieces
            .get(1..self.pieces.len() - 1)
            .unwrap_or_default();
        for piece in middle {
            // At least one character of value before the next fixed piece.
            let skip = rest.chars().next()?.len_utf8();
            let at = rest.get(skip..)?.find(piece.as_str())? + skip;
            values.push(rest.get(..at)?);
            rest = rest.get(at + piece.len()..)?;
        }
        if rest.is_empty() {
            return None;
        }
        values.push(rest);
        let mut by_hole: Vec<Option<&str>> = vec![None; self.holes.iter().max()? + 1];
        for (&h, v) in self.holes.iter().zip(&values) {
            match by_hole.get(h).copied().flatten() {
                Some(seen) if seen != *v => return None,
                _ => *by_hole.get_mut(h)? = Some(v),
            }
        }
        Some(by_hole.into_iter().map(Option::unwrap_or_default).collect())
    }
}

struct Catalog {
    exact: HashMap<String, String>,
    templates: Vec<Template>,
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut exact = HashMap::new();
        let mut templates = Vec::new();
        for e in parse(NB_CATALOG) {
            if let Some(tpl) = Template::parse(e.en, unescape(e.nb)) {
                templates.push(tpl);
            }
            exact.insert(unescape(e.en), unescape(e.nb));
        }
        Catalog { exact, templates }
    })
}

/// The catalog's translation of exactly this text, if it has one.
pub fn lookup(lang: Lang, en: &str) -> Option<&'static str> {
    match lang {
        Lang::En => None,
        Lang::Nb => catalog().exact.get(en).map(String::as_str),
    }
}

/// Fixed text in the reader's language (the English text if the catalog lacks it).
pub fn t(lang: Lang, en: &'static str) -> &'static str {
    lookup(lang, en).unwrap_or(en)
}

/// Replaces `{0}`, `{1}`… in `template` with `args` (in one pass: values are never
/// re-read as holes).
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    for part in parts(template) {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Hole(i, raw) => out.push_str(args.get(i).copied().unwrap_or(raw)),
        }
    }
    out
}

/// A piece of a template: fixed text, or a hole `{n}` (with its raw text). A `{` that opens
/// no hole is text.
enum Part<'a> {
    Text(&'a str),
    Hole(usize, &'a str),
}

/// Splits a template into text and holes — the one reading of `{n}` that filling and
/// matching share.
fn parts(template: &str) -> Vec<Part<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (lit, tail) = rest.split_at(open);
        if !lit.is_empty() {
            out.push(Part::Text(lit));
        }
        let hole = tail
            .find('}')
            .and_then(|close| Some((close, tail.get(1..close)?.parse::<usize>().ok()?)));
        match hole {
            Some((close, n)) => {
                out.push(Part::Hole(n, tail.get(..=close).unwrap_or_default()));
                rest = tail.get(close + 1..).unwrap_or_default();
            }
            None => {
                out.push(Part::Text(tail.get(..1).unwrap_or_default()));
                rest = tail.get(1..).unwrap_or_default();
            }
        }
    }
    if !rest.is_empty() {
        out.push(Part::Text(rest));
    }
    out
}

/// Translates a sentence the engine wrote in English: an exact catalog entry, or the most
/// specific template that matches it, with the values it captured translated in turn
/// (a value such as "this site" is itself in the catalog). Unknown text stays as it is —
/// file names, versions and other data are never translated.
pub fn translate(lang: Lang, en: &str) -> String {
    translate_depth(lang, en, 0)
}

fn translate_depth(lang: Lang, en: &str, depth: u8) -> String {
    if lang == Lang::En || en.is_empty() {
        return en.to_owned();
    }
    let cat = catalog();
    if let Some(nb) = cat.exact.get(en) {
        return nb.clone();
    }
    if depth > 2 {
        return en.to_owned();
    }
    // A whole sentence only matches a template with enough fixed words to be sure of it;
    // a value inside one (depth > 0) may match shorter ones, such as "{0} {1} (from {2})".
    let min_literal = if depth == 0 { 12 } else { 8 };
    let best = cat
        .templates
        .iter()
        .filter(|t| t.literal >= min_literal)
        .filter_map(|t| Some((t, t.captures(en)?)))
        .max_by_key(|(t, _)| t.literal);
    let Some((tpl, values)) = best else {
        return translate_list(lang, en, depth).unwrap_or_else(|| en.to_owned());
    };
    let args: Vec<String> = values
        .iter()
        .map(|v| translate_depth(lang, v, depth + 1))
        .collect();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    fill(&tpl.nb, &refs)
}

/// A value that is a list the engine joined ("a; b", "a, and b"): translated part by part
/// (each part may itself be a template, such as "created on {0}, shortly before…"), only if
/// every part is in the catalog.
fn translate_list(lang: Lang, en: &str, depth: u8) -> Option<String> {
    if depth == 0 {
        return None;
    }
    for sep in ["; ", ", and "] {
        if en.contains(sep) {
            let parts: Vec<&str> = en.split(sep).collect();
            let translated: Vec<String> = parts
                .iter()
                .map(|p| translate_depth(lang, p, depth + 1))
                .collect();
            if parts.iter().zip(&translated).all(|(p, t)| p != t) {
                return Some(translated.join(t(lang, sep)));
            }
        }
    }
    None
}

/// Whether the catalog translates this English sentence completely (tests use it to find
/// gaps): it changes, and no fixed English wording of the catalog (a piece of 18 or more
/// characters that the translation does not share) is left in it — a sentence can match a
/// template while a value inside it stays English.
pub fn is_translated(lang: Lang, en: &str) -> bool {
    if lang == Lang::En {
        return true;
    }
    let out = translate(lang, en);
    out != en && english_left(&out).is_none()
}

/// The first fixed English wording of the catalog found in `text`, if any.
pub fn english_left(text: &str) -> Option<&'static str> {
    static PIECES: OnceLock<Vec<&'static str>> = OnceLock::new();
    let pieces = PIECES.get_or_init(|| {
        let mut v = Vec::new();
        for e in parse(NB_CATALOG) {
            for part in parts(e.en) {
                if let Part::Text(piece) = part {
                    let piece = piece.trim();
                    if piece.len() >= 18 && !e.nb.contains(piece) {
                        v.push(piece);
                    }
                }
            }
        }
        v
    });
    pieces.iter().copied().find(|p| text.contains(p))
}

/// Whether [`localize`] would change anything: the report is in English and `lang` is not.
pub fn needs_localizing(report: &Report, lang: Lang) -> bool {
    report.language == Lang::En && lang != Lang::En
}

/// A copy of an English report with every sentence in `lang`. Data — paths, versions,
/// excerpts, names — is left alone. A report already in another language is returned as is.
pub fn localize(report: &Report, lang: Lang) -> Report {
    let mut r = report.clone();
    if !needs_localizing(report, lang) {
        return r;
    }
    r.language = lang;
    let tr = |s: &mut String| *s = translate(lang, s);
    tr(&mut r.headline);
    for c in &mut r.cms {
        if let Some(d) = c.recognised_by.disagreement.as_mut() {
            tr(d);
        }
        if let Some(d) = c.recognised_by.no_match.as_mut() {
            tr(d);
        }
    }
    for f in &mut r.files {
        if let Some(n) = f.note.as_mut() {
            tr(n);
        }
        for x in &mut f.findings {
            tr(&mut x.title);
            tr(&mut x.why);
            if let Some(d) = x.decoded.as_mut() {
                // Only the words around the decoded code; the code itself stays as it is.
                tr(d);
            }
        }
    }
    for s in &mut r.secrets {
        tr(&mut s.how);
    }
    for a in &mut r.accounts {
        tr(&mut a.role);
        for flag in &mut a.flags {
            tr(flag);
        }
    }
    if let Some(h) = r.account.as_mut() {
        for c in &mut h.cron {
            tr(&mut c.when);
            c.flags.iter_mut().for_each(tr);
        }
        for k in &mut h.ssh_keys {
            k.flags.iter_mut().for_each(tr);
        }
        for f in &mut h.forwarders {
            f.flags.iter_mut().for_each(tr);
        }
    }
    if let Some(b) = r.timeline.break_in.as_mut() {
        tr(&mut b.why);
        for e in &mut b.evidence {
            tr(&mut e.what);
        }
    }
    for w in &mut r.warnings {
        tr(&mut w.message);
    }
    r
}

/// A comparison of several backups with its sentences in `lang` (like [`localize`]).
pub fn localize_comparison(
    c: &crate::engine::report::series::Comparison,
    lang: Lang,
) -> crate::engine::report::series::Comparison {
    let mut c = c.clone();
    if lang == Lang::En {
        return c;
    }
    let tr = |s: &mut String| *s = translate(lang, s);
    tr(&mut c.recommendation);
    c.steps.iter_mut().for_each(tr);
    c.notes.iter_mut().for_each(tr);
    if let Some(r) = c.restore_from.as_mut() {
        tr(&mut r.why);
        r.caution.iter_mut().for_each(tr);
    }
    if let Some(b) = c.break_in.as_mut() {
        tr(&mut b.why);
        b.detail.iter_mut().for_each(tr);
    }
    for ch in &mut c.changes {
        ch.notes.iter_mut().for_each(tr);
    }
    for e in &mut c.order {
        e.error.iter_mut().for_each(tr);
    }
    c
}

/// Every sentence of a comparison a reader sees (for the completeness tests).
pub fn comparison_sentences(c: &crate::engine::report::series::Comparison) -> Vec<&str> {
    let mut out: Vec<&str> = vec![c.recommendation.as_str()];
    out.extend(c.steps.iter().map(String::as_str));
    out.extend(c.notes.iter().map(String::as_str));
    if let Some(r) = &c.restore_from {
        out.push(&r.why);
        out.extend(r.caution.as_deref());
    }
    if let Some(b) = &c.break_in {
        out.push(&b.why);
        out.extend(b.detail.as_deref());
    }
    for ch in &c.changes {
        out.extend(ch.notes.iter().map(String::as_str));
    }
    out
}

/// Every sentence of a report a reader sees (for the completeness tests).
pub fn sentences(report: &Report) -> Vec<&str> {
    let mut out: Vec<&str> = vec![report.headline.as_str()];
    for c in &report.cms {
        out.extend(c.recognised_by.disagreement.as_deref());
        out.extend(c.recognised_by.no_match.as_deref());
    }
    for f in &report.files {
        out.extend(f.note.as_deref());
        for x in &f.findings {
            out.push(&x.title);
            out.push(&x.why);
        }
    }
    for s in &report.secrets {
        out.push(&s.how);
    }
    for a in &report.accounts {
        out.extend(a.flags.iter().map(String::as_str));
    }
    if let Some(h) = &report.account {
        for c in &h.cron {
            out.push(&c.when);
            out.extend(c.flags.iter().map(String::as_str));
        }
        let keys = h.ssh_keys.iter().flat_map(|k| &k.flags);
        let forwards = h.forwarders.iter().flat_map(|f| &f.flags);
        out.extend(keys.chain(forwards).map(String::as_str));
    }
    if let Some(b) = &report.timeline.break_in {
        out.push(&b.why);
        out.extend(b.evidence.iter().map(|e| e.what.as_str()));
    }
    for w in &report.warnings {
        out.push(&w.message);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_tags_pick_the_language() {
        assert_eq!(Lang::from_tag("nb-NO"), Some(Lang::Nb));
        assert_eq!(Lang::from_tag("no"), Some(Lang::Nb));
        assert_eq!(Lang::from_tag("nn-NO"), Some(Lang::Nb));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("de"), None);
        assert_eq!(Lang::negotiate(["de-DE", "nb", "en"]), Some(Lang::Nb));
        assert_eq!(Lang::negotiate(["fr"]), None);
    }

    #[test]
    fn fill_puts_values_in_holes_once() {
        assert_eq!(fill("{1} before {0}", &["a", "{0}"]), "{0} before a");
        assert_eq!(fill("no {hole} {9}", &["x"]), "no {hole} {9}");
    }

    #[test]
    fn templates_translate_sentences_with_their_values() {
        let s = translate(Lang::Nb, "differs from the clean WordPress 6.4.2");
        assert_eq!(s, "avviker fra den rene WordPress 6.4.2");
        assert_eq!(translate(Lang::Nb, "wp-content/x.php"), "wp-content/x.php");
        assert_eq!(translate(Lang::En, "Print"), "Print");
        assert_eq!(t(Lang::Nb, "Print"), "Skriv ut");
        // A value given twice must agree; values are never empty.
        let tpl = Template::parse("{0} to {1}, before {0}.", String::new()).unwrap();
        assert_eq!(tpl.captures("a to b, before a."), Some(vec!["a", "b"]));
        assert_eq!(tpl.captures("a to b, before c."), None);
        assert_eq!(tpl.captures(" to b, before ."), None);
        // Values inside values: the label of a reference archive.
        assert_eq!(
            translate(
                Lang::Nb,
                "differs from the clean WordPress 6.4 (from wp.zip)"
            ),
            "avviker fra den rene WordPress 6.4 (fra wp.zip)"
        );
        // A list the engine joined is translated part by part, templates included.
        let why = translate(
            Lang::Nb,
            "The account \"x\" (y) has full control of the site and created on 2024-03-05 10:22, shortly before the newest activity in this dump, and its name imitates a system or service account. Attackers create accounts like this to come back; if you do not know it, delete it.",
        );
        assert!(
            why.contains("navnet etterligner en system- eller tjenestekonto"),
            "{why}"
        );
        assert!(!why.contains("shortly before"), "{why}");
        assert_eq!(
            translate(
                Lang::Nb,
                "Odd file name: it is an absolute path; it starts with a Windows drive letter. Attackers use names like this to hide files or trick tools that unpack backups."
            ),
            "Merkelig filnavn: det er en absolutt sti; det begynner med en Windows-stasjonsbokstav. Angripere bruker slike navn for å skjule filer eller lure verktøy som pakker ut sikkerhetskopier."
        );
    }

    #[test]
    fn catalog_has_no_empty_or_unbalanced_entries() {
        for e in parse(NB_CATALOG) {
            assert!(!e.nb.trim().is_empty(), "empty translation of {:?}", e.en);
            for i in 0..5 {
                let hole = format!("{{{i}}}");
                assert_eq!(
                    e.en.contains(&hole),
                    e.nb.contains(&hole),
                    "holes differ in {:?} / {:?}",
                    e.en,
                    e.nb
                );
            }
        }
        let entries = parse(NB_CATALOG);
        let en_lines = NB_CATALOG.lines().filter(|l| l.starts_with("en: ")).count();
        assert_eq!(entries.len(), en_lines, "an en: line without its nb: line");
    }
}
