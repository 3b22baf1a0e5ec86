//! Streaming file hashes: the exact SHA-256 and the "whitespace-insensitive" SHA-256.
//!
//! Why two hashes: FTP "ASCII mode" and editors rewrite line endings and indentation, so a
//! clean core file can differ from the release byte-wise yet be harmless. The reference data
//! stores `sha256_ws` (the hash of the bytes with every ASCII whitespace byte removed) so that
//! such a file is recognised as "changed in whitespace only". Both are computed in one pass
//! over each entry, through caller-owned buffers, so memory does not grow with file size.

use sha2::{Digest, Sha256};

/// SHA-256 digest bytes.
pub type Sha = [u8; 32];

/// Whether `b` is one of the bytes the reference data treats as whitespace.
#[inline]
pub fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Hashes one file fed in chunks.
pub struct FileHasher {
    exact: Sha256,
    ws: Option<Sha256>,
    scratch: Vec<u8>,
}

impl FileHasher {
    /// `with_ws`: also compute the whitespace-insensitive hash (skip it for media, where it
    /// is never compared and costs a pass over every byte).
    pub fn new(with_ws: bool) -> Self {
        FileHasher {
            exact: Sha256::new(),
            ws: with_ws.then(Sha256::new),
            scratch: Vec::new(),
        }
    }

    pub fn update(&mut self, chunk: &[u8]) {
        self.exact.update(chunk);
        if let Some(ws) = self.ws.as_mut() {
            self.scratch.clear();
            self.scratch
                .extend(chunk.iter().copied().filter(|b| !is_ws(*b)));
            ws.update(&self.scratch);
        }
    }

    pub fn finish(self) -> (Sha, Option<Sha>) {
        (to_array(self.exact), self.ws.map(to_array))
    }
}

fn to_array(h: Sha256) -> Sha {
    let mut out = [0u8; 32];
    out.copy_from_slice(h.finalize().as_slice());
    out
}

/// SHA-256 of a whole byte slice (small inputs, tests).
pub fn sha256(bytes: &[u8]) -> Sha {
    let mut h = FileHasher::new(false);
    h.update(bytes);
    h.finish().0
}

/// Whitespace-insensitive SHA-256 of a whole byte slice.
pub fn sha256_ws(bytes: &[u8]) -> Sha {
    let mut h = FileHasher::new(true);
    h.update(bytes);
    h.finish().1.unwrap_or_default()
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Lowercase hex of any byte string.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 15] {
            s.push(char::from(*HEX.get(usize::from(nibble)).unwrap_or(&b'0')));
        }
    }
    s
}

/// Parses lowercase or uppercase hex; `None` if malformed.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if b.len() % 2 != 0 {
        return None;
    }
    b.chunks(2)
        .map(|p| {
            let hi = char::from(*p.first()?).to_digit(16)?;
            let lo = char::from(*p.get(1)?).to_digit(16)?;
            u8::try_from(hi * 16 + lo).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // whitespace removed before hashing: "a b\r\nc" hashes like "abc"
        assert_eq!(sha256_ws(b"a b\r\n\tc"), sha256(b"abc"));
        assert_eq!(unhex("0aFf"), Some(vec![10, 255]));
        assert_eq!(unhex("0g"), None);
    }

    #[test]
    fn chunked_equals_whole() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut h = FileHasher::new(true);
        for c in data.chunks(333) {
            h.update(c);
        }
        let (e, w) = h.finish();
        assert_eq!(e, sha256(&data));
        assert_eq!(w, Some(sha256_ws(&data)));
    }
}
