//! The tar and tar.gz walk: forward only, in steps that stop at the next header.

use super::*;

/// A tar reader over the raw archive stream, through gzip for tar.gz.
pub(super) fn tar_over<'a>(raw: impl Read + 'a, gz: bool) -> tar::Archive<Box<dyn Read + 'a>> {
    let source: Box<dyn Read + 'a> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(raw))
    } else {
        Box::new(raw)
    };
    tar::Archive::new(source)
}

pub(super) fn tar_error(e: io::Error) -> ScanError {
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
pub(super) struct TarWalk<R: Read> {
    /// The tar stream, counted: the position of the next header between steps.
    stream: Counted<TarSource<R>>,
    /// Bytes of the archive file read so far (compressed, for tar.gz), for progress.
    pub(super) raw: std::rc::Rc<std::cell::Cell<u64>>,
    pub(super) total_len: u64,
    pub(super) gz: bool,
    pub(super) count: u64,
    pub(super) inflated: u64,
    pub(super) progress: Progress,
}

impl<R: Read> TarWalk<R> {
    pub(super) fn new(reader: R, total_len: u64, gz: bool) -> Self {
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
    pub(super) fn step(
        &mut self,
        sink: &mut dyn EntrySink,
        budget: u64,
    ) -> Result<bool, ScanError> {
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
            sink.link(&super::LinkEntry {
                name: name.clone(),
                path: path.clone(),
                target: target.chars().take(4096).collect(),
                hard: kind == T::Link,
                mtime: entry
                    .header()
                    .mtime()
                    .ok()
                    .and_then(|t| i64::try_from(t).ok()),
                index,
            });
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
