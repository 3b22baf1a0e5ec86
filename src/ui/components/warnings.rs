//! Problems with individual entries of the archive (odd names, links, damage…).

use yew::prelude::*;

use crate::ui::format::shown;

use crate::tf;
use crate::ui::hooks::use_lang;

use crate::engine::report::Warning;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub warnings: Vec<Warning>,
}

#[function_component]
pub fn Warnings(props: &Props) -> Html {
    let lang = use_lang();
    if props.warnings.is_empty() {
        return html! {};
    }
    html! {
        <section class="warnings" aria-labelledby="warnings-title">
            <details>
                <summary><h2 id="warnings-title">{ tf!(lang, "Notes about the backup file ({0})", props.warnings.len()) }</h2></summary>
                <ul>
                    { for props.warnings.iter().map(|w| html! {
                        <li>
                            if let Some(p) = &w.path {
                                <code class="path">{ shown(p) }</code>{ ": " }
                            }
                            { w.message.clone() }
                        </li>
                    }) }
                </ul>
            </details>
        </section>
    }
}
