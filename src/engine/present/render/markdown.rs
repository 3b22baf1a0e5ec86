//! The report as Markdown for a support ticket: every name from the backup is escaped or put
//! in a code span that no backtick can break out of.

use std::fmt::Write;

use super::{cms_lines, flagged, item_line, severity_word, verdict_word, visible};

use crate::engine::i18n::t;
use crate::engine::present::explain::{
    action_text, component_kind, secret_kind, status_label, FLAGGED_EXPLANATION, FLAGGED_TITLE,
    GROUPS,
};
use crate::engine::present::sections::Section;
use crate::engine::report::series::{BackupResult, Comparison};
use crate::engine::report::Severity;
use crate::engine::report::{Report, Status};
use crate::tf;

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

/// Markdown for a support ticket or a saved report.
pub fn markdown(report: &Report) -> String {
    markdown_in(report, None)
}

/// One report; its checklist names the backup a comparison recommends.
fn markdown_in(report: &Report, series: Option<&Comparison>) -> String {
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
    md_site(&mut o, report);
    md_when(&mut o, report);
    md_sections(&mut o, report);
    md_secrets(&mut o, report);
    md_counts(&mut o, report);
    md_flagged(&mut o, report);
    md_groups(&mut o, report);
    md_steps(&mut o, report, series);
    o
}

fn md_site(o: &mut String, report: &Report) {
    let l = report.language;
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
}

fn md_when(o: &mut String, report: &Report) {
    let l = report.language;
    let mut when = crate::engine::present::explain::when_lines(report).into_iter();
    if let Some(first) = when.next() {
        let _ = writeln!(o, "- {}", tf!(l, "When: {0}", md_escape(&first)));
        for line in when {
            let _ = writeln!(o, "  - {}", md_escape(&line));
        }
    }
}

/// Administrators and the hosting account (see `present::sections`).
fn md_sections(o: &mut String, report: &Report) {
    let l = report.language;
    for sec in crate::engine::present::sections::sections(report) {
        md_section(o, l, &sec);
    }
}

fn md_secrets(o: &mut String, report: &Report) {
    let l = report.language;
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
}

fn md_counts(o: &mut String, report: &Report) {
    let l = report.language;
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
}

fn md_flagged(o: &mut String, report: &Report) {
    let l = report.language;
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
}

fn md_groups(o: &mut String, report: &Report) {
    let l = report.language;
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
}

fn md_steps(o: &mut String, report: &Report, series: Option<&Comparison>) {
    let l = report.language;
    let _ = writeln!(o, "\n## {}\n", t(l, "What to do now"));
    for (i, st) in crate::engine::present::checklist::build_in_series(report, None, series)
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
}

fn md_section(o: &mut String, l: crate::engine::i18n::Lang, sec: &Section) {
    let _ = writeln!(o, "\n## {}\n", md_escape(&sec.title));
    if !sec.intro.is_empty() {
        let _ = writeln!(o, "{}\n", md_escape(&sec.intro));
    }
    for item in &sec.items {
        let mark = match (item.malicious, item.flags.is_empty()) {
            (true, _) => format!("**{}** ", t(l, "malicious")),
            (false, false) => format!("**{}** ", t(l, "stands out")),
            _ => String::new(),
        };
        let _ = writeln!(o, "- {mark}{}", md_escape(&item_line(l, item)));
    }
}

/// Several backups: the comparison first, then each backup's own report (its headings one
/// level down).
pub fn series_markdown(
    backups: &[BackupResult],
    c: &Comparison,
    l: crate::engine::i18n::Lang,
) -> String {
    super::series(backups, c, l, &MarkdownForm)
}

struct MarkdownForm;

impl super::SeriesForm for MarkdownForm {
    fn title(&self, o: &mut String, title: &str) {
        let _ = writeln!(o, "# {}", md_escape(title));
    }

    fn section(&self, o: &mut String, l: crate::engine::i18n::Lang, sec: &Section) {
        md_section(o, l, sec);
    }

    fn backup(&self, o: &mut String, heading: &str, report: Result<&Report, &str>, c: &Comparison) {
        let _ = writeln!(o, "\n---\n\n## {}\n", md_escape(heading));
        match report {
            Ok(r) => {
                for line in markdown_in(r, Some(c)).lines() {
                    if line.starts_with('#') {
                        o.push('#');
                    }
                    o.push_str(line);
                    o.push('\n');
                }
            }
            Err(why) => {
                let _ = writeln!(o, "{}", md_escape(why));
            }
        }
    }
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
