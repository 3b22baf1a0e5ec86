//! The renderers of a report: plain text for a terminal (`text`), Markdown for a support ticket
//! (`markdown`), one self-contained HTML file (`html`), the file list as CSV (`csv`), and the
//! helpers they share.
//!
//! All lead with the verdict, then what to look at first, so a person reading only the top
//! lines still learns what matters. Names from the backup are attacker-chosen: every form
//! escapes them so they cannot inject links or markup, and control characters are made visible.

use std::fmt::Write;

use crate::engine::i18n::{t, Lang};
use crate::engine::report::FileReport;
use crate::engine::report::Severity;
use crate::engine::report::{Report, SiteVerdict};
use crate::tf;

mod csv;
mod html;
mod markdown;
mod text;

pub use csv::{csv, csv_series};
pub use html::{html, series_html};
pub use markdown::{markdown, series_markdown};
pub use text::{series_text, text};

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

pub(super) fn severity_word(l: Lang, f: &FileReport) -> &'static str {
    t(
        l,
        match f.verdict {
            crate::engine::report::Verdict::Malicious => "malicious",
            crate::engine::report::Verdict::Suspicious => "suspicious",
            crate::engine::report::Verdict::Clean => "clean",
        },
    )
}

pub(super) fn verdict_word(l: Lang, v: SiteVerdict) -> &'static str {
    t(
        l,
        match v {
            SiteVerdict::Clean => "CLEAN",
            SiteVerdict::Suspicious => "SUSPICIOUS",
            SiteVerdict::Compromised => "COMPROMISED",
        },
    )
}

pub(super) fn cms_lines(report: &Report) -> Vec<String> {
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
            if let Some(h) = r.hashes.as_ref().filter(|h| h.missing > 0 && !h.missing_listed) {
                line.push_str(&tf!(
                    l,
                    "; {0} release files absent (not listed: hosts and Composer often leave out docs and tests)",
                    h.missing
                ));
            }
            if !r.parts.is_empty() {
                line.push_str(&tf!(
                    l,
                    "; also compared: {0}",
                    visible(&crate::engine::present::explain::parts_list(c))
                ));
            }
            if let Some(outer) = &c.vendored_in {
                line.push_str(&tf!(l, "; shipped inside {0}", visible(outer)));
            }
            if let Some(why) = &r.no_match {
                line.push_str("; ");
                line.push_str(why);
            }
            line
        })
        .collect()
}

/// A section item's text with why it stands out: "text — flag, and flag".
pub(super) fn item_line(l: Lang, item: &crate::engine::present::sections::Item) -> String {
    if item.flags.is_empty() {
        item.text.clone()
    } else {
        format!("{} — {}", item.text, item.flags.join(t(l, ", and ")))
    }
}

/// What one renderer writes for several backups; [`series`] drives every renderer in the
/// same order: the title, the comparison's sections, then each backup oldest first.
pub(super) trait SeriesForm {
    /// The document's start and its title (already worded: escape it).
    fn title(&self, o: &mut String, title: &str);
    fn section(&self, o: &mut String, l: Lang, sec: &crate::engine::present::sections::Section);
    /// One backup: its heading (worded, to escape), and its report or why it could not be read.
    fn backup(
        &self,
        o: &mut String,
        heading: &str,
        report: Result<&Report, &str>,
        c: &crate::engine::report::series::Comparison,
    );
    /// The document's end.
    fn end(&self, _o: &mut String) {}
}

/// Several backups in one document, through a renderer's [`SeriesForm`].
pub(super) fn series(
    backups: &[crate::engine::report::series::BackupResult],
    c: &crate::engine::report::series::Comparison,
    l: Lang,
    form: &dyn SeriesForm,
) -> String {
    use crate::engine::report::series::BackupResult;
    let mut o = String::new();
    form.title(
        &mut o,
        &tf!(l, "Site Triage: {0} backups compared", backups.len()),
    );
    for sec in crate::engine::present::sections::comparison(c, l) {
        form.section(&mut o, l, &sec);
    }
    let ordered = c.order.iter().filter_map(|e| backups.get(e.given));
    for (i, b) in ordered.enumerate() {
        let heading = tf!(
            l,
            "Backup {0} of {1}: {2}",
            i + 1,
            backups.len(),
            b.archive()
        );
        let failed;
        let report = match b {
            BackupResult::Scanned(r) => Ok(&**r),
            BackupResult::Failed(f) => {
                failed = tf!(l, "This backup could not be read: {0}", f.error.message);
                Err(failed.as_str())
            }
        };
        form.backup(&mut o, &heading, report, c);
    }
    form.end(&mut o);
    o
}
