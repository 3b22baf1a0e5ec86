//! Code cut into pieces and stitched back with `goto`, put back in the order it runs.
//!
//! Obfuscators shuffle a program's statements and chain them with `goto label;` and
//! `label:` so that nothing reads in order: `$a = 'ev'` lands after the line that uses `$a`.
//! Following the chain of unconditional jumps from the start of each block writes the
//! statements in the order they run, which is the order [`super::Resolver`] reads in.
//! Statements no chain reaches (the targets of conditional jumps) follow, in their own
//! chains. Labels and the followed jumps are dropped; jumps inside `if` stay as they are.
//!
//! Linear in the number of tokens per level of nesting, nesting followed [`MAX_NESTING`]
//! deep; files with fewer than [`MIN_GOTOS`] jumps are left alone.

use foldhash::HashMap;

use super::{ident_is, punct, Tok};

/// Fewer jumps than this are someone's hand-written `goto`: left alone.
const MIN_GOTOS: usize = 3;
/// Blocks inside blocks followed this deep.
const MAX_NESTING: usize = 32;

/// One statement of a block.
enum Stmt<'t> {
    Label(&'t [u8]),
    Goto(&'t [u8]),
    /// Any other statement: its tokens.
    Code(usize, usize),
}

/// The tokens in the order they run, if the file jumps around with `goto`.
pub(super) fn linearize(toks: Vec<Tok<'_>>) -> Vec<Tok<'_>> {
    let gotos = toks.iter().filter(|t| ident_is(Some(t), b"goto")).count();
    if gotos < MIN_GOTOS {
        return toks;
    }
    let mut out = Vec::with_capacity(toks.len());
    block(&toks, 0, toks.len(), 0, &mut out);
    out
}

/// The statements of `from..to` in the order they run, into `out`.
fn block<'a>(toks: &[Tok<'a>], from: usize, to: usize, nesting: usize, out: &mut Vec<Tok<'a>>) {
    let stmts = statements(toks, from, to);
    if nesting > MAX_NESTING || !stmts.iter().any(|s| matches!(s, Stmt::Goto(_))) {
        for s in &stmts {
            match s {
                Stmt::Code(a, b) => code(toks, *a, *b, nesting, out),
                Stmt::Label(l) => {
                    out.push(Tok::Ident(l));
                    out.push(Tok::Punct(b":"));
                }
                Stmt::Goto(l) => {
                    out.extend([Tok::Ident(b"goto"), Tok::Ident(l), Tok::Punct(b";")]);
                }
            }
        }
        return;
    }
    let mut labels: HashMap<&[u8], usize> = HashMap::default();
    for (k, s) in stmts.iter().enumerate() {
        if let Stmt::Label(l) = s {
            labels.entry(*l).or_insert(k);
        }
    }
    let mut seen = vec![false; stmts.len()];
    for start in 0..stmts.len() {
        let mut k = start;
        // Each statement is written once: a chain stops where it meets one already written.
        while let (Some(s), Some(fresh @ false)) = (stmts.get(k), seen.get_mut(k)) {
            *fresh = true;
            match s {
                Stmt::Goto(l) => match labels.get(l) {
                    Some(&target) => k = target,
                    None => k += 1,
                },
                Stmt::Label(_) => k += 1,
                Stmt::Code(a, b) => {
                    code(toks, *a, *b, nesting, out);
                    k += 1;
                }
            }
        }
    }
}

/// One statement's tokens, with the blocks in it linearized in turn.
fn code<'a>(toks: &[Tok<'a>], from: usize, to: usize, nesting: usize, out: &mut Vec<Tok<'a>>) {
    let mut i = from;
    while i < to {
        let Some(t) = toks.get(i) else {
            return;
        };
        if punct(Some(t), b"{") {
            if let Some(close) = closing(toks, i, to) {
                out.push(t.clone());
                block(toks, i + 1, close, nesting + 1, out);
                out.push(Tok::Punct(b"}"));
                i = close + 1;
                continue;
            }
        }
        out.push(t.clone());
        i += 1;
    }
}

/// The `}` that closes the `{` at `open`, before `to`.
fn closing(toks: &[Tok], open: usize, to: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, t) in toks.iter().enumerate().take(to).skip(open) {
        match t {
            Tok::Punct(b"{") => depth += 1,
            Tok::Punct(b"}") => {
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

/// Splits `from..to` into statements at its own level.
fn statements<'a>(toks: &[Tok<'a>], from: usize, to: usize) -> Vec<Stmt<'a>> {
    let mut out = Vec::new();
    let mut i = from;
    while i < to {
        match (toks.get(i), toks.get(i + 1), toks.get(i + 2)) {
            (Some(Tok::Ident(n)), Some(Tok::Punct(b":")), _)
                if ![&b"default"[..], b"else", b"case"]
                    .iter()
                    .any(|k| n.eq_ignore_ascii_case(k)) =>
            {
                out.push(Stmt::Label(n));
                i += 2;
            }
            (Some(Tok::Ident(g)), Some(Tok::Ident(l)), Some(Tok::Punct(b";")))
                if g.eq_ignore_ascii_case(b"goto") =>
            {
                out.push(Stmt::Goto(l));
                i += 3;
            }
            _ => {
                let end = statement_end(toks, i, to);
                out.push(Stmt::Code(i, end));
                i = end;
            }
        }
    }
    out
}

/// Where the statement that starts at `i` ends (exclusive).
fn statement_end(toks: &[Tok], i: usize, to: usize) -> usize {
    let mut parens = 0usize;
    let mut braces = 0usize;
    if matches!(toks.get(i), Some(Tok::Html(_))) {
        return i + 1;
    }
    let is_do = ident_is(toks.get(i), b"do");
    let mut j = i;
    while j < to {
        match toks.get(j) {
            Some(Tok::Punct(b"(" | b"[")) => parens += 1,
            Some(Tok::Punct(b")" | b"]")) => parens = parens.saturating_sub(1),
            Some(Tok::Punct(b"{")) => braces += 1,
            Some(Tok::Punct(b"}")) => {
                if braces == 0 {
                    return j.max(i + 1);
                }
                braces -= 1;
                if braces == 0 && parens == 0 {
                    let next = toks.get(j + 1);
                    let goes_on = [&b"else"[..], b"elseif", b"catch", b"finally"]
                        .iter()
                        .any(|k| ident_is(next, k))
                        || (is_do && ident_is(next, b"while"));
                    if !goes_on {
                        return j + 1;
                    }
                }
            }
            Some(Tok::Punct(b";")) if parens == 0 && braces == 0 => return j + 1,
            Some(Tok::Html(_)) if j > i && braces == 0 => return j,
            None => return to,
            _ => {}
        }
        j += 1;
    }
    to
}
