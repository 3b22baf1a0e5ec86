//! Converts the reference hash facts (`path sha256 sha256_ws size versions` as .tsv.gz) into
//! the bundled manifests under `manifests/`. Run by maintainers when the facts change (the
//! facts are the team's reference data, kept beside the checkout as `../shared/reference`):
//!
//! ```text
//! cargo run --release --bin import-reference -- ../shared/reference manifests
//! ```
//!
//! It writes one `.stm` file per package the page may need, so a browser fetches only what
//! the backup holds: `wordpress`, `drupal-core`, `drupal-scaffold` (Drupal's root files,
//! derived from `drupal-scaffold.tsv` and the core rows), `typo3-cms-core` and one
//! `typo3-cms-<extension>` per TYPO3 system extension, and `php-libraries` (one manifest per
//! bundled library, code files only, recognised by content wherever they sit).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use site_triage::engine::know::cms::typo3 as typo3_parts;
use site_triage::engine::know::libraries;
use site_triage::engine::know::manifest::{self, Manifest, ManifestBuilder};

type Error = Box<dyn std::error::Error>;

fn gunzip(path: &Path) -> Result<String, Error> {
    let gz = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(gz.as_slice()).read_to_string(&mut text)?;
    Ok(text)
}

fn write(dst: &Path, name: &str, manifests: &[Manifest], rows: usize) -> Result<(), Error> {
    let bytes = manifest::encode(manifests)?;
    let out = dst.join(format!("{name}.stm"));
    std::fs::write(&out, &bytes)?;
    let entries: usize = manifests.iter().map(|m| m.entries.len()).sum();
    let versions: usize = manifests.iter().map(|m| m.versions.len()).sum();
    println!(
        "{name}: {rows} rows, {} manifest(s), {versions} versions, {entries} entries -> {} ({} bytes)",
        manifests.len(),
        out.display(),
        bytes.len()
    );
    Ok(())
}

fn one(dst: &Path, name: &str, cms: &str, text: &str, old: Option<&str>) -> Result<(), Error> {
    let mut b = ManifestBuilder::new(name, cms, 16);
    let rows = b.add_tsv(text)?;
    if let Some(old) = old {
        b.old_files(
            old.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_owned),
        );
    }
    write(dst, name, &[b.build()], rows)
}

/// Drupal's root files: each scaffold target gets the rows of its `drupal/core` source for
/// the releases the mapping holds for. Only `[web-root]/` targets: the project-root ones
/// (`.editorconfig`, `.gitattributes`) sit outside the site and are rarely in a backup.
fn scaffold(dst: &Path, core: &str, map: &str) -> Result<(), Error> {
    // source path -> [(target, versions)]
    let mut wanted: HashMap<&str, Vec<(&str, HashSet<&str>)>> = HashMap::new();
    for line in map.lines().skip(1) {
        let mut cols = line.split('\t');
        let (Some(target), Some(source), Some(versions)) = (cols.next(), cols.next(), cols.next())
        else {
            continue;
        };
        let Some(target) = target.strip_prefix("[web-root]/") else {
            continue;
        };
        wanted
            .entry(source)
            .or_default()
            .push((target, versions.split(',').collect()));
    }
    let mut b = ManifestBuilder::new("drupal-scaffold", "drupal", 16);
    let mut rows = 0;
    for line in core.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [path, sha, ws, size, versions] = cols.as_slice() else {
            continue;
        };
        let Some(targets) = wanted.get(path) else {
            continue;
        };
        let (Some(sha), Some(ws), Ok(size)) = (hex32(sha), hex32(ws), size.parse()) else {
            return Err(format!("bad core row for {path}").into());
        };
        for (target, holds) in targets {
            for v in versions.split(',').filter(|v| holds.contains(v)) {
                b.add(target, v, size, sha, ws);
                rows += 1;
            }
        }
    }
    write(dst, "drupal-scaffold", &[b.build()], rows)
}

fn hex32(s: &str) -> Option<[u8; 32]> {
    site_triage::engine::read::hash::unhex(s)?.try_into().ok()
}

/// One manifest per TYPO3 system extension, its paths relative to the extension's folder.
fn typo3_sysext(dst: &Path, text: &str) -> Result<(), Error> {
    let mut per: BTreeMap<&str, ManifestBuilder> = BTreeMap::new();
    let mut rows: BTreeMap<&str, usize> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [path, sha, ws, size, versions] = cols.as_slice() else {
            continue;
        };
        let Some((key, rel)) = path.split_once('/') else {
            continue;
        };
        let Some(part) = typo3_parts::by_key(key) else {
            return Err(format!("system extension {key} is not in typo3_parts::PARTS").into());
        };
        let (Some(sha), Some(ws), Ok(size)) = (hex32(sha), hex32(ws), size.parse()) else {
            return Err(format!("bad row for {path}").into());
        };
        let b = per
            .entry(part.manifest)
            .or_insert_with(|| ManifestBuilder::new(part.manifest, "typo3", 16));
        for v in versions.split(',').filter(|v| !v.is_empty()) {
            b.add(rel, v, size, sha, ws);
        }
        *rows.entry(part.manifest).or_default() += 1;
    }
    for (name, b) in per {
        write(
            dst,
            name,
            &[b.build()],
            rows.get(name).copied().unwrap_or(0),
        )?;
    }
    Ok(())
}

/// The bundled libraries: one manifest per library, only the files the rules would read
/// (code, at least [`libraries::MIN_SIZE`] bytes: tiny files match far and wide and must not
/// vouch for anything), exact hashes only.
fn php_libraries(dst: &Path, text: &str) -> Result<(), Error> {
    let mut per: BTreeMap<&str, ManifestBuilder> = BTreeMap::new();
    let mut rows = 0;
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [library, path, sha, ws, size, versions] = cols.as_slice() else {
            continue;
        };
        let Ok(size) = size.parse::<u64>() else {
            return Err(format!("bad size for {library} {path}").into());
        };
        if !libraries::worth_indexing(path, size) {
            continue;
        }
        let (Some(sha), Some(ws)) = (hex32(sha), hex32(ws)) else {
            return Err(format!("bad hash for {library} {path}").into());
        };
        let b = per
            .entry(library)
            .or_insert_with(|| ManifestBuilder::new(library, "", 16).without_whitespace_hashes());
        for v in versions.split(',').filter(|v| !v.is_empty()) {
            b.add(path, v, size, sha, ws);
        }
        rows += 1;
    }
    let all: Vec<Manifest> = per.into_values().map(ManifestBuilder::build).collect();
    write(dst, "php-libraries", &all, rows)
}

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [src, dst] = args.as_slice() else {
        eprintln!("usage: import-reference REFERENCE_DIR OUTPUT_DIR");
        std::process::exit(64);
    };
    let (src, dst) = (Path::new(src), Path::new(dst));
    let old = std::fs::read_to_string(src.join("wordpress-old-files.txt"))?;
    one(
        dst,
        "wordpress",
        "wordpress",
        &gunzip(&src.join("wordpress.tsv.gz"))?,
        Some(&old),
    )?;
    let drupal = gunzip(&src.join("drupal-core.tsv.gz"))?;
    one(dst, "drupal-core", "drupal", &drupal, None)?;
    let map = std::fs::read_to_string(src.join("drupal-scaffold.tsv"))?;
    scaffold(dst, &drupal, &map)?;
    drop(drupal);
    one(
        dst,
        "typo3-cms-core",
        "typo3",
        &gunzip(&src.join("typo3-cms-core.tsv.gz"))?,
        None,
    )?;
    typo3_sysext(dst, &gunzip(&src.join("typo3-cms-sysext.tsv.gz"))?)?;
    php_libraries(dst, &gunzip(&src.join("php-libraries.tsv.gz"))?)?;
    Ok(())
}
