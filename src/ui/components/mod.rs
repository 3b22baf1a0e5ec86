//! One component per file. Each is a function of its props; user intent goes up through
//! callbacks. Text from the backup is only ever interpolated as text (`html!` escapes it).

pub mod accounts;
pub mod checklist;
pub mod cms_summary;
pub mod comparison;
pub mod diff_view;
pub mod drop_zone;
pub mod error_screen;
pub mod file_table;
pub mod findings;
pub mod hosting;
pub mod result_screen;
pub mod scanning_screen;
pub mod secrets;
pub mod start_screen;
pub mod timeline;
pub mod verdict;
pub mod warnings;

use yew::prelude::*;

/// Moves keyboard and screen-reader focus to a heading when a screen appears.
#[hook]
pub fn use_focus_on_mount() -> NodeRef {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            if let Some(el) = node.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    node
}
