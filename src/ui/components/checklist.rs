//! The cleanup checklist from the engine, with a checkbox per step.

use yew::prelude::*;

use crate::engine::checklist::Step;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub steps: Vec<Step>,
}

#[function_component]
pub fn Checklist(props: &Props) -> Html {
    html! {
        <section class="checklist" aria-labelledby="checklist-title">
            <h2 id="checklist-title">{ "What to do now, step by step" }</h2>
            <ol>
                { for props.steps.iter().map(|s| {
                    let id = format!("step-{}", s.id);
                    html! {
                        <li>
                            <input type="checkbox" id={id.clone()} />
                            <label for={id}><strong>{ s.title.clone() }</strong></label>
                            <p>{ s.why.clone() }</p>
                            if !s.items.is_empty() {
                                <ul>{ for s.items.iter().map(|i| html! { <li>{ i.clone() }</li> }) }</ul>
                            }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
