//! The messages between the page and its workers: one enum each way, [`ToWorker`] and
//! [`FromWorker`], both serde-tagged on `"type"` and sent as JSON text (a report of 40,000
//! files serialises in milliseconds, and JSON keeps the page free of any codec code).
//!
//! What cannot be JSON travels beside the message in one envelope, `{msg, files, chunks}`
//! ([`envelope`], wasm only): the `File`s a request is about (structured clone: no bytes are
//! copied) and the byte chunks of a helper's records or of the report (transferred: moved,
//! not copied). A message says which of these it carries; the envelope never holds anything
//! else, so nothing in a message is an untyped JS object.

use serde::{Deserialize, Serialize};

use crate::engine::present::linediff::LineDiff;
use crate::engine::report::{ErrorKind, Report};

/// Why a scan (or one worker's share of it) failed: the engine's error kind, and a plain
/// message for the person who dropped the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub kind: ErrorKind,
    pub message: String,
}

impl Failure {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
        }
    }
}

/// Page → worker. The envelope's `files` are the backup first, then the release archives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ToWorker {
    /// Scan the backup in `shares` shares: read share 0, wait for the others, write the report.
    Scan { scan: u32, shares: u32 },
    /// A helper's job: read share `share` of `shares` of the backup and post a
    /// [`FromWorker::Part`].
    Part { scan: u32, share: u32, shares: u32 },
    /// A helper's records (the envelope's `chunks`), or why it failed, forwarded by the page.
    PartResult {
        scan: u32,
        share: u32,
        failure: Option<Failure>,
    },
    /// Changed lines of the backup's `path` against `clean_path` in the release archive named
    /// `archive` (answered by [`FromWorker::Diff`]).
    Diff {
        path: String,
        archive: String,
        clean_path: String,
    },
}

/// Progress of a running scan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScanProgress {
    /// Which share of the archive (which worker) this is about; the bridge sums them.
    #[serde(default)]
    pub share: u32,
    pub entries_done: u64,
    pub entries_total: Option<u64>,
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// Name of the entry being read (attacker-chosen: display as text only).
    pub current: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum FromWorker {
    /// The worker's wasm is initialised and it listens.
    Ready,
    Started {
        name: String,
        bytes_total: u64,
    },
    Progress(ScanProgress),
    /// A step without byte progress ("Loading the clean WordPress release data").
    Phase {
        text: String,
    },
    /// The finished report, as the envelope's `chunks`: they hold the `Report` itself, not a
    /// `Finished` (serde reads an internally tagged enum by first copying all of it into a
    /// generic tree: for 68,000 files, a second copy on the page and a quarter of the parse).
    Report,
    /// The report, as the page hands it on once it has decoded the chunks of [`Self::Report`].
    Finished {
        report: Box<Report>,
    },
    /// A helper's share: its records as the envelope's `chunks`, or why it failed.
    Part {
        scan: u32,
        share: u32,
        failure: Option<Failure>,
    },
    /// The archive could not be read at all.
    Failed(Failure),
    /// Changed lines of one file against its clean copy (answer to a diff request).
    Diff {
        path: String,
        diff: Option<Box<LineDiff>>,
        error: Option<String>,
    },
}

impl FromWorker {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(
                r#"{{"type":"failed","kind":"internal","message":"cannot encode message: {e}"}}"#
            )
        })
    }

    pub fn from_json(s: &str) -> Result<Self, String> {
        serde_json::from_str(s).map_err(|e| e.to_string())
    }
}

impl ToWorker {
    pub fn to_json(&self) -> String {
        // Nothing in a request can fail to encode (numbers and strings).
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(s: &str) -> Result<Self, String> {
        serde_json::from_str(s).map_err(|e| e.to_string())
    }
}

/// The envelope a message travels in between the page and a worker.
#[cfg(target_arch = "wasm32")]
pub mod envelope {
    use js_sys::{Array, Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::File;

    /// A message as posted: `{msg: "<json>", files: [File…], chunks: [ArrayBuffer…]}`.
    pub fn wrap(json: &str, files: &[File], chunks: Option<&JsValue>) -> JsValue {
        let obj = Object::new();
        let _ = Reflect::set(&obj, &"msg".into(), &json.into());
        if !files.is_empty() {
            let list: Array = files.iter().collect();
            let _ = Reflect::set(&obj, &"files".into(), &list);
        }
        if let Some(c) = chunks {
            let _ = Reflect::set(&obj, &"chunks".into(), c);
        }
        obj.into()
    }

    fn field(data: &JsValue, key: &str) -> JsValue {
        Reflect::get(data, &key.into()).unwrap_or(JsValue::UNDEFINED)
    }

    /// The message's JSON text (`Err` when the data is not an envelope).
    pub fn json(data: &JsValue) -> Result<String, String> {
        field(data, "msg")
            .as_string()
            .ok_or_else(|| "not a message envelope".to_string())
    }

    /// The `File`s the message carries (anything else in the list is skipped).
    pub fn files(data: &JsValue) -> Vec<File> {
        field(data, "files")
            .dyn_into::<Array>()
            .map(|a| a.iter().filter_map(|v| v.dyn_into::<File>().ok()).collect())
            .unwrap_or_default()
    }

    /// The byte chunks the message carries (`undefined` when none).
    pub fn chunks(data: &JsValue) -> JsValue {
        field(data, "chunks")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let m = FromWorker::Progress(ScanProgress {
            entries_done: 3,
            current: "<b>x</b>".into(),
            ..Default::default()
        });
        assert_eq!(FromWorker::from_json(&m.to_json()), Ok(m));
        assert!(FromWorker::Ready.to_json().contains(r#""type":"ready""#));
        let f = FromWorker::Failed(Failure::new(ErrorKind::NotAnArchive, "no"));
        assert!(
            f.to_json().contains(r#""kind":"not-an-archive""#),
            "{}",
            f.to_json()
        );
        assert_eq!(FromWorker::from_json(&f.to_json()), Ok(f));
        for m in [
            ToWorker::Scan { scan: 1, shares: 2 },
            ToWorker::Part {
                scan: 1,
                share: 1,
                shares: 2,
            },
            ToWorker::PartResult {
                scan: 1,
                share: 1,
                failure: Some(Failure::new(ErrorKind::Io, "gone")),
            },
            ToWorker::Diff {
                path: "a".into(),
                archive: "b".into(),
                clean_path: "c".into(),
            },
        ] {
            assert!(m.to_json().starts_with(r#"{"type":""#), "{}", m.to_json());
            assert_eq!(ToWorker::from_json(&m.to_json()), Ok(m));
        }
    }
}
