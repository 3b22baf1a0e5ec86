//! Administrator accounts found in the backup's database dumps, with the odd ones marked.

use yew::prelude::*;

use crate::ui::format::shown;

use crate::engine::i18n::t;
use crate::tf;
use crate::ui::hooks::use_lang;

use crate::engine::report::Account;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub accounts: Vec<Account>,
}

#[function_component]
pub fn Accounts(props: &Props) -> Html {
    let lang = use_lang();
    if props.accounts.is_empty() {
        return html! {};
    }
    html! {
        <section class="accounts" aria-labelledby="accounts-title">
            <h2 id="accounts-title">{ t(lang, "Administrator accounts in your database") }</h2>
            <p>{ t(lang, "These accounts can do anything on your site. Check that you know every one of them; reset all their passwords.") }</p>
            <table class="components">
                <thead><tr>
                    <th scope="col">{ t(lang, "Login") }</th><th scope="col">{ t(lang, "Email") }</th><th scope="col">{ t(lang, "Rights") }</th><th scope="col">{ t(lang, "Created") }</th><th scope="col">{ t(lang, "Where") }</th><th scope="col">{ t(lang, "Why it stands out") }</th>
                </tr></thead>
                <tbody>
                    { for props.accounts.iter().map(|a| html! {
                        <tr class={classes!((!a.flags.is_empty()).then_some("odd"))}>
                            <td data-label={t(lang, "Login")}><code class="path">{ shown(&a.login) }</code></td>
                            <td data-label={t(lang, "Email")}>{ shown(&a.email) }</td>
                            <td data-label={t(lang, "Rights")}>{ shown(&a.role) }{ if a.disabled { html! { <><br />{ t(lang, "disabled: it cannot log in") }</> } } else { html! {} } }</td>
                            <td data-label={t(lang, "Created")}>{ a.registered.clone().unwrap_or_default() }</td>
                            <td data-label={t(lang, "Where")}><code class="path">{ shown(&a.dump) }</code>{ " " }{ tf!(lang, "table {0}, row {1}", shown(&a.table), shown(&a.row)) }</td>
                            <td data-label={t(lang, "Why it stands out")}>{ if a.flags.is_empty() { "—".to_owned() } else { a.flags.join("; ") } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
