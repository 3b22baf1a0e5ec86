//! Shares: one archive read by several workers at once, each taking a byte range of it.

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
    pub(super) fn bounds(self, spans: &[(u64, u64)]) -> (u64, u64) {
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
