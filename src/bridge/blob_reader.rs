//! `Read + Seek` over a `Blob` (the dropped `File`) inside a worker.
//!
//! Keeps one window of the file and refetches only when a read leaves it. A `BufReader`
//! would be a trap here: it drops its buffer on every seek and the zip crate seeks twice per
//! entry (measured: ~390 GB of Blob reads for a 1.7 GB archive). Large windows read
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
//!
//! WebKit (Safari) has BYOB readers but its `Blob.stream()` is not a byte stream, so asking
//! it for one throws a `TypeError` at once. That throw is caught here ([`get_byob_reader`]):
//! an exception passing through wasm frames uncaught would end the scan (it did: "The
//! scanner stopped unexpectedly"). The first such failure turns prefetching off for the
//! reader and every read goes through `FileReaderSync`.
//!
//! One stream serves all the prefetches of a forward walk: it is opened at the first and
//! read on by each, and only a jump elsewhere opens a new one. Opening a stream per
//! prefetch cost about 20 ms each (a round trip to the browser process), which made steps
//! smaller than 8 MB markedly slower (bench/browser.mjs A/B, 1.7 GB ZIP: 15.3 → 17.6 s at
//! 4 MB steps).

use std::cell::RefCell;
use std::io::{self, Read, Seek, SeekFrom};
use std::rc::Rc;

use js_sys::{ArrayBuffer, Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, FileReaderSync, ReadableStream, ReadableStreamByobReader, ReadableStreamGetReaderOptions,
    ReadableStreamReaderMode,
};

#[wasm_bindgen]
extern "C" {
    /// A `ReadableStream` seen through [`CatchingStream::get_reader_catching`].
    #[wasm_bindgen(js_name = "ReadableStream")]
    type CatchingStream;

    /// `stream.getReader(options)`, with its exception as an `Err` (web-sys's binding lets
    /// it through: the WebIDL does not say it throws, but it does for a stream that is not
    /// a byte stream, as WebKit's `Blob.stream()` is).
    #[wasm_bindgen(method, catch, js_name = "getReader")]
    fn get_reader_catching(
        this: &CatchingStream,
        options: &ReadableStreamGetReaderOptions,
    ) -> Result<JsValue, JsValue>;
}

/// A BYOB reader on `blob`'s byte stream, or why the browser cannot give one.
fn get_byob_reader(blob: &Blob) -> Result<ReadableStreamByobReader, JsValue> {
    let options = ReadableStreamGetReaderOptions::new();
    options.set_mode(ReadableStreamReaderMode::Byob);
    let stream: ReadableStream = blob.stream();
    stream
        .unchecked_into::<CatchingStream>()
        .get_reader_catching(&options)?
        .dyn_into::<ReadableStreamByobReader>()
        .map_err(|_| JsValue::from_str("the browser gave no BYOB reader"))
}

/// Window of the `FileReaderSync` fallback: 4 MiB (large slices read faster — 192 MB/s at
/// 1 MiB, 314 at 8 MiB — but the fallback reads little: the central directory and entries
/// larger than a prefetch).
pub const WINDOW: usize = 4 << 20;

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
    /// The stream the last prefetch read from, open on the rest of the file.
    stream: Option<Stream>,
    /// How many streams prefetches have opened.
    opened: u32,
}

/// A BYOB reader over `[at, end of file)`.
struct Stream {
    reader: ReadableStreamByobReader,
    /// The file position of the next byte it gives.
    at: u64,
}

impl Drop for State {
    fn drop(&mut self) {
        if let Some(s) = self.stream.take() {
            let _ = s.reader.cancel();
        }
    }
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
                stream: None,
                opened: 0,
            })),
        })
    }

    pub fn len(&self) -> u64 {
        self.state.borrow().len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many byte streams the prefetches opened (one for a forward walk).
    pub fn streams_opened(&self) -> u32 {
        self.state.borrow().opened
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
        let (blob, len, from, end, start, mut window, mut chunk, mut stream) = {
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
            let stream = s.stream.take();
            (
                s.blob.clone(),
                s.len,
                kept_to,
                end,
                start,
                window,
                chunk,
                stream,
            )
        };
        let want = (end - start) as usize;
        window.reserve_exact(want.saturating_sub(window.len()));
        let mut opened = 0;
        let read = stream_into(
            &mut stream,
            &mut opened,
            &blob,
            len,
            from..end,
            &mut window,
            &mut chunk,
        )
        .await;
        let mut s = self.state.borrow_mut();
        s.byob = Some(chunk);
        s.stream = stream;
        s.opened += opened;
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

/// Appends bytes `range` of `blob` (`len` bytes long) to `out`, read through a BYOB reader
/// and `chunk` (which ends up as the buffer the stream handed back last, for the next call).
/// Reads on from `stream` if it is at the range's start; otherwise opens a new one there, to
/// the end of the file, and counts it in `opened`. After an error or at the end of the file
/// the stream is cancelled and `stream` is `None`.
async fn stream_into(
    stream: &mut Option<Stream>,
    opened: &mut u32,
    blob: &Blob,
    len: u64,
    range: std::ops::Range<u64>,
    out: &mut Vec<u8>,
    chunk: &mut ArrayBuffer,
) -> Result<(), JsValue> {
    let (start, end) = (range.start, range.end);
    let mut open = match stream.take() {
        Some(s) if s.at == start => s,
        elsewhere => {
            if let Some(old) = elsewhere {
                let _ = old.reader.cancel();
            }
            let slice = blob.slice_with_f64_and_f64(start as f64, len as f64)?;
            let reader = get_byob_reader(&slice)?;
            *opened += 1;
            Stream { reader, at: start }
        }
    };
    let result = async {
        while open.at < end {
            // At most what this prefetch wants: the rest stays in the stream for the next.
            let room = (end - open.at).min(u64::from(chunk.byte_length())) as u32;
            let view = Uint8Array::new_with_byte_offset_and_length(chunk, 0, room);
            let step = JsFuture::from(open.reader.read_with_array_buffer_view(&view)).await?;
            // The stream transfers the buffer (ours is detached now): keep the one it gives
            // back, also with the final `done`, for the next read.
            let value = Reflect::get(&step, &"value".into())?.dyn_into::<Uint8Array>();
            if let Ok(v) = &value {
                *chunk = v.buffer();
            }
            if Reflect::get(&step, &"done".into())?.is_truthy() {
                return Ok(false);
            }
            let value = value?;
            let n = value.length() as usize;
            let at = out.len();
            out.resize(at + n, 0);
            value.copy_to(out.get_mut(at..).unwrap_or_default());
            open.at += n as u64;
        }
        Ok(true)
    }
    .await;
    match result {
        Ok(true) if open.at < len => *stream = Some(open),
        _ => {
            let _ = open.reader.cancel();
        }
    }
    result.map(|_| ())
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
