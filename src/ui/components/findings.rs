//! Findings grouped the way a non-technical person can follow, most alarming first.

use std::collections::BTreeMap;

use yew::prelude::*;

use crate::ui::format::shown;

use crate::engine::i18n::{t, Lang};
use crate::tf;
use crate::ui::hooks::use_lang;

use super::diff_view::DiffView;
use crate::engine::present::explain::{
    action_text, status_label, FLAGGED_EXPLANATION, FLAGGED_TITLE, GROUPS,
};
use crate::engine::present::render::flagged;
use crate::engine::report::Severity;
use crate::engine::report::{FileReport, Status, Verdict};
use crate::ui::state::DiffState;
use crate::ui::state::ReportRef;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: ReportRef,
    /// Line diffs asked for so far, by path.
    #[prop_or_default]
    pub diffs: BTreeMap<String, DiffState>,
    /// Asks for the changed lines of a file that has a clean copy.
    #[prop_or_default]
    pub on_diff: Callback<FileReport>,
}

const SHOWN: usize = 25;

fn diff_control(lang: Lang, props: &Props, f: &FileReport) -> Html {
    if f.clean_copy.is_none() {
        return html! {};
    }
    match props.diffs.get(&f.path) {
        Some(state) => html! { <DiffView state={state.clone()} /> },
        None => {
            let on_diff = props.on_diff.clone();
            let file = f.clone();
            html! {
                <button type="button" class="link" onclick={Callback::from(move |_: MouseEvent| on_diff.emit(file.clone()))}>
                    { t(lang, "Show the changed lines") }
                </button>
            }
        }
    }
}

fn flagged_file(lang: Lang, props: &Props, f: &FileReport) -> Html {
    let word = if f.verdict == Verdict::Malicious {
        "malicious"
    } else {
        "suspicious"
    };
    html! {
        <li class={classes!("flagged-file", word)}>
            <p class="flagged-head">
                <code class="path">{ shown(&f.path) }</code>
                <span class={classes!("tag", word)}>{ t(lang, word) }</span>
                <span class="tag status">{ t(lang, status_label(f.status, f.location)) }</span>
            </p>
            <ul class="evidence-list">
                { for f.findings.iter().filter(|x| x.severity > Severity::Hint).map(|x| html! {
                    <li>
                        <strong>{ x.title.clone() }</strong>
                        <p class="why">{ x.why.clone() }</p>
                        <p class="excerpt">
                            { x.line.map(|n| tf!(lang, "Line {0}:", n) + " ").unwrap_or_default() }
                            <code>{ shown(&x.excerpt) }</code>
                        </p>
                        if let Some(d) = &x.decoded {
                            <p class="excerpt decoded">{ t(lang, "Decoded:") }{ " " }<code>{ shown(d) }</code></p>
                        }
                    </li>
                }) }
            </ul>
            if let Some(x) = f.findings.first() {
                <p class="action">{ t(lang, action_text(x.action)) }</p>
            }
            { diff_control(lang, props, f) }
        </li>
    }
}

#[function_component]
pub fn Findings(props: &Props) -> Html {
    let lang = use_lang();
    let flagged_files = flagged(&props.report);
    let groups = GROUPS.iter().filter(|g| !matches!(g.status, Status::Unknown)).filter_map(|g| {
        let items: Vec<_> = props.report.files.iter().filter(|f| f.status == g.status).collect();
        if items.is_empty() {
            return None;
        }
        let id = format!("group-{}", g.status.as_str());
        let open = matches!(g.status, Status::Added | Status::Modified | Status::Leftover);
        Some(html! {
            <section class={classes!("group", g.status.as_str())} aria-labelledby={id.clone()}>
                <details open={open}>
                    <summary><h3 id={id}>{ format!("{} ({})", t(lang, g.title), items.len()) }</h3></summary>
                    <p class="explain">{ t(lang, g.explanation) }</p>
                    <ul class="paths">
                        { for items.iter().take(SHOWN).map(|f| html! {
                            <li>
                                <code class="path">{ shown(&f.path) }</code>
                                if g.status == Status::Added {
                                    <span class="tag">{ t(lang, status_label(f.status, f.location)) }</span>
                                }
                                if let Some(n) = &f.note {
                                    <span class="note">{ n.clone() }</span>
                                }
                                { diff_control(lang, props, f) }
                            </li>
                        }) }
                    </ul>
                    if items.len() > SHOWN {
                        <p class="more">{ tf!(lang, "…and {0} more in the full file list below.", items.len() - SHOWN) }</p>
                    }
                </details>
            </section>
        })
    });
    html! {
        <section class="findings" aria-labelledby="findings-title">
            <h2 id="findings-title">{ t(lang, "What we found") }</h2>
            if !flagged_files.is_empty() {
                <section class="group flagged" aria-labelledby="group-flagged">
                    <details open={true}>
                        <summary><h3 id="group-flagged">{ format!("{} ({})", t(lang, FLAGGED_TITLE), flagged_files.len()) }</h3></summary>
                        <p class="explain">{ t(lang, FLAGGED_EXPLANATION) }</p>
                        <ul class="flagged-list">{ for flagged_files.iter().map(|f| flagged_file(lang, props, f)) }</ul>
                    </details>
                </section>
            }
            { for groups }
        </section>
    }
}
