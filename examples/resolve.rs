//! Prints a PHP file as `detect::php::resolve` reads it (variables, disguises and request
//! data resolved) — any other file as `decode::normalize` undoes its disguises — and the
//! findings on it: for looking at why a file is or is not
//! caught. `cargo run --release --example resolve -- FILE`
//!
//! Never point it at a folder a web server serves: the files it reads may be live malware.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: resolve FILE");
        std::process::exit(64);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(74);
        }
    };
    if !path.ends_with(".php") {
        let norm = site_triage::engine::detect::decode::normalize(&bytes);
        println!("{}", String::from_utf8_lossy(&norm.unwrap_or_default()));
    } else {
        print_resolved(&bytes);
    }
    if let Some(d) = site_triage::engine::detect::detector() {
        for f in d.scan(&path, &bytes) {
            println!("-> {:?} {} {}", f.severity, f.rule, f.excerpt);
        }
    }
}

fn print_resolved(bytes: &[u8]) {
    match site_triage::engine::detect::php::resolve(bytes) {
        Some(r) => {
            println!(
                "changed: {}, disguised: {}\n{}",
                r.changed,
                r.disguised,
                String::from_utf8_lossy(&r.text)
            );
        }
        None => println!("(too large to read as PHP)"),
    }
}
