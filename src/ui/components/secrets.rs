//! Passwords and keys found in the backup's config files: masked, with a reveal control, and
//! where to change each. Values never leave the page.

use yew::prelude::*;

use crate::engine::secrets::Secret;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub secrets: Vec<Secret>,
}

#[function_component]
pub fn Secrets(props: &Props) -> Html {
    let shown = use_state(|| false);
    if props.secrets.is_empty() {
        return html! {};
    }
    let toggle = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(!*shown))
    };
    html! {
        <section class="secrets" aria-labelledby="secrets-title">
            <h2 id="secrets-title">{ "Passwords and keys to change" }</h2>
            <p>{ "Found in your site's configuration files. The attacker could read these files, so treat every one as stolen. They are shown only on this page and never sent anywhere." }</p>
            <button type="button" class="secondary" aria-pressed={(*shown).to_string()} onclick={toggle}>
                { if *shown { "Hide the values" } else { "Show the values" } }
            </button>
            <table class="components">
                <thead><tr><th scope="col">{ "What" }</th><th scope="col">{ "Where" }</th><th scope="col">{ "Value" }</th><th scope="col">{ "How to change it" }</th></tr></thead>
                <tbody>
                    { for props.secrets.iter().map(|s| html! {
                        <tr>
                            <td>{ s.kind.replace('-', " ") }<br /><code class="path">{ s.name.clone() }</code></td>
                            <td><code class="path">{ s.file.clone() }</code>{ format!(" line {}", s.line) }</td>
                            <td><code>{ if *shown { s.value.clone().unwrap_or_else(|| s.masked.clone()) } else { s.masked.clone() } }</code></td>
                            <td>{ s.how.clone() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
