//! The changed lines of one file against its clean copy, with what was added (injected)
//! marked. Line text comes from the backup: it is rendered as text, never as markup.

use yew::prelude::*;

use crate::engine::i18n::t;
use crate::tf;
use crate::ui::hooks::use_lang;

use crate::engine::present::linediff::LineKind;
use crate::ui::state::DiffState;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: DiffState,
}

#[function_component]
pub fn DiffView(props: &Props) -> Html {
    let lang = use_lang();
    let d = match &props.state {
        DiffState::Loading => {
            return html! { <p class="diff-status" role="status">{ t(lang, "Reading the changed lines…") }</p> }
        }
        DiffState::Failed(e) => {
            return html! { <p class="diff-status" role="status">{ crate::engine::i18n::translate(lang, e) }</p> }
        }
        DiffState::Ready(d) => d.clone(),
    };
    if d.hunks.is_empty() {
        return html! { <p class="diff-status" role="status">{ t(lang, "No line differs (only spacing or line endings changed).") }</p> };
    }
    html! {
        <div class="diff">
            <p class="diff-summary">
                { tf!(lang, "{0} line(s) added, {1} removed.", d.added, d.removed) }{ " " }
                { t(lang, "Added lines (marked +) are what someone put into the file; they are the usual place of injected code.") }
                if d.approximate { { " " }{ t(lang, "The file changed too much to align every line.") } }
            </p>
            { for d.hunks.iter().map(|h| html! {
                <table class="hunk">
                    <caption>{ tf!(lang, "Clean lines {0}–{1}, your lines {2}–{3}", h.old_start, h.old_start + h.old_len.saturating_sub(1), h.new_start, h.new_start + h.new_len.saturating_sub(1)) }</caption>
                    <thead class="visually-hidden"><tr><th scope="col">{ t(lang, "Clean line") }</th><th scope="col">{ t(lang, "Your line") }</th><th scope="col">{ t(lang, "Change") }</th><th scope="col">{ t(lang, "Text") }</th></tr></thead>
                    <tbody>
                        { for h.lines.iter().map(|l| {
                            let (class, mark, label) = match l.kind {
                                LineKind::Added => ("added", "+", "added"),
                                LineKind::Removed => ("removed", "−", "removed"),
                                LineKind::Context => ("context", " ", "unchanged"),
                            };
                            html! {
                                <tr class={class}>
                                    <td class="no">{ l.old.map(|n| n.to_string()).unwrap_or_default() }</td>
                                    <td class="no">{ l.new.map(|n| n.to_string()).unwrap_or_default() }</td>
                                    <td class="mark"><span aria-hidden="true">{ mark }</span><span class="visually-hidden">{ t(lang, label) }</span></td>
                                    <td class="text"><code>{ l.text.clone() }</code></td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }) }
        </div>
    }
}
