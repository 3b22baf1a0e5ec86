//! The ZIP walk: the central directory read once, then every entry of a share in steps, with
//! the checks a hostile ZIP needs (overlapping entries, claimed ratios, encryption, methods,
//! links) before an entry is opened.

use super::*;

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

pub(super) fn zip_error(e: zip::result::ZipError) -> ScanError {
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
pub(super) struct ZipWalk<R: Read + Seek> {
    pub(super) zip: zip::ZipArchive<R>,
    pub(super) total_len: u64,
    pub(super) count: usize,
    pub(super) overlapping: Vec<bool>,
    /// This share's byte range of the archive.
    pub(super) lo: u64,
    pub(super) hi: u64,
    pub(super) progress: Progress,
    pub(super) overlap_count: u64,
    /// Central-directory index of the next entry to look at.
    pub(super) next: usize,
    pub(super) buf_name: Vec<u8>,
}

pub(super) fn open_zip<R: Read + Seek>(
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
    pub(super) fn step(
        &mut self,
        sink: &mut dyn EntrySink,
        budget: u64,
    ) -> Result<bool, ScanError> {
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
