//! Hooks that own long-lived browser handles (the worker) on behalf of components.

pub mod use_scanner;

use yew::prelude::*;

use crate::engine::i18n::Lang;

/// The reader's language, provided by the app at the top of the tree.
#[hook]
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}
