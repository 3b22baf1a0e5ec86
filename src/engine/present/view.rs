//! The report as the page shows it: one computed, localised view (the report in the reader's
//! language, its checklist, the key its ticks are saved under), so the page's components
//! only present.

use std::rc::Rc;

use crate::engine::i18n::{self, Lang};
use crate::engine::present::checklist::{self, HostInfo, Step};
use crate::engine::report::Report;

/// What the result screen shows.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// The report in the reader's language. In English it is the report itself: a copy of
    /// 68,000 file rows would cost ~25 MB.
    pub report: Rc<Report>,
    /// The cleanup checklist, naming the host when known.
    pub steps: Vec<Step>,
    /// Where the reader's ticks of this checklist are remembered: a hash of facts about the
    /// archive (name, size, file count, break-in date), never of its content.
    pub ticks_key: String,
}

/// The view of `report` for a reader of `lang`.
pub fn view(report: &Rc<Report>, lang: Lang, host: Option<&HostInfo>) -> View {
    view_in_series(report, lang, host, None)
}

/// The view of one report among several backups: its checklist's restore step names the
/// backup the comparison (already in `lang`) recommends.
pub fn view_in_series(
    report: &Rc<Report>,
    lang: Lang,
    host: Option<&HostInfo>,
    comparison: Option<&crate::engine::report::series::Comparison>,
) -> View {
    let report = if i18n::needs_localizing(report, lang) {
        Rc::new(i18n::localize(report, lang))
    } else {
        Rc::clone(report)
    };
    View {
        steps: checklist::build_in_series(&report, host, comparison),
        ticks_key: ticks_key(&report),
        report,
    }
}

fn ticks_key(r: &Report) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let facts = format!(
        "{}|{}|{}|{}",
        r.archive.name,
        r.archive.size,
        r.summary.files,
        r.timeline.start.as_deref().unwrap_or("")
    );
    for b in facts.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("site-triage:ticks:{h:016x}")
}
