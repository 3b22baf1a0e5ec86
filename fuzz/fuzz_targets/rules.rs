//! The rule engine on arbitrary bytes, as every kind of file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(d) = site_triage::engine::detect::detector() {
        for name in ["x.php", "x.js", "x.html", ".htaccess", ".user.ini", "x.png", "x.txt"] {
            let _ = d.scan(name, data);
        }
    }
});
