//! The hosting account around the site (full-account backups): its websites, scheduled
//! tasks, SSH keys, mail forwarders and logins, each explained in plain words. The wording is
//! `present::sections`, shared with the saved reports.

use yew::prelude::*;

use crate::engine::i18n::t;
use crate::engine::present::sections::{sections, Section};
use crate::engine::report::Report;
use crate::ui::format::shown;
use crate::ui::hooks::use_lang;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: std::rc::Rc<Report>,
}

/// One section of `present::sections` (also the comparison's); `prefix` keeps ids unique.
pub fn section_view(lang: crate::engine::i18n::Lang, s: &Section, prefix: &str) -> Html {
    let id = format!("{prefix}-{}", s.id);
    html! {
        <section class={classes!("hosting", s.id)} aria-labelledby={id.clone()}>
            <h2 id={id}>{ s.title.clone() }</h2>
            if !s.intro.is_empty() {
                <p>{ shown(&s.intro) }</p>
            }
            <ul class="facts">
                { for s.items.iter().map(|item| {
                    let mark = match (item.malicious, item.flags.is_empty()) {
                        (true, _) => Some(("malicious", t(lang, "malicious"))),
                        (false, false) => Some(("odd", t(lang, "stands out"))),
                        _ => None,
                    };
                    html! {
                        <li class={classes!(mark.map(|m| m.0))}>
                            { for mark.map(|m| html! { <><strong>{ m.1 }</strong>{ " " }</> }) }
                            <span class="path">{ shown(&item.text) }</span>
                            { for (!item.flags.is_empty()).then(|| html! { <><br />{ item.flags.join(t(lang, ", and ")) }</> }) }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

#[function_component]
pub fn Hosting(props: &Props) -> Html {
    let lang = use_lang();
    if props.report.account.is_none() {
        return html! {};
    }
    html! {
        <>
            { for sections(&props.report).iter().filter(|s| s.id != "admins").map(|s| section_view(lang, s, "account")) }
        </>
    }
}
