//! Findings grouped the way a non-technical person can follow, most alarming first.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use super::diff_view::DiffView;
use crate::engine::explain::{status_label, GROUPS};
use crate::engine::report::{FileReport, Report, Status};
use crate::ui::state::DiffState;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: Rc<Report>,
    /// Line diffs asked for so far, by path.
    #[prop_or_default]
    pub diffs: BTreeMap<String, DiffState>,
    /// Asks for the changed lines of a file that has a clean copy.
    #[prop_or_default]
    pub on_diff: Callback<FileReport>,
}

const SHOWN: usize = 25;

#[function_component]
pub fn Findings(props: &Props) -> Html {
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
                    <summary><h3 id={id}>{ format!("{} ({})", g.title, items.len()) }</h3></summary>
                    <p class="explain">{ g.explanation }</p>
                    <ul class="paths">
                        { for items.iter().take(SHOWN).map(|f| html! {
                            <li>
                                <code class="path">{ f.path.clone() }</code>
                                if g.status == Status::Added {
                                    <span class="tag">{ status_label(f.status, f.location) }</span>
                                }
                                if let Some(n) = &f.note {
                                    <span class="note">{ n.clone() }</span>
                                }
                                if f.clean_copy.is_some() {
                                    if let Some(state) = props.diffs.get(&f.path) {
                                        <DiffView state={state.clone()} />
                                    } else {
                                        <button type="button" class="link" onclick={{
                                            let on_diff = props.on_diff.clone();
                                            let file = (*f).clone();
                                            Callback::from(move |_: MouseEvent| on_diff.emit(file.clone()))
                                        }}>{ "Show the changed lines" }</button>
                                    }
                                }
                            </li>
                        }) }
                    </ul>
                    if items.len() > SHOWN {
                        <p class="more">{ format!("…and {} more in the full file list below.", items.len() - SHOWN) }</p>
                    }
                </details>
            </section>
        })
    });
    html! {
        <section class="findings" aria-labelledby="findings-title">
            <h2 id="findings-title">{ "What we found" }</h2>
            { for groups }
        </section>
    }
}
