//! `Read + Seek` over a `Blob` (the dropped `File`) inside a worker.
//!
//! Keeps one window of the file and refetches only when a read leaves it. A `BufReader`
//! would be a trap here: it drops its buffer on every seek and the zip crate seeks twice per
//! entry (PERFORMANCE-NOTES: ~390 GB of Blob reads for a 1.7 GB archive). Large windows read
//! markedly faster through `FileReaderSync` (192 MB/s at 1 MiB slices, 314 at 8 MiB).
//!
//! Memory: every `FileReaderSync` read makes a new `ArrayBuffer`, garbage the moment it is
//! copied into wasm, and the worker's heap collects it only now and then (a sawtooth of
//! 100–200 MB in the renderer). So a stepped walk
//! ([`crate::engine::collect::ShareCollector`]) fills the window *ahead* between steps with
//! [`BlobReader::prefetch`]: the `Blob`'s byte stream read with a BYOB reader into one
//! reused buffer, which allocates nothing per read. `FileReaderSync` remains the fallback
//! for reads outside the window (the central directory, entries larger than the window,
//! tar.gz, browsers without BYOB streams).

use std::cell::RefCell;
use std::io::{self, Read, Seek, SeekFrom};
use std::rc::Rc;

use js_sys::{ArrayBuffer, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, FileReaderSync, ReadableStreamByobReader, ReadableStreamGetReaderOptions,
    ReadableStreamReaderMode,
};

/// Default window: 8 MiB (measured: large slices read faster, and memory stays bounded).
pub const WINDOW: usize = 8 << 20;

/// Size of the one JS buffer a BYOB prefetch reads through (and reuses).
const BYOB_CHUNK: u32 = 4 << 20;

/// A reader over a `Blob`. Clones share the window and the position, so the worker can
/// [`prefetch`](BlobReader::prefetch) into the reader that the archive walk owns.
#[derive(Clone)]
pub struct BlobReader {
    state: Rc<RefCell<State>>,
}

struct State {
    blob: Blob,
    reader: FileReaderSync,
    len: u64,
    pos: u64,
    window: Vec<u8>,
    window_start: u64,
    window_size: usize,
    /// The BYOB reads' buffer, handed back and forth with the stream (never re-allocated).
    byob: Option<ArrayBuffer>,
    /// Set when the browser cannot stream this `Blob` into a given buffer.
    no_byob: bool,
}

fn js_err(e: JsValue) -> io::Error {
    io::Error::other(format!("reading the file failed: {e:?}"))
}

impl BlobReader {
    /// Only in a worker: `FileReaderSync` does not exist on the page.
    pub fn new(blob: Blob) -> io::Result<Self> {
        Self::with_window(blob, WINDOW)
    }

    pub fn with_window(blob: Blob, window_size: usize) -> io::Result<Self> {
        let reader = FileReaderSync::new().map_err(js_err)?;
        let len = blob.size() as u64;
        Ok(BlobReader {
            state: Rc::new(RefCell::new(State {
                blob,
                reader,
                len,
                pos: 0,
                window: Vec::new(),
                window_start: 0,
                window_size: window_size.max(1),
                byob: None,
                no_byob: false,
            })),
        })
    }

    pub fn len(&self) -> u64 {
        self.state.borrow().len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The part of the file held in memory now.
    pub fn window(&self) -> std::ops::Range<u64> {
        let s = self.state.borrow();
        s.window_start..s.window_start + s.window.len() as u64
    }

    /// Makes the window hold `[pos, pos + ahead)` (cut at the end of the file), read from
    /// the `Blob`'s byte stream without a new buffer per read. What the window already holds
    /// of that range is kept (moved to its front) and only the rest is read, so a forward
    /// walk reads each byte once. After an error the reads go on through `FileReaderSync`.
    pub async fn prefetch(&self, ahead: usize) -> io::Result<()> {
        let (blob, from, end, start, mut window, mut chunk) = {
            let mut s = self.state.borrow_mut();
            let start = s.pos;
            let end = (start + ahead as u64).min(s.len);
            let held_to = s.window_start + s.window.len() as u64;
            let kept_to = if start >= s.window_start && start < held_to {
                held_to.min(end)
            } else {
                start
            };
            if s.no_byob || kept_to >= end {
                return Ok(());
            }
            let mut window = std::mem::take(&mut s.window);
            let keep_from = (start.saturating_sub(s.window_start)) as usize;
            if kept_to > start {
                window.copy_within(keep_from..keep_from + (kept_to - start) as usize, 0);
            }
            window.truncate((kept_to - start) as usize);
            // A buffer the stream kept (a read that failed) is detached: length 0.
            let chunk = s
                .byob
                .take()
                .filter(|b| b.byte_length() > 0)
                .unwrap_or_else(|| ArrayBuffer::new(BYOB_CHUNK));
            (s.blob.clone(), kept_to, end, start, window, chunk)
        };
        let want = (end - start) as usize;
        window.reserve(want.saturating_sub(window.len()));
        let read = stream_into(&blob, from, end, &mut window, &mut chunk).await;
        let mut s = self.state.borrow_mut();
        s.byob = Some(chunk);
        match read {
            Ok(()) if window.len() == want => {
                s.window = window;
                s.window_start = start;
                Ok(())
            }
            Ok(()) => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file's stream ended early",
            )),
            Err(e) => {
                s.no_byob = true;
                Err(js_err(e))
            }
        }
    }
}

/// Appends bytes `[start, end)` of `blob` to `out`, read through a BYOB reader and `chunk`
/// (which ends up as the buffer the stream handed back last, for the next call).
async fn stream_into(
    blob: &Blob,
    start: u64,
    end: u64,
    out: &mut Vec<u8>,
    chunk: &mut ArrayBuffer,
) -> Result<(), JsValue> {
    let slice = blob.slice_with_f64_and_f64(start as f64, end as f64)?;
    let options = ReadableStreamGetReaderOptions::new();
    options.set_mode(ReadableStreamReaderMode::Byob);
    let reader: ReadableStreamByobReader = slice
        .stream()
        .get_reader_with_options(&options)
        .dyn_into()?;
    let result = async {
        loop {
            let view = Uint8Array::new(chunk);
            let step = JsFuture::from(reader.read_with_array_buffer_view(&view)).await?;
            // The stream transfers the buffer (ours is detached now): keep the one it gives
            // back, also with the final `done`, for the next read.
            let value = Reflect::get(&step, &"value".into())?.dyn_into::<Uint8Array>();
            if let Ok(v) = &value {
                *chunk = v.buffer();
            }
            if Reflect::get(&step, &"done".into())?.is_truthy() {
                return Ok(());
            }
            let value = value?;
            let n = value.length() as usize;
            let at = out.len();
            out.resize(at + n, 0);
            value.copy_to(out.get_mut(at..).unwrap_or_default());
        }
    }
    .await;
    if result.is_err() {
        let _ = reader.cancel();
    }
    result
}

impl State {
    fn fill(&mut self) -> io::Result<()> {
        let start = self.pos;
        let end = (start + self.window_size as u64).min(self.len);
        let slice = self
            .blob
            .slice_with_f64_and_f64(start as f64, end as f64)
            .map_err(js_err)?;
        let buffer = self.reader.read_as_array_buffer(&slice).map_err(js_err)?;
        let array = Uint8Array::new(&buffer);
        let n = array.length() as usize;
        self.window.resize(n, 0);
        array.copy_to(&mut self.window);
        self.window_start = start;
        Ok(())
    }
}

impl Read for BlobReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut s = self.state.borrow_mut();
        if s.pos >= s.len || buf.is_empty() {
            return Ok(0);
        }
        let in_window = s.pos >= s.window_start && s.pos < s.window_start + s.window.len() as u64;
        if !in_window {
            s.fill()?;
        }
        let offset = (s.pos - s.window_start) as usize;
        let available = s.window.get(offset..).unwrap_or(&[]);
        let n = available.len().min(buf.len());
        if n == 0 {
            return Ok(0);
        }
        buf.get_mut(..n)
            .unwrap_or(&mut [])
            .copy_from_slice(available.get(..n).unwrap_or(&[]));
        s.pos += n as u64;
        Ok(n)
    }
}

impl Seek for BlobReader {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let mut s = self.state.borrow_mut();
        let target = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => s.len.checked_add_signed(d),
            SeekFrom::Current(d) => s.pos.checked_add_signed(d),
        };
        let target = target.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the file",
            )
        })?;
        s.pos = target;
        Ok(target)
    }
}
