//! Findings grouped the way a non-technical person can follow, most alarming first.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::explain::{status_label, GROUPS};
use crate::engine::report::{Report, Status};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: Rc<Report>,
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
