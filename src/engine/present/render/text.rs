//! The report as plain text for a terminal: the verdict line first, then the site, then
//! the files to look at.

use std::fmt::Write;

use super::{cms_lines, flagged, item_line, severity_word, verdict_word, visible};

use crate::engine::i18n::t;
use crate::engine::present::explain::{
    action_text, component_kind, secret_kind, status_label, FLAGGED_TITLE, GROUPS,
};
use crate::engine::present::sections::Section;
use crate::engine::report::series::{BackupResult, Comparison};
use crate::engine::report::Severity;
use crate::engine::report::{Report, Status};
use crate::tf;

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
    text_site(&mut o, report, limit);
    text_database(&mut o, report);
    text_counts(&mut o, report);
    text_secrets(&mut o, report);
    text_flagged(&mut o, report, limit);
    text_groups(&mut o, report, limit);
    text_warnings(&mut o, report, limit);
    o
}

fn text_site(o: &mut String, report: &Report, limit: usize) {
    let l = report.language;
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
}

fn text_database(o: &mut String, report: &Report) {
    let l = report.language;
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
    for sec in crate::engine::present::sections::sections(report) {
        text_section(o, l, &sec);
    }
}

fn text_section(o: &mut String, l: crate::engine::i18n::Lang, sec: &Section) {
    let _ = writeln!(o, "\n{}", visible(&sec.title));
    if !sec.intro.is_empty() {
        let _ = writeln!(o, "  {}", visible(&sec.intro));
    }
    for item in &sec.items {
        let mark = match (item.malicious, item.flags.is_empty()) {
            (true, _) => "!!",
            (false, false) => " !",
            _ => "  ",
        };
        let _ = writeln!(o, "  {mark} {}", visible(&item_line(l, item)));
    }
}

/// Several backups: the comparison first, then each backup's own report.
pub fn series_text(
    backups: &[BackupResult],
    c: &Comparison,
    l: crate::engine::i18n::Lang,
    limit: usize,
) -> String {
    super::series(backups, c, l, &TextForm { limit })
}

struct TextForm {
    limit: usize,
}

impl super::SeriesForm for TextForm {
    fn title(&self, o: &mut String, title: &str) {
        let _ = writeln!(o, "{}", visible(title));
    }

    fn section(&self, o: &mut String, l: crate::engine::i18n::Lang, sec: &Section) {
        text_section(o, l, sec);
    }

    fn backup(&self, o: &mut String, heading: &str, report: Result<&Report, &str>, _: &Comparison) {
        let _ = writeln!(o, "\n{}\n{}\n", "=".repeat(72), visible(heading));
        match report {
            Ok(r) => o.push_str(&text(r, self.limit)),
            Err(why) => {
                let _ = writeln!(o, "{}", visible(why));
            }
        }
    }
}

fn text_counts(o: &mut String, report: &Report) {
    let l = report.language;
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
    let mut when = crate::engine::present::explain::when_lines(report).into_iter();
    if let Some(first) = when.next() {
        let _ = writeln!(o, "{}", tf!(l, "When:   {0}", first));
        for line in when {
            let _ = writeln!(o, "        {}", visible(&line));
        }
    }
}

fn text_secrets(o: &mut String, report: &Report) {
    let l = report.language;
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
}

fn text_flagged(o: &mut String, report: &Report, limit: usize) {
    let l = report.language;
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
}

fn text_groups(o: &mut String, report: &Report, limit: usize) {
    let l = report.language;
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
}

fn text_warnings(o: &mut String, report: &Report, limit: usize) {
    let l = report.language;
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
}
