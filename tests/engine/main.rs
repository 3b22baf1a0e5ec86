#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

//! Native integration tests of the engine and the command-line tool: one test binary, a
//! module per area (ripgrep's `tests/` is the model), helpers here and in `support` (shared
//! with the browser tests, which run the same cases in a page and in a worker).
//!
//! Real data: Debian's `wordpress`, `dokuwiki` and `mediawiki` packages (fetched once with
//! `apt-get download` into target/test-data) and the bundled hash facts in `manifests/`.
//! Hostile archives are generated here, byte by byte, not committed.

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod archives;
mod cli;
mod detection;
mod hosting;
mod installs;
mod present;
mod recognise;
mod series;

use support::cases;

use std::collections::HashMap;

use site_triage::engine::collect::{Collected, FileRecord};
use site_triage::engine::report::{
    ArchiveFormat, Cms, ComponentKind, Location, SecretKind, SiteVerdict, Status, Verdict,
    WarningKind,
};
use site_triage::engine::{self, judge, Reference};
use support::*;

fn status_of<'a>(r: &'a engine::Report, path: &str) -> Option<&'a engine::report::FileReport> {
    r.files.iter().find(|f| f.path == path)
}

/// Regular files of a tree as (relative path, bytes), skipping symlinks.
fn read_tree(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().filter_map(|e| e.ok()) {
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Feeds the files of one release, straight from the hash facts, to the diff.
fn release_as_backup(m: &engine::Manifest, v: usize, mount: &str) -> Collected {
    let files = m
        .entries
        .iter()
        .filter(|e| m.in_version(e, v))
        .enumerate()
        .map(|(i, e)| {
            let path = format!("{mount}{}", m.paths[e.path as usize]);
            FileRecord {
                entry: i as u64,
                name: path.clone(),
                path,
                size: e.size,
                mtime: None,
                sha256: e.sha,
                sha256_ws: Some(e.sha_ws),
                findings: Vec::new(),
                hash_pending: false,
            }
        })
        .collect();
    Collected {
        files,
        format: ArchiveFormat::Zip,
        ..Collected::default()
    }
}

fn cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_site-triage"))
        .args(args)
        .output()
        .unwrap()
}
