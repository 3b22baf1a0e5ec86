//! Reading backups: ZIP (with ZIP64, deflate, deflate64, bzip2, stored), tar and tar.gz.
//!
//! Every archive is hostile input. This module turns it into a stream of regular files
//! (name, declared size, time, content reader) for an [`EntrySink`], and turns everything odd
//! about an entry — links, encryption, unsupported methods, bad names, bombs, damage — into a
//! [`Warning`] instead of stopping. Only archive-level failures (not an archive at all, no
//! readable table of contents) are a [`ScanError`].
//!
//! Memory: ZIP needs `Read + Seek` (the `zip` crate reads the central directory once, then
//! seeks to each entry); tar.gz is read strictly forward. Content is handed to the sink as a
//! reader, never collected, so memory does not grow with archive or entry size.

pub mod hash;
pub mod paths;
pub mod time;

use std::io::{self, Read, Seek, SeekFrom};

use crate::engine::read::time::{civil_to_unix, DAY};
use crate::engine::report::{ArchiveFormat, ErrorKind, Warning, WarningKind};
use paths::NameIssues;

/// More entries than this is refused outright: a site backup has tens of thousands; a
/// central directory of tens of millions is an attack on memory.
pub const MAX_ENTRIES: usize = 5_000_000;

/// A big entry that inflates more than this many times its compressed size is treated as a
/// bomb. Deflate tops out near 1032:1 (runs of one byte); real site content — even SQL dumps
/// and logs — stays far below 200:1 at these sizes, so the cut costs nothing real and stops a
/// small upload from keeping the page busy hashing terabytes of zeros.
pub const MAX_RATIO: u64 = 200;

/// Below this many bytes of output, ratios are not checked (small files of zeros are fine).
const RATIO_FLOOR: u64 = 64 << 20;

/// An archive-level failure, with a message meant for the person who dropped the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub kind: ErrorKind,
    pub message: String,
}

impl ScanError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ScanError {
            kind,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ScanError {}

impl From<io::Error> for ScanError {
    fn from(e: io::Error) -> Self {
        ScanError::new(
            ErrorKind::Io,
            crate::en!("The backup could not be read: {0}", e),
        )
    }
}

/// What the sink learns about one regular file.
#[derive(Debug, Clone)]
pub struct EntryInfo {
    /// The name exactly as the archive gives it (decoded to text).
    pub name: String,
    /// Normalised relative path used for matching.
    pub path: String,
    /// Declared uncompressed size (a claim, not a fact).
    pub size: u64,
    /// Modification time, seconds since 1970 (UTC, or local time for ZIP DOS times).
    pub mtime: Option<i64>,
    /// Position of the entry in the archive (central-directory order for ZIP), so that the
    /// records of several [`Share`]s merge back into the order one pass would give.
    pub index: u64,
}

/// Progress between entries.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub entries_done: u64,
    /// Known up front for ZIP only.
    pub entries_total: Option<u64>,
    /// Bytes of the archive file consumed so far.
    pub bytes_done: u64,
    pub bytes_total: u64,
}

/// Whether to go on after a progress report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

/// Receives the files of an archive, one at a time.
pub trait EntrySink {
    /// Reads one regular file. An `Err` becomes a warning for that entry; the walk goes on.
    fn file(&mut self, info: &EntryInfo, data: &mut dyn Read) -> io::Result<()>;
    fn warning(&mut self, warning: Warning);
    /// Called before each entry; `Flow::Stop` cancels the walk. `current` is the entry name.
    fn progress(&mut self, progress: &Progress, current: &str) -> Flow;
}

/// Part `index` of `count` of an archive's work, for scanning one archive with several
/// workers (each opens the same file and reads only its share).
///
/// ZIP is split by bytes, not by entry count: an entry belongs to the share whose byte range
/// holds its local header, and the ranges cut the archive's data into equal lengths. A
/// backup's first half of entries can hold 1 % of its bytes (a 1.7 GB WordPress backup measured: small code files first, media after), so equal
/// counts would leave one worker idle. tar and tar.gz can only be read forward from the
/// start: the first share reads all of it and the others get nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Share {
    pub index: u32,
    pub count: u32,
}

impl Share {
    /// The whole archive in one pass.
    pub const WHOLE: Share = Share { index: 0, count: 1 };

    /// Share `index` of `count` (clamped into range; `count` at least 1).
    pub fn new(index: u32, count: u32) -> Share {
        let count = count.max(1);
        Share {
            index: index.min(count - 1),
            count,
        }
    }

    /// The first share also reports what concerns the whole archive.
    pub fn is_first(self) -> bool {
        self.index == 0
    }

    /// Byte range `[start, end)` of this share. `spans` holds each entry's local-header
    /// offset and estimated cost, sorted by offset; the ranges are contiguous (each worker
    /// reads one stretch of the file) and cut where the running cost reaches an equal part.
    /// The last share runs to the end of the file.
    fn bounds(self, spans: &[(u64, u64)]) -> (u64, u64) {
        let total: u128 = spans.iter().map(|s| u128::from(s.1)).sum();
        let cut = |k: u32| -> u64 {
            if k == 0 {
                return 0;
            }
            if k >= self.count {
                return u64::MAX;
            }
            let goal = total * u128::from(k) / u128::from(self.count.max(1));
            let mut run = 0u128;
            for &(start, cost) in spans {
                if run >= goal {
                    return start;
                }
                run += u128::from(cost);
            }
            u64::MAX
        };
        (cut(self.index), cut(self.index + 1))
    }
}

/// The rough work of one entry, `(raw name, compressed size, size) -> cost`, by which ZIP
/// shares are split evenly. The reader knows bytes, not what the scanner does with them, so
/// the caller passes its own model (see `collect::entry_cost`).
pub type EntryCost = fn(&[u8], u64, u64) -> u64;

/// Summary of a finished walk.
#[derive(Debug, Clone, Default)]
pub struct WalkInfo {
    pub format: Option<ArchiveFormat>,
    pub entries: u64,
}

/// Recognises the format from the first bytes (at least 512 for tar).
pub fn sniff(head: &[u8], total_len: u64) -> Result<ArchiveFormat, ScanError> {
    if total_len == 0 || head.is_empty() {
        return Err(ScanError::new(
            ErrorKind::Empty,
            "The file is empty (0 bytes). The backup was probably not downloaded completely: download it again.",
        ));
    }
    let starts = |m: &[u8]| head.starts_with(m);
    if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") || starts(b"PK\x07\x08") {
        return Ok(ArchiveFormat::Zip);
    }
    if starts(&[0x1f, 0x8b]) {
        return Ok(ArchiveFormat::TarGz);
    }
    if head.get(257..262) == Some(b"ustar") || looks_like_old_tar(head) {
        return Ok(ArchiveFormat::Tar);
    }
    let other = if starts(b"Rar!\x1a\x07") {
        Some("a RAR archive")
    } else if starts(b"7z\xbc\xaf\x27\x1c") {
        Some("a 7-Zip archive")
    } else if starts(b"BZh") {
        Some("a bzip2-compressed file (.tar.bz2)")
    } else if starts(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        Some("an xz-compressed file (.tar.xz)")
    } else if starts(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Some("a zstd-compressed file (.tar.zst)")
    } else {
        None
    };
    if let Some(what) = other {
        return Err(ScanError::new(
            ErrorKind::UnsupportedFormat,
            crate::en!("This is {0}, which this tool cannot open yet. Please make the backup as a .zip or .tar.gz file (most hosting panels offer both).", what),
        ));
    }
    let text = head
        .iter()
        .take(512)
        .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace());
    let message = if text {
        "This file is not a ZIP or tar.gz backup. It looks like a text file (for example a database export on its own). Drop the archive that your host or backup plugin produced (a file ending in .zip, .tar.gz or .tgz)."
    } else {
        "This file is not a ZIP or tar.gz backup. Drop the archive that your host or backup plugin produced (a file ending in .zip, .tar.gz or .tgz)."
    };
    Err(ScanError::new(ErrorKind::NotAnArchive, message))
}

/// Pre-POSIX tar has no magic; its header checksum is the tell.
fn looks_like_old_tar(head: &[u8]) -> bool {
    let Some(block) = head.get(..512) else {
        return false;
    };
    let Some(field) = block.get(148..156) else {
        return false;
    };
    let digits: String = field
        .iter()
        .map(|b| char::from(*b))
        .filter(|c| ('0'..='7').contains(c))
        .collect();
    let Ok(stored) = u32::from_str_radix(&digits, 8) else {
        return false;
    };
    let sum: u32 = block
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u32::from(*b)
            }
        })
        .sum();
    sum == stored && block.first().is_some_and(|b| *b != 0)
}

/// One [`Share`] of the archive, walked in steps: [`ShareWalk::step`] returns after about `budget` bytes of the
/// archive, so a caller without threads (the browser worker) can let its event loop run
/// between steps. Both stop between entries: ZIP by central-directory index, tar and tar.gz
/// at the next header of their forward-only stream.
pub struct ShareWalk<R: Read + Seek> {
    format: ArchiveFormat,
    state: WalkState<R>,
    entries: u64,
}

enum WalkState<R: Read + Seek> {
    Zip(Box<ZipWalk<R>>),
    Tar(Box<TarWalk<R>>),
    Done,
}

impl<R: Read + Seek> ShareWalk<R> {
    /// Recognises the format and, for ZIP, reads the central directory (the archive-level
    /// errors and warnings come here).
    pub fn open(
        mut reader: R,
        total_len: u64,
        share: Share,
        cost: EntryCost,
        sink: &mut dyn EntrySink,
    ) -> Result<Self, ScanError> {
        let mut head = [0u8; 1024];
        let n = read_up_to(&mut reader, &mut head)?;
        reader.seek(SeekFrom::Start(0))?;
        let format = sniff(head.get(..n).unwrap_or(&[]), total_len)?;
        let state =
            match format {
                ArchiveFormat::Zip => {
                    WalkState::Zip(Box::new(open_zip(reader, total_len, share, cost, sink)?))
                }
                _ if !share.is_first() => WalkState::Done,
                ArchiveFormat::Tar | ArchiveFormat::TarGz => WalkState::Tar(Box::new(
                    TarWalk::new(reader, total_len, format == ArchiveFormat::TarGz),
                )),
            };
        Ok(ShareWalk {
            format,
            state,
            entries: 0,
        })
    }

    /// Walks on for about `budget` bytes of the archive; `Ok(true)` when the share is done.
    pub fn step(&mut self, sink: &mut dyn EntrySink, budget: u64) -> Result<bool, ScanError> {
        let done = match &mut self.state {
            WalkState::Zip(zip) => {
                let done = zip.step(sink, budget)?;
                self.entries = zip.count as u64;
                done
            }
            WalkState::Tar(tar) => {
                let done = tar.step(sink, budget)?;
                self.entries = tar.count;
                done
            }
            WalkState::Done => true,
        };
        if done {
            self.state = WalkState::Done;
        }
        Ok(done)
    }

    /// How many entries the share holds, when the archive says so up front (a ZIP's central
    /// directory; tar and tar.gz are only known by reading them).
    pub fn entries_total(&self) -> Option<u64> {
        match &self.state {
            WalkState::Zip(zip) => zip.progress.entries_total,
            WalkState::Tar(_) | WalkState::Done => None,
        }
    }

    pub fn info(&self) -> WalkInfo {
        WalkInfo {
            format: Some(self.format),
            entries: self.entries,
        }
    }
}

fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(buf.get_mut(n..).unwrap_or(&mut [])) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Name checks shared by both formats; returns (decoded name, normalised path, is_dir).
fn check_name(raw: &[u8], sink: &mut dyn EntrySink) -> (String, String, bool) {
    let mut issues = NameIssues::default();
    let name = paths::decode_name(raw, &mut issues);
    let (path, is_dir) = paths::normalize(&name, &mut issues);
    if issues.any() {
        sink.warning(Warning::new(
            WarningKind::SuspiciousName,
            Some(&name),
            crate::en!("Odd file name: {0}. Attackers use names like this to hide files or trick tools that unpack backups.", issues.describe()),
        ));
    }
    (name, path, is_dir)
}

fn dos_to_unix(dt: &zip::DateTime) -> Option<i64> {
    if !dt.is_valid() {
        return None;
    }
    Some(
        civil_to_unix(
            i64::from(dt.year()),
            u32::from(dt.month()),
            u32::from(dt.day()),
        ) + i64::from(dt.hour()) * 3600
            + i64::from(dt.minute()) * 60
            + i64::from(dt.second()),
    )
}

fn zip_error(e: zip::result::ZipError) -> ScanError {
    use zip::result::ZipError as Z;
    match e {
        Z::Io(io) => ScanError::new(
            ErrorKind::Corrupt,
            crate::en!("The ZIP file is damaged or incomplete ({0}). If you downloaded it, download it again; if your host made it, make a new backup.", io),
        ),
        Z::InvalidArchive(why) => ScanError::new(
            ErrorKind::Corrupt,
            crate::en!("The ZIP file is damaged or incomplete: its table of contents could not be read ({0}). It was probably cut off while downloading: download it again.", why),
        ),
        Z::UnsupportedArchive(why) => ScanError::new(
            ErrorKind::UnsupportedFormat,
            crate::en!("This ZIP uses a feature this tool cannot read ({0}). Please make the backup again as a plain .zip or .tar.gz.", why),
        ),
        other => ScanError::new(ErrorKind::Corrupt, crate::en!("The ZIP file could not be read: {0}.", other)),
    }
}

/// Offsets of entries whose data overlaps an earlier entry's (the "zip bomb" trick of many
/// entries sharing one compressed stream). Judged from the central directory alone.
fn overlapping_entries<R: Read + Seek>(zip: &zip::ZipArchive<R>) -> Vec<bool> {
    let mut spans: Vec<(u64, u64, usize)> = (0..zip.len())
        .filter_map(|i| {
            let e = zip.by_index_data(i).ok()?;
            Some((e.header_start(), e.compressed_size(), i))
        })
        .collect();
    spans.sort_unstable();
    let mut bad = vec![false; zip.len()];
    let mut end_of_prev = 0u64;
    let mut first = true;
    for (start, csize, i) in spans {
        if !first && start < end_of_prev {
            if let Some(b) = bad.get_mut(i) {
                *b = true;
            }
        }
        first = false;
        end_of_prev = end_of_prev.max(start.saturating_add(30).saturating_add(csize));
    }
    bad
}

/// A ZIP walk that can stop between entries and go on later ([`ZipWalk::step`]), so that
/// the browser worker can return to its event loop every few MB: that is when the browser
/// frees what the walk left behind (read buffers, WebCrypto's copies of hashed files).
struct ZipWalk<R: Read + Seek> {
    zip: zip::ZipArchive<R>,
    total_len: u64,
    count: usize,
    overlapping: Vec<bool>,
    /// This share's byte range of the archive.
    lo: u64,
    hi: u64,
    progress: Progress,
    overlap_count: u64,
    /// Central-directory index of the next entry to look at.
    next: usize,
    buf_name: Vec<u8>,
}

fn open_zip<R: Read + Seek>(
    reader: R,
    total_len: u64,
    share: Share,
    entry_cost: EntryCost,
    sink: &mut dyn EntrySink,
) -> Result<ZipWalk<R>, ScanError> {
    let zip = zip::ZipArchive::new(reader).map_err(zip_error)?;
    let count = zip.len();
    if count > MAX_ENTRIES {
        return Err(ScanError::new(
            ErrorKind::TooManyEntries,
            crate::en!("The ZIP claims to hold {0} entries, more than any website backup (the limit is {1}). It is not a normal backup.", count, MAX_ENTRIES),
        ));
    }
    if share.is_first() && zip.has_duplicate_names() {
        sink.warning(Warning::new(
            WarningKind::DuplicateName,
            None,
            "Some names appear more than once in this ZIP; only the last copy of each was examined. Unpacking programs disagree on which copy wins, which attackers use to hide files.",
        ));
    }
    let overlapping = overlapping_entries(&zip);
    // Which entries are this share's: by the byte range their local header falls in.
    let (lo, hi, share_entries) = if share.count > 1 {
        let mut spans: Vec<(u64, u64)> = (0..count)
            .filter_map(|i| {
                let e = zip.by_index_data(i).ok()?;
                let cost = entry_cost(e.name_raw(), e.compressed_size(), e.size());
                Some((e.header_start(), cost))
            })
            .collect();
        spans.sort_unstable();
        let (lo, hi) = share.bounds(&spans);
        let n = spans.iter().filter(|(s, _)| *s >= lo && *s < hi).count();
        (lo, hi, n as u64)
    } else {
        (0, u64::MAX, count as u64)
    };
    let progress = Progress {
        entries_total: Some(share_entries),
        bytes_total: hi.min(total_len).saturating_sub(lo),
        ..Progress::default()
    };
    Ok(ZipWalk {
        zip,
        total_len,
        count,
        overlapping,
        lo,
        hi,
        progress,
        overlap_count: 0,
        next: 0,
        buf_name: Vec::new(),
    })
}

impl<R: Read + Seek> ZipWalk<R> {
    /// Walks entries until about `budget` bytes of the archive were read; `Ok(true)` once
    /// every entry of the share is done.
    fn step(&mut self, sink: &mut dyn EntrySink, budget: u64) -> Result<bool, ScanError> {
        let mut spent = 0u64;
        while self.next < self.count {
            // At least one entry per step, whatever the budget.
            if spent > 0 && spent >= budget {
                return Ok(false);
            }
            let i = self.next;
            self.next += 1;
            let Ok(meta) = self.zip.by_index_data(i) else {
                continue;
            };
            if meta.header_start() < self.lo || meta.header_start() >= self.hi {
                continue;
            }
            self.buf_name.clear();
            self.buf_name.extend_from_slice(meta.name_raw());
            let header_start = meta.header_start();
            let declared = meta.size();
            let compressed = meta.compressed_size();
            spent = spent.saturating_add(compressed.max(1));
            let is_symlink = meta.is_symlink();
            let is_dir_meta = meta.is_dir();
            let encrypted = meta.encrypted();
            let method = meta.compression();
            let dos = meta.last_modified();
            drop(meta);

            self.progress.bytes_done = header_start.min(self.total_len).saturating_sub(self.lo);
            let display = String::from_utf8_lossy(&self.buf_name).into_owned();
            if sink.progress(&self.progress, &display) == Flow::Stop {
                return Err(ScanError::new(
                    ErrorKind::Cancelled,
                    "The scan was cancelled.",
                ));
            }
            self.progress.entries_done += 1;
            let (name, path, is_dir) = check_name(&self.buf_name, sink);
            if is_dir || is_dir_meta {
                continue;
            }
            let meta = EntryMeta {
                is_symlink,
                encrypted,
                method,
                declared,
                compressed,
            };
            if let Some(refused) = self.refusal(i, &name, &meta) {
                if let Some(w) = refused {
                    sink.warning(w);
                }
                continue;
            }
            let file = match self.zip.by_index(i) {
                Ok(f) => f,
                Err(e) => {
                    sink.warning(unreadable_entry(e, &name));
                    continue;
                }
            };
            read_zip_entry(file, i, name, path, declared, dos, sink);
        }
        if self.overlap_count > 20 {
            sink.warning(Warning::new(
                WarningKind::Bomb,
                None,
                crate::en!("{0} entries in all share their data with other entries (a zip bomb); all were skipped.", self.overlap_count),
            ));
        }
        Ok(true)
    }
}

/// What the central directory says of an entry, for the checks before it is opened.
struct EntryMeta {
    is_symlink: bool,
    encrypted: bool,
    method: zip::CompressionMethod,
    declared: u64,
    compressed: u64,
}

impl<R: Read + Seek> ZipWalk<R> {
    /// Why an entry is not read: `Some(warning)` to report, `Some(None)` for a skip already
    /// reported often enough (overlapping entries), `None` to read it.
    fn refusal(&mut self, i: usize, name: &str, meta: &EntryMeta) -> Option<Option<Warning>> {
        let warn = |kind, message: String| Some(Some(Warning::new(kind, Some(name), message)));
        if meta.is_symlink {
            return warn(WarningKind::Symlink, "This entry is a symbolic link (a shortcut to another file). It was not followed. Links that point outside the site are a known way to read other accounts' files.".into());
        }
        if self.overlapping.get(i).copied().unwrap_or(false) {
            self.overlap_count += 1;
            if self.overlap_count > 20 {
                return Some(None);
            }
            return warn(WarningKind::Bomb, "This entry shares its compressed data with another entry, a trick used by \"zip bombs\" to explode in size. It was skipped.".into());
        }
        if meta.encrypted {
            return warn(WarningKind::Encrypted, "This file is password-protected inside the ZIP, so it could not be checked. Make the backup without a password to check it.".into());
        }
        if !matches!(
            meta.method,
            zip::CompressionMethod::Stored
                | zip::CompressionMethod::Deflated
                | zip::CompressionMethod::Deflate64
                | zip::CompressionMethod::Bzip2
        ) {
            return warn(WarningKind::UnsupportedMethod, crate::en!("This file is compressed with a method this tool cannot unpack ({0}); it was not checked. Re-create the backup with standard (deflate) compression to check it.", meta.method));
        }
        if meta.declared > RATIO_FLOOR && meta.declared / meta.compressed.max(1) > MAX_RATIO {
            return warn(WarningKind::Bomb, crate::en!("This entry claims to unpack to {0} bytes from only {1}: a \"zip bomb\". It was skipped.", meta.declared, meta.compressed));
        }
        None
    }
}

/// The warning for an entry the zip crate could not open.
fn unreadable_entry(e: zip::result::ZipError, name: &str) -> Warning {
    match e {
        zip::result::ZipError::UnsupportedArchive(why) => Warning::new(
            WarningKind::UnsupportedMethod,
            Some(name),
            crate::en!(
                "This file could not be unpacked ({0}); it was not checked.",
                why
            ),
        ),
        zip::result::ZipError::CompressionMethodNotSupported(m) => Warning::new(
            WarningKind::UnsupportedMethod,
            Some(name),
            crate::en!("This file is compressed with a method this tool cannot unpack (code {0}); it was not checked.", m),
        ),
        e => Warning::new(
            WarningKind::Corrupt,
            Some(name),
            crate::en!(
                "This entry is damaged and could not be read ({0}); it was not checked.",
                e
            ),
        ),
    }
}

/// Hands one opened entry to the sink through the bomb guard, and reports a short or long
/// read.
fn read_zip_entry(
    mut file: zip::read::ZipFile<'_, impl Read>,
    i: usize,
    name: String,
    path: String,
    declared: u64,
    dos: Option<zip::DateTime>,
    sink: &mut dyn EntrySink,
) {
    let mut mtime = dos.as_ref().and_then(dos_to_unix);
    for field in file.extra_data_fields() {
        if let zip::extra_fields::ExtraField::ExtendedTimestamp(ts) = field {
            if let Some(t) = ts.mod_time() {
                mtime = Some(i64::from(t));
            }
        }
    }
    let info = EntryInfo {
        name,
        path,
        size: declared,
        mtime,
        index: i as u64,
    };
    let mut guarded = Guarded::new(&mut file, declared);
    let result = sink.file(&info, &mut guarded);
    let (over, produced) = (guarded.overflow, guarded.produced);
    match result {
        Err(e) => {
            let (kind, message) = describe_read_error(&e, over);
            sink.warning(Warning::new(kind, Some(&info.name), message));
        }
        Ok(()) if produced != declared => sink.warning(Warning::new(
            WarningKind::SizeMismatch,
            Some(&info.name),
            crate::en!("This entry declares {0} bytes but holds {1}: the archive's directory does not match its contents (damage or tampering).", declared, produced),
        )),
        Ok(()) => {}
    }
}

fn describe_read_error(e: &io::Error, overflow: bool) -> (WarningKind, String) {
    if overflow {
        return (
            WarningKind::SizeMismatch,
            "This entry holds more data than its declared size, a sign of tampering; only the declared size was read.".into(),
        );
    }
    let text = e.to_string();
    if text.to_ascii_lowercase().contains("checksum") || text.contains("CRC") {
        (
            WarningKind::Corrupt,
            "This file's content does not match its checksum: the backup is damaged here (or was tampered with). Its hash may not be reliable.".into(),
        )
    } else if e.kind() == io::ErrorKind::UnexpectedEof {
        (
            WarningKind::Truncated,
            "This file ends early: the archive is cut off or damaged here.".into(),
        )
    } else {
        (
            WarningKind::Corrupt,
            crate::en!(
                "This file could not be read completely ({0}); it was not checked fully.",
                text
            ),
        )
    }
}

/// Guards one entry's content: stops at its declared size, and notices data beyond it.
///
/// A ZIP entry's ratio is judged before it is read, from its declared sizes (skipped unread
/// when too high; reading stops at the declared size, so the real ratio cannot exceed the
/// declared one). A tar.gz declares nothing of the kind, so for its entries the guard watches
/// everything the stream has inflated against the bytes read from the file, and stops a bomb
/// in the middle of its one huge entry rather than inflating it all.
struct Guarded<'a> {
    inner: &'a mut dyn Read,
    remaining: u64,
    produced: u64,
    overflow: bool,
    /// For a tar.gz entry: the compressed bytes read so far, and what the stream inflated
    /// before this entry.
    stream: Option<(&'a std::cell::Cell<u64>, u64)>,
}

impl<'a> Guarded<'a> {
    fn new(inner: &'a mut dyn Read, declared: u64) -> Self {
        Guarded {
            inner,
            remaining: declared,
            produced: 0,
            overflow: false,
            stream: None,
        }
    }
}

/// Whether a compressed stream that gave `inflated` bytes from `raw` is a decompression bomb.
fn inflates_like_a_bomb(inflated: u64, raw: u64) -> bool {
    inflated > RATIO_FLOOR * 16 && inflated / raw.max(1) > MAX_RATIO
}

/// The read error of a tar.gz entry stopped by [`Guarded`] as a bomb.
const BOMB_STOP: &str = "compression ratio too high";

impl Read for Guarded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 {
            // Probe for data beyond the declared size: a lying header.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe) {
                Ok(0) => Ok(0),
                Ok(_) => {
                    self.overflow = true;
                    Err(io::Error::other("more data than declared"))
                }
                Err(e) => Err(e),
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        let n = self.inner.read(buf.get_mut(..want).unwrap_or(&mut []))?;
        self.remaining -= n as u64;
        self.produced += n as u64;
        if let Some((raw, before)) = self.stream {
            if inflates_like_a_bomb(before + self.produced, raw.get()) {
                return Err(io::Error::other(BOMB_STOP));
            }
        }
        Ok(n)
    }
}

/// A tar reader over the raw archive stream, through gzip for tar.gz.
fn tar_over<'a>(raw: impl Read + 'a, gz: bool) -> tar::Archive<Box<dyn Read + 'a>> {
    let source: Box<dyn Read + 'a> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(raw))
    } else {
        Box::new(raw)
    };
    tar::Archive::new(source)
}

fn tar_error(e: io::Error) -> ScanError {
    ScanError::new(
        ErrorKind::Corrupt,
        crate::en!("The tar archive could not be read: {0}.", e),
    )
}

/// Counts the bytes read through it into a cell that stays readable while a decoder or the
/// tar reader owns the stream.
struct Counted<R> {
    inner: R,
    count: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// The tar stream: the archive itself, or its gzip decoding.
enum TarSource<R: Read> {
    Plain(Counted<R>),
    Gz(Box<flate2::read::MultiGzDecoder<Counted<R>>>),
}

impl<R: Read> Read for TarSource<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            TarSource::Plain(r) => r.read(buf),
            TarSource::Gz(r) => r.read(buf),
        }
    }
}

/// What to do after one tar entry.
enum Entry {
    Next,
    /// The stream ended inside this entry: nothing after it can be read.
    Last,
}

/// A tar or tar.gz walk in steps. Between steps no tar reader is alive: each step starts a
/// fresh `tar::Archive` at the next header, which is where the last step left the stream —
/// it reads each entry's data to the end and skips the padding to the 512-byte block.
struct TarWalk<R: Read> {
    /// The tar stream, counted: the position of the next header between steps.
    stream: Counted<TarSource<R>>,
    /// Bytes of the archive file read so far (compressed, for tar.gz), for progress.
    raw: std::rc::Rc<std::cell::Cell<u64>>,
    total_len: u64,
    gz: bool,
    count: u64,
    inflated: u64,
    progress: Progress,
}

impl<R: Read> TarWalk<R> {
    fn new(reader: R, total_len: u64, gz: bool) -> Self {
        let raw = std::rc::Rc::new(std::cell::Cell::new(0));
        let counted = Counted {
            inner: reader,
            count: raw.clone(),
        };
        let source = if gz {
            TarSource::Gz(Box::new(flate2::read::MultiGzDecoder::new(counted)))
        } else {
            TarSource::Plain(counted)
        };
        TarWalk {
            stream: Counted {
                inner: source,
                count: std::rc::Rc::default(),
            },
            raw,
            total_len,
            gz,
            count: 0,
            inflated: 0,
            progress: Progress {
                bytes_total: total_len,
                ..Progress::default()
            },
        }
    }

    /// Walks on until about `budget` bytes of the archive file were read; `Ok(true)` at the
    /// end of the archive.
    fn step(&mut self, sink: &mut dyn EntrySink, budget: u64) -> Result<bool, ScanError> {
        let start_raw = self.raw.get();
        let gz = self.gz;
        let mut archive = tar::Archive::new(&mut self.stream);
        let entries = archive.entries().map_err(tar_error)?;
        let mut pause = false;
        for entry in entries {
            let mut entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    if self.count == 0 {
                        let msg = if gz {
                            crate::en!("This .gz file does not contain a readable tar archive ({0}). If it is a single compressed file (for example a database export), it is not a site backup; otherwise download it again.", e)
                        } else {
                            crate::en!("The tar archive is damaged ({0}).", e)
                        };
                        return Err(ScanError::new(ErrorKind::Corrupt, msg));
                    }
                    self.cut_off(sink, &e);
                    return Ok(true);
                }
            };
            self.count += 1;
            if self.count > MAX_ENTRIES as u64 {
                sink.warning(Warning::new(
                    WarningKind::Limit,
                    None,
                    crate::en!(
                        "The archive holds more than {0} entries; the rest were not checked.",
                        MAX_ENTRIES
                    ),
                ));
                return Ok(true);
            }
            let raw_name = entry.path_bytes().into_owned();
            self.progress.entries_done = self.count - 1;
            self.progress.bytes_done = self.raw.get().min(self.total_len);
            let display = String::from_utf8_lossy(&raw_name).into_owned();
            if sink.progress(&self.progress, &display) == Flow::Stop {
                return Err(ScanError::new(
                    ErrorKind::Cancelled,
                    "The scan was cancelled.",
                ));
            }
            let next = tar_entry(
                &mut entry,
                &raw_name,
                self.count - 1,
                &mut self.inflated,
                gz.then_some(&*self.raw),
                sink,
            )?;
            if matches!(next, Entry::Last) {
                return Ok(true);
            }
            if gz && inflates_like_a_bomb(self.inflated, self.raw.get()) {
                return Err(ScanError::new(
                    ErrorKind::Bomb,
                    "This archive unpacks to hundreds of times its own size: a \"decompression bomb\", not a real backup. It was not read further.",
                ));
            }
            if self.raw.get().saturating_sub(start_raw) >= budget {
                // Leave the stream at the next header: first the rest of this entry's data
                // (the sink may have stopped early)...
                if let Err(e) = io::copy(&mut entry, &mut io::sink()) {
                    self.cut_off(sink, &e);
                    return Ok(true);
                }
                pause = true;
                break;
            }
        }
        if !pause {
            return Ok(true);
        }
        // ... then the padding of its last 512-byte block.
        let pos = self.stream.count.get();
        let pad = pos.next_multiple_of(512) - pos;
        match io::copy(&mut (&mut self.stream).take(pad), &mut io::sink()) {
            Ok(n) if n == pad => Ok(false),
            Ok(_) => {
                let eof = io::Error::new(io::ErrorKind::UnexpectedEof, "unexpected end of file");
                self.cut_off(sink, &eof);
                Ok(true)
            }
            Err(e) => {
                self.cut_off(sink, &e);
                Ok(true)
            }
        }
    }

    /// The stream ended (or broke) between two entries: what one pass would have said.
    fn cut_off(&self, sink: &mut dyn EntrySink, e: &io::Error) {
        sink.warning(Warning::new(
            WarningKind::Truncated,
            None,
            crate::en!("The archive is cut off or damaged after {0} entries ({1}). Everything before that point was checked; the rest of the backup is missing from this report.", self.count, e),
        ));
    }
}

/// Hands one tar entry (number `index`) to the sink, or says why it was not.
fn tar_entry<E: Read>(
    entry: &mut tar::Entry<'_, E>,
    raw_name: &[u8],
    index: u64,
    inflated: &mut u64,
    raw: Option<&std::cell::Cell<u64>>,
    sink: &mut dyn EntrySink,
) -> Result<Entry, ScanError> {
    let (name, path, is_dir) = check_name(raw_name, sink);
    let kind = entry.header().entry_type();
    use tar::EntryType as T;
    match kind {
        T::Regular | T::Continuous | T::GNUSparse => {}
        T::Directory => return Ok(Entry::Next),
        T::Symlink | T::Link => {
            let target = entry
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            let what = if kind == T::Link {
                "hard link"
            } else {
                "symbolic link"
            };
            sink.warning(Warning::new(
                    WarningKind::Symlink,
                    Some(&name),
                    crate::en!("This entry is a {0} to \"{1}\". It was not followed. Links that point outside the site are a known way to read other accounts' files.", what, target),
                ));
            return Ok(Entry::Next);
        }
        T::XGlobalHeader | T::XHeader | T::GNULongName | T::GNULongLink => return Ok(Entry::Next),
        _ => {
            sink.warning(Warning::new(
                    WarningKind::Special,
                    Some(&name),
                    "This entry is a special file (device, pipe or unknown type), which has no place in a website backup. It was skipped.",
                ));
            return Ok(Entry::Next);
        }
    }
    if is_dir {
        return Ok(Entry::Next);
    }
    let declared = entry.header().size().unwrap_or(0);
    let mtime = entry
        .header()
        .mtime()
        .ok()
        .and_then(|t| i64::try_from(t).ok())
        .filter(|t| *t > 0 && *t < 200 * 365 * DAY);
    let info = EntryInfo {
        name,
        path,
        size: declared,
        mtime,
        index,
    };
    // tar already limits the entry to its declared size; for tar.gz the guard watches the
    // stream's ratio as the entry inflates (the walk stops the scan once it is over).
    let mut guarded = Guarded::new(entry, declared);
    guarded.stream = raw.map(|r| (r, *inflated));
    let result = sink.file(&info, &mut guarded);
    *inflated += guarded.produced;
    if raw.is_some_and(|r| inflates_like_a_bomb(*inflated, r.get())) {
        // No warning for the entry: the walk turns this into the archive's own error.
        return Ok(Entry::Next);
    }
    if let Err(e) = result {
        let (kind, message) = describe_read_error(&e, false);
        sink.warning(Warning::new(kind, Some(&info.name), message));
        if e.kind() == io::ErrorKind::UnexpectedEof {
            return Ok(Entry::Last);
        }
    }
    Ok(Entry::Next)
}

/// Reads one regular file by its name as given in the archive (for showing a line diff),
/// at most `max` bytes. `Ok(None)` when the archive has no such file.
pub fn read_entry<R: Read + Seek>(
    mut reader: R,
    total_len: u64,
    name: &str,
    max: usize,
) -> Result<Option<Vec<u8>>, ScanError> {
    let mut head = [0u8; 1024];
    let n = read_up_to(&mut reader, &mut head)?;
    reader.seek(SeekFrom::Start(0))?;
    let format = sniff(head.get(..n).unwrap_or(&[]), total_len)?;
    let mut out = Vec::new();
    match format {
        ArchiveFormat::Zip => {
            let mut zip = zip::ZipArchive::new(reader).map_err(zip_error)?;
            let Some(i) = zip.index_for_name(name) else {
                return Ok(None);
            };
            let file = zip.by_index(i).map_err(zip_error)?;
            file.take(max as u64).read_to_end(&mut out)?;
        }
        ArchiveFormat::Tar | ArchiveFormat::TarGz => {
            let mut archive = tar_over(reader, format == ArchiveFormat::TarGz);
            let entries = archive.entries().map_err(tar_error)?;
            let mut found = false;
            for entry in entries {
                let Ok(entry) = entry else { break };
                if String::from_utf8_lossy(&entry.path_bytes()) == name {
                    entry.take(max as u64).read_to_end(&mut out)?;
                    found = true;
                    break;
                }
            }
            if !found {
                return Ok(None);
            }
        }
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"PK\x03\x04rest", 10), Ok(ArchiveFormat::Zip));
        assert_eq!(sniff(&[0x1f, 0x8b, 8, 0], 10), Ok(ArchiveFormat::TarGz));
        assert_eq!(sniff(b"", 0).map_err(|e| e.kind), Err(ErrorKind::Empty));
        assert_eq!(
            sniff(b"Rar!\x1a\x07\x01", 10).map_err(|e| e.kind),
            Err(ErrorKind::UnsupportedFormat)
        );
        let e = sniff(b"-- MySQL dump\nCREATE TABLE", 100).err();
        assert!(
            e.is_some_and(|e| e.kind == ErrorKind::NotAnArchive && e.message.contains("text file"))
        );
    }
}
