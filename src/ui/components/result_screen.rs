//! The result: verdict, the site, findings, the checklist, every file, notes, downloads.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::ui::format::shown;

use crate::engine::i18n::t;
use crate::tf;
use crate::ui::hooks::use_lang;

use super::accounts::Accounts;
use super::checklist::Checklist;
use super::cms_summary::CmsSummary;
use super::file_table::FileTable;
use super::findings::Findings;
use super::secrets::Secrets;
use super::timeline::Timeline;
use super::use_focus_on_mount;
use super::verdict::Verdict;
use super::warnings::Warnings;
use crate::engine::present::checklist;
use crate::engine::report::{FileReport, Report};
use crate::ui::state::{DiffState, ReportRef};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: ReportRef,
    pub on_reset: Callback<()>,
    #[prop_or_default]
    pub diffs: std::collections::BTreeMap<String, DiffState>,
    #[prop_or_default]
    pub on_diff: Callback<FileReport>,
    #[prop_or_default]
    pub host: Option<checklist::HostInfo>,
}

/// A key for this report's checklist ticks: a hash of facts about the archive, not its content.
pub fn storage_key(r: &Report) -> String {
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

/// The file list as CSV (every cell quoted; formulas defused for spreadsheets).
fn csv(r: &Report) -> String {
    let cell = |s: &str| {
        let s = if s.starts_with(['=', '+', '-', '@']) {
            format!("'{s}")
        } else {
            s.to_owned()
        };
        format!("\"{}\"", s.replace('"', "\"\""))
    };
    let mut out = String::from("path,status,location,verdict,size,mtime,sha256,findings\n");
    for f in &r.files {
        let findings: Vec<&str> = f.findings.iter().map(|x| x.rule.as_str()).collect();
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            cell(&f.path),
            f.status.as_str(),
            f.location
                .map(|l| format!("{l:?}").to_lowercase())
                .unwrap_or_default(),
            format!("{:?}", f.verdict).to_lowercase(),
            f.size,
            f.mtime.as_deref().unwrap_or(""),
            f.sha256,
            cell(&findings.join(" "))
        ));
    }
    out
}

/// Saves text as a file through a temporary object URL (no network involved).
fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let doc = gloo::utils::document();
    if let Ok(a) = doc.create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(name);
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[function_component]
pub fn ResultScreen(props: &Props) -> Html {
    let heading = use_focus_on_mount();
    let lang = use_lang();
    // The engine writes English; the page shows (and saves) a copy in the reader's language.
    // In English it is the report itself: a copy of 68,000 file rows would cost ~25 MB.
    // (`ReportRef` compares by identity, so these memos never compare rows.)
    let r = use_memo((props.report.clone(), lang), |(report, lang)| {
        if crate::engine::i18n::needs_localizing(report, *lang) {
            Rc::new(crate::engine::i18n::localize(report, *lang))
        } else {
            Rc::clone(&report.0)
        }
    });
    let r: Rc<Report> = Rc::clone(&r);
    let steps = use_memo((ReportRef(r.clone()), props.host.clone()), |(r, h)| {
        checklist::build_for(r, h.as_ref())
    });
    let reset = {
        let cb = props.on_reset.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let include_secrets = use_state(|| false);
    // Exports carry secret values only when the user ticked the box.
    let exported = {
        let r = r.clone();
        let include = *include_secrets;
        move || {
            let mut copy = (*r).clone();
            if !include {
                copy.strip_secret_values();
            }
            copy
        }
    };
    let save_json = {
        let exported = exported.clone();
        Callback::from(move |_: MouseEvent| {
            let text = serde_json::to_string_pretty(&exported()).unwrap_or_default();
            download("site-triage-report.json", "application/json", &text);
        })
    };
    let save_md = {
        let exported = exported.clone();
        Callback::from(move |_: MouseEvent| {
            download(
                "site-triage-report.md",
                "text/markdown",
                &crate::engine::present::render::markdown(&exported()),
            );
        })
    };
    let save_html = {
        let exported = exported.clone();
        let host = props.host.clone();
        Callback::from(move |_: MouseEvent| {
            download(
                "site-triage-report.html",
                "text/html",
                &crate::engine::present::render::html(&exported(), host.as_ref()),
            );
        })
    };
    let save_csv = {
        let r = r.clone();
        Callback::from(move |_: MouseEvent| download("site-triage-files.csv", "text/csv", &csv(&r)))
    };
    let print = Callback::from(|_: MouseEvent| {
        let _ = gloo::utils::window().print();
    });
    let toggle_secrets = {
        let include_secrets = include_secrets.clone();
        Callback::from(move |_: Event| include_secrets.set(!*include_secrets))
    };
    let s = &r.summary;
    html! {
        <div class="result">
            <Verdict verdict={r.verdict} headline={r.headline.clone()} heading={heading} />
            <p class="scanned">
                { tf!(lang, "Checked {0} files ({1} unchanged, {2} changed, {3} added, {4} old leftovers, {5} not covered) in", s.files, s.unchanged, s.modified, s.added, s.leftover, s.unknown) }
                { " " }<code class="path">{ shown(&r.archive.name) }</code>{ "." }
            </p>
            <CmsSummary cms={r.cms.clone()} roots={r.roots.clone()} />
            <Timeline timeline={r.timeline.clone()} />
            <Findings report={ReportRef(r.clone())} diffs={props.diffs.clone()} on_diff={props.on_diff.clone()} />
            <Secrets secrets={r.secrets.clone()} />
            <Accounts accounts={r.accounts.clone()} />
            <Checklist steps={(*steps).clone()} storage_key={storage_key(&r)} />
            <FileTable report={ReportRef(r.clone())} />
            <Warnings warnings={r.warnings.clone()} />
            <section class="actions" aria-labelledby="save-title">
                <h2 id="save-title" class="visually-hidden">{ t(lang, "Save or print") }</h2>
                <div class="export">
                    <button type="button" class="secondary" onclick={print}>{ t(lang, "Print") }</button>
                    <button type="button" class="secondary" onclick={save_html}>{ t(lang, "Save as a web page (HTML)") }</button>
                    <button type="button" class="secondary" onclick={save_md}>{ t(lang, "Save as Markdown") }</button>
                    <button type="button" class="secondary" onclick={save_json}>{ t(lang, "Save as JSON") }</button>
                    <button type="button" class="secondary" onclick={save_csv}>{ t(lang, "Save the file list (CSV)") }</button>
                    <label><input type="checkbox" checked={*include_secrets} onchange={toggle_secrets} />{ " " }{ t(lang, "Include passwords and keys in saved reports") }</label>
                </div>
                <button type="button" class="primary" onclick={reset}>{ t(lang, "Check another backup") }</button>
            </section>
        </div>
    }
}
