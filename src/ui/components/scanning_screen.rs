//! Progress while the worker reads the backup: files and bytes, time left, current file,
//! and Cancel.

use yew::prelude::*;

use crate::ui::format::shown;

use crate::engine::i18n::t;
use crate::tf;
use crate::ui::hooks::use_lang;

use super::use_focus_on_mount;
use crate::bridge::protocol::ScanProgress;
use crate::ui::format;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub name: AttrValue,
    pub bytes_total: u64,
    pub started_ms: f64,
    pub progress: Option<ScanProgress>,
    pub phase: Option<AttrValue>,
    pub on_cancel: Callback<()>,
    /// (k, n): this is backup k of the n chosen.
    #[prop_or_default]
    pub position: Option<(usize, usize)>,
}

#[function_component]
pub fn ScanningScreen(props: &Props) -> Html {
    let lang = use_lang();
    let heading = use_focus_on_mount();
    let p = props.progress.clone().unwrap_or_default();
    let total = props.bytes_total.max(p.bytes_total).max(1);
    let done = p.bytes_done.min(total);
    let percent = done * 100 / total;
    // The bar in thousandths: on a big backup it moves several times a second.
    let permille = done * 1000 / total;
    let elapsed = (js_sys::Date::now() - props.started_ms) / 1000.0;
    let left = if done > 0 && elapsed > 1.0 {
        format::duration(lang, elapsed * (total - done) as f64 / done as f64)
    } else {
        t(lang, "calculating…").into()
    };
    let files = match p.entries_total {
        Some(n) => tf!(lang, "{0} of {1} files", p.entries_done, n),
        None => format::files(lang, p.entries_done),
    };
    let cancel = {
        let cb = props.on_cancel.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <section class="scanning" aria-labelledby="scan-title">
            <h1 id="scan-title" tabindex="-1" ref={heading}>{ t(lang, "Checking your backup…") }</h1>
            if let Some((k, n)) = props.position {
                <p class="position">{ tf!(lang, "Backup {0} of {1}", k, n) }</p>
            }
            <p class="file-name">{ shown(&props.name) }</p>
            <progress id="scan-progress" max="1000" value={permille.to_string()} aria-label={t(lang, "Scan progress")}>{ format!("{percent}%") }</progress>
            <dl class="stats">
                <div><dt>{ t(lang, "Done") }</dt><dd>{ format!("{percent}%") }</dd></div>
                <div><dt>{ t(lang, "Files") }</dt><dd>{ files }</dd></div>
                <div><dt>{ t(lang, "Read") }</dt><dd>{ tf!(lang, "{0} of {1}", format::bytes(done), format::bytes(total)) }</dd></div>
                <div><dt>{ t(lang, "Time left") }</dt><dd>{ left }</dd></div>
            </dl>
            <p class="phase" role="status" aria-live="polite">{ props.phase.as_deref().map(|p| crate::engine::i18n::translate(lang, p)).unwrap_or_default() }</p>
            if !p.current.is_empty() {
                <p class="current">{ t(lang, "Now reading:") }{ " " }<code class="path">{ shown(&p.current) }</code></p>
            }
            <p class="privacy">{ t(lang, "Your backup stays on this computer while it is checked.") }</p>
            <button type="button" class="danger" onclick={cancel}>{ t(lang, "Cancel") }</button>
        </section>
    }
}
