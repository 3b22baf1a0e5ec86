//! The bomb guard around every entry's content: it stops at the declared size and stops a
//! tar.gz bomb in the middle of its one huge entry; and the words for a read that failed.

use super::*;

pub(super) fn describe_read_error(e: &io::Error, overflow: bool) -> (WarningKind, String) {
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
pub(super) struct Guarded<'a> {
    pub(super) inner: &'a mut dyn Read,
    pub(super) remaining: u64,
    pub(super) produced: u64,
    pub(super) overflow: bool,
    /// For a tar.gz entry: the compressed bytes read so far, and what the stream inflated
    /// before this entry.
    pub(super) stream: Option<(&'a std::cell::Cell<u64>, u64)>,
}

impl<'a> Guarded<'a> {
    pub(super) fn new(inner: &'a mut dyn Read, declared: u64) -> Self {
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
pub(super) fn inflates_like_a_bomb(inflated: u64, raw: u64) -> bool {
    inflated > RATIO_FLOOR * 16 && inflated / raw.max(1) > MAX_RATIO
}

/// The read error of a tar.gz entry stopped by [`Guarded`] as a bomb.
pub(super) const BOMB_STOP: &str = "compression ratio too high";

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
