//! The one clear verdict at the top of the result.

use yew::prelude::*;

use crate::engine::i18n::t;
use crate::ui::hooks::use_lang;

use crate::engine::present::explain::{verdict_advice, verdict_title};
use crate::engine::report::SiteVerdict;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub verdict: SiteVerdict,
    pub headline: AttrValue,
    pub heading: NodeRef,
}

#[function_component]
pub fn Verdict(props: &Props) -> Html {
    let lang = use_lang();
    let (class, icon) = match props.verdict {
        SiteVerdict::Clean => ("verdict clean", "✓"),
        SiteVerdict::Suspicious => ("verdict suspicious", "!"),
        SiteVerdict::Compromised => ("verdict compromised", "✕"),
    };
    html! {
        <section class={class} aria-labelledby="verdict-title">
            <span class="verdict-icon" aria-hidden="true">{ icon }</span>
            <div>
                <h1 id="verdict-title" tabindex="-1" ref={props.heading.clone()}>{ t(lang, verdict_title(props.verdict)) }</h1>
                <p class="headline">{ props.headline.clone() }</p>
                <p>{ t(lang, verdict_advice(props.verdict)) }</p>
            </div>
        </section>
    }
}
