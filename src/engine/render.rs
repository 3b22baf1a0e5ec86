//! Reports as text for a terminal and as Markdown for a support ticket.
//!
//! Both lead with the verdict, then what to look at first, so a person reading only the top
//! lines still learns what matters. Names from the backup are attacker-chosen: Markdown
//! output escapes them and wraps them in code spans so they cannot inject links or markup,
//! and control characters are made visible in both forms.

use std::fmt::Write;

use super::cms::display_name;
use super::explain::{action_text, status_label, FLAGGED_EXPLANATION, FLAGGED_TITLE, GROUPS};
use super::report::FileReport;
use super::report::{Report, SiteVerdict, Status};
use super::rules::Severity;

/// Makes control and direction-override characters visible (`\u{202e}` → `<U+202E>`).
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || super::paths::is_bidi_control(c) {
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

fn severity_word(f: &FileReport) -> &'static str {
    match f.verdict {
        super::report::Verdict::Malicious => "malicious",
        super::report::Verdict::Suspicious => "suspicious",
        super::report::Verdict::Clean => "clean",
    }
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

fn verdict_word(v: SiteVerdict) -> &'static str {
    match v {
        SiteVerdict::Clean => "CLEAN",
        SiteVerdict::Suspicious => "SUSPICIOUS",
        SiteVerdict::Compromised => "COMPROMISED",
    }
}

fn cms_lines(report: &Report) -> Vec<String> {
    report
        .cms
        .iter()
        .map(|c| {
            let mut line = format!(
                "{} {} in {}",
                display_name(&c.name),
                c.version.as_deref().unwrap_or("(version unknown)"),
                if c.root.is_empty() {
                    "the archive's top folder".to_owned()
                } else {
                    visible(&c.root)
                }
            );
            let r = &c.recognised_by;
            if let Some(h) = &r.hashes {
                let _ = write!(
                    line,
                    " — {} of {} release files identical",
                    h.matched, h.expected
                );
            }
            if let Some(v) = &r.version_file {
                let _ = write!(line, "; version file says {}", visible(&v.version));
            }
            line
        })
        .collect()
}

/// Plain text for a terminal. `limit` caps how many files each group lists.
pub fn text(report: &Report, limit: usize) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}: {}", verdict_word(report.verdict), report.headline);
    let _ = writeln!(o);
    let a = &report.archive;
    let _ = writeln!(
        o,
        "Backup: {} ({}, {} bytes, {} files)",
        visible(&a.name),
        a.format,
        a.size,
        report.summary.files
    );
    for line in cms_lines(report) {
        let _ = writeln!(o, "Site:   {line}");
    }
    if report.cms.is_empty() {
        let _ = writeln!(
            o,
            "Site:   no WordPress, Joomla, Drupal or TYPO3 installation recognised"
        );
    }
    for c in &report.cms {
        if let Some(d) = &c.recognised_by.disagreement {
            let _ = writeln!(o, "  ! {d}");
        }
        if !c.components.is_empty() {
            let _ = writeln!(
                o,
                "  {} plugin(s)/theme(s)/extension(s):",
                c.components.len()
            );
            for comp in c.components.iter().take(limit) {
                let _ = writeln!(
                    o,
                    "    {} {} {} ({})",
                    comp.kind,
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
            "Databases: {}",
            report
                .databases
                .iter()
                .map(|d| visible(d))
                .collect::<Vec<_>>()
                .join(", ")
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
            "  administrator {} <{}> since {}{flags}",
            visible(&a.login),
            visible(&a.email),
            a.registered.as_deref().unwrap_or("?"),
        );
    }
    let s = &report.summary;
    let _ = writeln!(
        o,
        "Files:  {} unchanged, {} modified, {} added, {} whitespace-only, {} leftover, {} missing, {} unknown",
        s.unchanged, s.modified, s.added, s.whitespace_only, s.leftover, s.missing, s.unknown
    );
    let tl = &report.timeline;
    if let (Some(a), Some(b)) = (&tl.start, &tl.end) {
        let _ = writeln!(
            o,
            "When:   the break-in most probably began {} (suspicious changes from {} to {}); restore from a backup made before {}.",
            a.get(..10).unwrap_or(a),
            a.replace('T', " ").trim_end_matches('Z'),
            b.replace('T', " ").trim_end_matches('Z'),
            a.get(..10).unwrap_or(a)
        );
    }
    if !report.secrets.is_empty() {
        let _ = writeln!(o, "Secrets to change ({}):", report.secrets.len());
        for x in &report.secrets {
            let shown = x
                .value
                .as_deref()
                .map(visible)
                .unwrap_or_else(|| x.masked.clone());
            let _ = writeln!(
                o,
                "  {} {} in {} line {}: {}",
                x.kind,
                visible(&x.name),
                visible(&x.file),
                x.line,
                visible(&shown)
            );
        }
    }
    let flagged = flagged(report);
    if !flagged.is_empty() {
        let _ = writeln!(o, "\n{} ({}):", FLAGGED_TITLE, flagged.len());
        for f in flagged.iter().take(limit) {
            let _ = writeln!(
                o,
                "  {}  [{}, {}]",
                visible(&f.path),
                severity_word(f),
                status_label(f.status, f.location)
            );
            for x in f.findings.iter().filter(|x| x.severity > Severity::Hint) {
                let line = x.line.map(|l| format!(" (line {l})")).unwrap_or_default();
                let _ = writeln!(o, "    - {}{line}: {}", x.title, x.excerpt);
                if let Some(d) = &x.decoded {
                    let _ = writeln!(o, "      decoded: {}", visible(d));
                }
            }
            if let Some(x) = f.findings.first() {
                let _ = writeln!(o, "    → {}", action_text(x.action));
            }
        }
    }
    for g in &GROUPS {
        let status = g.status;
        let items: Vec<_> = report.files.iter().filter(|f| f.status == status).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(o, "\n{} ({}):", g.title, items.len());
        for f in items.iter().take(limit) {
            let mut line = format!("  {}", visible(&f.path));
            if status == Status::Added {
                let _ = write!(line, "  [{}]", status_label(f.status, f.location));
            }
            if let Some(n) = &f.note {
                let _ = write!(line, "  — {n}");
            }
            let _ = writeln!(o, "{line}");
        }
        if items.len() > limit {
            let _ = writeln!(
                o,
                "  … and {} more (use --format json for the full list)",
                items.len() - limit
            );
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(o, "\nWarnings ({}):", report.warnings.len());
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
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# Site Triage report: {}\n",
        verdict_word(report.verdict).to_lowercase()
    );
    let _ = writeln!(o, "**{}**\n", report.headline);
    let a = &report.archive;
    let _ = writeln!(
        o,
        "- Backup: {} ({}, {} bytes, {} files)",
        code(&a.name),
        a.format,
        a.size,
        report.summary.files
    );
    for line in cms_lines(report) {
        let _ = writeln!(
            o,
            "- Site: {}",
            line.replace(['*', '_', '[', ']', '<', '>'], " ")
        );
    }
    for c in &report.cms {
        if let Some(d) = &c.recognised_by.disagreement {
            let _ = writeln!(o, "- **Warning:** {d}");
        }
    }
    let tl = &report.timeline;
    if let (Some(a), Some(b)) = (&tl.start, &tl.end) {
        let _ = writeln!(
            o,
            "- When: the break-in most probably began **{}** (suspicious changes from {} to {}).",
            a.get(..10).unwrap_or(a),
            md_escape(a),
            md_escape(b)
        );
    }
    if !report.secrets.is_empty() {
        let _ = writeln!(o, "\n## Passwords and keys to change\n");
        for x in &report.secrets {
            let shown = x.value.as_deref().unwrap_or(&x.masked);
            let _ = writeln!(
                o,
                "- {} {} in {} line {}: {} — {}",
                md_escape(&x.kind),
                code(&x.name),
                code(&x.file),
                x.line,
                code(shown),
                md_escape(&x.how)
            );
        }
    }
    let s = &report.summary;
    let _ = writeln!(o, "\n| status | files |\n|---|---|");
    for st in Status::ALL {
        let _ = writeln!(o, "| {} | {} |", st.as_str(), s.get(st));
    }
    for c in &report.cms {
        if c.components.is_empty() {
            continue;
        }
        let _ = writeln!(
            o,
            "\n## Plugins, themes and extensions of {}\n",
            display_name(&c.name)
        );
        for comp in &c.components {
            let _ = writeln!(
                o,
                "- {} {} {}",
                comp.kind,
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
            FLAGGED_TITLE,
            flagged.len(),
            FLAGGED_EXPLANATION
        );
        for f in &flagged {
            let _ = writeln!(
                o,
                "- {} — **{}** ({})",
                code(&f.path),
                severity_word(f),
                status_label(f.status, f.location)
            );
            for x in f.findings.iter().filter(|x| x.severity > Severity::Hint) {
                let line = x.line.map(|l| format!(", line {l}")).unwrap_or_default();
                let _ = writeln!(
                    o,
                    "  - {}{line}: {} {}",
                    md_escape(&x.title),
                    md_escape(&x.why),
                    code(&x.excerpt)
                );
                if let Some(d) = &x.decoded {
                    let _ = writeln!(o, "    - decoded: {}", code(d));
                }
            }
            if let Some(x) = f.findings.first() {
                let _ = writeln!(o, "  - What to do: {}", action_text(x.action));
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
            g.title,
            items.len(),
            g.explanation
        );
        for f in items {
            let mut line = format!("- {}", code(&f.path));
            if status == Status::Added {
                let _ = write!(line, " ({})", status_label(f.status, f.location));
            }
            if let Some(n) = &f.note {
                let _ = write!(line, " — {n}");
            }
            let _ = writeln!(o, "{line}");
        }
    }
    let _ = writeln!(o, "\n## What to do now\n");
    for (i, st) in super::checklist::build(report).iter().enumerate() {
        let _ = writeln!(o, "{}. [ ] **{}** — {}", i + 1, st.title, st.why);
        for item in &st.items {
            let _ = writeln!(o, "   - {}", md_escape(item.trim()));
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(o, "\n## Warnings\n");
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
pub fn html(report: &Report, host: Option<&super::checklist::HostInfo>) -> String {
    let mut o = String::new();
    let verdict = super::explain::verdict_title(report.verdict);
    let _ = write!(
        o,
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>Site Triage report: {}</title><style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1c2430;line-height:1.5}}code{{background:#eef1f5;padding:0 .25em;border-radius:4px;overflow-wrap:anywhere}}.v{{padding:1rem;border:2px solid #8a4b00;background:#fff4e0;border-radius:10px}}.compromised{{border-color:#a4161a;background:#fdecea}}.clean{{border-color:#1d6b3a;background:#e6f4ea}}li{{margin:.2rem 0}}h2{{margin-top:2rem}}.m{{color:#4a5565}}</style></head><body>"#,
        esc(&report.archive.name)
    );
    let class = format!("{:?}", report.verdict).to_lowercase();
    let _ = write!(
        o,
        r#"<div class="v {class}"><h1>{}</h1><p><strong>{}</strong></p><p>{}</p></div>"#,
        esc(verdict),
        esc(&report.headline),
        esc(super::explain::verdict_advice(report.verdict))
    );
    let _ = write!(
        o,
        "<p class=\"m\">Backup <code>{}</code> ({}, {} files), checked by {}.</p>",
        esc(&report.archive.name),
        esc(&report.archive.format),
        report.summary.files,
        esc(&report.tool)
    );
    for line in cms_lines(report) {
        let _ = write!(o, "<p>Site: {}</p>", esc(&line));
    }
    if let (Some(a), Some(b)) = (&report.timeline.start, &report.timeline.end) {
        let _ = write!(o, "<h2>When it happened</h2><p>The break-in most probably began on <strong>{}</strong> (suspicious changes from {} to {}). Restore from a backup made before {}.</p>", esc(a.get(..10).unwrap_or(a)), esc(a), esc(b), esc(a.get(..10).unwrap_or(a)));
    }
    let flagged = flagged(report);
    if !flagged.is_empty() {
        let _ = write!(
            o,
            "<h2>{} ({})</h2><p>{}</p><ul>",
            FLAGGED_TITLE,
            flagged.len(),
            FLAGGED_EXPLANATION
        );
        for f in &flagged {
            let _ = write!(
                o,
                "<li><code>{}</code> — <strong>{}</strong> ({})<ul>",
                esc(&f.path),
                severity_word(f),
                status_label(f.status, f.location)
            );
            for x in f.findings.iter().filter(|x| x.severity > Severity::Hint) {
                let _ = write!(
                    o,
                    "<li><strong>{}</strong>{}: {} <code>{}</code>",
                    esc(&x.title),
                    x.line.map(|l| format!(", line {l}")).unwrap_or_default(),
                    esc(&x.why),
                    esc(&x.excerpt)
                );
                if let Some(d) = &x.decoded {
                    let _ = write!(o, "<br>Decoded: <code>{}</code>", esc(d));
                }
                o.push_str("</li>");
            }
            if let Some(x) = f.findings.first() {
                let _ = write!(o, "<li>{}</li>", action_text(x.action));
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
            g.title,
            items.len(),
            g.explanation
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
        o.push_str("<h2>Passwords and keys to change</h2><ul>");
        for x in &report.secrets {
            let shown = x.value.as_deref().unwrap_or(&x.masked);
            let _ = write!(
                o,
                "<li><code>{}</code> in <code>{}</code> line {}: <code>{}</code> — {}</li>",
                esc(&x.name),
                esc(&x.file),
                x.line,
                esc(shown),
                esc(&x.how)
            );
        }
        o.push_str("</ul>");
    }
    o.push_str("<h2>What to do now</h2><ol>");
    for st in super::checklist::build_for(report, host) {
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
