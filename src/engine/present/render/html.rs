//! The report as one self-contained HTML file (no script, no external resource) for a
//! support ticket or email; everything from the backup is escaped.

use std::fmt::Write;

use super::{cms_lines, flagged, item_line, severity_word, visible};

use crate::engine::i18n::t;
use crate::engine::present::explain::{
    action_text, status_label, FLAGGED_EXPLANATION, FLAGGED_TITLE, GROUPS,
};
use crate::engine::present::sections::Section;
use crate::engine::report::series::{BackupResult, Comparison};
use crate::engine::report::Severity;
use crate::engine::report::{Report, Status};
use crate::tf;

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
    head(
        &mut o,
        l,
        &tf!(l, "Site Triage report: {0}", &report.archive.name),
    );
    body(&mut o, report, host, None);
    o.push_str("</body></html>\n");
    o
}

/// The document's head, with its one inline style sheet, and `<body>`.
fn head(o: &mut String, l: crate::engine::i18n::Lang, title: &str) {
    let _ = write!(
        o,
        r#"<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>{}</title><style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1c2430;line-height:1.5}}code{{background:#eef1f5;padding:0 .25em;border-radius:4px;overflow-wrap:anywhere}}.v{{padding:1rem;border:2px solid #8a4b00;background:#fff4e0;border-radius:10px}}.compromised{{border-color:#a4161a;background:#fdecea}}.clean{{border-color:#1d6b3a;background:#e6f4ea}}li{{margin:.2rem 0}}h2{{margin-top:2rem}}.m{{color:#4a5565}}section.backup{{border-top:3px solid #1c2430;margin-top:3rem}}</style></head><body>"#,
        esc(title),
        lang = l.tag()
    );
}

/// Several backups in one document: the comparison first, then each backup's own report.
pub fn series_html(
    backups: &[BackupResult],
    c: &Comparison,
    l: crate::engine::i18n::Lang,
    host: Option<&crate::engine::present::checklist::HostInfo>,
) -> String {
    super::series(backups, c, l, &HtmlForm { l, host })
}

struct HtmlForm<'h> {
    l: crate::engine::i18n::Lang,
    host: Option<&'h crate::engine::present::checklist::HostInfo>,
}

impl super::SeriesForm for HtmlForm<'_> {
    fn title(&self, o: &mut String, title: &str) {
        head(o, self.l, title);
        let _ = write!(o, "<h1>{}</h1>", esc(title));
    }

    fn section(&self, o: &mut String, l: crate::engine::i18n::Lang, sec: &Section) {
        html_section(o, l, sec);
    }

    fn backup(&self, o: &mut String, heading: &str, report: Result<&Report, &str>, c: &Comparison) {
        let _ = write!(o, "<section class=\"backup\"><h2>{}</h2>", esc(heading));
        match report {
            Ok(r) => body(o, r, self.host, Some(c)),
            Err(why) => {
                let _ = write!(o, "<p>{}</p>", esc(why));
            }
        }
        o.push_str("</section>");
    }

    fn end(&self, o: &mut String) {
        o.push_str("</body></html>\n");
    }
}

/// One report's content (verdict, site, sections, files, steps).
fn body(
    o: &mut String,
    report: &Report,
    host: Option<&crate::engine::present::checklist::HostInfo>,
    series: Option<&Comparison>,
) {
    let l = report.language;
    let verdict = t(
        l,
        crate::engine::present::explain::verdict_title(report.verdict),
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
    html_site(o, report);
    html_sections(o, report);
    html_flagged(o, report);
    html_groups(o, report);
    html_secrets_and_steps(o, report, host, series);
}

fn html_site(o: &mut String, report: &Report) {
    let l = report.language;
    for line in cms_lines(report) {
        let _ = write!(o, "<p>{}</p>", esc(&tf!(l, "Site: {0}", line)));
    }
    let when = crate::engine::present::explain::when_lines(report);
    if let Some((first, rest)) = when.split_first() {
        let _ = write!(
            o,
            "<h2>{}</h2><p><strong>{}</strong></p><ul>",
            t(l, "When it happened"),
            esc(first)
        );
        for line in rest {
            let _ = write!(o, "<li>{}</li>", esc(line));
        }
        o.push_str("</ul>");
    }
}

/// Administrators and the hosting account (see `present::sections`).
fn html_sections(o: &mut String, report: &Report) {
    let l = report.language;
    for sec in crate::engine::present::sections::sections(report) {
        html_section(o, l, &sec);
    }
}

fn html_section(o: &mut String, l: crate::engine::i18n::Lang, sec: &Section) {
    let _ = write!(o, "<h2 id=\"{}\">{}</h2>", sec.id, esc(&sec.title));
    if !sec.intro.is_empty() {
        let _ = write!(o, "<p>{}</p>", esc(&sec.intro));
    }
    o.push_str("<ul>");
    for item in &sec.items {
        let mark = match (item.malicious, item.flags.is_empty()) {
            (true, _) => format!("<strong>{}</strong> ", esc(t(l, "malicious"))),
            (false, false) => format!("<strong>{}</strong> ", esc(t(l, "stands out"))),
            _ => String::new(),
        };
        let _ = write!(o, "<li>{mark}{}</li>", esc(&item_line(l, item)));
    }
    o.push_str("</ul>");
}

fn html_flagged(o: &mut String, report: &Report) {
    let l = report.language;
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
}

fn html_groups(o: &mut String, report: &Report) {
    let l = report.language;
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
}

fn html_secrets_and_steps(
    o: &mut String,
    report: &Report,
    host: Option<&crate::engine::present::checklist::HostInfo>,
    series: Option<&Comparison>,
) {
    let l = report.language;
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
    for st in crate::engine::present::checklist::build_in_series(report, host, series) {
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
    o.push_str("</ol>");
}

#[cfg(test)]
mod tests {
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
