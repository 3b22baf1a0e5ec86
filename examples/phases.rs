//! Where a native scan's time goes: each share's collect, the merge, the analysis.
//!
//! `cargo run --release --example phases -- BACKUP [SHARES]`

use std::time::Instant;

use site_triage::engine::collect::{self, Silent};
use site_triage::engine::read::Share;
use site_triage::engine::{self, know::manifest};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).cloned().unwrap_or_default();
    let shares: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2);
    let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("manifests");
    let t = Instant::now();
    if let Ok(l) = std::fs::read(dir.join("php-libraries.stm"))
        .map_err(|e| e.to_string())
        .and_then(|b| engine::know::libraries::Libraries::decode(&b))
    {
        println!(
            "library index: {} files, {:.3} s to decode",
            l.files(),
            t.elapsed().as_secs_f64()
        );
        engine::know::libraries::install(l);
    }
    let mut parts = Vec::new();
    for k in 0..shares {
        let t = Instant::now();
        let Ok(f) = std::fs::File::open(&path) else {
            return;
        };
        let Ok(part) = collect::collect_share(f, len, Share::new(k, shares), &mut Silent) else {
            return;
        };
        println!(
            "share {k}: {} files, {:.2} s",
            part.files.len(),
            t.elapsed().as_secs_f64()
        );
        parts.push(part);
    }
    let t = Instant::now();
    let merged = collect::merge(parts);
    println!("merge: {:.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut load = |name: &str| {
        let bytes = std::fs::read(dir.join(format!("{name}.stm"))).ok()?;
        manifest::decode(&bytes).ok()?.into_iter().next()
    };
    let report = engine::report(merged, "backup", &mut load, &[]);
    println!(
        "manifests + analysis: {:.2} s ({} files)",
        t.elapsed().as_secs_f64(),
        report.files.len()
    );
}
