//! When the backup cannot be read at all: what went wrong and what to do, in plain words.

use yew::prelude::*;

use crate::engine::i18n::t;
use crate::ui::hooks::use_lang;

use super::use_focus_on_mount;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub title: AttrValue,
    pub message: AttrValue,
    pub on_reset: Callback<()>,
}

#[function_component]
pub fn ErrorScreen(props: &Props) -> Html {
    let lang = use_lang();
    let heading = use_focus_on_mount();
    let reset = {
        let cb = props.on_reset.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <section class="error-screen" aria-labelledby="error-title">
            <h1 id="error-title" tabindex="-1" ref={heading}>{ crate::engine::i18n::translate(lang, &props.title) }</h1>
            <p role="alert">{ crate::engine::i18n::translate(lang, &props.message) }</p>
            <p>{ t(lang, "Nothing was changed on your computer or your website. If the problem stays, send this message to your hosting provider's support together with the backup file.") }</p>
            <button type="button" class="primary" onclick={reset}>{ t(lang, "Try another file") }</button>
        </section>
    }
}
