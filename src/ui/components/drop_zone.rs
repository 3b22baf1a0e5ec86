//! A large drop target that is also a file picker (click, Enter or Space).

use wasm_bindgen::JsCast;
use web_sys::{File, FileList, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: AttrValue,
    pub title: AttrValue,
    pub hint: AttrValue,
    #[prop_or_default]
    pub multiple: bool,
    #[prop_or_default]
    pub primary: bool,
    #[prop_or_default]
    pub disabled: bool,
    pub on_files: Callback<Vec<File>>,
}

fn files_of(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

#[function_component]
pub fn DropZone(props: &Props) -> Html {
    let dragging = use_state(|| false);
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let dragging = dragging.clone();
        let on_files = props.on_files.clone();
        let disabled = props.disabled;
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if disabled {
                return;
            }
            let files = files_of(e.data_transfer().and_then(|d| d.files()));
            if !files.is_empty() {
                on_files.emit(files);
            }
        })
    };
    let onchange = {
        let on_files = props.on_files.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let files = files_of(input.files());
            // Let the same file be chosen again later.
            input.set_value("");
            if !files.is_empty() {
                on_files.emit(files);
            }
        })
    };
    let hint_id = format!("{}-hint", props.id);
    html! {
        <label
            class={classes!("drop-zone", props.primary.then_some("primary"), (*dragging).then_some("dragging"), props.disabled.then_some("disabled"))}
            for={props.id.clone()}
            {ondragover} {ondragleave} {ondrop}
        >
            <input
                id={props.id.clone()}
                class="visually-hidden"
                type="file"
                accept=".zip,.tar,.gz,.tgz,.stm"
                multiple={props.multiple}
                disabled={props.disabled}
                aria-describedby={hint_id.clone()}
                {onchange}
            />
            <span class="drop-title">{ props.title.clone() }</span>
            <span class="drop-hint" id={hint_id}>{ props.hint.clone() }</span>
        </label>
    }
}
