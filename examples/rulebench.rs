//! Throughput of the rule engine alone (no archive, no hashing): MB/s of PHP/JS/HTML.
//!
//! `cargo run --release --example rulebench -- DIR...` scans every file under the folders
//! with `detect::Detector::scan`, three times, and prints the median.
//! `STAGE=normalize` / `STAGE=layers` time only those decoders; `STAGE=rules` prints the
//! rules that take longest on the raw files.

use std::time::Instant;

use site_triage::engine::{detect, detect::decode};

fn walk(dir: &std::path::Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            walk(&p, out);
        } else if ft.is_file() {
            let name = p.to_string_lossy().into_owned();
            if detect::kind_of(&name, b"")
                .is_some_and(|k| !matches!(k, site_triage::engine::detect::kinds::FileKind::Image))
            {
                if let Ok(b) = std::fs::read(&p) {
                    out.push((name, b));
                }
            }
        }
    }
}

fn main() {
    let mut files = Vec::new();
    for d in std::env::args().skip(1) {
        walk(std::path::Path::new(&d), &mut files);
    }
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let Some(det) = detect::detector() else {
        eprintln!("rules failed to compile");
        std::process::exit(1);
    };
    let stage = std::env::var("STAGE").unwrap_or_default();
    if stage == "rules" {
        let mut per: std::collections::BTreeMap<&str, f64> = std::collections::BTreeMap::new();
        for (name, b) in &files {
            if let Some(kind) = detect::kind_of(name, b) {
                for (id, s) in det.rule_times(kind, b) {
                    *per.entry(id).or_default() += s;
                }
            }
        }
        let mut v: Vec<_> = per.into_iter().collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        for (id, s) in v.iter().take(12) {
            println!("{s:8.3} s  {id}");
        }
        return;
    }
    let mut times = Vec::new();
    let mut findings = 0;
    for _ in 0..3 {
        let t = Instant::now();
        findings = 0;
        for (name, b) in &files {
            match stage.as_str() {
                "normalize" => findings += usize::from(decode::normalize(b).is_some()),
                "layers" => findings += decode::layers(b).len(),
                _ => findings += det.scan(name, b).len(),
            }
        }
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let t = times.get(1).copied().unwrap_or_default();
    println!(
        "{} files, {:.1} MB of PHP/JS/HTML/config: {:.2} s, {:.1} MB/s ({} findings{})",
        files.len(),
        bytes as f64 / 1e6,
        t,
        bytes as f64 / 1e6 / t,
        findings,
        if stage.is_empty() {
            String::new()
        } else {
            format!(", stage {stage}")
        }
    );
}
