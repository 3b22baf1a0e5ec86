//! Reports as text for a terminal and as Markdown for a support ticket.
//!
//! Both lead with the verdict, then what to look at first, so a person reading only the top
//! lines still learns what matters. Names from the backup are attacker-chosen: Markdown
//! output escapes them and wraps them in code spans so they cannot inject links or markup,
//! and control characters are made visible in both forms.

use std::fmt::Write;

use crate::engine::i18n::{t, Lang};
use crate::engine::present::explain::{
    action_text, component_kind, secret_kind, status_label, FLAGGED_EXPLANATION, FLAGGED_TITLE,
    GROUPS,
};
use crate::engine::report::FileReport;
use crate::engine::report::Severity;
use crate::engine::report::{Report, SiteVerdict, Status};
use crate::tf;

/// Makes control and direction-override characters visible (`\u{202e}` → `<U+202E>`).
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || crate::engine::read::paths::is_bidi_control(c) {
            let _ = write!(out, "<U+{:04X}>", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Files the content rules flagged (beyond hints), malicious first.
pub fn flagged(report: &Report) -> Vec<&FileReport> {
    let mut v: Vec<&FileReport> = report
        .files
        .iter()
        .filter(|f| f.findings.iter().any(|x| x.severity > Severity::Hint))
        .collect();
    v.sort_by(|a, b| b.verdict.cmp(&a.verdict).then(a.path.cmp(&b.path)));
    v
}

fn severity_word(l: Lang, f: &FileReport) -> &'static str {
    t(
        l,
        match f.verdict {
            crate::engine::report::Verdict::Malicious => "malicious",
            crate::engine::report::Verdict::Suspicious => "suspicious",
            crate::engine::report::Verdict::Clean => "clean",
        },
    )
}

/// Text with every character that could make Markdown markup or a link escaped, so names
/// from the backup cannot add links, images or HTML (GitHub-style autolinks included).
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in visible(s).chars() {
        if "\\`*_{}[]<>#|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out.replace("://", ":\\/\\/").replace("www.", "www\\.")
}

/// A Markdown code span that no backtick in `s` can break out of.
fn code(s: &str) -> String {
    let s = visible(s);
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if s.starts_with('`') || s.ends_with('`') {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

fn verdict_word(l: Lang, v: SiteVerdict) -> &'static str {
    t(
        l,
        match v {
            SiteVerdict::Clean => "CLEAN",
            SiteVerdict::Suspicious => "SUSPICIOUS",
            SiteVerdict::Compromised => "COMPROMISED",
        },
    )
}

fn cms_lines(report: &Report) -> Vec<String> {
    let l = report.language;
    report
        .cms
        .iter()
        .map(|c| {
            let mut line = tf!(
                l,
                "{0} {1} in {2}",
                c.name.display_name(),
                c.version.as_deref().unwrap_or(t(l, "(version unknown)")),
                if c.root.is_empty() {
                    t(l, "the archive's top folder").to_owned()
                } else {
                    visible(&c.root)
                }
            );
            let r = &c.recognised_by;
            if let Some(h) = &r.hashes {
                line.push_str(&tf!(
                    l,
                    " — {0} of {1} release files identical",
                    h.matched,
                    h.expected
                ));
            }
            if let Some(v) = &r.version_file {
                line.push_str(&tf!(l, "; version file says {0}", visible(&v.version)));
            }
            line
        })
        .collect()
}

/// Plain text for a terminal. `limit` caps how many files each group lists.
pub fn text(report: &Report, limit: usize) -> String {
    let l = report.language;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}: {}",
        verdict_word(l, report.verdict),
        report.headline
    );
    let _ = writeln!(o);
    let a = &report.archive;
    let _ = writeln!(
        o,
        "{}",
        tf!(
            l,
            "Backup: {0} ({1}, {2} bytes, {3} files)",
            visible(&a.name),
            a.format,
            a.size,
            report.summary.files
        )
    );
    for line in cms_lines(report) {
        let _ = writeln!(o, "{}", tf!(l, "Site:   {0}", line));
    }
    if report.cms.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            t(
                l,
                "Site:   no WordPress, Joomla, Drupal or TYPO3 installation recognised"
            )
        );
    }
    for c in &report.cms {
        if let Some(d) = &c.recognised_by.disagreement {
            let _ = writeln!(o, "  ! {d}");
        }
        if !c.components.is_empty() {
            let _ = writeln!(
                o,
                "{}",
                tf!(
                    l,
                    "  {0} plugin(s)/theme(s)/extension(s):",
                    c.components.len()
                )
            );
            for comp in c.components.iter().take(limit) {
                let _ = writeln!(
                    o,
                    "    {} {} {} ({})",
                    t(l, component_kind(&comp.kind)),
                    visible(&comp.name),
                    visible(comp.version.as_deref().unwrap_or("?")),
                    visible(&comp.slug)
                );
            }
        }
    }
    if !report.databases.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            tf!(
                l,
                "Databases: {0}",
                report
                    .databases
                    .iter()
                    .map(|d| visible(d))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        );
    }
    for a in &report.accounts {
        let flags = if a.flags.is_empty() {
            String::new()
        } else {
            format!("  ! {}", a.flags.join("; "))
        };
        let _ = writeln!(
            o,
            "{}{flags}",
            tf!(
                l,
                "  administrator {0} <{1}> since {2}",
                visible(&a.login),
                visible(&a.email),
                a.registered.as_deref().unwrap_or("?")
            )
        );
    }
    let s = &report.summary;
    let _ = writeln!(
        o,
        "{}",
        tf!(
            l,
            "Files:  {0} unchanged, {1} modified, {2} added, {3} whitespace-only, {4} leftover, {5} missing, {6} unknown",
            s.unchanged,
            s.modified,
            s.added,
            s.whitespace_only,
            s.leftover,
            s.missing,
            s.unknown
        )
    );
    let tl = &report.timeline;
    if let (Some(a), Some(b)) = (&tl.start, &tl.end) {
        let _ = writeln!(
            o,
            "{}",
            tf!(
                l,
                "When:   the break-in most probably began {0} (suspicious changes from {1} to {2}); restore from a backup made before {0}.",
                a.get(..10).unwrap_or(a),
                a.replace('T', " ").trim_end_matches('Z'),
                b.replace('T', " ").trim_end_matches('Z')
            )
        );
    }
    if !report.secrets.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            tf!(l, "Secrets to change ({0}):", report.secrets.len())
        );
        for x in &report.secrets {
            let shown = x
                .value
                .as_deref()
                .map(visible)
                .unwrap_or_else(|| x.masked.clone());
            let _ = writeln!(
                o,
                "{}",
                tf!(
                    l,
                    "  {0} {1} in {2} line {3}: {4}",
                    t(l, secret_kind(x.kind)),
                    visible(&x.name),
                    visible(&x.file),
                    x.line,
                    visible(&shown)
                )
            );
        }
    }
    let flagged = flagged(report);
    if !flagged.is_empty() {
        let _ = writeln!(o, "\n{} ({}):", t(l, FLAGGED_TITLE), flagged.len());
        for f in flagged.iter().take(limit) {
            let _ = writeln!(
                o,
                "  {}  [{}, {}]",
                visible(&f.path),
                severity_word(l, f),
                t(l, status_label(f.status, f.location))
            );
            for x in f.findings.iter().filter(|x| x.severity > Severity::Hint) {
                let line = x.line.map(|n| tf!(l, " (line {0})", n)).unwrap_or_default();
                let _ = writeln!(o, "    - {}{line}: {}", x.title, x.excerpt);
                if let Some(d) = &x.decoded {
                    let _ = writeln!(o, "      {}", tf!(l, "decoded: {0}", visible(d)));
                }
            }
            if let Some(x) = f.findings.first() {
                let _ = writeln!(o, "    → {}", t(l, action_text(x.action)));
            }
        }
    }
    for g in &GROUPS {
        let status = g.status;
        let items: Vec<_> = report.files.iter().filter(|f| f.status == status).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(o, "\n{} ({}):", t(l, g.title), items.len());
        for f in items.iter().take(limit) {
            let mut line = format!("  {}", visible(&f.path));
            if status == Status::Added {
                let _ = write!(line, "  [{}]", t(l, status_label(f.status, f.location)));
            }
            if let Some(n) = &f.note {
                let _ = write!(line, "  — {n}");
            }
            let _ = writeln!(o, "{line}");
        }
        if items.len() > limit {
            let _ = writeln!(
                o,
                "{}",
                tf!(
                    l,
                    "  … and {0} more (use --format json for the full list)",
                    items.len() - limit
                )
            );
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(o, "\n{}", tf!(l, "Warnings ({0}):", report.warnings.len()));
        for w in report.warnings.iter().take(limit) {
            match &w.path {
                Some(p) => {
                    let _ = writeln!(o, "  {}: {}", visible(p), w.message);
                }
                None => {
                    let _ = writeln!(o, "  {}", w.message);
                }
            }
        }
    }
    o
}

/// Markdown for a support ticket or a saved report.
pub fn markdown(report: &Report) -> String {
    let l = report.language;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# {}\n",
        tf!(
            l,
            "Site Triage report: {0}",
            verdict_word(l, report.verdict).to_lowercase()
        )
    );
    let _ = writeln!(o, "**{}**\n", report.headline);
    let a = &report.archive;
    let _ = writeln!(
        o,
        "- {}",
        tf!(
            l,
            "Backup: {0} ({1}, {2} bytes, {3} files)",
            code(&a.name),
            a.format,
            a.size,
            report.summary.files
        )
    );
    for line in cms_lines(report) {
        let _ = writeln!(
            o,
            "- {}",
            tf!(
                l,
                "Site: {0}",
                line.replace(['*', '_', '[', ']', '<', '>'], " ")
            )
        );
    }
    for c in &report.cms {
        if let Some(d) = &c.recognised_by.disagreement {
            let _ = writeln!(o, "- **{}** {d}", t(l, "Warning:"));
        }
    }
    let tl = &report.timeline;
    if let (Some(a), Some(b)) = (&tl.start, &tl.end) {
        let _ = writeln!(
            o,
            "- {}",
            tf!(
                l,
                "When: the break-in most probably began **{0}** (suspicious changes from {1} to {2}).",
                a.get(..10).unwrap_or(a),
                md_escape(a),
                md_escape(b)
            )
        );
    }
    if !report.secrets.is_empty() {
        let _ = writeln!(o, "\n## {}\n", t(l, "Passwords and keys to change"));
        for x in &report.secrets {
            let shown = x.value.as_deref().unwrap_or(&x.masked);
            let _ = writeln!(
                o,
                "- {} — {}",
                tf!(
                    l,
                    "{0} {1} in {2} line {3}: {4}",
                    t(l, secret_kind(x.kind)),
                    code(&x.name),
                    code(&x.file),
                    x.line,
                    code(shown)
                ),
                md_escape(&x.how)
            );
        }
    }
    let s = &report.summary;
    let _ = writeln!(o, "\n| {} | {} |\n|---|---|", t(l, "status"), t(l, "files"));
    for st in Status::ALL {
        let _ = writeln!(o, "| {} | {} |", t(l, status_label(st, None)), s.get(st));
    }
    for c in &report.cms {
        if c.components.is_empty() {
            continue;
        }
        let _ = writeln!(
            o,
            "\n## {}\n",
            tf!(
                l,
                "Plugins, themes and extensions of {0}",
                c.name.display_name()
            )
        );
        for comp in &c.components {
            let _ = writeln!(
                o,
                "- {} {} {}",
                t(l, component_kind(&comp.kind)),
                code(&comp.name),
                code(comp.version.as_deref().unwrap_or("?"))
            );
        }
    }
    let flagged = flagged(report);
    if !flagged.is_empty() {
        let _ = writeln!(
            o,
            "\n## {} ({})\n\n{}\n",
            t(l, FLAGGED_TITLE),
            flagged.len(),
            t(l, FLAGGED_EXPLANATION)
        );
        for f in &flagged {
            let _ = writeln!(
                o,
                "- {} — **{}** ({})",
                code(&f.path),
                severity_word(l, f),
                t(l, status_label(f.status, f.location))
            );
            for x in f.findings.iter().filter(|x| x.severity > Severity::Hint) {
                let line = x.line.map(|n| tf!(l, ", line {0}", n)).unwrap_or_default();
                let _ = writeln!(
                    o,
                    "  - {}{line}: {} {}",
                    md_escape(&x.title),
                    md_escape(&x.why),
                    code(&x.excerpt)
                );
                if let Some(d) = &x.decoded {
                    let _ = writeln!(o, "    - {}", tf!(l, "decoded: {0}", code(d)));
                }
            }
            if let Some(x) = f.findings.first() {
                let _ = writeln!(
                    o,
                    "  - {}",
                    tf!(l, "What to do: {0}", t(l, action_text(x.action)))
                );
            }
        }
    }
    for g in &GROUPS {
        let status = g.status;
        let items: Vec<_> = report.files.iter().filter(|f| f.status == status).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(
            o,
            "\n## {} ({})\n\n{}\n",
            t(l, g.title),
            items.len(),
            t(l, g.explanation)
        );
        for f in items {
            let mut line = format!("- {}", code(&f.path));
            if status == Status::Added {
                let _ = write!(line, " ({})", t(l, status_label(f.status, f.location)));
            }
            if let Some(n) = &f.note {
                let _ = write!(line, " — {n}");
            }
            let _ = writeln!(o, "{line}");
        }
    }
    let _ = writeln!(o, "\n## {}\n", t(l, "What to do now"));
    for (i, st) in crate::engine::present::checklist::build(report)
        .iter()
        .enumerate()
    {
        let _ = writeln!(o, "{}. [ ] **{}** — {}", i + 1, st.title, st.why);
        for item in &st.items {
            let _ = writeln!(o, "   - {}", md_escape(item.trim()));
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(o, "\n## {}\n", t(l, "Warnings"));
        for w in &report.warnings {
            match &w.path {
                Some(p) => {
                    let _ = writeln!(o, "- {}: {}", code(p), w.message);
                }
                None => {
                    let _ = writeln!(o, "- {}", w.message);
                }
            }
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_stay_inert() {
        assert_eq!(visible("a\u{202e}b\n"), "a<U+202E>b<U+000A>");
        assert_eq!(code("x`y"), "``x`y``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("[a](javascript:x)"), "`[a](javascript:x)`");
        assert_eq!(md_escape("[a](j:x) <b>"), "\\[a\\](j:x) \\<b\\>");
        assert_eq!(
            md_escape("see https://evil.example and www.evil.example"),
            "see https:\\/\\/evil.example and www\\.evil.example"
        );
    }
}

/// Text for HTML: everything that could be markup is escaped, controls made visible.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in visible(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A self-contained HTML report: one file, no script, no external resource, every name from
/// the backup escaped. Prints well and opens anywhere (support tickets, email).
pub fn html(report: &Report, host: Option<&crate::engine::present::checklist::HostInfo>) -> String {
    let l = report.language;
    let mut o = String::new();
    let verdict = t(
        l,
        crate::engine::present::explain::verdict_title(report.verdict),
    );
    let _ = write!(
        o,
        r#"<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>{}</title><style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1c2430;line-height:1.5}}code{{background:#eef1f5;padding:0 .25em;border-radius:4px;overflow-wrap:anywhere}}.v{{padding:1rem;border:2px solid #8a4b00;background:#fff4e0;border-radius:10px}}.compromised{{border-color:#a4161a;background:#fdecea}}.clean{{border-color:#1d6b3a;background:#e6f4ea}}li{{margin:.2rem 0}}h2{{margin-top:2rem}}.m{{color:#4a5565}}</style></head><body>"#,
        esc(&tf!(l, "Site Triage report: {0}", &report.archive.name)),
        lang = l.tag()
    );
    let class = format!("{:?}", report.verdict).to_lowercase();
    let _ = write!(
        o,
        r#"<div class="v {class}"><h1>{}</h1><p><strong>{}</strong></p><p>{}</p></div>"#,
        esc(verdict),
        esc(&report.headline),
        esc(t(
            l,
            crate::engine::present::explain::verdict_advice(report.verdict)
        ))
    );
    let _ = write!(
        o,
        "<p class=\"m\">{}</p>",
        tf!(
            l,
            "Backup {0} ({1}, {2} files), checked by {3}.",
            format!("<code>{}</code>", esc(&report.archive.name)),
            esc(report.archive.format.as_str()),
            report.summary.files,
            esc(&report.tool)
        )
    );
    for line in cms_lines(report) {
        let _ = write!(o, "<p>{}</p>", esc(&tf!(l, "Site: {0}", line)));
    }
    if let (Some(a), Some(b)) = (&report.timeline.start, &report.timeline.end) {
        let _ = write!(
            o,
            "<h2>{}</h2><p>{}</p>",
            t(l, "When it happened"),
            tf!(
                l,
                "The break-in most probably began on {0} (suspicious changes from {1} to {2}). Restore from a backup made before {3}.",
                format!("<strong>{}</strong>", esc(a.get(..10).unwrap_or(a))),
                esc(a),
                esc(b),
                esc(a.get(..10).unwrap_or(a))
            )
        );
    }
    let flagged = flagged(report);
    if !flagged.is_empty() {
        let _ = write!(
            o,
            "<h2>{} ({})</h2><p>{}</p><ul>",
            t(l, FLAGGED_TITLE),
            flagged.len(),
            t(l, FLAGGED_EXPLANATION)
        );
        for f in &flagged {
            let _ = write!(
                o,
                "<li><code>{}</code> — <strong>{}</strong> ({})<ul>",
                esc(&f.path),
                severity_word(l, f),
                t(l, status_label(f.status, f.location))
            );
            for x in f.findings.iter().filter(|x| x.severity > Severity::Hint) {
                let _ = write!(
                    o,
                    "<li><strong>{}</strong>{}: {} <code>{}</code>",
                    esc(&x.title),
                    x.line.map(|n| tf!(l, ", line {0}", n)).unwrap_or_default(),
                    esc(&x.why),
                    esc(&x.excerpt)
                );
                if let Some(d) = &x.decoded {
                    let _ = write!(o, "<br>{} <code>{}</code>", t(l, "Decoded:"), esc(d));
                }
                o.push_str("</li>");
            }
            if let Some(x) = f.findings.first() {
                let _ = write!(o, "<li>{}</li>", t(l, action_text(x.action)));
            }
            o.push_str("</ul></li>");
        }
        o.push_str("</ul>");
    }
    for g in &GROUPS {
        let items: Vec<_> = report
            .files
            .iter()
            .filter(|f| f.status == g.status)
            .collect();
        if items.is_empty() || g.status == Status::Unknown {
            continue;
        }
        let _ = write!(
            o,
            "<h2>{} ({})</h2><p>{}</p><ul>",
            t(l, g.title),
            items.len(),
            t(l, g.explanation)
        );
        for f in items.iter().take(500) {
            let _ = write!(
                o,
                "<li><code>{}</code>{}</li>",
                esc(&f.path),
                f.note
                    .as_deref()
                    .map(|n| format!(" — {}", esc(n)))
                    .unwrap_or_default()
            );
        }
        o.push_str("</ul>");
    }
    if !report.secrets.is_empty() {
        let _ = write!(o, "<h2>{}</h2><ul>", t(l, "Passwords and keys to change"));
        for x in &report.secrets {
            let shown = x.value.as_deref().unwrap_or(&x.masked);
            let _ = write!(
                o,
                "<li>{} — {}</li>",
                tf!(
                    l,
                    "{0} in {1} line {2}: {3}",
                    format!("<code>{}</code>", esc(&x.name)),
                    format!("<code>{}</code>", esc(&x.file)),
                    x.line,
                    format!("<code>{}</code>", esc(shown))
                ),
                esc(&x.how)
            );
        }
        o.push_str("</ul>");
    }
    let _ = write!(o, "<h2>{}</h2><ol>", t(l, "What to do now"));
    for st in crate::engine::present::checklist::build_for(report, host) {
        let _ = write!(
            o,
            "<li><label><input type=\"checkbox\"> <strong>{}</strong></label><p>{}</p>",
            esc(&st.title),
            esc(&st.why)
        );
        if !st.items.is_empty() {
            o.push_str("<ul>");
            for i in &st.items {
                let _ = write!(o, "<li>{}</li>", esc(i.trim()));
            }
            o.push_str("</ul>");
        }
        o.push_str("</li>");
    }
    o.push_str("</ol></body></html>\n");
    o
}

#[cfg(test)]
mod html_tests {
    use super::*;

    #[test]
    fn html_escapes_everything_and_has_no_script() {
        assert_eq!(
            esc("<img src=x onerror=alert(1)>&\"'"),
            "&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;"
        );
        assert_eq!(esc("a\u{202e}b"), "a&lt;U+202E&gt;b");
    }
}
