//! Arbitrary bytes as a backup: the whole single pass (ZIP, tar, tar.gz) must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use site_triage::engine::collect::{collect, Silent};

fuzz_target!(|data: &[u8]| {
    let _ = collect(std::io::Cursor::new(data), data.len() as u64, &mut Silent);
    let _ = site_triage::engine::archive::read_entry(std::io::Cursor::new(data), data.len() as u64, "a/b.php", 1 << 16);
});
