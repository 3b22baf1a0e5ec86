//! The single pass over the archive: hash every file, keep the few small files that name
//! versions and components, and remember everything odd as a warning.
//!
//! Why one pass that keeps only records: tar.gz can only be read forward, and which release
//! to compare with is known only after every name has been seen. So this pass keeps, per
//! file, its name, size, time and hashes (≈150 bytes), plus the first kilobytes of the few
//! files that declare versions (version files, plugin headers, extension manifests). The
//! diff runs afterwards on those records — no content is read twice, none is held.

use std::collections::HashMap;
use std::io::{self, Read, Seek};

use serde::{Deserialize, Serialize};

use crate::engine::detect::kinds::FileKind;
use crate::engine::detect::{self, kinds, SCAN_HEAD, SCAN_TAIL};
use crate::engine::facts::logs::{self, LogFacts, LogScanner};
use crate::engine::facts::sqldump::{ChangedRow, DumpFacts, EnabledPlugin, SqlScanner};
use crate::engine::read::hash::{FileHasher, Sha};
use crate::engine::read::paths;
use crate::engine::read::{self, EntryInfo, EntrySink, Flow, Progress, ScanError, Share, WalkInfo};
use crate::engine::report::{ArchiveFormat, Finding, Warning, WarningKind};
use std::io::Write;

/// Content of a captured file is cut at this size.
pub const CAPTURE_MAX: usize = 64 * 1024;
/// All captures together may not exceed this (a hostile archive could hold a million
/// `style.css` files).
pub const CAPTURE_BUDGET: usize = 48 << 20;
/// Records reserved up front at most (a hostile central directory can claim millions).
const RESERVE_RECORDS_MAX: usize = 1 << 18;
/// Warnings beyond this many are counted, not kept.
pub const MAX_WARNINGS: usize = 2_000;
/// Link entries kept at most (a hostile tar can hold millions).
pub const MAX_LINKS: usize = 10_000;
/// Read buffer per file (reused).
pub const CHUNK: usize = 256 * 1024;
/// Log files read at most (each keeps bounded tables: `facts::logs`).
pub const MAX_LOGS: usize = 200;

/// What the pass learned about one regular file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileRecord {
    /// Position of the entry in the archive (merging shares keeps one pass's order).
    pub entry: u64,
    /// As named in the archive.
    pub name: String,
    /// Normalised for matching.
    pub path: String,
    pub size: u64,
    pub mtime: Option<i64>,
    pub sha256: Sha,
    /// Whitespace-free hash; `None` for media, where it is never compared.
    pub sha256_ws: Option<Sha>,
    /// What the content rules found (judged later: unchanged release files are never flagged).
    pub findings: Vec<Finding>,
    /// The content went to an [`OffloadHasher`]: `sha256` is zero until
    /// [`Collected::set_hash`] fills it in.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hash_pending: bool,
}

/// Everything the pass produced. Serialisable: a scanning worker that read one [`Share`]
/// hands its part to the worker that merges them and writes the report.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Collected {
    pub files: Vec<FileRecord>,
    /// Normalised path → first bytes, for version files and component headers.
    pub captures: HashMap<String, Vec<u8>>,
    pub warnings: Vec<Warning>,
    /// Warnings that did not fit in `warnings`.
    pub dropped_warnings: u64,
    /// Paths of entries that exist but were not read (encrypted, damaged, links…): never "missing".
    pub unreadable: Vec<String>,
    pub format: ArchiveFormat,
    pub entries: u64,
    pub archive_size: u64,
    /// Administrator accounts found in SQL dumps.
    pub accounts: Vec<crate::engine::report::Account>,
    /// Plugins the dumps switch on (compared with the files once every name is known).
    #[serde(default)]
    pub enabled_plugins: Vec<EnabledPlugin>,
    /// Link entries (tar), at most [`MAX_LINKS`]: where each points is judged later.
    #[serde(default)]
    pub links: Vec<read::LinkEntry>,
    /// Database users the dumps grant rights to (names only), with the dump's name.
    #[serde(default)]
    pub db_users: Vec<(String, String)>,
    /// What the backup's log files say (first requests, first errors), at most [`MAX_LOGS`].
    #[serde(default)]
    pub logs: Vec<LogFacts>,
    /// Flagged rows of the dumps with their change times (for dating the break-in).
    #[serde(default)]
    pub changed_rows: Vec<ChangedRow>,
}

impl Collected {
    /// Files whose hash an [`OffloadHasher`] is still computing (indices in `files`).
    pub fn pending_hashes(&self) -> Vec<usize> {
        self.files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.hash_pending.then_some(i))
            .collect()
    }

    /// Fills in a hash computed elsewhere for `files[index]`.
    pub fn set_hash(&mut self, index: usize, sha256: Sha) {
        if let Some(f) = self.files.get_mut(index) {
            f.sha256 = sha256;
            f.hash_pending = false;
        }
    }
}

/// Computes the SHA-256 of whole media files somewhere else, from the bytes this pass reads
/// anyway. The browser worker hands them to WebCrypto (SHA-256 in wasm runs ~230 MB/s without
/// SHA instructions; the browser's own runs natively, on its own threads), so the wasm only
/// inflates and runs the rules. The result arrives later: see [`Collected::pending_hashes`].
pub trait OffloadHasher {
    /// Whether to take this file (normalised path, declared size); if so, every chunk of
    /// its content follows through `update`, then `finish` or `abort`.
    fn start(&mut self, path: &str, size: u64) -> bool;
    fn update(&mut self, chunk: &[u8]);
    /// The content is complete; `record` is the file's index in [`Collected::files`].
    fn finish(&mut self, record: usize);
    /// The file could not be read to its end: forget it.
    fn abort(&mut self);
}

/// Observes progress and may cancel. The browser worker and the CLI implement it.
pub trait Observer {
    /// `Flow::Stop` cancels the scan.
    fn progress(&mut self, progress: &Progress, current: &str) -> Flow;
}

/// An observer that never stops and shows nothing.
pub struct Silent;

impl Observer for Silent {
    fn progress(&mut self, _: &Progress, _: &str) -> Flow {
        Flow::Continue
    }
}

/// Whether the first bytes of this file are needed later (and how many).
pub fn capture_limit(path: &str) -> Option<usize> {
    if crate::engine::facts::secrets::is_config_file(path) {
        return Some(256 * 1024);
    }
    if let Some(n) = crate::engine::facts::account::capture_limit(path) {
        return Some(n);
    }
    let name = paths::file_name(path);
    let lower = name.to_ascii_lowercase();
    let version_files = [
        "version.php",
        "drupal.php",
        "bootstrap.inc",
        "typo3version.php",
        "systemenvironmentbuilder.php",
        "joomla.xml",
    ];
    if version_files.contains(&lower.as_str()) {
        return Some(CAPTURE_MAX);
    }
    if lower == "style.css" && path.contains("/themes/") {
        return Some(8 * 1024);
    }
    if lower == "ext_emconf.php" || lower.ends_with(".info.yml") || lower.ends_with(".info") {
        return Some(8 * 1024);
    }
    if lower.ends_with(".php") {
        // A WordPress plugin's main file sits directly in its folder (or in plugins/).
        if let Some(i) = path
            .find("wp-content/plugins/")
            .or_else(|| path.find("wp-content/mu-plugins/"))
        {
            let rest = path.get(i..).unwrap_or("");
            if rest.matches('/').count() <= 3 {
                return Some(8 * 1024);
            }
        }
    }
    if lower.ends_with(".xml")
        && (path.contains("components/com_")
            || path.contains("modules/mod_")
            || path.contains("plugins/")
            || path.contains("templates/")
            || path.contains("manifests/"))
        && path.matches('/').count() <= 8
    {
        return Some(16 * 1024);
    }
    None
}

/// How much more a byte of text costs than a byte of media: the rule engine against reading
/// and hashing. Natively SHA-256 runs ~1.5 GB/s (SHA instructions) and the rules ~50 MB/s
/// (bench/run.sh on the generated 1.7 GB backup: 20 left the media share 4.8 s behind, 8
/// the text share 6.2 s behind). In the browser, each worker timed on the same backups
/// (reads included): media ~125 MB/s, text ~12 MB/s (rules, and SHA-256 twice in wasm); a
/// media byte counts twice here (stored: compressed + size). The text share ended after the
/// media share by 3.7 s (1.7 GB) and 4.3 s (4 GB) at 14, and before it by 1.5 s and 0.5 s at
/// 30; 26 is between the two backups' balance points (25 and 28).
#[cfg(not(target_arch = "wasm32"))]
const TEXT_WEIGHT: u64 = 20;
#[cfg(target_arch = "wasm32")]
const TEXT_WEIGHT: u64 = 26;

/// Rough work of one entry, to split shares evenly: reading and inflating its bytes, and for
/// text (code, logs, dumps) the rule engine ([`TEXT_WEIGHT`]). Media — most of a backup's
/// bytes — costs only its reading and hashing.
pub fn entry_cost(name: &[u8], compressed: u64, size: u64) -> u64 {
    let name = String::from_utf8_lossy(name);
    let ext = paths::extension(&name.to_ascii_lowercase());
    let text = if kinds::is_binary_ext(&ext) {
        0
    } else {
        size.min(SCAN_HEAD as u64 + SCAN_TAIL as u64)
            .saturating_mul(TEXT_WEIGHT)
    };
    compressed.saturating_add(size).saturating_add(text).max(1)
}

struct CollectSink<'o> {
    out: Collected,
    observer: &'o mut dyn Observer,
    buf: Vec<u8>,
    /// Content kept for the rules: the head of the file, and a rolling tail for big ones.
    head: Vec<u8>,
    tail: Vec<u8>,
    captured_bytes: usize,
    /// This share's part of [`CAPTURE_BUDGET`].
    capture_budget: usize,
    /// Where media hashes are computed, if not here.
    offload: Option<&'o mut dyn OffloadHasher>,
    capture_warned: bool,
}

impl CollectSink<'_> {
    /// The rules over what was kept of a file: its head, and its tail if it was big.
    fn scan_kept(&mut self, path: &str) -> Vec<Finding> {
        let Some(d) = detect::detector() else {
            return Vec::new();
        };
        if self.tail.is_empty() {
            return d.scan(path, &self.head);
        }
        let mut both = std::mem::take(&mut self.head);
        // Exactly: doubling a 4 MB head to append a 256 KB tail kept 8 MB for the whole walk.
        both.reserve_exact(1 + self.tail.len());
        both.push(b'\n');
        both.extend_from_slice(&self.tail);
        let f = d.scan(path, &both);
        self.head = both;
        f
    }

    /// Keeps what a dump said about accounts and plugins; its findings go to its record.
    fn take_dump(&mut self, dump: &str, d: DumpFacts) -> Vec<Finding> {
        self.out.accounts.extend(d.accounts);
        self.out.enabled_plugins.extend(d.enabled);
        let users = d.db_users.into_iter().map(|u| (dump.to_owned(), u));
        self.out.db_users.extend(users);
        self.out.changed_rows.extend(d.changed_rows);
        d.findings
    }

    /// Keeps what a log said, if it said anything.
    fn keep_log(&mut self, facts: LogFacts) {
        if !facts.is_empty() && self.out.logs.len() < MAX_LOGS {
            self.out.logs.push(facts);
        }
    }

    /// A file that could not be read to its end: no record, but it is not "missing" either.
    fn abandon(&mut self, path: &str, offloaded: bool) {
        if let Some(o) = self.offload.as_mut().filter(|_| offloaded) {
            o.abort();
        }
        self.out.unreadable.push(path.to_owned());
    }

    /// Keeps a file's first bytes for recognition (version files, plugin headers), within
    /// the share's budget.
    fn keep_capture(&mut self, path: &str, kept: Vec<u8>) {
        if self.captured_bytes + kept.len() <= self.capture_budget {
            self.captured_bytes += kept.len();
            self.out.captures.insert(path.to_owned(), kept);
        } else if !self.capture_warned {
            self.capture_warned = true;
            self.push_warning(Warning::new(
                WarningKind::Limit,
                None,
                "The backup holds an unusual number of plugin and version files; some were not read for the inventory.",
            ));
        }
    }

    fn push_warning(&mut self, w: Warning) {
        if self.out.warnings.len() < MAX_WARNINGS {
            self.out.warnings.push(w);
        } else {
            self.out.dropped_warnings += 1;
        }
    }
}

impl EntrySink for CollectSink<'_> {
    fn file(&mut self, info: &EntryInfo, data: &mut dyn Read) -> io::Result<()> {
        let ext = paths::extension(&info.path);
        let binary = kinds::is_binary_ext(&ext);
        let offloaded = binary
            && self
                .offload
                .as_mut()
                .is_some_and(|o| o.start(&info.path, info.size));
        let mut hasher = (!offloaded).then(|| FileHasher::new(!binary));
        let mut capture = capture_limit(&info.path).map(|limit| (limit, Vec::new()));
        if self.buf.len() < CHUNK {
            self.buf.resize(CHUNK, 0);
        }
        let mut size = 0u64;
        // Whether (and how much of) this file's content goes through the rules; decided
        // from the name, or from the first bytes for names without a telling extension.
        let mut scan: Option<(usize, usize)> = None;
        let mut decided = false;
        let mut sql = sql_sink_for(info);
        let mut log = LogStream::open(info, self.out.logs.len());
        self.head.clear();
        self.tail.clear();
        let result = loop {
            let n = match data.read(&mut self.buf) {
                Ok(0) => break Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => break Err(e),
            };
            let chunk = self.buf.get(..n).unwrap_or(&[]);
            match (hasher.as_mut(), self.offload.as_mut()) {
                (Some(h), _) => h.update(chunk),
                (None, Some(o)) => o.update(chunk),
                (None, None) => {}
            }
            size += n as u64;
            if let Some(s) = sql.as_mut() {
                if s.write_all(chunk).is_err() {
                    sql = None; // a damaged .sql.gz: the hash still counts, the dump is not read
                }
            }
            log.feed(chunk);
            if !decided {
                decided = true;
                scan = detect::kind_of(&info.path, chunk).map(|k| match k {
                    // Images: PHP hides in the metadata at the start or is appended at the end.
                    FileKind::Image => (64 << 10, 64 << 10),
                    _ => (SCAN_HEAD, SCAN_TAIL),
                });
            }
            if let Some((head_max, tail_max)) = scan {
                keep_window(&mut self.head, &mut self.tail, chunk, head_max, tail_max);
            }
            if let Some((limit, kept)) = capture.as_mut() {
                let room = limit.saturating_sub(kept.len());
                kept.extend_from_slice(chunk.get(..room.min(n)).unwrap_or(&[]));
            }
        };
        if let Err(e) = result {
            self.abandon(&info.path, offloaded);
            return Err(e);
        }
        let (sha256, sha256_ws) = match hasher {
            Some(h) => h.finish(),
            None => ([0; 32], None),
        };
        if let Some(o) = self.offload.as_mut().filter(|_| offloaded) {
            o.finish(self.out.files.len());
        }
        let sql_findings = sql.map_or_else(Vec::new, |s| self.take_dump(&info.name, s.done()));
        if let Some(facts) = log.finish() {
            self.keep_log(facts);
        }
        // Rows of a dump are its evidence; rules for the rest, unless it is published code.
        let rule_findings = match scan {
            Some(_) if !detect::known_clean(&sha256) => self.scan_kept(&info.path),
            _ => Vec::new(),
        };
        let findings = if sql_findings.is_empty() {
            rule_findings
        } else {
            sql_findings
        };
        if let Some((_, kept)) = capture {
            self.keep_capture(&info.path, kept);
        }
        self.out.files.push(FileRecord {
            entry: info.index,
            name: info.name.clone(),
            path: info.path.clone(),
            size,
            mtime: info.mtime,
            sha256,
            sha256_ws,
            findings,
            hash_pending: offloaded,
        });
        Ok(())
    }

    fn warning(&mut self, warning: Warning) {
        if let Some(p) = &warning.path {
            if matches!(
                warning.kind,
                WarningKind::Encrypted
                    | WarningKind::UnsupportedMethod
                    | WarningKind::Corrupt
                    | WarningKind::Bomb
                    | WarningKind::Symlink
            ) {
                let mut issues = paths::NameIssues::default();
                self.out.unreadable.push(paths::normalize(p, &mut issues).0);
            }
        }
        self.push_warning(warning);
    }

    fn link(&mut self, link: &read::LinkEntry) {
        if self.out.links.len() < MAX_LINKS {
            self.out.links.push(link.clone());
        }
    }

    fn progress(&mut self, progress: &Progress, current: &str) -> Flow {
        self.observer.progress(progress, current)
    }
}

/// A dump reader, plain or behind a gzip write-decoder.
/// The reader for a SQL dump (`.sql`, or `.sql.gz` inflated on the way), if the file is one.
fn sql_sink_for(info: &EntryInfo) -> Option<Box<dyn SqlSink>> {
    let lower = info.path.to_ascii_lowercase();
    if lower.ends_with(".sql") {
        Some(Box::new(SqlScanner::new(&info.name)))
    } else if lower.ends_with(".sql.gz") {
        Some(Box::new(flate2::write::MultiGzDecoder::new(
            SqlScanner::new(&info.name),
        )))
    } else {
        None
    }
}

/// The reader for a log file (plain, or `.gz` inflated on the way), if the file is one.
fn log_sink_for(info: &EntryInfo) -> Option<Box<dyn LogSink>> {
    if !logs::is_log(&info.path) {
        return None;
    }
    let scanner = LogScanner::new(&info.name);
    if info.path.to_ascii_lowercase().ends_with(".gz") {
        Some(Box::new(flate2::write::MultiGzDecoder::new(scanner)))
    } else {
        Some(Box::new(scanner))
    }
}

/// A log being read as its bytes arrive; a damaged or oversized one stops, keeping what it
/// had read.
struct LogStream {
    open: Option<Box<dyn LogSink>>,
    stopped: Option<Box<dyn LogSink>>,
}

impl LogStream {
    fn open(info: &EntryInfo, logs_kept: usize) -> Self {
        LogStream {
            open: (logs_kept < MAX_LOGS).then(|| log_sink_for(info)).flatten(),
            stopped: None,
        }
    }

    fn feed(&mut self, chunk: &[u8]) {
        if let Some(l) = self.open.as_mut() {
            if l.write_all(chunk).is_err() {
                self.stopped = self.open.take();
            }
        }
    }

    fn finish(self) -> Option<LogFacts> {
        self.open.or(self.stopped).map(|l| l.done())
    }
}

trait LogSink: std::io::Write {
    fn done(self: Box<Self>) -> LogFacts;
}

impl LogSink for LogScanner {
    fn done(self: Box<Self>) -> LogFacts {
        self.finish()
    }
}

impl LogSink for flate2::write::MultiGzDecoder<LogScanner> {
    fn done(self: Box<Self>) -> LogFacts {
        // A damaged or cut stream keeps what was inflated so far.
        let mut s = *self;
        let _ = s.try_finish();
        std::mem::replace(s.get_mut(), LogScanner::new("")).finish()
    }
}

/// Keeps what the rules read of a file: its first `head_max` bytes, and of the rest only the
/// last `tail_max` (copying at most that much of each chunk, since media is most of a
/// backup's bytes, and dropping what falls out in front).
fn keep_window(
    head: &mut Vec<u8>,
    tail: &mut Vec<u8>,
    chunk: &[u8],
    head_max: usize,
    tail_max: usize,
) {
    let n = chunk.len();
    let room = head_max.saturating_sub(head.len());
    head.extend_from_slice(chunk.get(..room.min(n)).unwrap_or(&[]));
    if n > room {
        let rest = chunk.get(room.min(n)..).unwrap_or(&[]);
        let rest = rest
            .get(rest.len().saturating_sub(tail_max)..)
            .unwrap_or(rest);
        let overflow = (tail.len() + rest.len()).saturating_sub(tail_max);
        tail.drain(..overflow.min(tail.len()));
        tail.extend_from_slice(rest);
    }
}

trait SqlSink: std::io::Write {
    fn done(self: Box<Self>) -> DumpFacts;
}

impl SqlSink for SqlScanner {
    fn done(self: Box<Self>) -> DumpFacts {
        self.finish()
    }
}

impl SqlSink for flate2::write::MultiGzDecoder<SqlScanner> {
    fn done(self: Box<Self>) -> DumpFacts {
        match self.finish() {
            Ok(s) => s.finish(),
            Err(_) => DumpFacts::default(),
        }
    }
}

/// Reads the whole archive once. `total_len` is the archive's size in bytes.
pub fn collect<R: Read + Seek>(
    reader: R,
    total_len: u64,
    observer: &mut dyn Observer,
) -> Result<Collected, ScanError> {
    let part = collect_share(reader, total_len, Share::WHOLE, observer)?;
    Ok(merge(vec![part]))
}

/// Reads one [`Share`] of the archive. The parts of all shares go to [`merge`].
pub fn collect_share<R: Read + Seek>(
    reader: R,
    total_len: u64,
    share: Share,
    observer: &mut dyn Observer,
) -> Result<Collected, ScanError> {
    collect_share_offloading(reader, total_len, share, None, observer)
}

/// [`collect_share`], with the SHA-256 of media files computed by `offload` (which says
/// which files it takes); their records wait for it ([`Collected::pending_hashes`]).
pub fn collect_share_offloading<'a, R: Read + Seek>(
    reader: R,
    total_len: u64,
    share: Share,
    offload: Option<&'a mut dyn OffloadHasher>,
    observer: &'a mut dyn Observer,
) -> Result<Collected, ScanError> {
    let mut steps = ShareCollector::open(reader, total_len, share, offload, observer)?;
    while !steps.step(u64::MAX)? {}
    Ok(steps.finish())
}

/// [`collect_share_offloading`] in steps of about `budget` archive bytes
/// ([`read::ShareWalk`]): the browser worker returns to its event loop between steps.
pub struct ShareCollector<'a, R: Read + Seek> {
    sink: CollectSink<'a>,
    walk: read::ShareWalk<R>,
}

impl<'a, R: Read + Seek> ShareCollector<'a, R> {
    /// Opens the archive (archive-level errors come here).
    pub fn open(
        reader: R,
        total_len: u64,
        share: Share,
        offload: Option<&'a mut dyn OffloadHasher>,
        observer: &'a mut dyn Observer,
    ) -> Result<Self, ScanError> {
        let mut sink = CollectSink {
            out: Collected {
                archive_size: total_len,
                ..Collected::default()
            },
            observer,
            buf: Vec::new(),
            head: Vec::new(),
            tail: Vec::new(),
            captured_bytes: 0,
            capture_budget: CAPTURE_BUDGET / share.count.max(1) as usize,
            offload,
            capture_warned: false,
        };
        let walk = read::ShareWalk::open(reader, total_len, share, entry_cost, &mut sink)?;
        // A ZIP says up front how many entries the share holds: room for all the records at
        // once, instead of doubling (a 4 GB backup's helper had 41,000 records in room for
        // 65,536, and both buffers alive while it moved). Bounded: the count is the archive's
        // word.
        if let Some(n) = walk.entries_total() {
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            sink.out.files.reserve_exact(n.min(RESERVE_RECORDS_MAX));
        }
        Ok(ShareCollector { sink, walk })
    }

    /// Reads on for about `budget` bytes of the archive; `Ok(true)` when the share is done.
    pub fn step(&mut self, budget: u64) -> Result<bool, ScanError> {
        self.walk.step(&mut self.sink, budget)
    }

    /// What the share held (call after the last step).
    pub fn finish(self) -> Collected {
        let WalkInfo { format, entries } = self.walk.info();
        let mut out = self.sink.out;
        out.format = format.unwrap_or_default();
        out.entries = entries;
        out
    }
}

/// Joins the parts of every share (in share order) into what one pass would have produced:
/// files in archive order, warnings of the first share first, and duplicate names resolved.
pub fn merge(parts: Vec<Collected>) -> Collected {
    let mut out = Collected::default();
    for (i, p) in parts.into_iter().enumerate() {
        if i == 0 {
            out.format = p.format;
            out.archive_size = p.archive_size;
        }
        out.entries = out.entries.max(p.entries);
        out.files.extend(p.files);
        out.captures.extend(p.captures);
        out.dropped_warnings += p.dropped_warnings;
        for w in p.warnings {
            if out.warnings.len() < MAX_WARNINGS {
                out.warnings.push(w);
            } else {
                out.dropped_warnings += 1;
            }
        }
        out.unreadable.extend(p.unreadable);
        out.accounts.extend(p.accounts);
        out.enabled_plugins.extend(p.enabled_plugins);
        out.links.extend(p.links);
        out.db_users.extend(p.db_users);
        out.logs.extend(p.logs);
        out.changed_rows.extend(p.changed_rows);
    }
    out.logs.truncate(MAX_LOGS);
    // Stable: within one share the order is already the archive's.
    out.files.sort_by_key(|f| f.entry);
    // Duplicate names in tar (ZIP dedupes itself): the last copy wins, as when unpacking.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut dup = Vec::new();
    for (i, f) in out.files.iter().enumerate() {
        if let Some(prev) = seen.insert(f.path.clone(), i) {
            dup.push(prev);
        }
    }
    if !dup.is_empty() {
        dup.sort_unstable();
        let first = dup
            .first()
            .and_then(|i| out.files.get(*i))
            .map(|f| f.name.clone());
        out.warnings.push(Warning::new(
            WarningKind::DuplicateName,
            first.as_deref(),
            crate::en!("{0} file name(s) appear more than once in the archive; the last copy of each was examined, as unpacking would keep it.", dup.len()),
        ));
        let mut drop = vec![false; out.files.len()];
        for i in dup {
            if let Some(d) = drop.get_mut(i) {
                *d = true;
            }
        }
        let mut i = 0;
        out.files.retain(|_| {
            i += 1;
            !drop.get(i - 1).copied().unwrap_or(false)
        });
    }
    out
}
