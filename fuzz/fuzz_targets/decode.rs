//! The deobfuscation emulator on arbitrary text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = site_triage::engine::detect::decode::normalize(data);
    let _ = site_triage::engine::detect::decode::layers(data);
    let _ = site_triage::engine::present::linediff::diff(data, data.get(data.len() / 2..).unwrap_or(&[]), 3);
});
