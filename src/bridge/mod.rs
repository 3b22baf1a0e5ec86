//! The thin layer between the page and the engine, running in the browser.
//!
//! The page never touches archive bytes: it hands the dropped `File` object to a Web Worker
//! (structured clone, no copy); the worker reads it through [`blob_reader::BlobReader`] — a
//! `Read + Seek` over `Blob.slice` + `FileReaderSync` with one reused window — runs the
//! engine, and posts typed [`protocol::FromWorker`] messages back. Cancel terminates the
//! worker (the Squoosh model): the scan loop is synchronous, and a terminated worker frees
//! all of its memory at once; the page then spawns a fresh one.

pub mod protocol;

#[cfg(target_arch = "wasm32")]
pub mod blob_reader;
#[cfg(target_arch = "wasm32")]
pub mod chunks;
#[cfg(target_arch = "wasm32")]
pub mod client;
#[cfg(target_arch = "wasm32")]
pub mod worker;
