//! The page: Yew function components over one reducer ([`state`]).
//!
//! The page imports from the engine only `report` (the data), `i18n` (its languages) and
//! `present` (wording, checklist, renderers for the exports), never the scanning code, so
//! the regex/zip/hash machinery ends up in the worker's wasm alone (`scripts/arch-check.py`
//! checks the imports). Everything from the backup is rendered as text nodes through `html!`
//! (which escapes), never as markup.

pub mod app;
pub mod components;
pub mod format;
pub mod hooks;
pub mod state;

/// Mounts the app on `<main id="app">` (or the body).
pub fn start() {
    let target = gloo::utils::document().get_element_by_id("app");
    match target {
        Some(el) => {
            yew::Renderer::<app::App>::with_root(el).render();
        }
        None => {
            yew::Renderer::<app::App>::new().render();
        }
    }
}
