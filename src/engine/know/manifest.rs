//! Clean-release manifests: which files a release of a CMS (or any package) ships, with
//! their hashes, for many versions at once.
//!
//! Why our own format: the reference facts are 250,000 rows of text. Shipped to a browser per
//! CMS, they must load in a few hundred milliseconds, so the format deduplicates everything
//! that repeats across versions — each distinct (path, content) pair is stored once with a
//! reference to a shared *version set*; paths are sorted and front-coded; hashes of the
//! bundled manifests are truncated to 128 bits (second-preimage resistance stays far beyond
//! reach), while manifests built from a release archive keep all 256. The whole file is gzip.
//!
//! Layout after gunzip (all integers LEB128 varints, strings are length + UTF-8 bytes):
//! `"STMF" 2` · manifest count · for each: name, cms, hash length, flags (bit 0: whitespace-free
//! hashes are stored), versions, version sets (run-length over version indices), front-coded
//! sorted paths, front-coded old-file paths, entries (path delta, version set, size), then the
//! hash block (exact, and whitespace-free when flagged). Format 1 had no flags byte and always
//! stored both hashes; it is still read.

use std::collections::{HashMap, HashSet};
use std::io::{self, Read, Write};

use crate::engine::read::hash::Sha;
use crate::engine::read::paths;

const MAGIC: &[u8; 4] = b"STMF";
const FORMAT_VERSION: u8 = 2;
const FLAG_WHITESPACE: u64 = 1;
/// Hard limits when decoding, because a manifest dropped by a user is untrusted too.
const MAX_ITEMS: u64 = 20_000_000;
const MAX_STRING: u64 = 64 * 1024;

/// One distinct file content at one path, shipped by a set of versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEntry {
    pub path: u32,
    pub verset: u32,
    pub size: u64,
    pub sha: Sha,
    pub sha_ws: Sha,
}

/// A package's releases: every file of every version, deduplicated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// "wordpress", "drupal-core", "typo3-cms-core", or a reference archive's name.
    pub name: String,
    /// Which CMS it belongs to ("wordpress", "drupal", "typo3", "joomla") or "" if none.
    pub cms: String,
    /// Bytes of each hash that are stored and compared (16 or 32).
    pub hash_len: usize,
    /// Whether `sha_ws` is stored (libraries matched by content keep the exact hash only).
    pub whitespace_hashes: bool,
    /// Release names, oldest first.
    pub versions: Vec<String>,
    /// Sets of version indices, each sorted.
    pub versets: Vec<Vec<u32>>,
    /// Sorted, unique.
    pub paths: Vec<String>,
    /// Sorted by path.
    pub entries: Vec<ManifestEntry>,
    /// Files that upgrades delete (WordPress's `$_old_files`).
    pub old_files: Vec<String>,
    /// For a manifest built from an archive in this session: the folder that wrapped every
    /// file in it ("wordpress/"), to find an entry again. Not stored in `.stm` files.
    pub archive_prefix: String,
    // Derived on construction:
    path_start: Vec<u32>,
    version_counts: Vec<u32>,
    dirs: HashSet<String>,
}

impl Manifest {
    /// Builds the derived indexes. Call after filling the public fields.
    pub fn finish(mut self) -> Self {
        self.entries.sort_by_key(|e| e.path);
        let mut starts = Vec::with_capacity(self.paths.len() + 1);
        let mut e = 0usize;
        for p in 0..self.paths.len() {
            starts.push(u32::try_from(e).unwrap_or(u32::MAX));
            while self.entries.get(e).is_some_and(|x| x.path as usize == p) {
                e += 1;
            }
        }
        starts.push(u32::try_from(e).unwrap_or(u32::MAX));
        self.path_start = starts;
        let mut counts = vec![0u32; self.versions.len()];
        for entry in &self.entries {
            for v in self
                .versets
                .get(entry.verset as usize)
                .into_iter()
                .flatten()
            {
                if let Some(c) = counts.get_mut(*v as usize) {
                    *c += 1;
                }
            }
        }
        self.version_counts = counts;
        let mut dirs = HashSet::new();
        for p in &self.paths {
            let mut d = paths::parent(p);
            while !d.is_empty() && dirs.insert(d.to_owned()) {
                d = paths::parent(d.trim_end_matches('/'));
            }
        }
        self.dirs = dirs;
        self
    }

    /// Entries for a path relative to the package root (empty if the path is unknown).
    pub fn lookup(&self, rel: &str) -> &[ManifestEntry] {
        let Ok(i) = self.paths.binary_search_by(|p| p.as_str().cmp(rel)) else {
            return &[];
        };
        let start = self.path_start.get(i).copied().unwrap_or(0) as usize;
        let end = self.path_start.get(i + 1).copied().unwrap_or(0) as usize;
        self.entries.get(start..end).unwrap_or(&[])
    }

    /// Whether a folder (relative, ending in `/`) holds files in some release.
    pub fn has_dir(&self, dir: &str) -> bool {
        self.dirs.contains(dir)
    }

    /// Whether `rel` is on the list of files upgrades delete.
    pub fn is_old_file(&self, rel: &str) -> bool {
        self.old_files
            .binary_search_by(|p| p.as_str().cmp(rel))
            .is_ok()
    }

    /// Number of files version `v` ships.
    pub fn version_file_count(&self, v: usize) -> u32 {
        self.version_counts.get(v).copied().unwrap_or(0)
    }

    pub fn version_index(&self, name: &str) -> Option<usize> {
        self.versions.iter().position(|v| v == name)
    }

    /// Whether an entry belongs to version `v`.
    pub fn in_version(&self, entry: &ManifestEntry, v: usize) -> bool {
        self.versets
            .get(entry.verset as usize)
            .is_some_and(|s| s.binary_search(&(v as u32)).is_ok())
    }

    /// The newest version that ships this entry.
    pub fn newest_version_of(&self, entry: &ManifestEntry) -> Option<&str> {
        let v = *self.versets.get(entry.verset as usize)?.last()?;
        self.versions.get(v as usize).map(String::as_str)
    }

    /// Compares a stored hash with a full one, over the stored length.
    pub fn same_hash(&self, stored: &Sha, full: &Sha) -> bool {
        stored.get(..self.hash_len) == full.get(..self.hash_len)
    }

    /// Compares a stored whitespace-free hash with a full one (never equal when the manifest
    /// stores none).
    pub fn same_ws(&self, stored: &Sha, full: &Sha) -> bool {
        self.whitespace_hashes && self.same_hash(stored, full)
    }

    /// The evidence for every release from the files present, given as (path relative to
    /// the package, exact hash).
    pub fn version_scores<'a>(&self, files: impl Iterator<Item = (&'a str, &'a Sha)>) -> Scores {
        let n = self.versets.len();
        let (mut explain, mut contra, mut at_path) = (vec![0u32; n], vec![0u32; n], vec![0u32; n]);
        let mut known = 0u32;
        for (rel, sha) in files {
            let entries = self.lookup(rel);
            if entries.is_empty() {
                continue;
            }
            known += 1;
            let matched = entries.iter().any(|e| self.same_hash(&e.sha, sha));
            for e in entries {
                let set = e.verset as usize;
                if let Some(c) = at_path.get_mut(set) {
                    *c += 1;
                }
                // A file identical to one release's copy speaks against the releases that
                // ship other bytes at that path; a file matching none (changed) is neutral.
                let slot = if self.same_hash(&e.sha, sha) {
                    explain.get_mut(set)
                } else if matched {
                    contra.get_mut(set)
                } else {
                    None
                };
                if let Some(c) = slot {
                    *c += 1;
                }
            }
        }
        let mut per_version = vec![VersionScore::default(); self.versions.len()];
        for (set, members) in self.versets.iter().enumerate() {
            let (e, c, p) = (
                explain.get(set).copied().unwrap_or(0),
                contra.get(set).copied().unwrap_or(0),
                at_path.get(set).copied().unwrap_or(0),
            );
            if e == 0 && c == 0 && p == 0 {
                continue;
            }
            for v in members {
                if let Some(s) = per_version.get_mut(*v as usize) {
                    s.explains += e;
                    s.contradicts += c;
                    s.present += p;
                }
            }
        }
        Scores {
            per_version,
            known_present: known,
        }
    }

    /// The release the files speak for, strongest evidence first: files identical to its
    /// copies minus files identical to another release's copy at the same path; then the
    /// version the install declares, if it is among the best; then the fewest of its files
    /// absent (hosts and Composer leave out docs and tests, so absence weighs little) and the
    /// fewest present files it does not ship; then the newest. `None` when no file matches.
    pub fn best_version(&self, scores: &Scores, declared: Option<&str>) -> Option<usize> {
        let top = self.tied_best(scores)?;
        let max = top.first().map(|v| self.evidence(scores, *v))?;
        let best: Vec<usize> = top
            .into_iter()
            .filter(|v| self.evidence(scores, *v) == max)
            .collect();
        if let Some(d) = declared {
            if let Some(v) = best
                .iter()
                .find(|v| self.versions.get(**v).is_some_and(|n| n == d))
            {
                return Some(*v);
            }
        }
        best.into_iter().max_by(|a, b| {
            self.absent(scores, *b)
                .cmp(&self.absent(scores, *a))
                .then_with(|| {
                    compare_versions(
                        self.versions.get(*a).map_or("", String::as_str),
                        self.versions.get(*b).map_or("", String::as_str),
                    )
                })
        })
    }

    /// Releases whose strong evidence (explained − contradicted) is the highest, when any
    /// file is explained at all.
    pub fn tied_best(&self, scores: &Scores) -> Option<Vec<usize>> {
        let best = (0..self.versions.len())
            .filter(|v| scores.get(*v).explains > 0)
            .map(|v| self.evidence(scores, v))
            .max()?;
        Some(
            (0..self.versions.len())
                .filter(|v| scores.get(*v).explains > 0 && self.evidence(scores, *v) == best)
                .collect(),
        )
    }

    fn evidence(&self, scores: &Scores, v: usize) -> i64 {
        let s = scores.get(v);
        i64::from(s.explains) - i64::from(s.contradicts)
    }

    /// Files of release `v` absent from the backup plus files present that `v` does not ship.
    fn absent(&self, scores: &Scores, v: usize) -> u64 {
        let s = scores.get(v);
        u64::from(self.version_file_count(v).saturating_sub(s.present))
            + u64::from(scores.known_present.saturating_sub(s.present))
    }
}

/// What the files present say about one release.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VersionScore {
    /// Files identical to this release's copy.
    pub explains: u32,
    /// Files identical to another release's copy at a path where this release ships other bytes.
    pub contradicts: u32,
    /// Files present at paths this release ships (whatever their content).
    pub present: u32,
}

/// [`VersionScore`] of every release, from [`Manifest::version_scores`].
#[derive(Debug, Clone, Default)]
pub struct Scores {
    per_version: Vec<VersionScore>,
    /// Files present at any path some release ships.
    known_present: u32,
}

impl Scores {
    pub fn get(&self, v: usize) -> VersionScore {
        self.per_version.get(v).copied().unwrap_or_default()
    }
}

/// Sorts version names the way people read them: 6.10 after 6.9, 6.4 before 6.4.1.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let split = |s: &str| -> Vec<(u64, String)> {
        s.split(['.', '-', '_'])
            .map(|p| {
                let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
                let rest = p.get(digits.len()..).unwrap_or("").to_ascii_lowercase();
                (digits.parse().unwrap_or(0), rest)
            })
            .collect()
    };
    let (pa, pb) = (split(a), split(b));
    for i in 0..pa.len().max(pb.len()) {
        let ord = match (pa.get(i), pb.get(i)) {
            (Some(x), Some(y)) => x.0.cmp(&y.0).then_with(|| {
                // "" (a release) sorts after "rc1"/"beta" of the same number.
                match (x.1.is_empty(), y.1.is_empty()) {
                    (true, false) => std::cmp::Ordering::Greater,
                    (false, true) => std::cmp::Ordering::Less,
                    _ => x.1.cmp(&y.1),
                }
            }),
            // "6.4-RC1" is older than "6.4", "6.4.1" newer.
            (Some(x), None) if x.0 == 0 && !x.1.is_empty() => std::cmp::Ordering::Less,
            (None, Some(y)) if y.0 == 0 && !y.1.is_empty() => std::cmp::Ordering::Greater,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (None, None) => std::cmp::Ordering::Equal,
        };
        if ord != std::cmp::Ordering::Equal {
            return ord;
        }
    }
    std::cmp::Ordering::Equal
}

/// Collects (path, version, hashes) facts and builds a deduplicated [`Manifest`].
#[derive(Debug, Default)]
pub struct ManifestBuilder {
    name: String,
    cms: String,
    hash_len: usize,
    rows: HashMap<(String, Sha), (u64, Sha, Vec<String>)>,
    old_files: Vec<String>,
    no_whitespace: bool,
}

impl ManifestBuilder {
    pub fn new(name: &str, cms: &str, hash_len: usize) -> Self {
        ManifestBuilder {
            name: name.to_owned(),
            cms: cms.to_owned(),
            hash_len: hash_len.clamp(8, 32),
            ..Default::default()
        }
    }

    /// Records that `version` ships `path` with these hashes.
    pub fn add(&mut self, path: &str, version: &str, size: u64, sha: Sha, sha_ws: Sha) {
        let row = self
            .rows
            .entry((path.to_owned(), sha))
            .or_insert_with(|| (size, sha_ws, Vec::new()));
        if !row.2.iter().any(|v| v == version) {
            row.2.push(version.to_owned());
        }
    }

    /// Stores the exact hashes only (a third smaller; no "whitespace only" matches).
    pub fn without_whitespace_hashes(mut self) -> Self {
        self.no_whitespace = true;
        self
    }

    pub fn old_files(&mut self, list: impl IntoIterator<Item = String>) {
        self.old_files.extend(list);
    }

    /// Reads a reference `*.tsv.gz` body (already gunzipped): `path sha256 sha256_ws size versions`.
    pub fn add_tsv(&mut self, text: &str) -> Result<usize, String> {
        let mut n = 0;
        for (i, line) in text.lines().enumerate() {
            if i == 0 && line.starts_with("path\t") {
                continue;
            }
            if line.is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let [path, sha, ws, size, versions] = cols.as_slice() else {
                return Err(format!("line {}: expected 5 columns", i + 1));
            };
            let sha = parse_sha(sha).ok_or_else(|| format!("line {}: bad sha256", i + 1))?;
            let ws = parse_sha(ws).ok_or_else(|| format!("line {}: bad sha256_ws", i + 1))?;
            let size = size
                .parse()
                .map_err(|_| format!("line {}: bad size", i + 1))?;
            for v in versions.split(',').filter(|v| !v.is_empty()) {
                self.add(path, v, size, sha, ws);
            }
            n += 1;
        }
        Ok(n)
    }

    pub fn build(self) -> Manifest {
        let mut versions: Vec<String> = self
            .rows
            .values()
            .flat_map(|r| r.2.iter().cloned())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        versions.sort_by(|a, b| compare_versions(a, b));
        let vindex: HashMap<&str, u32> = versions
            .iter()
            .enumerate()
            .map(|(i, v)| (v.as_str(), i as u32))
            .collect();
        let mut paths: Vec<String> = self
            .rows
            .keys()
            .map(|k| k.0.clone())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        paths.sort();
        let pindex: HashMap<&str, u32> = paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i as u32))
            .collect();
        let mut versets: Vec<Vec<u32>> = Vec::new();
        let mut set_index: HashMap<Vec<u32>, u32> = HashMap::new();
        let mut entries = Vec::with_capacity(self.rows.len());
        let mut rows: Vec<_> = self.rows.into_iter().collect();
        rows.sort_by(|a, b| (&a.0 .0, a.0 .1).cmp(&(&b.0 .0, b.0 .1)));
        for ((path, sha), (size, sha_ws, vers)) in rows {
            let mut set: Vec<u32> = vers
                .iter()
                .filter_map(|v| vindex.get(v.as_str()).copied())
                .collect();
            set.sort_unstable();
            let id = *set_index.entry(set.clone()).or_insert_with(|| {
                versets.push(set);
                (versets.len() - 1) as u32
            });
            entries.push(ManifestEntry {
                path: pindex.get(path.as_str()).copied().unwrap_or(0),
                verset: id,
                size,
                sha,
                sha_ws,
            });
        }
        let mut old_files = self.old_files;
        old_files.sort();
        old_files.dedup();
        Manifest {
            name: self.name,
            cms: self.cms,
            hash_len: self.hash_len,
            whitespace_hashes: !self.no_whitespace,
            versions,
            versets,
            paths,
            entries,
            old_files,
            ..Default::default()
        }
        .finish()
    }
}

fn parse_sha(s: &str) -> Option<Sha> {
    let v = crate::engine::read::hash::unhex(s)?;
    v.try_into().ok()
}

// ---------------------------------------------------------------- encoding

fn put_var(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_var(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn put_front_coded(out: &mut Vec<u8>, list: &[String]) {
    put_var(out, list.len() as u64);
    let mut prev: &str = "";
    for s in list {
        let shared = prev
            .bytes()
            .zip(s.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let mut shared = shared;
        while !s.is_char_boundary(shared) {
            shared -= 1;
        }
        put_var(out, shared as u64);
        put_str(out, s.get(shared..).unwrap_or(""));
        prev = s;
    }
}

/// Serialises manifests into one gzip-compressed file.
pub fn encode(manifests: &[Manifest]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.push(FORMAT_VERSION);
    put_var(&mut out, manifests.len() as u64);
    for m in manifests {
        put_str(&mut out, &m.name);
        put_str(&mut out, &m.cms);
        put_var(&mut out, m.hash_len as u64);
        put_var(
            &mut out,
            if m.whitespace_hashes {
                FLAG_WHITESPACE
            } else {
                0
            },
        );
        put_var(&mut out, m.versions.len() as u64);
        for v in &m.versions {
            put_str(&mut out, v);
        }
        put_var(&mut out, m.versets.len() as u64);
        for set in &m.versets {
            // runs of consecutive indices: (gap from previous run end, run length)
            let mut runs: Vec<(u32, u32)> = Vec::new();
            for &v in set {
                match runs.last_mut() {
                    Some((start, len)) if *start + *len == v => *len += 1,
                    _ => runs.push((v, 1)),
                }
            }
            put_var(&mut out, runs.len() as u64);
            let mut prev_end = 0u32;
            for (start, len) in runs {
                put_var(&mut out, u64::from(start - prev_end));
                put_var(&mut out, u64::from(len));
                prev_end = start + len;
            }
        }
        put_front_coded(&mut out, &m.paths);
        put_front_coded(&mut out, &m.old_files);
        put_var(&mut out, m.entries.len() as u64);
        let mut prev_path = 0u32;
        for e in &m.entries {
            put_var(&mut out, u64::from(e.path - prev_path));
            put_var(&mut out, u64::from(e.verset));
            put_var(&mut out, e.size);
            prev_path = e.path;
        }
        for e in &m.entries {
            out.extend_from_slice(e.sha.get(..m.hash_len).unwrap_or(&[]));
            if m.whitespace_hashes {
                out.extend_from_slice(e.sha_ws.get(..m.hash_len).unwrap_or(&[]));
            }
        }
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&out)?;
    gz.finish()
}

struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

type DecodeResult<T> = Result<T, String>;

impl<'a> Cursor<'a> {
    fn var(&mut self) -> DecodeResult<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.data.get(self.pos).ok_or("manifest is truncated")?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("manifest has a malformed number".into())
    }

    fn count(&mut self) -> DecodeResult<usize> {
        let n = self.var()?;
        if n > MAX_ITEMS {
            return Err("manifest declares an absurd number of items".into());
        }
        usize::try_from(n).map_err(|_| "manifest count too large".into())
    }

    fn bytes(&mut self, n: usize) -> DecodeResult<&'a [u8]> {
        let end = self.pos.checked_add(n).ok_or("manifest is truncated")?;
        let s = self
            .data
            .get(self.pos..end)
            .ok_or("manifest is truncated")?;
        self.pos = end;
        Ok(s)
    }

    fn string(&mut self) -> DecodeResult<String> {
        let n = self.var()?;
        if n > MAX_STRING {
            return Err("manifest holds an over-long string".into());
        }
        let b = self.bytes(n as usize)?;
        String::from_utf8(b.to_vec()).map_err(|_| "manifest holds invalid text".into())
    }

    fn front_coded(&mut self) -> DecodeResult<Vec<String>> {
        let n = self.count()?;
        let mut out: Vec<String> = Vec::with_capacity(n.min(1 << 20));
        let mut prev = String::new();
        for _ in 0..n {
            let shared = usize::try_from(self.var()?).map_err(|_| "bad prefix")?;
            let suffix = self.string()?;
            let head = prev.get(..shared).ok_or("manifest has a bad path prefix")?;
            let s = format!("{head}{suffix}");
            prev.clone_from(&s);
            out.push(s);
        }
        Ok(out)
    }
}

/// Reads a manifest file produced by [`encode`].
pub fn decode(gz: &[u8]) -> Result<Vec<Manifest>, String> {
    let mut data = Vec::new();
    flate2::read::GzDecoder::new(gz)
        .take(1 << 30)
        .read_to_end(&mut data)
        .map_err(|e| format!("manifest is not valid gzip: {e}"))?;
    let mut c = Cursor {
        data: &data,
        pos: 0,
    };
    if c.bytes(4)? != MAGIC {
        return Err("not a Site Triage manifest".into());
    }
    let fv = c.bytes(1)?.first().copied().unwrap_or(0);
    if fv != FORMAT_VERSION && fv != 1 {
        return Err(format!(
            "manifest format {fv} is not supported (expected {FORMAT_VERSION})"
        ));
    }
    let count = c.count()?;
    let mut out = Vec::new();
    for _ in 0..count {
        out.push(read_one(&mut c, fv)?);
    }
    Ok(out)
}

/// One manifest of a file, at the cursor.
fn read_one(c: &mut Cursor, fv: u8) -> DecodeResult<Manifest> {
    let name = c.string()?;
    let cms = c.string()?;
    let hash_len = c.count()?;
    if !(8..=32).contains(&hash_len) {
        return Err("manifest has an invalid hash length".into());
    }
    let flags = if fv == 1 { FLAG_WHITESPACE } else { c.var()? };
    let whitespace_hashes = flags & FLAG_WHITESPACE != 0;
    let nv = c.count()?;
    let mut versions = Vec::with_capacity(nv.min(1 << 16));
    for _ in 0..nv {
        versions.push(c.string()?);
    }
    let ns = c.count()?;
    let mut versets = Vec::with_capacity(ns.min(1 << 20));
    for _ in 0..ns {
        let runs = c.count()?;
        let mut set = Vec::new();
        let mut prev_end = 0u64;
        for _ in 0..runs {
            let start = prev_end + c.var()?;
            let len = c.var()?;
            let end = start.checked_add(len).ok_or("bad version set")?;
            if end > nv as u64 {
                return Err("manifest version set points past its versions".into());
            }
            set.extend((start..end).map(|v| v as u32));
            prev_end = end;
        }
        versets.push(set);
    }
    let paths = c.front_coded()?;
    let old_files = c.front_coded()?;
    let ne = c.count()?;
    let mut entries = Vec::with_capacity(ne.min(1 << 22));
    let mut path = 0u64;
    for _ in 0..ne {
        path += c.var()?;
        let verset = c.var()?;
        let size = c.var()?;
        if path >= paths.len() as u64 || verset >= versets.len() as u64 {
            return Err("manifest entry points past its tables".into());
        }
        entries.push(ManifestEntry {
            path: path as u32,
            verset: verset as u32,
            size,
            sha: [0; 32],
            sha_ws: [0; 32],
        });
    }
    for e in &mut entries {
        let sha = c.bytes(hash_len)?;
        e.sha
            .get_mut(..hash_len)
            .unwrap_or(&mut [])
            .copy_from_slice(sha);
        if whitespace_hashes {
            let ws = c.bytes(hash_len)?;
            e.sha_ws
                .get_mut(..hash_len)
                .unwrap_or(&mut [])
                .copy_from_slice(ws);
        }
    }
    Ok(Manifest {
        name,
        cms,
        hash_len,
        whitespace_hashes,
        versions,
        versets,
        paths,
        entries,
        old_files,
        ..Default::default()
    }
    .finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::read::hash::{sha256, sha256_ws};

    fn sample() -> Manifest {
        let mut b = ManifestBuilder::new("demo", "wordpress", 16);
        for (p, v, body) in [
            ("index.php", "1.0", "a"),
            ("index.php", "1.1", "a"),
            ("index.php", "1.10", "b"),
            ("wp-includes/version.php", "1.0", "v1"),
            ("wp-includes/version.php", "1.1", "v11"),
            ("wp-includes/version.php", "1.10", "v110"),
            ("wp-includes/new.php", "1.10", "n"),
        ] {
            b.add(
                p,
                v,
                body.len() as u64,
                sha256(body.as_bytes()),
                sha256_ws(body.as_bytes()),
            );
        }
        b.old_files(["wp-includes/gone.php".to_string()]);
        b.build()
    }

    #[test]
    fn versions_sort_naturally() {
        let mut v = vec!["6.10", "6.9", "6.4.1", "6.4", "6.4-RC1", "10.0"];
        v.sort_by(|a, b| compare_versions(a, b));
        assert_eq!(v, ["6.4-RC1", "6.4", "6.4.1", "6.9", "6.10", "10.0"]);
    }

    #[test]
    fn round_trip_and_lookup() {
        let m = sample();
        assert_eq!(m.versions, ["1.0", "1.1", "1.10"]);
        let bytes = encode(std::slice::from_ref(&m)).unwrap_or_default();
        let back = decode(&bytes).unwrap_or_default();
        assert_eq!(back.len(), 1);
        let d = back.first().cloned().unwrap_or_default();
        assert_eq!(d.paths, m.paths);
        assert_eq!(d.versets, m.versets);
        assert_eq!(d.entries.len(), m.entries.len());
        assert_eq!(d.lookup("index.php").len(), 2);
        assert!(d.lookup("nope.php").is_empty());
        assert!(d.has_dir("wp-includes/"));
        assert!(d.is_old_file("wp-includes/gone.php"));
        assert_eq!(d.version_file_count(2), 3);
        // a backup of 1.1: index "a", version "v11"
        let files = [
            ("index.php".to_string(), sha256(b"a")),
            ("wp-includes/version.php".to_string(), sha256(b"v11")),
        ];
        let scores = d.version_scores(files.iter().map(|(p, s)| (p.as_str(), s)));
        assert_eq!(d.best_version(&scores, None), Some(1));
        assert_eq!(scores.get(1).explains, 2);
        assert_eq!(scores.get(0).contradicts, 1);
        assert_eq!(d.version_file_count(1), 2);
    }

    #[test]
    fn hostile_manifest_bytes_are_errors() {
        assert!(decode(b"garbage").is_err());
        let good = encode(&[sample()]).unwrap_or_default();
        let mut raw = Vec::new();
        let _ = flate2::read::GzDecoder::new(good.as_slice()).read_to_end(&mut raw);
        for cut in [5, 10, raw.len() / 2, raw.len() - 1] {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let _ = gz.write_all(raw.get(..cut).unwrap_or(&[]));
            let truncated = gz.finish().unwrap_or_default();
            assert!(decode(&truncated).is_err(), "cut at {cut}");
        }
    }
}
