//! Converts the reference hash facts (`path sha256 sha256_ws size versions` as .tsv.gz) into
//! the bundled manifests under `manifests/`. Run by maintainers when the facts change (the
//! facts are the team's reference data, kept beside the checkout as `../shared/reference`;
//! any folder with `wordpress.tsv.gz`, `drupal-core.tsv.gz` and `typo3-cms-core.tsv.gz` works):
//!
//! ```text
//! cargo run --release --bin import-reference -- ../shared/reference manifests
//! ```

use std::io::Read;
use std::path::Path;

use site_triage::engine::know::manifest::{self, ManifestBuilder};

const SETS: [(&str, &str); 3] = [
    ("wordpress", "wordpress"),
    ("drupal-core", "drupal"),
    ("typo3-cms-core", "typo3"),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [src, dst] = args.as_slice() else {
        eprintln!("usage: import-reference REFERENCE_DIR OUTPUT_DIR");
        std::process::exit(64);
    };
    for (name, cms) in SETS {
        let gz = std::fs::read(Path::new(src).join(format!("{name}.tsv.gz")))?;
        let mut text = String::new();
        flate2::read::GzDecoder::new(gz.as_slice()).read_to_string(&mut text)?;
        let mut b = ManifestBuilder::new(name, cms, 16);
        let rows = b.add_tsv(&text)?;
        if cms == "wordpress" {
            let old = std::fs::read_to_string(Path::new(src).join("wordpress-old-files.txt"))?;
            b.old_files(
                old.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_owned),
            );
        }
        let m = b.build();
        let bytes = manifest::encode(std::slice::from_ref(&m))?;
        let out = Path::new(dst).join(format!("{name}.stm"));
        std::fs::write(&out, &bytes)?;
        println!(
            "{}: {rows} rows, {} versions, {} paths, {} entries, {} version sets -> {} ({} bytes)",
            name,
            m.versions.len(),
            m.paths.len(),
            m.entries.len(),
            m.versets.len(),
            out.display(),
            bytes.len()
        );
    }
    Ok(())
}
