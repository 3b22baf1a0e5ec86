//! The page side of the bridge: one object owns the worker. The main thread keeps no scan
//! state; cancelling terminates the worker and spawns a fresh one.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker};

use super::protocol::FromWorker;

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

struct Inner {
    worker: Worker,
    ready: bool,
    queued: Option<JsValue>,
    _onmessage: Closure<dyn FnMut(MessageEvent)>,
    _onerror: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

/// Owns one scanning worker at a time.
pub struct ScanWorker {
    inner: Rc<RefCell<Option<Inner>>>,
    on_event: Rc<dyn Fn(Event)>,
}

impl ScanWorker {
    pub fn new(on_event: impl Fn(Event) + 'static) -> Self {
        let me = ScanWorker {
            inner: Rc::new(RefCell::new(None)),
            on_event: Rc::new(on_event),
        };
        me.spawn();
        me
    }

    fn spawn(&self) {
        let worker = match Worker::new(WORKER_SCRIPT) {
            Ok(w) => w,
            Err(e) => {
                (self.on_event)(Event::Crashed(crate::en!(
                    "The scanner could not start: {0}",
                    format!("{e:?}")
                )));
                return;
            }
        };
        let inner_ref = Rc::downgrade(&self.inner);
        let on_event = self.on_event.clone();
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(text) = ev.data().as_string() else {
                return;
            };
            let msg = match FromWorker::from_json(&text) {
                Ok(m) => m,
                Err(e) => {
                    on_event(Event::Crashed(crate::en!(
                        "Unreadable message from the scanner: {0}",
                        e
                    )));
                    return;
                }
            };
            if msg == FromWorker::Ready {
                if let Some(inner) = inner_ref.upgrade() {
                    let mut guard = inner.borrow_mut();
                    if let Some(i) = guard.as_mut() {
                        i.ready = true;
                        if let Some(q) = i.queued.take() {
                            let _ = i.worker.post_message(&q);
                        }
                    }
                }
            }
            on_event(Event::Message(msg));
        });
        let on_event = self.on_event.clone();
        let onerror = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(
            move |ev: web_sys::ErrorEvent| {
                on_event(Event::Crashed(crate::en!(
                "The scanner stopped unexpectedly ({0}). The backup may be too large for this browser's memory.",
                ev.message()
            )));
            },
        );
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        *self.inner.borrow_mut() = Some(Inner {
            worker,
            ready: false,
            queued: None,
            _onmessage: onmessage,
            _onerror: onerror,
        });
    }

    /// Starts scanning `file`, comparing with the given release archives too.
    pub fn scan(&self, file: &File, references: &[File]) {
        let msg = Object::new();
        let refs = Array::new();
        for r in references {
            refs.push(r);
        }
        let _ = Reflect::set(&msg, &"kind".into(), &"scan".into());
        let _ = Reflect::set(&msg, &"file".into(), file);
        let _ = Reflect::set(&msg, &"references".into(), &refs);
        let mut guard = self.inner.borrow_mut();
        if let Some(i) = guard.as_mut() {
            if i.ready {
                let _ = i.worker.post_message(&msg);
            } else {
                i.queued = Some(msg.into());
            }
        }
    }

    /// Asks for the changed lines of `path` against `clean_path` in release archive `archive`
    /// (answered by a `FromWorker::Diff` message).
    pub fn diff(&self, path: &str, archive: &str, clean_path: &str) {
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"kind".into(), &"diff".into());
        let _ = Reflect::set(&msg, &"path".into(), &path.into());
        let _ = Reflect::set(&msg, &"archive".into(), &archive.into());
        let _ = Reflect::set(&msg, &"cleanPath".into(), &clean_path.into());
        if let Some(i) = self.inner.borrow().as_ref() {
            let _ = i.worker.post_message(&msg);
        }
    }

    /// Stops a running scan at once and gets a fresh worker ready.
    pub fn cancel(&self) {
        self.terminate();
        (self.on_event)(Event::Cancelled);
        self.spawn();
    }

    fn terminate(&self) {
        if let Some(i) = self.inner.borrow_mut().take() {
            i.worker.set_onmessage(None);
            i.worker.set_onerror(None);
            i.worker.terminate();
        }
    }
}

impl Drop for ScanWorker {
    fn drop(&mut self) {
        self.terminate();
    }
}
