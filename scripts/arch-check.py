#!/usr/bin/env python3
"""Checks the shape of the code (issue 15): anyone can run it, and the test command does.

It lists, from the sources alone (no compiler needed):
1. import cycles between engine modules: every `.rs` file under `src/engine/` is a module;
   an edge A -> B is any path in A (a `use` or an inline path) that names B through
   `crate::engine::…`, `super::…` or `self::…` (a parent's `mod child;` line is not an
   edge: declaring a room is not using it). Cycles are also listed between the engine's
   top-level rooms (`report`, `read`, `detect`, …), so the layering shows;
2. functions over 100 lines (from `fn` to its closing brace) in `src/engine/`, and in the
   rest of `src/` (the page, the bridge, the binaries) too;
3. what the page's UI (`src/ui/`) takes from the engine: only `report`, `i18n` and
   `present` are allowed.

Usage: scripts/arch-check.py [--quiet]   exit 1 when any of the three finds something.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
ENGINE = os.path.join(SRC, "engine")
MAX_LINES = 100
UI_ALLOWED = {"report", "i18n", "present"}


def strip_code(text):
    """The text with comments, strings and char literals blanked (newlines kept), so braces
    and paths are only those of code."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif re.match(r'b?r#*"', text[i:i + 40]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'b?r(#*)"', text[i:])
            hashes = m.group(1)
            end = text.find('"' + hashes, i + m.end())
            j = n if end < 0 else end + 1 + len(hashes)
            out.append('""' + re.sub(r"[^\n]", " ", text[i + 2:j]))
            i = j
        elif c == '"' or (c == "b" and text.startswith('b"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_"))):
            j = i + (2 if c == "b" else 1)
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j += 1
            out.append('""' + re.sub(r"[^\n]", " ", text[i + 2:j]))
            i = j
        elif c == "'":
            m = re.match(r"'(?:\\u\{[0-9a-fA-F]+\}|\\x[0-9a-fA-F]{2}|\\.|[^\\'\n])'", text[i:])
            if m:
                out.append(" " * m.end())
                i += m.end()
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def engine_modules():
    """Module path (tuple) -> file, for every .rs file under src/engine."""
    mods = {}
    for dp, _, fns in os.walk(ENGINE):
        for fn in fns:
            if not fn.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(dp, fn), ENGINE)[:-3].split(os.sep)
            if rel[-1] == "mod":
                rel = rel[:-1]
            mods[tuple(rel)] = os.path.join(dp, fn)
    return mods


def inline_modules_flattened(code):
    """Inside an inline `mod name { … }` (a file's tests), `super::` is the file's module:
    rewrite it as `self::` so paths resolve from the file."""
    out, pos = [], 0
    for m in re.finditer(r"\bmod\s+[A-Za-z_][A-Za-z0-9_]*\s*\{", code):
        if m.start() < pos:
            continue
        level, k = 0, m.end() - 1
        while k < len(code):
            level += code[k] == "{"
            level -= code[k] == "}"
            if level == 0:
                break
            k += 1
        out.append(code[pos:m.end()])
        out.append(re.sub(r"\bsuper::", "self::", code[m.end():k]))
        pos = k
    out.append(code[pos:])
    return "".join(out)


def use_paths(code):
    """Every path written in the code: `use` trees expanded, plus inline `a::b::c` paths."""
    code = inline_modules_flattened(code)
    paths = []
    for m in re.finditer(r"\buse\s+([^;]+);", code):
        paths.extend(expand_tree(re.sub(r"\s+", "", m.group(1))))
    for m in re.finditer(r"\b(?:crate|super|self|site_triage)(?:::[A-Za-z_][A-Za-z0-9_]*)+", code):
        paths.append(m.group(0))
    return paths


def expand_tree(tree):
    """`a::{b,c::{d,e}}` -> [a::b, a::c::d, a::c::e]."""
    i = tree.find("{")
    if i < 0:
        return [tree.split(" as ")[0]]
    prefix, inner = tree[:i], tree[i + 1:tree.rfind("}")]
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    parts.append(cur)
    out = []
    for p in parts:
        if p:
            out.extend(expand_tree(prefix + p))
    return out


def resolve(path, here, is_mod_rs, mods):
    """The engine module a path names, or None (outside the engine, or the module itself)."""
    seg = path.split("::")
    if seg[0] in ("crate", "site_triage"):
        if len(seg) < 2 or seg[1] != "engine":
            return None
        rest = seg[2:]
    elif seg[0] in ("super", "self"):
        # `self` is the module itself; `super` its parent (for mod.rs and plain files alike,
        # since `here` is the module path, not the file path).
        base = list(here)
        i = 0
        while i < len(seg) and seg[i] in ("super", "self"):
            if seg[i] == "super":
                base = base[:-1]
            i += 1
        rest = base + seg[i:]
    else:
        return None
    best = None
    for k in range(len(rest), 0, -1):
        if tuple(rest[:k]) in mods:
            best = tuple(rest[:k])
            break
    return best


def sccs(graph):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def long_functions(path, code):
    found = []
    for m in re.finditer(r"\bfn\s+([A-Za-z_][A-Za-z0-9_]*)", code):
        start = m.start()
        # The body is the first `{` at nesting depth 0 after the signature, unless a `;` ends
        # it first (a trait method without a body).
        j, depth = m.end(), 0
        while j < len(code):
            ch = code[j]
            if ch in "([<" and not (ch == "<" and code[j - 1] == "-"):
                depth += 1
            elif ch in ")]>" and not (ch == ">" and code[j - 1] in "-="):
                depth -= 1
            elif ch == ";" and depth <= 0:
                j = -1
                break
            elif ch == "{" and depth <= 0:
                break
            j += 1
        if j < 0 or j >= len(code):
            continue
        level, k = 0, j
        while k < len(code):
            if code[k] == "{":
                level += 1
            elif code[k] == "}":
                level -= 1
                if level == 0:
                    break
            k += 1
        lines = code.count("\n", start, k) + 1
        if lines > MAX_LINES:
            line_no = code.count("\n", 0, start) + 1
            found.append((lines, os.path.relpath(path, ROOT), line_no, m.group(1)))
    return found


def main():
    quiet = "--quiet" in sys.argv
    mods = engine_modules()
    graph = {}
    for mod, path in mods.items():
        code = strip_code(open(path, encoding="utf-8").read())
        is_mod_rs = path.endswith("mod.rs")
        for p in use_paths(code):
            target = resolve(p, mod, is_mod_rs, mods)
            if target and target != mod:
                graph.setdefault(mod, set()).add(target)
    name = lambda m: "::".join(m) or "engine"
    failures = 0

    file_cycles = sccs({k: v for k, v in graph.items()})
    rooms = {}
    for a, bs in graph.items():
        for b in bs:
            if a[:1] != b[:1] and a[:1] and b[:1]:
                rooms.setdefault(a[:1], set()).add(b[:1])
    room_cycles = sccs(rooms)
    print(f"1. import cycles between engine modules: {len(file_cycles)}; between top-level rooms: {len(room_cycles)}")
    for c in file_cycles:
        print("   module cycle:", " <-> ".join(name(m) for m in c))
        failures += 1
    for c in room_cycles:
        print("   room cycle:", " <-> ".join(name(m) for m in c))
        failures += 1
    if not quiet:
        for a in sorted(rooms):
            print(f"   {name(a)} uses {', '.join(sorted(name(b) for b in rooms[a]))}")

    engine_long, other_long = [], []
    for dp, _, fns in os.walk(SRC):
        for fn in sorted(fns):
            if fn.endswith(".rs"):
                p = os.path.join(dp, fn)
                found = long_functions(p, strip_code(open(p, encoding="utf-8").read()))
                (engine_long if p.startswith(ENGINE + os.sep) else other_long).extend(found)
    print(f"2. engine functions over {MAX_LINES} lines: {len(engine_long)} (elsewhere in src/: {len(other_long)})")
    for lines, p, line, f in sorted(engine_long, reverse=True):
        print(f"   {lines:4} lines  {p}:{line}  {f}")
        failures += 1
    for lines, p, line, f in sorted(other_long, reverse=True):
        print(f"   {lines:4} lines  {p}:{line}  {f}  (outside the engine)")
        failures += 1

    ui_uses = {}
    for dp, _, fns in os.walk(os.path.join(SRC, "ui")):
        for fn in fns:
            if fn.endswith(".rs"):
                p = os.path.join(dp, fn)
                code = strip_code(open(p, encoding="utf-8").read())
                for path in use_paths(code):
                    seg = path.split("::")
                    if seg[0] in ("crate", "site_triage") and len(seg) > 2 and seg[1] == "engine":
                        ui_uses.setdefault(seg[2], set()).add(os.path.relpath(p, ROOT))
                    elif seg[0] in ("crate", "site_triage") and len(seg) == 2 and seg[1] == "engine":
                        ui_uses.setdefault("(the engine itself)", set()).add(os.path.relpath(p, ROOT))
    bad = {k: v for k, v in ui_uses.items() if k not in UI_ALLOWED}
    print(f"3. the UI takes from the engine: {', '.join(sorted(ui_uses)) or 'nothing'}"
          f" ({'only ' + '/'.join(sorted(UI_ALLOWED)) if not bad else 'NOT only ' + '/'.join(sorted(UI_ALLOWED))})")
    for k in sorted(bad):
        print(f"   engine::{k} in {', '.join(sorted(bad[k]))}")
        failures += 1
    if failures:
        print(f"arch-check: {failures} problem(s)")
        return 1
    print("arch-check: none, none, only " + "/".join(sorted(UI_ALLOWED)))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # piped into `head`
        sys.exit(1)
