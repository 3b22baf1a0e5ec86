//! The file's own functions, read where they are called.
//!
//! Obfuscators hide names and payloads behind small functions of their own: one that XORs
//! characters into `assert`, one that looks a fragment up in an array, one that joins the
//! characters of a table at the indexes it is given, one that hands back `$_COOKIE[$k]` or
//! `$_POST[$k]`. Reading such a body where it is called, with that call's arguments, gives
//! the call's value (a name, a decoded payload, request data); what the body does with them
//! (a `create_function` on request data) is written out for the rules like the rest of the
//! file. Inside a body read for a call, `foreach` over a known array and a counting `for`
//! loop run, so table decoders give their result.
//!
//! Never executes anything, and bounded: bodies up to [`MAX_BODY`] tokens, calls nested
//! [`MAX_CALL_DEPTH`] deep, [`MAX_CALLS`] bodies read per file, loops of at most
//! [`MAX_ITERATIONS`], everything paid from the file's fuel; a call already read with the
//! same arguments is answered from memory.

use foldhash::HashMap;
use std::hash::{Hash, Hasher};

use super::{
    ident_is, punct, Ev, Mode, Resolver, Scope, Taint, Target, Tok, Val, Writer, MAX_OUTPUT,
};

/// A body longer than this (in tokens) is not read for its calls.
const MAX_BODY: usize = 4_000;
/// User functions called from user functions, read this deep.
const MAX_CALL_DEPTH: usize = 4;
/// Bodies read per file (calls answered from memory are free).
const MAX_CALLS: usize = 2_000;
/// Turns of one loop in a body read for a call.
const MAX_ITERATIONS: usize = 65_536;
/// Answers remembered per file.
const MAX_MEMO: usize = 8_192;
/// Bytes of arguments and values the remembered answers may hold per file.
const MAX_MEMO_BYTES: usize = 8 << 20;

/// One function declared in the file.
struct FnDef {
    params: Vec<Vec<u8>>,
    /// The tokens between the body's braces.
    body: (usize, usize),
}

/// A call read before: its arguments, its value, whether that was disguised.
struct Answer {
    args: Vec<Val>,
    val: Val,
    disguise: bool,
}

/// A function waiting for its body's closing brace: where the body opens, its name and
/// parameters.
struct Declared {
    open: usize,
    name: Vec<u8>,
    params: Vec<Vec<u8>>,
}

/// `foreach (subject as $key => $value)`: the subject's value, the variables, the `)`.
struct ForeachHead {
    subject: Val,
    key: Option<Vec<u8>>,
    value: Vec<u8>,
    close: usize,
}

/// The file's functions and methods, and what reading them has cost so far.
#[derive(Default)]
pub(super) struct Functions {
    defs: Vec<FnDef>,
    /// Functions by lower-case name.
    global: HashMap<Vec<u8>, usize>,
    /// Methods by lower-case name; `None` where two classes share the name.
    methods: HashMap<Vec<u8>, Option<usize>>,
    /// Where each `{` closes.
    closing: HashMap<usize, usize>,
    memo: HashMap<(usize, u64), Vec<Answer>>,
    memo_len: usize,
    /// The bytes the remembered answers hold.
    memo_bytes: usize,
    depth: usize,
    calls: usize,
    /// What the bodies read for calls resolved, written out.
    pub(super) inlined: Option<Writer>,
}

impl Functions {
    /// Finds every named function and method in `toks` (closures have no name to call).
    pub(super) fn collect(toks: &[Tok]) -> Functions {
        let mut f = Functions::default();
        let mut open: Vec<usize> = Vec::new();
        let mut class_depths: Vec<usize> = Vec::new();
        let mut pending_class = false;
        let mut pending_fns: Vec<Declared> = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            match t {
                Tok::Ident(n)
                    if [&b"class"[..], b"trait", b"interface", b"enum"]
                        .iter()
                        .any(|k| n.eq_ignore_ascii_case(k))
                        && matches!(toks.get(i + 1), Some(Tok::Ident(_)))
                        && !matches!(
                            i.checked_sub(1).and_then(|p| toks.get(p)),
                            Some(Tok::Punct(b"::" | b"->"))
                        ) =>
                {
                    pending_class = true;
                }
                Tok::Ident(n) if n.eq_ignore_ascii_case(b"function") => {
                    if let Some(d) = signature(toks, i) {
                        pending_fns.push(d);
                    }
                }
                Tok::Punct(b"{") => {
                    open.push(i);
                    if pending_class {
                        pending_class = false;
                        class_depths.push(open.len());
                    }
                }
                Tok::Punct(b"}") => {
                    if class_depths.last() == Some(&open.len()) {
                        class_depths.pop();
                    }
                    if let Some(o) = open.pop() {
                        if f.closing.len() < 1 << 20 {
                            f.closing.insert(o, i);
                        }
                        f.declare(&mut pending_fns, o, i, &class_depths, open.len());
                    }
                }
                _ => {}
            }
        }
        f
    }

    /// Records the function whose body is the braces `o..c`, if one was waiting for them.
    fn declare(
        &mut self,
        pending: &mut Vec<Declared>,
        o: usize,
        c: usize,
        class_depths: &[usize],
        depth: usize,
    ) {
        let Some(k) = pending.iter().rposition(|d| d.open == o) else {
            return;
        };
        let Declared { name, params, .. } = pending.swap_remove(k);
        if self.defs.len() >= 10_000 {
            return;
        }
        let id = self.defs.len();
        self.defs.push(FnDef {
            params,
            body: (o + 1, c),
        });
        if class_depths.last() == Some(&depth) {
            self.methods
                .entry(name)
                .and_modify(|m| *m = None)
                .or_insert(Some(id));
        } else {
            self.global.entry(name).or_insert(id);
        }
    }

    pub(super) fn function(&self, name: &[u8]) -> Option<usize> {
        self.global.get(&name.to_ascii_lowercase()).copied()
    }

    pub(super) fn method(&self, name: &[u8]) -> Option<usize> {
        self.methods
            .get(&name.to_ascii_lowercase())
            .copied()
            .flatten()
    }

    pub(super) fn closing(&self, open: usize) -> Option<usize> {
        self.closing.get(&open).copied()
    }
}

/// `function name(params)` at `i`: the lower-case name, the parameters, where the body's
/// `{` is (`None` for a closure, an abstract method or something else).
fn signature(toks: &[Tok], i: usize) -> Option<Declared> {
    let mut k = i + 1;
    if punct(toks.get(k), b"&") {
        k += 1;
    }
    let Some(Tok::Ident(name)) = toks.get(k) else {
        return None;
    };
    if !punct(toks.get(k + 1), b"(") {
        return None;
    }
    let mut params = Vec::new();
    let mut parens = 0usize;
    k += 1;
    loop {
        match toks.get(k)? {
            Tok::Punct(b"(") => parens += 1,
            Tok::Punct(b")") => {
                parens -= 1;
                if parens == 0 {
                    break;
                }
            }
            Tok::Var(v) if parens == 1 && params.len() < 64 => params.push(v.to_vec()),
            _ => {}
        }
        k += 1;
        if k - i > 400 {
            return None;
        }
    }
    // A return type may stand between the parameters and the body.
    for j in k + 1..k + 16 {
        match toks.get(j)? {
            Tok::Punct(b"{") => {
                return Some(Declared {
                    open: j,
                    name: name.to_ascii_lowercase(),
                    params,
                })
            }
            Tok::Punct(b";") => return None,
            _ => {}
        }
    }
    None
}

/// A hash of argument values, to find a call read before.
fn hash_vals(vals: &[Val]) -> u64 {
    fn feed(v: &Val, h: &mut std::collections::hash_map::DefaultHasher) {
        match v {
            Val::Str(s) => (0u8, s).hash(h),
            Val::Num(n) => (1u8, n).hash(h),
            Val::Arr(items) => {
                (2u8, items.len()).hash(h);
                for (k, v) in items.iter().take(64) {
                    feed(k, h);
                    feed(v, h);
                }
            }
            Val::Tainted(t) => (3u8, *t as u8).hash(h),
            Val::Globals => 4u8.hash(h),
            Val::Server => 5u8.hash(h),
            Val::Unknown => 6u8.hash(h),
        }
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for v in vals {
        feed(v, &mut h);
    }
    h.finish()
}

/// About how many bytes a value holds (for the memory the memo may use).
fn val_size(v: &Val) -> usize {
    match v {
        Val::Str(s) => s.len() + 24,
        Val::Arr(items) => {
            items
                .iter()
                .map(|(k, v)| val_size(k) + val_size(v))
                .sum::<usize>()
                + 24
        }
        _ => 24,
    }
}

/// PHP's truth of a known value (`None`: not known).
fn truth(v: &Val) -> Option<bool> {
    match v {
        Val::Num(n) => Some(*n != 0),
        Val::Str(s) => Some(!(s.is_empty() || s.as_slice() == b"0")),
        Val::Arr(items) => Some(!items.is_empty()),
        _ => None,
    }
}

/// A known value as a number, the way PHP compares it.
fn number(v: &Val) -> Option<i64> {
    match v {
        Val::Num(n) => Some(*n),
        Val::Str(s) => std::str::from_utf8(s).ok()?.trim().parse().ok(),
        _ => None,
    }
}

impl<'t, 'a> Resolver<'t, 'a> {
    /// The file's function `def` called with `args` (the call ends at `end`), read if it
    /// can tell something: `None` leaves the call to the caller's usual reading.
    pub(super) fn user_call(&mut self, def: usize, args: &[Val], end: usize) -> Option<Ev> {
        let f = self.fns.defs.get(def)?;
        let (from, to) = f.body;
        let tainted = args.iter().any(|a| a.taint().is_some());
        let telling = tainted || f.params.is_empty() || args.iter().any(Val::is_known);
        // Decoders are small; a big body is read only for where request data goes in it.
        let limit = if tainted { MAX_BODY } else { MAX_BODY / 8 };
        if !telling
            || to - from > limit
            || self.fns.depth >= MAX_CALL_DEPTH
            || self.fns.calls >= MAX_CALLS
            || self.fuel.get() == 0
        {
            return None;
        }
        let key = (def, hash_vals(args));
        if let Some((val, disguise)) = self
            .fns
            .memo
            .get(&key)
            .and_then(|seen| seen.iter().find(|a| a.args.as_slice() == args))
            .map(|a| (a.val.clone(), a.disguise))
        {
            let val = self.copied(&val);
            return Some(self.answer(val, disguise, end));
        }
        self.fns.calls += 1;
        self.charge(to - from);
        // A call may spend half of what is left: the rest of the file is read whatever
        // one body costs.
        let kept = self.fuel.get() / 2;
        self.fuel.set(self.fuel.get() - kept);
        let mut scope = Scope::default();
        for (p, a) in f.params.clone().into_iter().zip(args) {
            let v = self.copied(a);
            scope.vars.insert(p, v);
        }
        let base = self.scopes.len();
        self.scopes.push(scope);
        self.fns.depth += 1;
        let mut w = Writer::new(true, false, 256);
        let mut plain = Writer::new(false, true, 0);
        let ret = self.run(from, to, Mode::Body, &mut w, &mut plain);
        self.fns.depth -= 1;
        self.fuel.set(self.fuel.get() + kept);
        self.scopes.truncate(base);
        self.keep_inlined(w);
        let (val, disguise) = ret.map_or((Val::Unknown, false), |e| (e.val, e.disguise));
        let size = args.iter().map(val_size).sum::<usize>() + val_size(&val);
        if self.fns.memo_len < MAX_MEMO && self.fns.memo_bytes + size <= MAX_MEMO_BYTES {
            self.fns.memo_len += 1;
            self.fns.memo_bytes += size;
            let v = self.copied(&val);
            self.fns.memo.entry(key).or_default().push(Answer {
                args: args.to_vec(),
                val: v,
                disguise,
            });
        }
        Some(self.answer(val, disguise, end))
    }

    fn answer(&self, val: Val, disguise: bool, end: usize) -> Ev {
        let telling = val.is_known() || val.taint().is_some();
        Ev {
            disguise: disguise && telling,
            ..Ev::new(val, end, telling)
        }
    }

    /// Keeps what a body read for a call resolved, for the rules.
    fn keep_inlined(&mut self, w: Writer) {
        // Constants a helper works with are no news to the rules: only a disguise undone
        // or request data followed is.
        if !w.changed || !(w.disguised || w.tainted) {
            return;
        }
        let all = self
            .fns
            .inlined
            .get_or_insert_with(|| Writer::new(true, false, 1024));
        if all.out.len() + w.out.len() <= MAX_OUTPUT / 4 {
            all.out.extend_from_slice(&w.out);
            all.changed = true;
            all.disguised |= w.disguised;
            all.tainted |= w.tainted;
        }
    }

    /// Appends what the bodies read for calls resolved to the file's text.
    pub(super) fn take_inlined(&mut self, w: &mut Writer) {
        if let Some(inl) = self.fns.inlined.take() {
            w.out.extend_from_slice(&inl.out);
            w.changed |= inl.changed;
            w.disguised |= inl.disguised;
            w.tainted |= inl.tainted;
        }
    }

    /// A `foreach` over a known array or a counting `for` at `i`, in a body read for a
    /// call: run. `Ok` with where to go on, `Err` with a `return` met inside; `None` when
    /// `i` starts no loop that can be run.
    pub(super) fn body_loop(
        &mut self,
        i: usize,
        w: &mut Writer,
        plain: &mut Writer,
    ) -> Option<Result<usize, Ev>> {
        if ident_is(self.tok(i), b"foreach") {
            return self.foreach_loop(i, w, plain);
        }
        if ident_is(self.tok(i), b"for") && punct(self.tok(i + 1), b"(") {
            return self.for_loop(i, w, plain);
        }
        None
    }

    /// The body of a loop whose head ends before `k`: its tokens and where the loop ends.
    fn loop_body(&self, k: usize) -> Option<(usize, usize, usize)> {
        if punct(self.tok(k), b"{") {
            let c = self.fns.closing(k)?;
            return Some((k + 1, c, c + 1));
        }
        let mut parens = 0usize;
        for j in k..k + MAX_BODY {
            match self.tok(j)? {
                Tok::Punct(b"(" | b"[") => parens += 1,
                Tok::Punct(b")" | b"]") => parens = parens.saturating_sub(1),
                Tok::Punct(b";") if parens == 0 => return Some((k, j + 1, j + 1)),
                Tok::Punct(b"{" | b"}") => return None,
                _ => {}
            }
        }
        None
    }

    /// `foreach (subject as [$k =>] $v)` at `i`: the subject, the variables, the `)`.
    fn foreach_head(&mut self, i: usize) -> Option<ForeachHead> {
        if !ident_is(self.tok(i), b"foreach") || !punct(self.tok(i + 1), b"(") {
            return None;
        }
        let subject = self.expr(i + 2, 0);
        let e = subject.end;
        if !ident_is(self.tok(e), b"as") {
            return None;
        }
        let amp = |t: Option<&Tok>| usize::from(punct(t, b"&"));
        let v0 = e + 1 + amp(self.tok(e + 1));
        match (self.tok(v0), self.tok(v0 + 1)) {
            (Some(Tok::Var(v)), Some(Tok::Punct(b")"))) => Some(ForeachHead {
                subject: subject.val,
                key: None,
                value: v.to_vec(),
                close: v0 + 1,
            }),
            (Some(Tok::Var(k)), Some(Tok::Punct(b"=>"))) => {
                let v1 = v0 + 2 + amp(self.tok(v0 + 2));
                match (self.tok(v1), self.tok(v1 + 1)) {
                    (Some(Tok::Var(v)), Some(Tok::Punct(b")"))) => Some(ForeachHead {
                        subject: subject.val,
                        key: Some(k.to_vec()),
                        value: v.to_vec(),
                        close: v1 + 1,
                    }),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// In the file as written: a `foreach` over request data makes its variables request
    /// data (`foreach (array_merge($_COOKIE, $_POST) as $k => $v)`). Not so for fetched
    /// data: walking a remote feed's items to show them is what admin pages do.
    pub(super) fn foreach_taint(&mut self, i: usize) {
        if let Some(ForeachHead {
            subject,
            key: key_var,
            value: val_var,
            ..
        }) = self.foreach_head(i)
        {
            if let Some(t) = subject.taint().filter(|t| *t == Taint::Request) {
                if let Some(k) = key_var {
                    self.store(&Target::Var(k), Val::Tainted(t));
                }
                self.store(&Target::Var(val_var), Val::Tainted(t));
            }
        }
    }

    fn foreach_loop(
        &mut self,
        i: usize,
        w: &mut Writer,
        plain: &mut Writer,
    ) -> Option<Result<usize, Ev>> {
        let ForeachHead {
            subject,
            key: key_var,
            value: val_var,
            close,
        } = self.foreach_head(i)?;
        let Val::Arr(items) = subject else {
            return None;
        };
        if items.len() > MAX_ITERATIONS {
            return None;
        }
        let (from, to, next) = self.loop_body(close + 1)?;
        let mut quiet = Writer::new(true, true, 0);
        for (turn, (k, v)) in items.into_iter().enumerate() {
            if self.fuel.get() == 0 {
                // A loop not run to its end tells nothing.
                return Some(Err(Ev::unknown(next)));
            }
            // The body is written out once: later turns only compute.
            let w: &mut Writer = if turn == 0 { w } else { &mut quiet };
            if let Some(name) = &key_var {
                self.store(&Target::Var(name.clone()), k);
            }
            self.store(&Target::Var(val_var.clone()), v);
            if let Some(ret) = self.run(from, to, Mode::Body, w, plain) {
                return Some(Err(ret));
            }
        }
        Some(Ok(next))
    }

    /// `for ($i = A; $i < B; $i++)` (any comparison, `++`/`--`/`+=`/`-=` steps).
    fn for_loop(
        &mut self,
        i: usize,
        w: &mut Writer,
        plain: &mut Writer,
    ) -> Option<Result<usize, Ev>> {
        let Some(Tok::Var(var)) = self.tok(i + 2) else {
            return None;
        };
        let var = var.to_vec();
        if !punct(self.tok(i + 3), b"=") {
            return None;
        }
        let init = self.expr(i + 4, 0);
        let start = number(&init.val)?;
        if !punct(self.tok(init.end), b";") {
            return None;
        }
        let c = init.end + 1;
        let op = match (self.tok(c), self.tok(c + 1)) {
            (Some(Tok::Var(v)), Some(Tok::Punct(op))) if *v == var.as_slice() => *op,
            _ => return None,
        };
        let limit = self.expr(c + 2, 0);
        if !punct(self.tok(limit.end), b";") {
            return None;
        }
        let (step, close) = self.for_step(limit.end + 1, &var)?;
        let (from, to, next) = self.loop_body(close + 1)?;
        self.store(&Target::Var(var.clone()), Val::Num(start));
        let mut quiet = Writer::new(true, true, 0);
        let mut quiet_plain = Writer::new(true, true, 0);
        for turn in 0..MAX_ITERATIONS {
            if self.fuel.get() == 0 {
                return Some(Err(Ev::unknown(next)));
            }
            let w: &mut Writer = if turn == 0 { w } else { &mut quiet };
            let plain: &mut Writer = if turn == 0 { plain } else { &mut quiet_plain };
            let cur = number(&self.lookup(&var))?;
            let lim = number(&self.expr(c + 2, 0).val)?;
            let go = match op {
                b"<" => cur < lim,
                b"<=" => cur <= lim,
                b">" => cur > lim,
                b">=" => cur >= lim,
                b"!=" | b"!==" => cur != lim,
                _ => return None,
            };
            if !go {
                return Some(Ok(next));
            }
            if let Some(ret) = self.run(from, to, Mode::Body, w, plain) {
                return Some(Err(ret));
            }
            let now = number(&self.lookup(&var))?;
            self.store(&Target::Var(var.clone()), Val::Num(now.wrapping_add(step)));
        }
        Some(Err(Ev::unknown(next)))
    }

    /// A `for` loop's step on `var` at `k`: how much it adds, and where the head's `)` is.
    fn for_step(&mut self, k: usize, var: &[u8]) -> Option<(i64, usize)> {
        let is_var = |t: Option<&Tok>| matches!(t, Some(Tok::Var(v)) if *v == var);
        let (step, end) = match (self.tok(k), self.tok(k + 1)) {
            (Some(Tok::Punct(b"++")), _) if is_var(self.tok(k + 1)) => (1, k + 2),
            (Some(Tok::Punct(b"--")), _) if is_var(self.tok(k + 1)) => (-1, k + 2),
            (_, Some(Tok::Punct(b"++"))) if is_var(self.tok(k)) => (1, k + 2),
            (_, Some(Tok::Punct(b"--"))) if is_var(self.tok(k)) => (-1, k + 2),
            (_, Some(Tok::Punct(op @ (b"+=" | b"-=")))) if is_var(self.tok(k)) => {
                let by = self.expr(k + 2, 0);
                let n = number(&by.val)?;
                (if *op == b"+=" { n } else { n.wrapping_neg() }, by.end)
            }
            _ => return None,
        };
        (punct(self.tok(end), b")") && step != 0).then_some((step, end))
    }

    /// `cond ? a : b` after a condition already read: its value. `isset`: the condition is
    /// `isset(…)`, and an unknown `a` is what was not set (`isset($t[$c]) ? $t[$c] : $c`).
    pub(super) fn ternary(&mut self, cond: Ev, isset: bool, depth: usize) -> Ev {
        let q = cond.end;
        let (then, colon) = if punct(self.tok(q + 1), b":") {
            (None, q + 1)
        } else {
            let t = self.expr(q + 1, depth + 1);
            (Some(t), 0)
        };
        let colon = then.as_ref().map_or(colon, |t| t.end);
        if !punct(self.tok(colon), b":") {
            return Ev::unknown(colon);
        }
        let other = self.expr(colon + 1, depth + 1);
        let then_val = then.as_ref().map_or(&cond.val, |t| &t.val);
        let val = match truth(&cond.val) {
            Some(true) => then_val.clone(),
            Some(false) => other.val.clone(),
            None if isset && *then_val == Val::Unknown && other.val.is_known() => other.val.clone(),
            None => match then_val.taint().max(other.val.taint()) {
                Some(t) => Val::Tainted(t),
                None => Val::Unknown,
            },
        };
        let parts = [Some(&cond), then.as_ref(), Some(&other)];
        Ev {
            val,
            end: other.end,
            resolved: parts.iter().flatten().any(|p| p.resolved),
            through_call: parts.iter().flatten().any(|p| p.through_call),
            disguise: parts.iter().flatten().any(|p| p.disguise),
        }
    }
}
