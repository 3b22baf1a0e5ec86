//! The worker side: receives a scan request, reads the `File` through [`BlobReader`], fetches
//! the release manifests the backup needs, and posts [`FromWorker`] messages.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent, Response};

use super::blob_reader::BlobReader;
use super::protocol::{FromWorker, ScanProgress};
use crate::engine::archive::{Flow, Progress};
use crate::engine::collect::{self, Observer};
use crate::engine::report::{Warning, WarningKind};
use crate::engine::{cms, diff, manifest, reference, Manifest, Reference};

thread_local! {
    /// Decoded manifests, kept for the next scan in this worker.
    static MANIFESTS: RefCell<HashMap<String, Manifest>> = RefCell::new(HashMap::new());
    /// The last scan's backup and release archives, for diff requests about its report.
    static LAST: RefCell<Option<(File, Vec<File>)>> = const { RefCell::new(None) };
}

/// Files larger than this are not diffed line by line.
const DIFF_MAX: usize = 4 << 20;

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Posts one message to the page.
pub fn post(msg: &FromWorker) {
    let _ = scope().post_message(&JsValue::from_str(&msg.to_json()));
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Sends progress at most every 100 ms (the page redraws ~10 times a second).
struct Posting {
    last: f64,
}

impl Observer for Posting {
    fn progress(&mut self, p: &Progress, current: &str) -> Flow {
        let now = now_ms();
        if now - self.last >= 100.0 {
            self.last = now;
            post(&FromWorker::Progress(ScanProgress {
                entries_done: p.entries_done,
                entries_total: p.entries_total,
                bytes_done: p.bytes_done,
                bytes_total: p.bytes_total,
                current: current.chars().take(300).collect(),
            }));
        }
        Flow::Continue
    }
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

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn read_entry(file: &File, name: &str) -> Result<Vec<u8>, String> {
    let reader = BlobReader::new(file.clone().into()).map_err(|e| e.to_string())?;
    let len = reader.len();
    crate::engine::archive::read_entry(reader, len, name, DIFF_MAX)
        .map_err(|e| e.message)?
        .ok_or_else(|| format!("{} has no file named {name}", file.name()))
}

/// Answers a diff request: the backup's file against its clean copy in a release archive.
fn handle_diff(data: &JsValue) {
    let text = |k: &str| get(data, k).as_string().unwrap_or_default();
    let (path, archive, clean_path) = (text("path"), text("archive"), text("cleanPath"));
    let result = LAST.with(|last| {
        let last = last.borrow();
        let (backup, refs) = last
            .as_ref()
            .ok_or("The backup is no longer loaded; scan it again.")?;
        let reference = refs
            .iter()
            .find(|r| r.name() == archive)
            .ok_or("The release archive is no longer loaded; scan again with it.")?;
        let clean = read_entry(reference, &clean_path)?;
        let mine = read_entry(backup, &path)?;
        Ok::<_, String>(crate::engine::linediff::diff(&clean, &mine, 3))
    });
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

async fn handle(data: JsValue) {
    if get(&data, "kind").as_string().as_deref() == Some("diff") {
        handle_diff(&data);
        return;
    }
    if get(&data, "kind").as_string().as_deref() != Some("scan") {
        return;
    }
    let Ok(file) = get(&data, "file").dyn_into::<File>() else {
        post(&FromWorker::Failed {
            kind: "internal".into(),
            message: "No file was received.".into(),
        });
        return;
    };
    let refs: Vec<File> = get(&data, "references")
        .dyn_into::<Array>()
        .map(|a| a.iter().filter_map(|v| v.dyn_into::<File>().ok()).collect())
        .unwrap_or_default();
    run_scan(file, refs).await;
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

async fn load_manifest(name: &str) -> Result<Manifest, String> {
    if let Some(m) = MANIFESTS.with(|c| c.borrow().get(name).cloned()) {
        return Ok(m);
    }
    let bytes = fetch_bytes(&manifest_url(name)).await?;
    let m = manifest::decode(&bytes)?
        .into_iter()
        .next()
        .ok_or_else(|| "empty manifest".to_string())?;
    MANIFESTS.with(|c| c.borrow_mut().insert(name.to_owned(), m.clone()));
    Ok(m)
}

fn yield_now() -> JsFuture {
    // Let the progress messages flush between long synchronous steps.
    JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL))
}

async fn run_scan(file: File, refs: Vec<File>) {
    LAST.with(|l| *l.borrow_mut() = Some((file.clone(), refs.clone())));
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
        match reference::build_from_archive(reader, len, &label, &mut Posting { last: 0.0 }) {
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
    let reader = match BlobReader::new(file.into()) {
        Ok(r) => r,
        Err(e) => {
            post(&FromWorker::Failed {
                kind: "io".into(),
                message: crate::en!("The file could not be read: {0}", e),
            });
            return;
        }
    };
    let len = reader.len();
    let collected = match collect::collect(reader, len, &mut Posting { last: 0.0 }) {
        Ok(c) => c,
        Err(e) => {
            post(&FromWorker::Failed {
                kind: format!("{:?}", e.kind).to_lowercase(),
                message: e.message,
            });
            return;
        }
    };
    let mut bundled = HashMap::new();
    for m in diff::needed_manifests(&collected) {
        let cms_name = cms::MARKERS
            .iter()
            .find(|x| x.manifest == Some(m))
            .map(|x| cms::display_name(x.cms))
            .unwrap_or(m);
        post(&FromWorker::Phase {
            text: crate::en!("Loading the clean {0} release data", cms_name),
        });
        let _ = yield_now().await;
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
    let _ = yield_now().await;
    let mut report = diff::analyze(collected, &bundled, &references, &name);
    report.summary.warnings += extra_warnings.len() as u64;
    report.warnings.splice(0..0, extra_warnings);
    post(&FromWorker::Finished {
        report: Box::new(report),
    });
}
