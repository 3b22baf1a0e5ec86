//! The Web Worker that reads the dropped backup and runs the engine (see `site_triage::bridge`).

#[cfg(target_arch = "wasm32")]
fn main() {
    site_triage::bridge::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The worker runs in a browser: build it with `trunk build` (see README).");
}
