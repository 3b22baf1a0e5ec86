//! Messages from the worker to the page. Plain serde, sent as JSON text (a report of 40,000
//! files serialises in milliseconds, and JSON keeps the page free of any codec code).
//! Requests from the page carry `File` objects and are built as JS objects in `client`.

use serde::{Deserialize, Serialize};

use crate::engine::present::linediff::LineDiff;
use crate::engine::report::Report;

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
    Finished {
        report: Box<Report>,
    },
    /// The archive could not be read at all; `kind` is the engine's error kind.
    Failed {
        kind: String,
        message: String,
    },
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
    }
}
