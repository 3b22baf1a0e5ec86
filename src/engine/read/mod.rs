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

mod guard;
mod share;
mod tar_walk;
mod zip_walk;

use guard::{describe_read_error, inflates_like_a_bomb, Guarded};
pub use share::{EntryCost, Share};
use tar_walk::{tar_error, tar_over, TarWalk};
use zip_walk::{open_zip, zip_error, ZipWalk};

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

/// A link entry: its names, where it points (the archive's word), and when it was made.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LinkEntry {
    pub name: String,
    pub path: String,
    pub target: String,
    pub hard: bool,
    pub mtime: Option<i64>,
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
    /// A symbolic or hard link (tar only: a ZIP link's target is its content, not read). The
    /// walk also warns about it; this is for the sinks that judge where it points.
    fn link(&mut self, _link: &LinkEntry) {}
    /// Called before each entry; `Flow::Stop` cancels the walk. `current` is the entry name.
    fn progress(&mut self, progress: &Progress, current: &str) -> Flow;
}

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
