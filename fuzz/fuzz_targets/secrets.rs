//! Credential parsing of config files on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = site_triage::engine::facts::secrets::find("wp-config.php", data);
    let _ = site_triage::engine::know::manifest::decode(data);
});
