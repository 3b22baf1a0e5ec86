//! The root component: the reducer, the scanner hook, and which screen to show.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::File;
use yew::prelude::*;

use super::components::error_screen::ErrorScreen;
use super::components::result_screen::ResultScreen;
use super::components::scanning_screen::ScanningScreen;
use super::components::start_screen::StartScreen;
use super::hooks::use_scanner::{use_scanner, Scanner};
use super::state::{Action, ReportRef, Screen, State};
use crate::engine::i18n::{t, Lang};
use crate::engine::report::ErrorKind;

/// Where the reader's choice of language is remembered (a preference, not backup data).
const LANG_KEY: &str = "site-triage:lang";

/// The language to start in: the reader's earlier choice, else the first of the browser's
/// languages we have, else the host's default (`config.json`), else English.
fn initial_lang(host_default: Option<Lang>) -> Lang {
    let window = gloo::utils::window();
    let stored = window
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
        .and_then(|v| Lang::from_tag(&v));
    if let Some(l) = stored {
        return l;
    }
    let nav = window.navigator();
    let mut tags: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    tags.extend(nav.language());
    Lang::negotiate(tags.iter().map(String::as_str))
        .or(host_default)
        .unwrap_or_default()
}

fn apply_lang(lang: Lang, remember: bool) {
    if let Some(root) = gloo::utils::document().document_element() {
        let _ = root.set_attribute("lang", lang.tag());
    }
    if remember {
        if let Some(s) = gloo::utils::window().local_storage().ok().flatten() {
            let _ = s.set_item(LANG_KEY, lang.tag());
        }
    }
}

/// The built-in demo backup, next to index.html (see README: "The sample backup").
pub const SAMPLE_URL: &str = "./sample/sample-hacked-backup.zip";

async fn fetch_sample() -> Result<File, String> {
    let window = gloo::utils::window();
    let resp = JsFuture::from(window.fetch_with_str(SAMPLE_URL))
        .await
        .map_err(|e| format!("{e:?}"))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| "no response".to_string())?;
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()));
    }
    let blob = JsFuture::from(resp.blob().map_err(|e| format!("{e:?}"))?)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let parts = js_sys::Array::of1(&blob);
    let opts = web_sys::FilePropertyBag::new();
    opts.set_type("application/zip");
    File::new_with_blob_sequence_and_options(&parts, "sample-hacked-backup.zip", &opts)
        .map_err(|e| format!("{e:?}"))
}

/// The host's details, if it filled in `config.json` next to the page.
pub const CONFIG_URL: &str = "./config.json";

async fn fetch_config() -> Option<crate::engine::present::checklist::HostInfo> {
    let resp = JsFuture::from(gloo::utils::window().fetch_with_str(CONFIG_URL))
        .await
        .ok()?;
    let resp: web_sys::Response = resp.dyn_into().ok()?;
    if !resp.ok() {
        return None;
    }
    let text = JsFuture::from(resp.text().ok()?).await.ok()?.as_string()?;
    serde_json::from_str(&text).ok()
}

/// The language: where it starts (in the reducer's first state), the host's default once
/// `config.json` is in (only when neither the reader nor the browser chose), and the page's
/// `<html lang>`.
#[hook]
fn use_language(state: &UseReducerHandle<State>) {
    let lang = state.lang;
    use_effect_with(lang, move |l| apply_lang(*l, false));
    let host_lang = state
        .host
        .as_ref()
        .and_then(|h| Lang::from_tag(&h.language));
    let dispatch = state.dispatcher();
    use_effect_with(host_lang, move |h| {
        if h.is_some() {
            dispatch.dispatch(Action::Lang(initial_lang(*h)));
        }
    });
}

/// Loads the host's `config.json` once.
#[hook]
fn use_host_config(dispatch: UseReducerDispatcher<State>) {
    use_effect_with((), move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            if let Some(h) = fetch_config().await {
                dispatch.dispatch(Action::Host(h));
            }
        });
    });
}

/// A file dropped outside the drop zones must not make the browser open it.
#[hook]
fn use_block_stray_drops() {
    use_effect_with((), |_| {
        let window = gloo::utils::window();
        let stop = |e: &web_sys::Event| e.prevent_default();
        let listen = |event: &'static str| {
            gloo::events::EventListener::new_with_options(
                &window,
                event,
                gloo::events::EventListenerOptions::enable_prevent_default(),
                stop,
            )
        };
        let (a, b) = (listen("dragover"), listen("drop"));
        move || drop((a, b))
    });
}

/// Starts the next backup of a series once the one before is done (the reducer says so
/// with `next_pending`; the scanner lives here, outside the reducer).
#[hook]
fn use_next_in_series(state: &UseReducerHandle<State>, scanner: &Scanner) {
    let next = (state.next_pending && state.worker_ready)
        .then(|| state.queue.first().cloned())
        .flatten();
    let (scanner, references) = (scanner.clone(), state.references.clone());
    use_effect_with(next.as_ref().map(File::name), move |_| {
        if let Some(file) = next {
            scanner.scan(&file, &references);
        }
    });
}

/// What the screens can ask of the app.
struct Callbacks {
    on_backup: Callback<Vec<File>>,
    on_add: Callback<Vec<File>>,
    on_show: Callback<usize>,
    on_references: Callback<Vec<File>>,
    on_sample: Callback<()>,
    on_cancel: Callback<()>,
    on_diff: Callback<crate::engine::report::FileReport>,
    on_reset: Callback<()>,
}

fn callbacks(state: &UseReducerHandle<State>, scanner: &Scanner) -> Callbacks {
    let dispatch = state.dispatcher();
    let references = state.references.clone();
    let on_backup = {
        let (scanner, references, dispatch) =
            (scanner.clone(), references.clone(), dispatch.clone());
        Callback::from(move |files: Vec<File>| {
            if let Some((first, rest)) = files.split_first() {
                dispatch.dispatch(Action::Series(rest.to_vec()));
                scanner.scan(first, &references);
            }
        })
    };
    let on_add = {
        let dispatch = dispatch.clone();
        Callback::from(move |files: Vec<File>| dispatch.dispatch(Action::Add(files)))
    };
    let on_show = {
        let dispatch = dispatch.clone();
        Callback::from(move |i: usize| dispatch.dispatch(Action::Show(i)))
    };
    let on_references = {
        let dispatch = dispatch.clone();
        Callback::from(move |files: Vec<File>| dispatch.dispatch(Action::References(files)))
    };
    let on_sample = {
        let (scanner, dispatch) = (scanner.clone(), dispatch.clone());
        Callback::from(move |_| {
            let (scanner, dispatch, references) =
                (scanner.clone(), dispatch.clone(), references.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match fetch_sample().await {
                    Ok(file) => {
                        dispatch.dispatch(Action::Series(Vec::new()));
                        scanner.scan(&file, &references);
                    }
                    Err(e) => dispatch.dispatch(Action::Failed {
                        kind: ErrorKind::Io,
                        message: crate::en!("The sample backup could not be loaded ({0}). Reload the page and try again.", e),
                    }),
                }
            });
        })
    };
    let on_cancel = {
        let scanner = scanner.clone();
        Callback::from(move |_| scanner.cancel())
    };
    let on_diff = {
        let scanner = scanner.clone();
        Callback::from(move |f: crate::engine::report::FileReport| scanner.diff(&f))
    };
    let on_reset = Callback::from(move |_| dispatch.dispatch(Action::Reset));
    Callbacks {
        on_backup,
        on_add,
        on_show,
        on_references,
        on_sample,
        on_cancel,
        on_diff,
        on_reset,
    }
}

fn screen(state: &State, cb: Callbacks) -> Html {
    match &state.screen {
        Screen::Start => html! {
            <StartScreen
                worker_ready={state.worker_ready}
                notice={state.notice.clone().map(AttrValue::from)}
                references={state.references.iter().map(File::name).collect::<Vec<_>>()}
                on_backup={cb.on_backup} on_references={cb.on_references} on_sample={cb.on_sample}
            />
        },
        Screen::Scanning {
            name,
            bytes_total,
            started_ms,
            progress,
            phase,
        } => html! {
            <ScanningScreen
                name={name.clone()}
                position={(state.series.len() + state.queue.len() > 0).then(|| (state.series.len() + 1, state.series.len() + 1 + state.queue.len()))}
                bytes_total={*bytes_total}
                started_ms={*started_ms}
                progress={progress.clone()}
                phase={phase.clone().map(AttrValue::from)}
                on_cancel={cb.on_cancel}
            />
        },
        Screen::Result(report) => html! {
            <ResultScreen report={ReportRef(Rc::clone(report))} on_reset={cb.on_reset} diffs={state.diffs.clone()} on_diff={cb.on_diff} host={state.host.clone()}
                series={state.series.clone()} on_show={cb.on_show} on_add={cb.on_add} worker_ready={state.worker_ready} />
        },
        Screen::Error { title, message } => html! {
            <ErrorScreen title={title.clone()} message={message.clone()} on_reset={cb.on_reset} />
        },
    }
}

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(|| State {
        lang: initial_lang(None),
        ..State::default()
    });
    use_language(&state);
    use_host_config(state.dispatcher());
    use_block_stray_drops();
    let scanner = use_scanner(state.dispatcher());
    use_next_in_series(&state, &scanner);
    let on_lang = {
        let dispatch = state.dispatcher();
        Callback::from(move |l: Lang| {
            apply_lang(l, true);
            dispatch.dispatch(Action::Lang(l));
        })
    };
    let screen = screen(&state, callbacks(&state, &scanner));
    let l = state.lang;
    let switch = Lang::ALL.iter().map(|&option| {
        let on_lang = on_lang.clone();
        html! {
            <button type="button" class="lang-option" lang={option.tag()}
                aria-pressed={(option == l).to_string()}
                onclick={Callback::from(move |_: MouseEvent| on_lang.emit(option))}>
                { option.native_name() }
            </button>
        }
    });
    html! {
        <ContextProvider<Lang> context={l}>
            <header class="site-header">
                <span class="brand">{ "Site Triage" }</span>
                <span class="tagline">{ t(l, "Hacked-site check — runs entirely in your browser") }</span>
                if let Some(h) = state.host.as_ref().filter(|h| !h.name.is_empty()) {
                    <span class="host">{ crate::tf!(l, "Provided by {0}", h.name) }</span>
                }
                <nav class="lang-switch" aria-label={t(l, "Language")}>{ for switch }</nav>
            </header>
            <main id="main">{ screen }</main>
            <footer class="site-footer">
                <p>{ t(l, "Your backup is never uploaded: this page reads it on your computer and makes no connection except to load its own files.") }</p>
            </footer>
        </ContextProvider<Lang>>
    }
}
