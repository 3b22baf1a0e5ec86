//! The scanning engine: pure Rust, no browser types, no clock, no threads.
//!
//! It runs the same natively (the `site-triage` command) and in a Web Worker (the page).
//! A scan is two steps so that the browser can fetch manifests in between:
//!
//! 1. [`collect::collect`] reads the archive once (ZIP needs `Read + Seek`; tar.gz is read
//!    forward) and keeps per-file records: name, size, time, SHA-256, whitespace-free SHA-256,
//!    plus the first bytes of version files and plugin headers.
//! 2. [`judge::needed_manifests`] says which bundled release manifests the backup needs;
//!    [`judge::analyze`] compares every file with them (and with reference archives the user
//!    gave) and builds the [`report::Report`].
//!
//! ```no_run
//! use site_triage::engine::{self, collect::Silent};
//! let file = std::fs::File::open("backup.zip")?;
//! let len = file.metadata()?.len();
//! let report = engine::scan(file, len, "backup.zip", &mut |_name| None, &[], &mut Silent)?;
//! println!("{}", report.headline);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Input is hostile: nothing here may panic on archive data (clippy denies `unwrap`,
//! `expect` and `panic` in this crate); a bad entry is a [`report::Warning`], only an
//! unreadable archive is a [`read::ScanError`]. The rooms below import only downwards (README: "How the code is laid out"; `scripts/arch-check.py` checks it).

pub mod collect;
pub mod detect;
pub mod facts;
pub mod i18n;
pub mod judge;
pub mod know;
pub mod present;
pub mod read;
pub mod report;

use std::collections::HashMap;
use std::io::{Read, Seek};

pub use judge::Reference;
pub use know::manifest::Manifest;
pub use read::ScanError;
pub use report::ErrorKind;
pub use report::Report;

/// Both steps in one call, for callers that can load manifests synchronously.
/// `load` gets a bundled manifest name ("wordpress", "drupal-core", "typo3-cms-core").
pub fn scan<R: Read + Seek>(
    reader: R,
    len: u64,
    archive_name: &str,
    load: &mut dyn FnMut(&str) -> Option<Manifest>,
    references: &[Reference],
    observer: &mut dyn collect::Observer,
) -> Result<Report, ScanError> {
    let collected = collect::collect(reader, len, observer)?;
    Ok(report(collected, archive_name, load, references))
}

/// The second step for callers that collected the archive themselves (in several shares,
/// say): loads the manifests the backup needs through `load` and writes the report.
pub fn report(
    collected: collect::Collected,
    archive_name: &str,
    load: &mut dyn FnMut(&str) -> Option<Manifest>,
    references: &[Reference],
) -> Report {
    let mut bundled = HashMap::new();
    for name in judge::needed_manifests(&collected) {
        if let Some(m) = load(name) {
            bundled.insert(name.to_owned(), m);
        }
    }
    judge::analyze(collected, &bundled, references, archive_name)
}
