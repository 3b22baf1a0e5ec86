//! The result: verdict, the site, findings, the checklist, every file, notes, downloads.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::accounts::Accounts;
use super::checklist::Checklist;
use super::cms_summary::CmsSummary;
use super::file_table::FileTable;
use super::findings::Findings;
use super::use_focus_on_mount;
use super::verdict::Verdict;
use super::warnings::Warnings;
use crate::engine::checklist;
use crate::engine::report::{FileReport, Report};
use crate::ui::state::DiffState;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: Rc<Report>,
    pub on_reset: Callback<()>,
    #[prop_or_default]
    pub diffs: std::collections::BTreeMap<String, DiffState>,
    #[prop_or_default]
    pub on_diff: Callback<FileReport>,
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
    let r = props.report.clone();
    let steps = use_memo(r.clone(), |r| checklist::build(r));
    let reset = {
        let cb = props.on_reset.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let save_json = {
        let r = r.clone();
        Callback::from(move |_: MouseEvent| {
            let text = serde_json::to_string_pretty(&*r).unwrap_or_default();
            download("site-triage-report.json", "application/json", &text);
        })
    };
    let s = &r.summary;
    html! {
        <div class="result">
            <Verdict verdict={r.verdict} headline={r.headline.clone()} heading={heading} />
            <p class="scanned">
                { format!("Checked {} files ({} unchanged, {} changed, {} added, {} old leftovers, {} not covered) in ", s.files, s.unchanged, s.modified, s.added, s.leftover, s.unknown) }
                <code class="path">{ r.archive.name.clone() }</code>{ "." }
            </p>
            <CmsSummary cms={r.cms.clone()} roots={r.roots.clone()} />
            <Accounts accounts={r.accounts.clone()} />
            <Findings report={r.clone()} diffs={props.diffs.clone()} on_diff={props.on_diff.clone()} />
            <Checklist steps={(*steps).clone()} />
            <FileTable report={r.clone()} />
            <Warnings warnings={r.warnings.clone()} />
            <div class="actions">
                <button type="button" class="secondary" onclick={save_json}>{ "Save the report (JSON)" }</button>
                <button type="button" class="primary" onclick={reset}>{ "Check another backup" }</button>
            </div>
        </div>
    }
}
