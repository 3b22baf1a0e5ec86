//! The page: a Yew app that owns no scanning code (see `site_triage::ui`).

#[cfg(target_arch = "wasm32")]
fn main() {
    site_triage::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The app runs in a browser: build it with `trunk build` (see README).");
}
