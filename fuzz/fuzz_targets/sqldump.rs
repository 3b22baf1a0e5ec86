//! The SQL dump reader on arbitrary bytes, fed in uneven chunks.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut s = site_triage::engine::facts::sqldump::SqlScanner::new("db.sql");
    for chunk in data.chunks(7) {
        s.feed(chunk);
    }
    let _ = s.finish();
});
