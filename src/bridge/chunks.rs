//! Large messages between threads as transferred byte chunks, never as one string.
//!
//! A report of 68,000 files is 17 MB of JSON, and a helper worker's records for half of such
//! a backup about 9 MB. Sent as a string, that text existed whole in the sender's wasm
//! memory, again as a JS string, again in postMessage's copy, in the receiver's JS heap and
//! once more in the receiver's wasm memory before it was parsed; measured on a 4 GB backup,
//! the renderer's private memory rose by about 160 MB while the report travelled, and a wasm
//! memory never gives back what it once grew to.
//!
//! Here serde_json writes straight into 1 MiB JS buffers ([`encode`]); their `ArrayBuffer`s
//! are *transferred* with `postMessage` ([`transfer_list`]: moved to the other thread, not
//! copied); the receiver copies them into one buffer of exactly their size and parses that
//! ([`decode`]). The JSON is never built whole in the sender's wasm memory and exists once in
//! the receiver's. (Parsing straight from the JS buffers through `serde_json::from_reader`
//! saves that copy but parsed a 17 MB report in 710 ms on the page's thread, against 373 ms
//! from one slice; the copy lands in memory that is free by then, since the report arrives
//! after the sender's walk and the page has just ended that worker.) Small messages
//! (progress, phases) stay JSON strings: simpler to read in the devtools, too small to matter.

use std::io::{self, Write};

use js_sys::{Array, Uint8Array};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// Size of each JS buffer. Large enough that a 17 MB report is a handful of buffers, small
/// enough that the one wasm staging buffer stays small.
pub const CHUNK: usize = 1 << 20;

/// `io::Write` into a list of JS `Uint8Array`s of [`CHUNK`] bytes (the last one shorter).
struct ChunkWriter {
    chunks: Array,
    staged: Vec<u8>,
}

impl ChunkWriter {
    fn ship(&mut self) {
        if self.staged.is_empty() {
            return;
        }
        let array = Uint8Array::new_with_length(self.staged.len() as u32);
        array.copy_from(&self.staged);
        self.chunks.push(&array);
        self.staged.clear();
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let room = CHUNK - self.staged.len();
        let n = data.len().min(room);
        self.staged
            .extend_from_slice(data.get(..n).unwrap_or_default());
        if self.staged.len() >= CHUNK {
            self.ship();
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `value` as JSON in a JS array of `Uint8Array`s.
pub fn encode<T: Serialize>(value: &T) -> Result<Array, String> {
    let mut w = ChunkWriter {
        chunks: Array::new(),
        staged: Vec::with_capacity(CHUNK),
    };
    serde_json::to_writer(&mut w, value).map_err(|e| e.to_string())?;
    w.ship();
    Ok(w.chunks)
}

/// The `ArrayBuffer`s under `chunks`: the transfer list for `postMessage`. After the post
/// the sender's views are detached (length 0); only the receiver can read them.
pub fn transfer_list(chunks: &Array) -> Array {
    arrays(chunks).map(|a| JsValue::from(a.buffer())).collect()
}

/// The byte arrays in `chunks` (anything else in it is skipped).
fn arrays(chunks: &Array) -> impl Iterator<Item = Uint8Array> + '_ {
    chunks
        .iter()
        .filter_map(|c| c.dyn_into::<Uint8Array>().ok())
}

/// Parses what [`encode`] wrote (received as `chunks`, a JS array of `Uint8Array`s).
/// Anything else — not an array, a chunk that is not bytes, broken JSON — is an error.
pub fn decode<T: DeserializeOwned>(chunks: &JsValue) -> Result<T, String> {
    let chunks: Array = chunks
        .clone()
        .dyn_into()
        .map_err(|_| "the message carries no byte chunks".to_string())?;
    let mut all = Vec::with_capacity(len(&chunks) as usize);
    for chunk in chunks.iter() {
        let chunk: Uint8Array = chunk
            .dyn_into()
            .map_err(|_| "the message carries something else than byte chunks".to_string())?;
        let at = all.len();
        all.resize(at + chunk.length() as usize, 0);
        chunk.copy_to(all.get_mut(at..).unwrap_or_default());
    }
    serde_json::from_slice(&all).map_err(|e| e.to_string())
}

/// Total bytes in `chunks` (0 once they were transferred away).
pub fn len(chunks: &Array) -> u64 {
    arrays(chunks).map(|a| u64::from(a.length())).sum()
}
