//! The worker side: receives a scan request, reads the `File` through [`BlobReader`], fetches
//! the release manifests the backup needs, and posts [`FromWorker`] messages.
//!
//! One scan may use several workers, all running this same code. The page sends the main
//! worker [`ToWorker::Scan`] (it reads share 0 and writes the report) and each helper
//! [`ToWorker::Part`] (it reads share k of n and posts its records back as a
//! [`FromWorker::Part`]). The page forwards every part to the main worker as
//! [`ToWorker::PartResult`], without parsing its records; the main worker waits for all of
//! them, merges them ([`collect::merge`]) and goes on as with one share. Every worker opens
//! the same `File` itself: no archive bytes travel between threads. Parts and the report
//! travel as transferred byte chunks ([`chunks`]); the page ends a worker once its work is in.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent, Response};

use super::blob_reader::BlobReader;
use super::chunks;
use super::protocol::{envelope, Failure, FromWorker, ScanProgress, ToWorker};
use crate::engine::collect::{self, Collected, Observer};
use crate::engine::read::Share;
use crate::engine::read::{Flow, Progress};
use crate::engine::report::{ErrorKind, Report, Warning, WarningKind};
use crate::engine::{judge, know, know::cms, know::manifest, know::reference, Manifest, Reference};

/// A helper's records as the byte chunks it sent ([`chunks`]), or why it failed.
type PartResult = Result<JsValue, Failure>;

/// Parts of the running scan that other workers read, as the page forwards them.
#[derive(Default)]
struct Parts {
    scan: u32,
    expected: usize,
    /// (share, its records or why it failed).
    got: Vec<(u32, PartResult)>,
    /// Resolves the main worker's wait once every part is in.
    resolve: Option<js_sys::Function>,
}

thread_local! {
    static PARTS: RefCell<Parts> = RefCell::new(Parts::default());
}

/// Files larger than this are not diffed line by line.
const DIFF_MAX: usize = 4 << 20;

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts one message to the page.
pub fn post(msg: &FromWorker) {
    let _ = scope().post_message(&envelope::wrap(&msg.to_json(), &[], None));
}

/// Posts a message with byte chunks beside it, moved to the page (not copied).
fn post_with_chunks(msg: &FromWorker, list: &Array) {
    let data = envelope::wrap(&msg.to_json(), &[], Some(list));
    let _ = scope().post_message_with_transfer(&data, &chunks::transfer_list(list));
}

/// Posts the finished report as transferred byte chunks ([`FromWorker::Report`]).
fn post_report(report: &Report) {
    match chunks::encode(report) {
        Ok(list) => post_with_chunks(&FromWorker::Report, &list),
        Err(e) => post(&FromWorker::Failed(Failure::new(
            ErrorKind::Internal,
            format!("cannot encode message: {e}"),
        ))),
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Media files from this size up are hashed by WebCrypto ([`WebCryptoHasher`]); below it
/// the round trip costs more than SHA-256 in wasm.
const OFFLOAD_MIN: u64 = 16 << 10;
/// Larger files are hashed in wasm, chunk by chunk: WebCrypto needs a file in one buffer,
/// which stays in the worker's wasm memory for the whole scan (and the browser holds a copy
/// of it until the digest is settled). A backup's large media (videos, PDFs) are few, and
/// wasm hashes 8–32 MB in 35–140 ms; at 32 MB the two buffers cost up to 64 MB a worker.
const OFFLOAD_MAX: u64 = 8 << 20;

/// SHA-256 of media files by the browser's WebCrypto (native code with SHA instructions,
/// on the browser's own threads) instead of in wasm, which ran ~230 MB/s and took about half
/// of a scan's time. The walk is synchronous, so each file's digest is started as soon as
/// its bytes are in and collected between steps of the walk ([`Digests::settle`]).
///
/// A file's bytes gather in one reused wasm buffer and `digest` reads them through a view
/// of wasm memory (it copies its input during the call), so no JS buffer is made per file:
/// those were garbage that the worker's heap let pile up between collections. The browser
/// frees its own copy when the digest's answer is delivered, which needs the worker's event
/// loop to turn ([`STEP_BYTES`]).
struct WebCryptoHasher {
    subtle: web_sys::SubtleCrypto,
    /// Whether the current file is taken.
    taking: bool,
    /// The current file's bytes, in one buffer reused for every file (its capacity stays at
    /// the largest offloaded file, ≤ [`OFFLOAD_MAX`]).
    buf: Vec<u8>,
    /// Shared with the worker, which settles them between steps while the walk holds this.
    digests: Rc<RefCell<Digests>>,
}

/// Digests asked for and not yet answered, and the answers: (record index, SHA-256).
#[derive(Default)]
struct Digests {
    started: Vec<(usize, js_sys::Promise)>,
    /// Handed over by the last [`Digests::settle`], awaited by the next.
    waiting: Vec<(usize, js_sys::Promise)>,
    done: Vec<(usize, [u8; 32])>,
}

impl WebCryptoHasher {
    fn new() -> Option<Self> {
        let subtle = scope().crypto().ok()?.subtle();
        Some(WebCryptoHasher {
            subtle,
            taking: false,
            buf: Vec::new(),
            digests: Rc::default(),
        })
    }
}

impl Digests {
    /// Waits for the digests handed over by the previous call and keeps their results; the
    /// ones started since are handed to the next call. Called between steps of the walk:
    /// the browser hashes one step's files while the walk reads the next (instead of the
    /// worker idling while its own step is hashed; A/B on the 1.7 GB tar.gz could not tell
    /// the two apart in this machine's noise), and at most two steps' files are in its
    /// hands. Left to the end of the walk, the browser's copies piled up to a few hundred MB
    /// (bench/run.sh).
    async fn settle(this: &RefCell<Digests>) -> Result<(), String> {
        let started = {
            let mut d = this.borrow_mut();
            let newer = std::mem::take(&mut d.started);
            std::mem::replace(&mut d.waiting, newer)
        };
        if started.is_empty() {
            return Ok(());
        }
        let all: Array = started.iter().map(|(_, p)| JsValue::from(p)).collect();
        let answers = JsFuture::from(js_sys::Promise::all(&all))
            .await
            .map_err(|e| format!("{e:?}"))?;
        let mut this = this.borrow_mut();
        for ((record, _), d) in started.iter().zip(Array::from(&answers).iter()) {
            let sha: [u8; 32] = Uint8Array::new(&d)
                .to_vec()
                .try_into()
                .map_err(|_| "a digest of the wrong length".to_string())?;
            this.done.push((*record, sha));
        }
        Ok(())
    }
}

impl collect::OffloadHasher for WebCryptoHasher {
    fn start(&mut self, _path: &str, size: u64) -> bool {
        if !(OFFLOAD_MIN..=OFFLOAD_MAX).contains(&size) {
            return false;
        }
        self.buf.clear();
        self.buf.reserve(size as usize);
        self.taking = true;
        true
    }

    fn update(&mut self, chunk: &[u8]) {
        if self.taking {
            // The engine never hands more than the declared size (read::Guarded).
            self.buf.extend_from_slice(chunk);
        }
    }

    fn finish(&mut self, record: usize) {
        if std::mem::take(&mut self.taking) {
            // SAFETY: the view is used only within this call and nothing allocates in wasm
            // between making it and `digest`, which copies the bytes before it returns.
            let view = unsafe { Uint8Array::view(&self.buf) };
            if let Ok(p) = self
                .subtle
                .digest_with_str_and_buffer_source("SHA-256", &view)
            {
                self.digests.borrow_mut().started.push((record, p));
            }
        }
    }

    fn abort(&mut self) {
        self.taking = false;
    }
}

/// Sends progress at most every 100 ms (the page redraws ~10 times a second).
struct Posting {
    last: f64,
    /// Which share of the archive this worker reads (the page sums the shares).
    share: u32,
}

impl Posting {
    fn new(share: u32) -> Self {
        Posting { last: 0.0, share }
    }

    fn post(&self, p: &Progress, current: &str) {
        post(&FromWorker::Progress(ScanProgress {
            share: self.share,
            entries_done: p.entries_done,
            entries_total: p.entries_total,
            bytes_done: p.bytes_done,
            bytes_total: p.bytes_total,
            current: current.chars().take(300).collect(),
        }));
    }
}

impl Observer for Posting {
    fn progress(&mut self, p: &Progress, current: &str) -> Flow {
        let now = now_ms();
        if now - self.last >= 100.0 {
            self.last = now;
            self.post(p, current);
        }
        Flow::Continue
    }
}

/// Archive bytes read between two returns to the worker's event loop. The browser frees
/// what a read leaves behind — `FileReaderSync`'s buffers, WebCrypto's copies of the files
/// it hashes — only when the loop turns; one synchronous walk of a 1.7 GB backup held up to
/// ~500 MB of it (bench/run.sh, renderer's private memory).
///
/// 4 MB, not 8: the window ([`PREFETCH_BYTES`]) is wasm memory, which never shrinks, in
/// each worker. Halving both took the 4 GB backup's peak from 290–294 to 263–273 MB
/// private, and was no slower once prefetches stopped opening a stream each (A/B with
/// bench/browser.mjs: 4 GB 28.9–31.5 s against 32.9–34.8 s; 1.7 GB the same within noise).
const STEP_BYTES: u64 = 4 << 20;
/// How far ahead of a step the window is filled ([`BlobReader::prefetch`]): a step reads
/// its budget plus the rest of its last entry, so twice the budget covers all but entries
/// larger than the budget (those are read through `FileReaderSync`).
const PREFETCH_BYTES: usize = 8 << 20;

/// Lets the worker's event loop run a turn: a new task through a `MessageChannel`, not a
/// microtask (those run before the loop turns) and not `setTimeout(0)`, which browsers
/// delay by 4 ms once timers nest.
async fn yield_to_event_loop() {
    let promise = js_sys::Promise::new(
        &mut |resolve, _reject| match web_sys::MessageChannel::new() {
            Ok(channel) => {
                channel.port1().set_onmessage(Some(resolve.unchecked_ref()));
                if channel.port2().post_message(&JsValue::NULL).is_err() {
                    let _ = resolve.call0(&JsValue::NULL);
                }
            }
            Err(_) => {
                let _ = resolve.call0(&JsValue::NULL);
            }
        },
    );
    let _ = JsFuture::from(promise).await;
}

/// Reads share `share` of `count` of `file`, media hashes included; also says how many
/// files WebCrypto hashed.
pub async fn read_share(
    file: &File,
    share: u32,
    count: u32,
) -> Result<(Collected, usize), Failure> {
    let io = |e: String| {
        Failure::new(
            ErrorKind::Io,
            crate::en!("The file could not be read: {0}", e),
        )
    };
    install_libraries().await;
    let reader = BlobReader::new(file.clone().into()).map_err(|e| io(e.to_string()))?;
    let ahead = reader.clone();
    let len = reader.len();
    let mut posting = Posting::new(share);
    let mut hasher = WebCryptoHasher::new();
    let digests = hasher.as_ref().map(|h| h.digests.clone());
    let scan_error = |e: crate::engine::read::ScanError| Failure::new(e.kind, e.message);
    let mut steps = collect::ShareCollector::open(
        reader,
        len,
        Share::new(share, count),
        hasher
            .as_mut()
            .map(|h| h as &mut dyn collect::OffloadHasher),
        &mut posting,
    )
    .map_err(scan_error)?;
    loop {
        if let Some(d) = &digests {
            Digests::settle(d).await.map_err(io)?;
        }
        yield_to_event_loop().await;
        // A failed prefetch only means that the next reads go through FileReaderSync.
        let _ = ahead.prefetch(PREFETCH_BYTES).await;
        if steps.step(STEP_BYTES).map_err(scan_error)? {
            break;
        }
    }
    let mut part = steps.finish();
    let mut offloaded = 0;
    if let Some(d) = &digests {
        // The digests handed over, then the last step's.
        Digests::settle(d).await.map_err(io)?;
        Digests::settle(d).await.map_err(io)?;
        for (record, sha) in std::mem::take(&mut d.borrow_mut().done) {
            part.set_hash(record, sha);
            offloaded += 1;
        }
    }
    if !part.pending_hashes().is_empty() {
        return Err(io("a media file's hash is missing".into()));
    }
    Ok((part, offloaded))
}

/// Entry point of the worker binary.
pub fn start() {
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|ev: MessageEvent| {
        let data = ev.data();
        wasm_bindgen_futures::spawn_local(handle(data));
    });
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    post(&FromWorker::Ready);
}

fn read_entry(file: &File, name: &str) -> Result<Vec<u8>, String> {
    let reader = BlobReader::new(file.clone().into()).map_err(|e| e.to_string())?;
    let len = reader.len();
    crate::engine::read::read_entry(reader, len, name, DIFF_MAX)
        .map_err(|e| e.message)?
        .ok_or_else(|| format!("{} has no file named {name}", file.name()))
}

/// Answers a diff request: the backup's file against its clean copy in a release archive.
/// The request carries the backup and the release archives (the worker that scanned them
/// has been ended since).
fn handle_diff(path: String, archive: &str, clean_path: &str, files: &[File]) {
    let result = (|| {
        let backup = files
            .first()
            .ok_or("The backup is no longer loaded; scan it again.")?;
        let reference = files
            .iter()
            .skip(1)
            .find(|r| r.name() == archive)
            .ok_or("The release archive is no longer loaded; scan again with it.")?;
        let clean = read_entry(reference, clean_path)?;
        let mine = read_entry(backup, &path)?;
        Ok::<_, String>(crate::engine::present::linediff::diff(&clean, &mine, 3))
    })();
    let msg = match result {
        Ok(d) => FromWorker::Diff {
            path,
            diff: Some(Box::new(d)),
            error: None,
        },
        Err(e) => FromWorker::Diff {
            path,
            diff: None,
            error: Some(e.to_string()),
        },
    };
    post(&msg);
}

/// At most this many shares: the numbers come from the page, but bound every loop anyway.
const MAX_SHARES: u32 = 1024;

async fn handle(data: JsValue) {
    let msg = match envelope::json(&data).and_then(|j| ToWorker::from_json(&j)) {
        Ok(m) => m,
        Err(e) => {
            post(&FromWorker::Failed(Failure::new(
                ErrorKind::Internal,
                crate::en!("Unreadable request from the page: {0}", e),
            )));
            return;
        }
    };
    let files = envelope::files(&data);
    match msg {
        ToWorker::Diff {
            path,
            archive,
            clean_path,
        } => handle_diff(path, &archive, &clean_path, &files),
        ToWorker::Part {
            scan,
            share,
            shares,
        } => run_part(scan, share, shares.min(MAX_SHARES), files.first()).await,
        ToWorker::PartResult {
            scan,
            share,
            failure,
        } => part_arrived(scan, share, failure, envelope::chunks(&data)),
        ToWorker::Scan { scan, shares } => {
            let Some(file) = files.first().cloned() else {
                post(&FromWorker::Failed(Failure::new(
                    ErrorKind::Internal,
                    "No file was received.",
                )));
                return;
            };
            let shares = shares.clamp(1, MAX_SHARES);
            PARTS.with(|p| {
                *p.borrow_mut() = Parts {
                    scan,
                    expected: shares as usize - 1,
                    ..Parts::default()
                }
            });
            run_scan(file, files.into_iter().skip(1).collect(), shares).await;
        }
    }
}

/// A helper's job: read one share and post its records (or why it failed) as a
/// [`FromWorker::Part`], the records as transferred byte chunks.
async fn run_part(scan: u32, share: u32, shares: u32, file: Option<&File>) {
    let result = match file {
        Some(file) => read_share(file, share, shares).await.map(|(part, _)| part),
        None => Err(Failure::new(ErrorKind::Internal, "No file was received.")),
    };
    match result
        .and_then(|part| chunks::encode(&part).map_err(|e| Failure::new(ErrorKind::Internal, e)))
    {
        Ok(list) => post_with_chunks(
            &FromWorker::Part {
                scan,
                share,
                failure: None,
            },
            &list,
        ),
        Err(failure) => post(&FromWorker::Part {
            scan,
            share,
            failure: Some(failure),
        }),
    }
}

/// The main worker receives a helper's part (forwarded by the page). It is kept as it came,
/// outside wasm memory, and parsed only once this worker's own walk is over and its read
/// window freed: parsing it mid-walk grew the wasm memory, which never shrinks, by the part.
fn part_arrived(scan: u32, share: u32, failure: Option<Failure>, chunks: JsValue) {
    let part = match failure {
        Some(f) => Err(f),
        None if chunks.is_object() => Ok(chunks),
        None => Err(Failure::new(
            ErrorKind::Internal,
            "A part of the scan arrived without its records.",
        )),
    };
    PARTS.with(|p| {
        let mut p = p.borrow_mut();
        if scan != p.scan {
            return; // from an earlier scan
        }
        p.got.push((share, part));
        if p.got.len() >= p.expected {
            if let Some(resolve) = p.resolve.take() {
                let _ = resolve.call0(&JsValue::NULL);
            }
        }
    });
}

/// Waits until every helper's part is in, and takes them.
async fn other_parts() -> Vec<(u32, PartResult)> {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        PARTS.with(|p| {
            let mut p = p.borrow_mut();
            if p.got.len() >= p.expected {
                let _ = resolve.call0(&JsValue::NULL);
            } else {
                p.resolve = Some(resolve);
            }
        });
    });
    let _ = JsFuture::from(promise).await;
    PARTS.with(|p| std::mem::take(&mut p.borrow_mut().got))
}

/// URL of a bundled manifest, next to the worker script (works under any sub-path).
fn manifest_url(name: &str) -> String {
    let base = scope().location().href();
    web_sys::Url::new_with_base(&format!("manifests/{name}.stm"), &base)
        .map(|u| u.href())
        .unwrap_or_else(|_| format!("manifests/{name}.stm"))
}

async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let resp = JsFuture::from(scope().fetch_with_str(url))
        .await
        .map_err(|e| format!("{e:?}"))?;
    let resp: Response = resp.dyn_into().map_err(|_| "not a response".to_string())?;
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()));
    }
    let buf = JsFuture::from(resp.array_buffer().map_err(|e| format!("{e:?}"))?)
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// Fetches and installs the index of libraries that plugins bundle, once per worker, before
/// the walk (their copies then skip content analysis). Without it the scan is the same,
/// only slower on those files, and their notes do not name the library.
async fn install_libraries() {
    if know::libraries::installed().is_some() {
        return;
    }
    if let Ok(bytes) = fetch_bytes(&manifest_url("php-libraries")).await {
        if let Ok(l) = know::libraries::Libraries::decode(&bytes) {
            know::libraries::install(l);
        }
    }
}

/// A bundled manifest, fetched (the browser's cache keeps the file for the next scan, which
/// runs in a fresh worker) and decoded.
async fn load_manifest(name: &str) -> Result<Manifest, String> {
    let bytes = fetch_bytes(&manifest_url(name)).await?;
    manifest::decode(&bytes)?
        .into_iter()
        .next()
        .ok_or_else(|| "empty manifest".to_string())
}

async fn run_scan(file: File, refs: Vec<File>, shares: u32) {
    let name = file.name();
    post(&FromWorker::Started {
        name: name.clone(),
        bytes_total: file.size() as u64,
    });
    let mut extra_warnings = Vec::new();
    let mut references = Vec::new();
    for r in refs {
        let label = r.name();
        post(&FromWorker::Phase {
            text: crate::en!("Reading the clean release archive {0}", label),
        });
        let reader = match BlobReader::new(r.into()) {
            Ok(x) => x,
            Err(e) => {
                extra_warnings.push(Warning::new(
                    WarningKind::Reference,
                    None,
                    crate::en!(
                        "The release archive \"{0}\" could not be read: {1}",
                        label,
                        e
                    ),
                ));
                continue;
            }
        };
        let len = reader.len();
        match reference::build_from_archive(reader, len, &label, &mut Posting::new(0)) {
            Ok(manifest) => references.push(Reference { label, manifest }),
            Err(e) => extra_warnings.push(Warning::new(
                WarningKind::Reference,
                None,
                crate::en!(
                    "The release archive \"{0}\" could not be used: {1}",
                    label,
                    e.message
                ),
            )),
        }
    }
    let mine = match read_share(&file, 0, shares).await {
        Ok((c, _)) => c,
        Err(failure) => {
            post(&FromWorker::Failed(failure));
            return;
        }
    };
    let mut parts = vec![mine];
    if shares > 1 {
        let mut others = other_parts().await;
        others.sort_by_key(|(share, _)| *share);
        for (_, part) in others {
            let part = part.and_then(|c| {
                chunks::decode::<Collected>(&c).map_err(|e| Failure::new(ErrorKind::Internal, e))
            });
            match part {
                Ok(c) => parts.push(c),
                Err(failure) => {
                    post(&FromWorker::Failed(failure));
                    return;
                }
            }
        }
    }
    let collected = collect::merge(parts);
    let mut bundled = HashMap::new();
    for m in judge::needed_manifests(&collected) {
        let cms_name = cms::manifest_cms(m).map_or(m, |c| c.display_name());
        post(&FromWorker::Phase {
            text: crate::en!("Loading the clean {0} release data", cms_name),
        });
        yield_to_event_loop().await;
        match load_manifest(m).await {
            Ok(man) => {
                bundled.insert(m.to_owned(), man);
            }
            Err(e) => extra_warnings.push(Warning::new(
                WarningKind::Reference,
                None,
                crate::en!("The clean {0} release data could not be loaded ({1}), so its files were not compared. Reload the page and try again.", cms_name, e),
            )),
        }
    }
    post(&FromWorker::Phase {
        text: "Comparing every file with the clean release".into(),
    });
    yield_to_event_loop().await;
    let mut report = judge::analyze(collected, &bundled, &references, &name);
    report.summary.warnings += extra_warnings.len() as u64;
    report.warnings.splice(0..0, extra_warnings);
    post_report(&report);
}
