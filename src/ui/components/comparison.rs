//! Several backups compared, at the top of the result screen: which one to restore, the
//! backups by date (each one's report a click away), when the intruder's files first appear,
//! and what changed between each two. The comparison is `present::series` over the reports
//! the page already holds; its wording is `present::sections`, shared with saved reports.

use yew::prelude::*;

use std::rc::Rc;

use crate::engine::i18n::t;
use crate::engine::present::sections::{comparison, Section};
use crate::engine::present::series::compare_refs;
use crate::engine::report::series::Comparison as Data;
use crate::tf;
use crate::ui::format::shown;
use crate::ui::hooks::use_lang;
use crate::ui::state::Done;

use super::hosting::section_view;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The comparison of the backups read so far, in the reader's language.
    pub comparison: Rc<Data>,
    /// Which of them (index in the series) the report below shows.
    pub shown: Option<usize>,
    pub on_show: Callback<usize>,
}

/// The comparison of the page's backups.
pub fn compare_series(series: &[Done]) -> Data {
    compare_refs(&crate::ui::state::as_backups(series))
}

fn backups(lang: crate::engine::i18n::Lang, c: &Data, s: &Section, props: &Props) -> Html {
    html! {
        <section class="hosting backups" aria-labelledby="series-backups">
            <h2 id="series-backups">{ s.title.clone() }</h2>
            <p>{ shown(&s.intro) }</p>
            <ol class="facts">
                { for c.order.iter().zip(&s.items).map(|(e, item)| {
                    let given = e.given;
                    let current = props.shown == Some(given);
                    let on_show = props.on_show.clone();
                    let onclick = Callback::from(move |_: MouseEvent| on_show.emit(given));
                    html! {
                        <li class={classes!(item.malicious.then_some("malicious"))}>
                            <span class="path">{ shown(&item.text) }</span>
                            { for (!item.flags.is_empty()).then(|| html! { <><br />{ item.flags.join(t(lang, ", and ")) }</> }) }
                            if e.verdict.is_some() {
                                { " " }
                                <button type="button" class="secondary small" aria-pressed={current.to_string()} {onclick}>
                                    { if current { t(lang, "Its report is shown below") } else { t(lang, "Show its report") } }
                                </button>
                            }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}

#[function_component]
pub fn Comparison(props: &Props) -> Html {
    let lang = use_lang();
    let c = &props.comparison;
    let sections = comparison(c, lang);
    html! {
        <section class="comparison" aria-labelledby="comparison-title">
            <h2 id="comparison-title">{ tf!(lang, "Site Triage: {0} backups compared", c.order.len()) }</h2>
            { for sections.iter().map(|s| match s.id {
                "backups" => backups(lang, c, s, props),
                _ => section_view(lang, s, "series"),
            }) }
        </section>
    }
}
