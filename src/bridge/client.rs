//! The page side of the bridge: one object owns the scanning workers. The main thread keeps
//! no scan state; cancelling terminates every worker and spawns a fresh main one. A worker is
//! also ended as soon as its work is in (a helper when its part arrives, the main worker when
//! its report does): a wasm memory never shrinks, and ending the worker is the only way to
//! give back what a big backup made it grow to. Diff requests carry the backup's `File`.
//!
//! A big ZIP is read by several workers at once (one per core the browser reports, at most
//! [`MAX_WORKERS`]), each taking a share of the archive's bytes (`engine::read::Share`).
//! This needs no `SharedArrayBuffer`, so no cross-origin-isolation headers: each worker opens
//! the same `File`, and a helper's records come back as byte chunks that this bridge moves
//! on to the main worker unread ([`super::chunks`]). Progress of all shares is summed here
//! into one figure.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker};

use super::chunks;
use super::protocol::{envelope, FromWorker, ScanProgress, ToWorker};

/// What the page hears from the bridge.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Message(FromWorker),
    /// The scan was cancelled (emitted by the bridge: the worker is gone).
    Cancelled,
    /// The worker died (out of memory, failed to load…).
    Crashed(String),
}

/// Script that boots the worker wasm, relative to the page (Trunk's loader shim).
pub const WORKER_SCRIPT: &str = "./worker_loader.js";

/// At most this many workers read one backup. Measured on 2 cores: two workers gave 1.6–1.7×
/// (the browser process serves the reads); more than four would mostly add memory.
pub const MAX_WORKERS: u32 = 4;

/// Below this size one worker is as fast (starting a helper costs about 100 ms).
pub const SPLIT_MIN_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

/// How many workers should read `file`: tar and tar.gz can only be read from the start.
pub fn workers_for(file: &File, cores: u32) -> u32 {
    let name = file.name().to_ascii_lowercase();
    if file.size() < SPLIT_MIN_BYTES
        || name.ends_with(".tar")
        || name.ends_with(".tar.gz")
        || name.ends_with(".tgz")
        || name.ends_with(".gz")
    {
        return 1;
    }
    cores.clamp(1, MAX_WORKERS)
}

/// One worker and the messages (with their transfer lists) waiting for it to be ready.
struct Handle {
    worker: Worker,
    ready: bool,
    queued: Vec<(JsValue, Array)>,
    _onmessage: Closure<dyn FnMut(MessageEvent)>,
    _onerror: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl Handle {
    fn send(&mut self, msg: JsValue) {
        self.send_moving(msg, Array::new());
    }

    /// Sends `msg`, moving the buffers in `transfer` to the worker (no copy).
    fn send_moving(&mut self, msg: JsValue, transfer: Array) {
        if self.ready {
            let _ = self.worker.post_message_with_transfer(&msg, &transfer);
        } else {
            self.queued.push((msg, transfer));
        }
    }

    fn became_ready(&mut self) {
        self.ready = true;
        for (msg, transfer) in self.queued.drain(..) {
            let _ = self.worker.post_message_with_transfer(&msg, &transfer);
        }
    }

    fn terminate(self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

#[derive(Default)]
struct Inner {
    main: Option<Handle>,
    helpers: Vec<Handle>,
    /// Number of the running scan: parts of an earlier one are ignored.
    scan: u32,
    /// Latest progress of each share, summed into what the page shows.
    shares: Vec<Option<ScanProgress>>,
    bytes_total: u64,
    /// The last scan's backup and release archives: diff requests carry them, since the
    /// worker that read them is ended once its report is in.
    last: Option<(File, Vec<File>)>,
}

impl Inner {
    fn summed(&self) -> ScanProgress {
        let known: Vec<&ScanProgress> = self.shares.iter().flatten().collect();
        let all_counted = known.len() == self.shares.len();
        ScanProgress {
            share: 0,
            entries_done: known.iter().map(|p| p.entries_done).sum(),
            entries_total: if all_counted {
                known.iter().map(|p| p.entries_total).sum()
            } else {
                None
            },
            bytes_done: known.iter().map(|p| p.bytes_done).sum(),
            bytes_total: self.bytes_total,
            current: known
                .iter()
                .find(|p| p.share == 0)
                .or(known.first())
                .map(|p| p.current.clone())
                .unwrap_or_default(),
        }
    }
}

/// Owns the scanning workers: a main one (a fresh one after each report), helpers while needed.
pub struct ScanWorker {
    inner: Rc<RefCell<Inner>>,
    on_event: Rc<dyn Fn(Event)>,
}

/// Which worker a message came from.
#[derive(Clone, Copy)]
enum Role {
    Main,
    Helper,
}

impl ScanWorker {
    pub fn new(on_event: impl Fn(Event) + 'static) -> Self {
        let me = ScanWorker {
            inner: Rc::new(RefCell::new(Inner::default())),
            on_event: Rc::new(on_event),
        };
        me.spawn_main();
        me
    }

    fn spawn_main(&self) {
        respawn_main(&self.inner, &self.on_event);
    }

    fn spawn(&self, role: Role) -> Option<Handle> {
        spawn(&self.inner, &self.on_event, role)
    }

    /// Starts scanning `file`, comparing with the given release archives too.
    pub fn scan(&self, file: &File, references: &[File]) {
        let cores = web_sys::window()
            .map(|w| w.navigator().hardware_concurrency())
            .unwrap_or(1.0) as u32;
        let shares = workers_for(file, cores);
        let missing = (shares as usize - 1).saturating_sub(self.inner.borrow().helpers.len());
        let fresh: Vec<Handle> = (0..missing)
            .filter_map(|_| self.spawn(Role::Helper))
            .collect();
        let mut inner = self.inner.borrow_mut();
        inner.helpers.extend(fresh);
        // Fewer helpers than wanted (one failed to start): fewer shares.
        let shares = shares.min(inner.helpers.len() as u32 + 1);
        inner.scan = inner.scan.wrapping_add(1);
        inner.shares = vec![None; shares as usize];
        inner.bytes_total = file.size() as u64;
        inner.last = Some((file.clone(), references.to_vec()));
        let scan = inner.scan;
        let mut files = vec![file.clone()];
        files.extend(references.iter().cloned());
        let request = ToWorker::Scan { scan, shares };
        if let Some(main) = inner.main.as_mut() {
            main.send(envelope::wrap(&request.to_json(), &files, None));
        }
        for (k, helper) in inner
            .helpers
            .iter_mut()
            .take(shares as usize - 1)
            .enumerate()
        {
            let part = ToWorker::Part {
                scan,
                share: k as u32 + 1,
                shares,
            };
            helper.send(envelope::wrap(
                &part.to_json(),
                std::slice::from_ref(file),
                None,
            ));
        }
    }

    /// Asks for the changed lines of `path` against `clean_path` in release archive `archive`
    /// (answered by a `FromWorker::Diff` message).
    pub fn diff(&self, path: &str, archive: &str, clean_path: &str) {
        let request = ToWorker::Diff {
            path: path.to_owned(),
            archive: archive.to_owned(),
            clean_path: clean_path.to_owned(),
        };
        let mut inner = self.inner.borrow_mut();
        let files: Vec<File> = match &inner.last {
            Some((file, refs)) => std::iter::once(file).chain(refs).cloned().collect(),
            None => Vec::new(),
        };
        if let Some(main) = inner.main.as_mut() {
            main.send(envelope::wrap(&request.to_json(), &files, None));
        }
    }

    /// Stops a running scan at once and gets a fresh worker ready.
    pub fn cancel(&self) {
        self.terminate();
        (self.on_event)(Event::Cancelled);
        self.spawn_main();
    }

    fn terminate(&self) {
        let mut inner = self.inner.borrow_mut();
        if let Some(h) = inner.main.take() {
            h.terminate();
        }
        for h in inner.helpers.drain(..) {
            h.terminate();
        }
    }
}

impl Drop for ScanWorker {
    fn drop(&mut self) {
        self.terminate();
    }
}

/// Starts the main worker (the one that writes reports and answers diff requests).
fn respawn_main(inner: &Rc<RefCell<Inner>>, on_event: &Rc<dyn Fn(Event)>) {
    if let Some(h) = spawn(inner, on_event, Role::Main) {
        inner.borrow_mut().main = Some(h);
    }
}

fn spawn(
    inner_rc: &Rc<RefCell<Inner>>,
    on_event: &Rc<dyn Fn(Event)>,
    role: Role,
) -> Option<Handle> {
    let worker = match Worker::new(WORKER_SCRIPT) {
        Ok(w) => w,
        Err(e) => {
            on_event(Event::Crashed(crate::en!(
                "The scanner could not start: {0}",
                format!("{e:?}")
            )));
            return None;
        }
    };
    let inner_ref = Rc::downgrade(inner_rc);
    let on_event_error = on_event.clone();
    let on_event = on_event.clone();
    let me = worker.clone();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        if let Some(inner) = inner_ref.upgrade() {
            on_message(&inner, &on_event, role, &me, ev.data());
        }
    });
    let on_event = on_event_error;
    let onerror = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
        on_event(Event::Crashed(crate::en!(
                "The scanner stopped unexpectedly ({0}). The backup may be too large for this browser's memory.",
                ev.message()
            )));
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    Some(Handle {
        worker,
        ready: false,
        queued: Vec::new(),
        _onmessage: onmessage,
        _onerror: onerror,
    })
}

/// One message from a worker: the report and helpers' parts are handled here (the report
/// ends the main worker, a part moves on to the main worker and ends its helper), the rest
/// becomes an [`Event`] for the page.
fn on_message(
    inner: &Rc<RefCell<Inner>>,
    on_event: &Rc<dyn Fn(Event)>,
    role: Role,
    me: &Worker,
    data: JsValue,
) {
    let mut fresh_main = false;
    let decoded = envelope::json(&data).and_then(|j| FromWorker::from_json(&j));
    let decoded = match decoded {
        // The report, as byte chunks. It is the main worker's last word on this scan,
        // so the worker is ended before the report is parsed: that frees its memory
        // (its wasm memory never shrinks: ~120 MB after a 4 GB backup) before the
        // page's grows. A fresh one is started right after.
        Ok(FromWorker::Report) => {
            let retired = match role {
                Role::Main => inner.borrow_mut().main.take(),
                Role::Helper => None,
            };
            if let Some(h) = retired {
                h.terminate();
                fresh_main = true;
            }
            chunks::decode(&envelope::chunks(&data)).map(|report| FromWorker::Finished {
                report: Box::new(report),
            })
        }
        // A helper's part: its byte chunks move on to the main worker unread.
        Ok(FromWorker::Part {
            scan,
            share,
            failure,
        }) => {
            forward_part(inner, me, &data, scan, share, failure);
            return;
        }
        other => other,
    };
    let msg = match decoded {
        Ok(m) => m,
        Err(e) => {
            on_event(Event::Crashed(crate::en!(
                "Unreadable message from the scanner: {0}",
                e
            )));
            return;
        }
    };
    let event = {
        let mut guard = inner.borrow_mut();
        let inner = &mut *guard;
        match msg {
            FromWorker::Ready => {
                let mut all = inner.main.iter_mut().chain(inner.helpers.iter_mut());
                if let Some(h) = all.find(|h| h.worker == *me) {
                    h.became_ready();
                }
                matches!(role, Role::Main).then_some(Event::Message(FromWorker::Ready))
            }
            FromWorker::Progress(p) => {
                let share = p.share as usize;
                if let Some(slot) = inner.shares.get_mut(share) {
                    *slot = Some(p);
                }
                Some(Event::Message(FromWorker::Progress(inner.summed())))
            }
            FromWorker::Started { name, .. } => Some(Event::Message(FromWorker::Started {
                name,
                bytes_total: inner.bytes_total,
            })),
            // A helper reports failure through its part (the main worker decides).
            other if matches!(role, Role::Main) => Some(Event::Message(other)),
            _ => None,
        }
    };
    if let Some(e) = event {
        on_event(e);
    }
    if fresh_main {
        respawn_main(inner, on_event);
    }
}

/// A helper's part: its byte chunks move on to the main worker unread, as a
/// [`ToWorker::PartResult`]; the helper is ended.
fn forward_part(
    inner: &Rc<RefCell<Inner>>,
    me: &Worker,
    data: &JsValue,
    scan: u32,
    share: u32,
    failure: Option<super::protocol::Failure>,
) {
    let forward = ToWorker::PartResult {
        scan,
        share,
        failure,
    };
    let list = envelope::chunks(data);
    let transfer = list
        .clone()
        .dyn_into::<Array>()
        .map(|c| chunks::transfer_list(&c))
        .unwrap_or_default();
    let mut guard = inner.borrow_mut();
    if let Some(main) = guard.main.as_mut() {
        let chunks = (!list.is_undefined()).then_some(&list);
        main.send_moving(envelope::wrap(&forward.to_json(), &[], chunks), transfer);
    }
    // Its work is done: ending it now frees its memory (its wasm memory and
    // heap, ~100 MB on a 1.7 GB backup) before the report is built. The next
    // scan starts a fresh helper (~100 ms).
    if let Some(k) = guard.helpers.iter().position(|h| h.worker == *me) {
        guard.helpers.remove(k).terminate();
    }
}
