//! Site Triage: find out what happened to a hacked website from its backup, offline.
//!
//! - [`engine`] — the pure scanning engine (archive reading, hashing, CMS recognition,
//!   release manifests, integrity diff, report). Builds natively and for wasm32.
//! - `src/bin/site-triage.rs` — the command-line tool around it.
//! - The browser bridge and UI live beside the engine and are compiled for wasm32 only.

pub mod bridge;
pub mod engine;
#[cfg(target_arch = "wasm32")]
pub mod ui;
