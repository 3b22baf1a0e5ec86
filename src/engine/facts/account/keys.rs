//! `~/.ssh/authorized_keys`: every key that can log in to the account without a password,
//! named the way `ssh-keygen -lf` names it (type, `SHA256:` fingerprint, comment), so the
//! owner can tell theirs from a stranger's.

use sha2::{Digest, Sha256};

use crate::engine::report::{SshKey, Verdict};

/// Keys read per file (a hostile file can hold a million lines), characters per line.
const MAX_KEYS: usize = 1_000;
const MAX_LINES: usize = 100_000;
const MAX_LINE: usize = 16 * 1024;

/// Key types OpenSSH accepts.
fn is_key_type(t: &str) -> bool {
    t.starts_with("ssh-")
        || t.starts_with("ecdsa-sha2-")
        || t.starts_with("sk-ssh-")
        || t.starts_with("sk-ecdsa-")
}

/// Every key in an `authorized_keys` file.
pub fn read(file: &str, text: &[u8]) -> Vec<SshKey> {
    let text = String::from_utf8_lossy(text);
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate().take(MAX_LINES) {
        if out.len() >= MAX_KEYS {
            break;
        }
        let line = raw.get(..MAX_LINE.min(raw.len())).unwrap_or("").trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // Options (`command="…",from="…"`) may come first; the key starts at its type.
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(at) = words.iter().position(|w| is_key_type(w)) else {
            continue;
        };
        let key_type = words.get(at).copied().unwrap_or("");
        let blob = words.get(at + 1).copied().unwrap_or("");
        let comment: String = words
            .get(at + 2..)
            .unwrap_or(&[])
            .join(" ")
            .chars()
            .filter(|c| !c.is_control())
            .take(100)
            .collect();
        let decoded = crate::engine::detect::decode::base64(blob.as_bytes()).unwrap_or_default();
        let mut flags = Vec::new();
        if !declares(&decoded, key_type) {
            flags.push("the key itself is damaged or not a real key".to_owned());
        }
        let lower = comment.to_ascii_lowercase();
        if ["kali", "parrot", "blackarch", "pentest", "hacker", "pwn"]
            .iter()
            .any(|w| lower.contains(w))
        {
            flags.push(crate::en!(
                "its label \"{0}\" names a computer set up for breaking into systems",
                comment
            ));
        }
        if at > 0 && words.iter().take(at).any(|w| w.starts_with("command=")) {
            flags.push("it runs a fixed command on every login".to_owned());
        }
        out.push(SshKey {
            file: file.to_owned(),
            line: u32::try_from(i + 1).unwrap_or(u32::MAX),
            key_type: key_type.chars().take(40).collect(),
            comment,
            fingerprint: format!("SHA256:{}", base64_plain(&Sha256::digest(&decoded))),
            verdict: if flags.is_empty() {
                Verdict::Clean
            } else {
                Verdict::Suspicious
            },
            flags,
        });
    }
    out
}

/// Whether a key blob starts with its own type name, as every real key does.
fn declares(blob: &[u8], key_type: &str) -> bool {
    let Some(len) = blob.get(..4).and_then(|b| <[u8; 4]>::try_from(b).ok()) else {
        return false;
    };
    let n = u32::from_be_bytes(len) as usize;
    blob.get(4..4 + n.min(64)) == Some(key_type.as_bytes())
}

/// Base64 without padding, as OpenSSH prints fingerprints.
fn base64_plain(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..=chunk.len() {
            let idx = (n >> (18 - 6 * k)) & 63;
            out.push(char::from(A.get(idx as usize).copied().unwrap_or(b'A')));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key blob as OpenSSH writes it: length-prefixed type, then the key material.
    fn blob(t: &str) -> String {
        let mut b = (t.len() as u32).to_be_bytes().to_vec();
        b.extend_from_slice(t.as_bytes());
        b.extend_from_slice(&[0, 0, 0, 32]);
        b.extend_from_slice(&[7u8; 32]);
        let mut s = String::new();
        // Standard base64 with padding, as in authorized_keys.
        s.push_str(&base64_plain(&b));
        while s.len() % 4 != 0 {
            s.push('=');
        }
        s
    }

    #[test]
    fn keys_are_named_with_type_fingerprint_and_comment() {
        let text = format!(
            "# mine\nssh-ed25519 {} jane@laptop\ncommand=\"/bin/true\",no-pty ssh-ed25519 {} root@kali\nssh-rsa AAAA not-a-key\n",
            blob("ssh-ed25519"),
            blob("ssh-ed25519")
        );
        let keys = read(".ssh/authorized_keys", text.as_bytes());
        assert_eq!(keys.len(), 3);
        assert_eq!(keys[0].line, 2);
        assert_eq!(keys[0].comment, "jane@laptop");
        assert!(keys[0].flags.is_empty(), "{:?}", keys[0].flags);
        assert!(keys[0].fingerprint.starts_with("SHA256:"));
        assert_eq!(keys[0].fingerprint.len(), 7 + 43);
        assert_eq!(keys[1].flags.len(), 2, "{:?}", keys[1].flags);
        assert!(!keys[2].flags.is_empty());
    }

    #[test]
    fn fingerprints_match_openssh() {
        // `ssh-keygen -lf` of an all-zero digest input is the SHA-256 of the empty blob.
        assert_eq!(
            base64_plain(&Sha256::digest(b"")),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"
        );
    }

    #[test]
    fn hostile_files_stay_bounded() {
        let line = format!("ssh-ed25519 {} x\u{7}\u{1b}[31m\n", blob("ssh-ed25519"));
        let keys = read("k", line.repeat(MAX_KEYS * 3).as_bytes());
        assert_eq!(keys.len(), MAX_KEYS);
        assert!(keys[0].comment.chars().all(|c| !c.is_control()));
        let junk = "x\n".repeat(1_000_000);
        assert!(read("k", junk.as_bytes()).is_empty());
    }
}
