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
use super::comparison::{compare_series, Comparison};
use super::drop_zone::DropZone;
use super::file_table::FileTable;
use super::findings::Findings;
use super::hosting::Hosting;
use super::secrets::Secrets;
use super::timeline::Timeline;
use super::use_focus_on_mount;
use super::verdict::Verdict;
use super::warnings::Warnings;
use crate::engine::present::checklist::HostInfo;
use crate::engine::present::export::{export, ExportOptions, OutputFormat};
use crate::engine::present::view::view_in_series;
use crate::engine::report::{FileReport, Report};
use crate::ui::state::{DiffState, Done, ReportRef};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: ReportRef,
    pub on_reset: Callback<()>,
    #[prop_or_default]
    pub diffs: std::collections::BTreeMap<String, DiffState>,
    #[prop_or_default]
    pub on_diff: Callback<FileReport>,
    #[prop_or_default]
    pub host: Option<HostInfo>,
    /// Every backup read in this series (one, or several to compare).
    #[prop_or_default]
    pub series: Vec<Done>,
    #[prop_or_default]
    pub on_show: Callback<usize>,
    /// "Add another backup": read these too and compare.
    #[prop_or_default]
    pub on_add: Callback<Vec<web_sys::File>>,
    #[prop_or_default]
    pub worker_ready: bool,
}

/// Saves text as a file through a temporary object URL (no network involved), revoked a
/// minute later.
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
    // Not at once: Firefox and Safari may still be starting the download when `click`
    // returns, and a revoked URL cancels it there. A minute later the file is saved.
    gloo::timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}

/// The save buttons: each writes the report in one format (secrets' values only if ticked).
#[derive(Properties, PartialEq)]
struct ExportProps {
    report: ReportRef,
    host: Option<HostInfo>,
}

#[function_component]
fn Exports(props: &ExportProps) -> Html {
    let lang = use_lang();
    let include_secrets = use_state(|| false);
    let save = |format: OutputFormat| {
        let (report, host, include) = (props.report.clone(), props.host.clone(), *include_secrets);
        Callback::from(move |_: MouseEvent| {
            let options = ExportOptions {
                include_secrets: include,
                host: host.as_ref(),
                limit: usize::MAX,
            };
            download(
                format.file_name(),
                format.mime(),
                &export(&report, format, options),
            );
        })
    };
    let print = Callback::from(|_: MouseEvent| {
        let _ = gloo::utils::window().print();
    });
    let toggle_secrets = {
        let include_secrets = include_secrets.clone();
        Callback::from(move |_: Event| include_secrets.set(!*include_secrets))
    };
    html! {
        <div class="export">
            <button type="button" class="secondary" onclick={print}>{ t(lang, "Print") }</button>
            <button type="button" class="secondary" onclick={save(OutputFormat::Html)}>{ t(lang, "Save as a web page (HTML)") }</button>
            <button type="button" class="secondary" onclick={save(OutputFormat::Markdown)}>{ t(lang, "Save as Markdown") }</button>
            <button type="button" class="secondary" onclick={save(OutputFormat::Json)}>{ t(lang, "Save as JSON") }</button>
            <button type="button" class="secondary" onclick={save(OutputFormat::Csv)}>{ t(lang, "Save the file list (CSV)") }</button>
            <label><input type="checkbox" checked={*include_secrets} onchange={toggle_secrets} />{ " " }{ t(lang, "Include passwords and keys in saved reports") }</label>
        </div>
    }
}

#[function_component]
pub fn ResultScreen(props: &Props) -> Html {
    let heading = use_focus_on_mount();
    let lang = use_lang();
    // One computed view in the reader's language (`ReportRef` compares by identity, so the
    // memo never compares rows).
    // The comparison once per series and language (the report shown does not change it).
    let comparison = use_memo((props.series.clone(), lang), |(series, l)| {
        (series.len() > 1).then(|| {
            Rc::new(crate::engine::i18n::localize_comparison(
                &compare_series(series),
                *l,
            ))
        })
    });
    let v = use_memo(
        (
            props.report.clone(),
            lang,
            props.host.clone(),
            (*comparison).clone(),
        ),
        |(r, l, h, c)| view_in_series(&r.0, *l, h.as_ref(), c.as_deref()),
    );
    let shown_index = props
        .series
        .iter()
        .position(|d| matches!(d, Done::Scanned(x) if std::rc::Rc::ptr_eq(&x.0, &props.report.0)));
    let r: Rc<Report> = Rc::clone(&v.report);
    let reset = {
        let cb = props.on_reset.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let s = &r.summary;
    html! {
        <div class="result">
            if let Some(c) = (*comparison).clone() {
                <Comparison comparison={c} shown={shown_index} on_show={props.on_show.clone()} />
                <h2 class="report-of">{ tf!(lang, "The report of {0}", shown(&r.archive.name)) }</h2>
            }
            <Verdict verdict={r.verdict} headline={r.headline.clone()} heading={heading} />
            <p class="scanned">
                { tf!(lang, "Checked {0} files ({1} unchanged, {2} changed, {3} added, {4} old leftovers, {5} not covered) in", s.files, s.unchanged, s.modified, s.added, s.leftover, s.unknown) }
                { " " }<code class="path">{ shown(&r.archive.name) }</code>{ "." }
            </p>
            <CmsSummary cms={r.cms.clone()} roots={r.roots.clone()} />
            <Timeline timeline={r.timeline.clone()} />
            <Findings report={ReportRef(r.clone())} diffs={props.diffs.clone()} on_diff={props.on_diff.clone()} />
            <Secrets secrets={r.secrets.clone()} />
            <Hosting report={r.clone()} />
            <Accounts accounts={r.accounts.clone()} />
            <Checklist steps={v.steps.clone()} storage_key={v.ticks_key.clone()} />
            <FileTable report={ReportRef(r.clone())} />
            <Warnings warnings={r.warnings.clone()} />
            <section class="actions" aria-labelledby="save-title">
                <h2 id="save-title" class="visually-hidden">{ t(lang, "Save or print") }</h2>
                <Exports report={ReportRef(r.clone())} host={props.host.clone()} />
                <DropZone
                    id="add-backup-input"
                    title={t(lang, "Add another backup to compare")}
                    hint={t(lang, "An older or newer backup of the same site (or several): the page reads them too, compares them and says which one to restore.")}
                    multiple={true}
                    disabled={!props.worker_ready}
                    on_files={props.on_add.clone()}
                />
                <button type="button" class="primary" onclick={reset}>{ t(lang, "Check another backup") }</button>
            </section>
        </div>
    }
}
