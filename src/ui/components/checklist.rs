//! The cleanup checklist from the engine, with a checkbox per step. Ticks are kept in this
//! browser's localStorage under a key derived from the report (never any backup content),
//! so they survive a reload.

use std::collections::BTreeSet;

use yew::prelude::*;

use crate::ui::format::shown;

use crate::engine::i18n::t;
use crate::ui::hooks::use_lang;

use crate::engine::present::checklist::Step;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub steps: Vec<Step>,
    /// localStorage key for this report's ticks.
    pub storage_key: AttrValue,
}

fn storage() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

fn load(key: &str) -> BTreeSet<String> {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .map(|v| {
            v.split(',')
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn save(key: &str, ticks: &BTreeSet<String>) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, &ticks.iter().cloned().collect::<Vec<_>>().join(","));
    }
}

#[function_component]
pub fn Checklist(props: &Props) -> Html {
    let lang = use_lang();
    let key = props.storage_key.to_string();
    let ticks = {
        let key = key.clone();
        use_state(move || load(&key))
    };
    html! {
        <section class="checklist" aria-labelledby="checklist-title">
            <h2 id="checklist-title">{ t(lang, "What to do now, step by step") }</h2>
            <ol>
                { for props.steps.iter().map(|s| {
                    let id = format!("step-{}", s.id);
                    let checked = ticks.contains(&s.id);
                    let onchange = {
                        let ticks = ticks.clone();
                        let key = key.clone();
                        let step = s.id.clone();
                        Callback::from(move |_: Event| {
                            let mut next = (*ticks).clone();
                            if !next.remove(&step) {
                                next.insert(step.clone());
                            }
                            save(&key, &next);
                            ticks.set(next);
                        })
                    };
                    html! {
                        <li class={classes!(checked.then_some("done"))}>
                            <input type="checkbox" id={id.clone()} {checked} {onchange} />
                            <label for={id}><strong>{ s.title.clone() }</strong></label>
                            <p>{ s.why.clone() }</p>
                            if !s.items.is_empty() {
                                <ul>{ for s.items.iter().map(|i| html! { <li>{ shown(i) }</li> }) }</ul>
                            }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
