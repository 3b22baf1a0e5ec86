//! Builders for test archives, including hostile ones. A ZIP writer of our own because the
//! point is to write what a well-behaved library refuses to: lying sizes, duplicate names,
//! raw non-UTF-8 names, encryption flags without encryption, unknown methods.

#![allow(dead_code)]

pub mod cases;
pub mod series;

use std::io::Write;

use site_triage::engine::{self, collect::Silent, Manifest, Reference, Report, ScanError};

pub struct ZipEntry {
    pub name: Vec<u8>,
    pub data: Vec<u8>,
    pub deflate: bool,
    pub flags: u16,
    pub method_override: Option<u16>,
    pub crc_override: Option<u32>,
    pub size_override: Option<u32>,
    pub symlink: bool,
    pub dos_time: (u16, u16),
}

impl ZipEntry {
    pub fn new(name: &str, data: &[u8]) -> Self {
        ZipEntry {
            name: name.as_bytes().to_vec(),
            data: data.to_vec(),
            deflate: true,
            flags: 0x0800,
            method_override: None,
            crc_override: None,
            size_override: None,
            symlink: false,
            // 2024-03-05 10:20:30
            dos_time: (
                ((2024 - 1980) << 9) | (3 << 5) | 5,
                (10 << 11) | (20 << 5) | 15,
            ),
        }
    }
}

fn crc32(data: &[u8]) -> u32 {
    let mut h = flate2::Crc::new();
    h.update(data);
    h.sum()
}

/// Writes a ZIP with a central directory.
pub fn zip(entries: &[ZipEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let body = if e.deflate {
            let mut enc =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(&e.data).unwrap();
            enc.finish().unwrap()
        } else {
            e.data.clone()
        };
        let method = e.method_override.unwrap_or(if e.deflate { 8 } else { 0 });
        let crc = e.crc_override.unwrap_or_else(|| crc32(&e.data));
        let usize_ = e.size_override.unwrap_or(e.data.len() as u32);
        let mut local = Vec::new();
        local.extend_from_slice(b"PK\x03\x04");
        local.extend_from_slice(&20u16.to_le_bytes());
        local.extend_from_slice(&e.flags.to_le_bytes());
        local.extend_from_slice(&method.to_le_bytes());
        local.extend_from_slice(&e.dos_time.1.to_le_bytes());
        local.extend_from_slice(&e.dos_time.0.to_le_bytes());
        local.extend_from_slice(&crc.to_le_bytes());
        local.extend_from_slice(&(body.len() as u32).to_le_bytes());
        local.extend_from_slice(&usize_.to_le_bytes());
        local.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes());
        local.extend_from_slice(&e.name);
        out.extend_from_slice(&local);
        out.extend_from_slice(&body);
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&((3u16 << 8) | 20).to_le_bytes()); // made by unix
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&e.flags.to_le_bytes());
        central.extend_from_slice(&method.to_le_bytes());
        central.extend_from_slice(&e.dos_time.1.to_le_bytes());
        central.extend_from_slice(&e.dos_time.0.to_le_bytes());
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&(body.len() as u32).to_le_bytes());
        central.extend_from_slice(&usize_.to_le_bytes());
        central.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attrs
        let mode: u32 = if e.symlink { 0o120777 } else { 0o100644 };
        central.extend_from_slice(&(mode << 16).to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(&e.name);
    }
    let cd_start = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// Borrows a list of owned (name, bytes) for the archive builders.
pub fn borrowed(files: &[(String, Vec<u8>)]) -> Vec<(&str, &[u8])> {
    files
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect()
}

/// A ZIP of plain files.
pub fn zip_files(files: &[(&str, &[u8])]) -> Vec<u8> {
    zip(&files
        .iter()
        .map(|(n, d)| ZipEntry::new(n, d))
        .collect::<Vec<_>>())
}

/// A tar (optionally gzipped) of plain files, with a fixed mtime.
pub fn tar(files: &[(&str, &[u8])], gz: bool) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(1_709_634_030);
        h.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut h, name, *data).unwrap();
    }
    let raw = b.into_inner().unwrap();
    if !gz {
        return raw;
    }
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&raw).unwrap();
    enc.finish().unwrap()
}

pub fn manifests_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("manifests")
}

/// Loads a bundled manifest from `manifests/`.
pub fn bundled(name: &str) -> Option<Manifest> {
    let bytes = std::fs::read(manifests_dir().join(format!("{name}.stm"))).ok()?;
    engine::know::manifest::decode(&bytes)
        .ok()?
        .into_iter()
        .next()
}

/// Installs the bundled library index, as the CLI and the page's workers do before a scan
/// (every test of a binary then sees the same engine, whatever order they run in).
pub fn install_libraries() {
    static BYTES: &[u8] = include_bytes!("../../manifests/php-libraries.stm");
    if engine::know::libraries::installed().is_none() {
        engine::know::libraries::install(
            engine::know::libraries::Libraries::decode(BYTES).unwrap(),
        );
    }
}

/// Scans archive bytes with the bundled manifests.
pub fn scan_with(bytes: &[u8], name: &str, refs: &[Reference]) -> Result<Report, ScanError> {
    install_libraries();
    engine::scan(
        std::io::Cursor::new(bytes),
        bytes.len() as u64,
        name,
        &mut bundled,
        refs,
        &mut Silent,
    )
}

pub fn scan(bytes: &[u8]) -> Result<Report, ScanError> {
    scan_with(bytes, "backup.zip", &[])
}

/// Scans archive bytes the way several workers do: each share read on its own, its part
/// sent as JSON (as between workers), then merged and analysed.
pub fn scan_in_shares(bytes: &[u8], count: u32) -> Result<Report, ScanError> {
    scan_in_shares_hashing_later(bytes, count, None)
}

/// An offload hasher as the browser's, in Rust: keeps each taken file and hashes it later.
#[derive(Default)]
pub struct LaterHasher {
    pub min: u64,
    current: Option<Vec<u8>>,
    pub done: Vec<(usize, Vec<u8>)>,
}

impl engine::collect::OffloadHasher for LaterHasher {
    fn start(&mut self, _path: &str, size: u64) -> bool {
        let take = size >= self.min;
        self.current = take.then(Vec::new);
        take
    }
    fn update(&mut self, chunk: &[u8]) {
        if let Some(c) = self.current.as_mut() {
            c.extend_from_slice(chunk);
        }
    }
    fn finish(&mut self, record: usize) {
        if let Some(c) = self.current.take() {
            self.done.push((record, c));
        }
    }
    fn abort(&mut self) {
        self.current = None;
    }
}

/// [`scan_in_shares`], with media of at least `later` bytes hashed afterwards by a
/// [`LaterHasher`], as the browser does with WebCrypto.
pub fn scan_in_shares_hashing_later(
    bytes: &[u8],
    count: u32,
    later: Option<u64>,
) -> Result<Report, ScanError> {
    scan_in_steps(bytes, count, later, u64::MAX).map(|(report, _)| report)
}

/// [`scan_in_shares_hashing_later`] with each share walked in steps of `budget` archive
/// bytes, as the browser worker does; also says how many steps it took in all.
pub fn scan_in_steps(
    bytes: &[u8],
    count: u32,
    later: Option<u64>,
    budget: u64,
) -> Result<(Report, usize), ScanError> {
    use site_triage::engine::collect::{self, OffloadHasher};
    use site_triage::engine::read::Share;
    install_libraries();
    let mut parts = Vec::new();
    let mut steps = 0;
    for index in 0..count {
        let mut hasher = LaterHasher {
            min: later.unwrap_or(u64::MAX),
            ..LaterHasher::default()
        };
        let mut silent = Silent;
        let mut walk = collect::ShareCollector::open(
            std::io::Cursor::new(bytes),
            bytes.len() as u64,
            Share::new(index, count),
            later
                .is_some()
                .then_some(&mut hasher as &mut dyn OffloadHasher),
            &mut silent,
        )?;
        loop {
            steps += 1;
            if walk.step(budget)? {
                break;
            }
        }
        let mut part = walk.finish();
        assert_eq!(part.pending_hashes().len(), hasher.done.len());
        for (i, data) in &hasher.done {
            part.set_hash(*i, engine::read::hash::sha256(data));
        }
        let json = serde_json::to_string(&part).unwrap();
        parts.push(serde_json::from_str(&json).unwrap());
    }
    let collected = collect::merge(parts);
    let mut manifests = std::collections::HashMap::new();
    for name in engine::judge::needed_manifests(&collected) {
        if let Some(m) = bundled(name) {
            manifests.insert(name.to_owned(), m);
        }
    }
    let report = engine::judge::analyze(collected, &manifests, &[], "backup.zip");
    Ok((report, steps))
}

/// Real CMS trees from Debian packages, downloaded once into target/test-data.
/// Tests run in parallel threads: one lock serialises downloads, and a tree only appears
/// under its final name once completely extracted.
pub fn debian_tree(package: &str) -> std::path::PathBuf {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-data");
    let dir = base.join(package);
    if dir.join(".done").exists() {
        return dir;
    }
    std::fs::create_dir_all(&base).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let work = base.join(format!("tmp-{package}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let dl = work.join("dl");
    std::fs::create_dir_all(&dl).unwrap();
    let status = std::process::Command::new("apt-get")
        .args(["download", package])
        .current_dir(&dl)
        .status()
        .expect("apt-get must be available to fetch real CMS trees");
    assert!(status.success(), "apt-get download {package} failed");
    let deb = std::fs::read_dir(&dl)
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.path().extension().is_some_and(|x| x == "deb"))
        .expect("downloaded .deb")
        .path();
    let tree = work.join("tree");
    let status = std::process::Command::new("dpkg-deb")
        .arg("-x")
        .arg(&deb)
        .arg(&tree)
        .status()
        .expect("dpkg-deb");
    assert!(status.success());
    std::fs::write(tree.join(".done"), b"").unwrap();
    std::fs::rename(&tree, &dir).unwrap();
    let _ = std::fs::remove_dir_all(&work);
    dir
}

/// Zips a directory tree (regular files only; symlinks become symlink entries) under `prefix`.
pub fn zip_dir(dir: &std::path::Path, prefix: &str) -> Vec<u8> {
    let mut entries = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut list: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .filter_map(|e| e.ok())
            .collect();
        list.sort_by_key(|e| e.path());
        for e in list {
            let p = e.path();
            let rel = p
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let ft = e.file_type().unwrap();
            if ft.is_symlink() {
                let target = std::fs::read_link(&p).unwrap();
                let mut z = ZipEntry::new(
                    &format!("{prefix}{rel}"),
                    target.to_string_lossy().as_bytes(),
                );
                z.symlink = true;
                z.deflate = false;
                entries.push(z);
            } else if ft.is_dir() {
                stack.push(p);
            } else {
                entries.push(ZipEntry::new(
                    &format!("{prefix}{rel}"),
                    &std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    zip(&entries)
}

/// The end of a ZIP64 archive whose central directory (`n` entries) sits at `cd_offset`:
/// ZIP64 end record, its locator, and the classic end record saying "see ZIP64".
pub fn zip64_end_records(n: u64, cd_offset: u64, cd_size: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let eocd64 = cd_offset + cd_size;
    out.extend_from_slice(b"PK\x06\x06");
    out.extend_from_slice(&44u64.to_le_bytes());
    out.extend_from_slice(&45u16.to_le_bytes());
    out.extend_from_slice(&45u16.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(b"PK\x06\x07");
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&eocd64.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&0xffffu16.to_le_bytes());
    out.extend_from_slice(&0xffffu16.to_le_bytes());
    out.extend_from_slice(&0xffff_ffffu32.to_le_bytes());
    out.extend_from_slice(&0xffff_ffffu32.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A ZIP of `n` one-byte stored entries, written directly (the general test writer deflates
/// every entry, too slow for a million).
pub fn tiny_entries_zip(n: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(n as usize * 80);
    let mut central = Vec::with_capacity(n as usize * 70);
    let crc = {
        let mut h = flate2::Crc::new();
        h.update(b"x");
        h.sum()
    };
    for i in 0..n {
        let name = format!("site/d{}/f{i}.txt", i % 997);
        let offset = out.len() as u32;
        let fixed = |sig: &[u8], central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(sig);
            if central {
                h.extend_from_slice(&20u16.to_le_bytes());
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // version needed
            h.extend_from_slice(&0u16.to_le_bytes()); // flags
            h.extend_from_slice(&0u16.to_le_bytes()); // stored
            h.extend_from_slice(&0u16.to_le_bytes()); // time
            h.extend_from_slice(&0x5865u16.to_le_bytes()); // date 2024-03-05
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&1u32.to_le_bytes());
            h.extend_from_slice(&1u32.to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra
            h
        };
        out.extend(fixed(b"PK\x03\x04", false));
        out.extend_from_slice(name.as_bytes());
        out.push(b'x');
        central.extend(fixed(b"PK\x01\x02", true));
        central.extend_from_slice(&[0; 6]); // comment len, disk, internal attrs
        central.extend_from_slice(&0u32.to_le_bytes()); // external attrs
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u64;
    let cd_size = central.len() as u64;
    out.extend(central);
    // ZIP64 end records: more than 65,535 entries.
    out.extend(zip64_end_records(u64::from(n), cd_offset, cd_size));
    out
}

/// Blocks of the big-entry content ([`synthetic_block`]) are this large.
pub const SYNTH_BLOCK: u64 = 64 << 10;
/// The content repeats every this many blocks (1 MiB), so that a browser test can build a
/// 4 GiB `Blob` out of references to one 1 MiB `Blob`.
pub const SYNTH_CYCLE: u64 = 16;

/// Block `block` of the big-entry content: pseudo-random, incompressible bytes.
pub fn synthetic_block(block: u64, out: &mut [u8]) {
    let mut x = (block % SYNTH_CYCLE).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    for word in out.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let bytes = x.to_le_bytes();
        word.copy_from_slice(&bytes[..word.len()]);
    }
}

/// The one entry of the 4 GiB+ archive: its name and size (past 4 GiB, not block-aligned).
pub const BIG_ENTRY_NAME: &str = "public_html/wp-content/uploads/site-video.mp4";
pub const BIG_ENTRY_SIZE: u64 = (4 << 30) + (3 << 20) + 12_345;
/// CRC-32 and SHA-256 of that content, computed by the native test from the bytes (which
/// checks these), so the browser test need not read 4 GiB an extra time.
pub const BIG_ENTRY_CRC: u32 = 0x9570_0e86;
pub const BIG_ENTRY_SHA: &str = "6ed51faf3d96456901b0ba2756fcaca793df3dca8ed912ccfb3998c69ddd4de0";

/// What goes around the data of a stored ZIP64 entry of `size` bytes: its local header, and
/// the central directory with the ZIP64 end records.
pub fn big_entry_frame(name: &str, size: u64, crc: u32) -> (Vec<u8>, Vec<u8>) {
    let zip64_extra = {
        let mut e = Vec::new();
        e.extend_from_slice(&1u16.to_le_bytes());
        e.extend_from_slice(&16u16.to_le_bytes());
        e.extend_from_slice(&size.to_le_bytes());
        e.extend_from_slice(&size.to_le_bytes());
        e
    };
    let header = |central: bool| {
        let mut h = Vec::new();
        h.extend_from_slice(if central {
            b"PK\x01\x02"
        } else {
            b"PK\x03\x04"
        });
        if central {
            h.extend_from_slice(&45u16.to_le_bytes());
        }
        h.extend_from_slice(&45u16.to_le_bytes()); // version needed: ZIP64
        h.extend_from_slice(&0x0800u16.to_le_bytes()); // UTF-8 name
        h.extend_from_slice(&0u16.to_le_bytes()); // stored
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(&0x5865u16.to_le_bytes());
        h.extend_from_slice(&crc.to_le_bytes());
        h.extend_from_slice(&0xffff_ffffu32.to_le_bytes());
        h.extend_from_slice(&0xffff_ffffu32.to_le_bytes());
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&(zip64_extra.len() as u16).to_le_bytes());
        if central {
            h.extend_from_slice(&[0; 8]); // comment len, disk, internal attrs, external
            h.extend_from_slice(&[0; 2]);
            h.extend_from_slice(&0u32.to_le_bytes()); // local header at 0
        }
        h.extend_from_slice(name.as_bytes());
        h.extend_from_slice(&zip64_extra);
        h
    };
    let head = header(false);
    let cd_offset = head.len() as u64 + size;
    let mut tail = header(true);
    let cd_len = tail.len() as u64;
    tail.extend(zip64_end_records(1, cd_offset, cd_len));
    (head, tail)
}
