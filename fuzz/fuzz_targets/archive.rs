//! Arbitrary bytes as a backup: the whole single pass (ZIP, tar, tar.gz), the same read in
//! shares as several workers do, the walk in steps as the browser worker does (one entry
//! per step: every pause and restart), and reading one entry must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use site_triage::engine::read::Share;
use site_triage::engine::collect::{collect, collect_share, merge, ShareCollector, Silent};

fuzz_target!(|data: &[u8]| {
    let len = data.len() as u64;
    let _ = collect(std::io::Cursor::new(data), len, &mut Silent);
    let parts: Result<Vec<_>, _> = (0..3)
        .map(|k| collect_share(std::io::Cursor::new(data), len, Share::new(k, 3), &mut Silent))
        .collect();
    if let Ok(parts) = parts {
        let _ = merge(parts);
    }
    let mut silent = Silent;
    if let Ok(mut steps) =
        ShareCollector::open(std::io::Cursor::new(data), len, Share::WHOLE, None, &mut silent)
    {
        while let Ok(false) = steps.step(1) {}
        let _ = steps.finish();
    }
    let _ = site_triage::engine::read::read_entry(std::io::Cursor::new(data), len, "a/b.php", 1 << 16);
});
