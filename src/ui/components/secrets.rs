//! Passwords and keys found in the backup's config files: masked, with a reveal control, and
//! where to change each. Values never leave the page.

use yew::prelude::*;

use crate::ui::format::shown as visible;

use crate::engine::i18n::t;
use crate::tf;
use crate::ui::hooks::use_lang;

use crate::engine::report::Secret;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub secrets: Vec<Secret>,
}

#[function_component]
pub fn Secrets(props: &Props) -> Html {
    let lang = use_lang();
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
            <h2 id="secrets-title">{ t(lang, "Passwords and keys to change") }</h2>
            <p>{ t(lang, "Found in your site's configuration files. The attacker could read these files, so treat every one as stolen. They are shown only on this page and never sent anywhere.") }</p>
            <button type="button" class="secondary" aria-pressed={(*shown).to_string()} onclick={toggle}>
                { if *shown { t(lang, "Hide the values") } else { t(lang, "Show the values") } }
            </button>
            <table class="components">
                <thead><tr><th scope="col">{ t(lang, "What") }</th><th scope="col">{ t(lang, "Where") }</th><th scope="col">{ t(lang, "Value") }</th><th scope="col">{ t(lang, "How to change it") }</th></tr></thead>
                <tbody>
                    { for props.secrets.iter().map(|s| html! {
                        <tr>
                            <td data-label={t(lang, "What")}>{ t(lang, crate::engine::present::explain::secret_kind(s.kind)) }<br /><code class="path">{ visible(&s.name) }</code></td>
                            <td data-label={t(lang, "Where")}><code class="path">{ visible(&s.file) }</code>{ " " }{ tf!(lang, "line {0}", s.line) }</td>
                            <td data-label={t(lang, "Value")}><code>{ if *shown { visible(s.value.as_deref().unwrap_or(&s.masked)) } else { visible(&s.masked) } }</code></td>
                            <td data-label={t(lang, "How to change it")}>{ s.how.clone() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
