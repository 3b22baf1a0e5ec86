//! PHP libraries that plugins and themes bundle (PHPMailer, TCPDF, Guzzle, Twig, elFinder…),
//! recognised **by content** wherever they sit.
//!
//! Why: a WordPress site with twenty plugins carries dozens of copies of the same libraries,
//! and their code calls `mail()`, `eval`-like template compilers, `proc_open` and remote
//! fetches for good reasons. A file byte-identical to a published release of one of them is
//! clean content, whatever a rule would think of it, so the collector skips its content
//! analysis (speed) and the report says "identical to phpmailer/phpmailer 6.9.1" instead of
//! an alarm (no false alarms). The other side of the same knowledge: a folder that *is* a
//! copy of a library (several of its files identical) but holds one of that library's files
//! changed is itself a sign ([`LibraryCopy`]).
//!
//! The data is `manifests/php-libraries.stm` (one manifest per library, exact 128-bit hashes
//! of code files of at least [`MIN_SIZE`] bytes), built by `import-reference`. The host
//! installs it once ([`install`]): the CLI from the bytes compiled in, the page's workers after
//! fetching it. Without it nothing is skipped and nothing is labelled.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::engine::detect::kinds::{kind_of, FileKind};
use crate::engine::know::manifest::{self, Manifest, ManifestEntry};
use crate::engine::read::hash::Sha;

/// Files smaller than this are left out: empty files and one-liners (`VERSION`, a stub
/// `index.php`) match far and wide and must not vouch for anything.
pub const MIN_SIZE: u64 = 64;

/// Whether a library file belongs in the index: code the rules would read, not tiny.
pub fn worth_indexing(path: &str, size: u64) -> bool {
    size >= MIN_SIZE && kind_of(path, b"").is_some_and(|k| k != FileKind::Image)
}

/// The known library files, by content.
#[derive(Debug, Default)]
pub struct Libraries {
    pub manifests: Vec<Manifest>,
    /// First 8 bytes of the hash → (manifest, entry). The full stored hash is compared on
    /// lookup; a prefix collision only costs a second comparison.
    by_hash: HashMap<u64, Vec<(u16, u32)>>,
}

/// A file identical to a library's release file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryFile<'a> {
    /// Composer name: "phpmailer/phpmailer".
    pub library: &'a str,
    /// Path inside the library: "src/PHPMailer.php".
    pub path: &'a str,
    /// The releases that ship it, as people write them: "6.9.1" or "6.0.0 to 6.9.1".
    pub versions: String,
    pub manifest: usize,
    pub entry: &'a ManifestEntry,
}

fn key(sha: &Sha) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(sha.get(..8).unwrap_or(&[0; 8]));
    u64::from_le_bytes(b)
}

impl Libraries {
    /// Reads `php-libraries.stm`.
    pub fn decode(bytes: &[u8]) -> Result<Self, String> {
        Ok(Self::new(manifest::decode(bytes)?))
    }

    pub fn new(manifests: Vec<Manifest>) -> Self {
        let mut by_hash: HashMap<u64, Vec<(u16, u32)>> = HashMap::new();
        for (mi, m) in manifests.iter().enumerate().take(usize::from(u16::MAX)) {
            for (ei, e) in m.entries.iter().enumerate() {
                if e.size < MIN_SIZE {
                    continue;
                }
                let slot = by_hash.entry(key(&e.sha)).or_default();
                if slot.len() < 8 {
                    slot.push((mi as u16, u32::try_from(ei).unwrap_or(u32::MAX)));
                }
            }
        }
        Libraries { manifests, by_hash }
    }

    /// Every library file with exactly these bytes (usually one).
    pub fn lookup(&self, sha: &Sha) -> impl Iterator<Item = LibraryFile<'_>> {
        let sha = *sha;
        self.by_hash
            .get(&key(&sha))
            .into_iter()
            .flatten()
            .filter_map(move |(mi, ei)| {
                let m = self.manifests.get(usize::from(*mi))?;
                let e = m.entries.get(*ei as usize)?;
                m.same_hash(&e.sha, &sha).then(|| LibraryFile {
                    library: m.name.as_str(),
                    path: m.paths.get(e.path as usize).map_or("", String::as_str),
                    versions: version_span(m, e),
                    manifest: usize::from(*mi),
                    entry: e,
                })
            })
    }

    /// Whether some library release ships exactly these bytes.
    pub fn contains(&self, sha: &Sha) -> bool {
        self.lookup(sha).next().is_some()
    }

    pub fn files(&self) -> usize {
        self.manifests.iter().map(|m| m.entries.len()).sum()
    }
}

/// "6.9.1", or "6.0.0 to 6.9.1" when several releases ship the file.
fn version_span(m: &Manifest, e: &ManifestEntry) -> String {
    let set = m.versets.get(e.verset as usize);
    let first = set
        .and_then(|s| s.first())
        .and_then(|v| m.versions.get(*v as usize));
    let last = set
        .and_then(|s| s.last())
        .and_then(|v| m.versions.get(*v as usize));
    match (first, last) {
        (Some(a), Some(b)) if a == b => a.clone(),
        (Some(a), Some(b)) => crate::en!("{0} to {1}", a, b),
        _ => String::new(),
    }
}

static INSTALLED: OnceLock<Libraries> = OnceLock::new();

/// Makes the library index available to every scan of this process (first call wins); the
/// collector then skips the content analysis of their files.
pub fn install(libraries: Libraries) {
    if INSTALLED.set(libraries).is_ok() {
        crate::engine::detect::set_known_clean(Box::new(|sha| {
            installed().is_some_and(|l| l.contains(sha))
        }));
    }
}

pub fn installed() -> Option<&'static Libraries> {
    INSTALLED.get()
}

/// A folder of the backup that is a copy of one library, and the release it matches best.
#[derive(Debug, Clone, Default)]
pub struct LibraryCopy {
    pub manifest: usize,
    /// Folder in the backup where the library's paths start ("" or ending in `/`).
    pub mount: String,
    /// Index of the best-matching release; it is the newest known one when `newest`.
    pub version: usize,
    pub newest: bool,
    pub identical: u32,
}

/// Identical files needed before a folder counts as a copy of a library.
const MIN_COPY_FILES: u32 = 3;

/// Finds library copies from the files identical to library files whose path in the backup
/// ends with their path in the library: (backup path, sha256) pairs.
pub fn copies<'a>(
    libs: &Libraries,
    files: impl Iterator<Item = (&'a str, &'a Sha)>,
) -> Vec<LibraryCopy> {
    let mut per: HashMap<(usize, String), Vec<(&'a str, &'a Sha)>> = HashMap::new();
    for (path, sha) in files {
        for hit in libs.lookup(sha) {
            let Some(prefix) = path.strip_suffix(hit.path) else {
                continue;
            };
            if prefix.is_empty() || prefix.ends_with('/') {
                per.entry((hit.manifest, prefix.to_owned()))
                    .or_default()
                    .push((path, sha));
            }
        }
    }
    let mut out = Vec::new();
    for ((mi, mount), list) in per {
        let Some(m) = libs.manifests.get(mi) else {
            continue;
        };
        if (list.len() as u32) < MIN_COPY_FILES {
            continue;
        }
        let rel = list
            .iter()
            .filter_map(|(p, s)| p.strip_prefix(mount.as_str()).map(|r| (r, *s)));
        let scores = m.version_scores(rel);
        let Some(version) = m.best_version(&scores, None) else {
            continue;
        };
        out.push(LibraryCopy {
            manifest: mi,
            mount,
            version,
            // Manifest versions are sorted oldest first.
            newest: version + 1 == m.versions.len(),
            identical: list.len() as u32,
        });
    }
    out.sort_by(|a, b| {
        b.mount
            .len()
            .cmp(&a.mount.len())
            .then(a.mount.cmp(&b.mount))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::know::manifest::ManifestBuilder;
    use crate::engine::read::hash::sha256;

    fn lib() -> Libraries {
        let mut b = ManifestBuilder::new("acme/mailer", "", 16).without_whitespace_hashes();
        let body = |s: &str| format!("<?php // {s} {}", "x".repeat(80));
        for (p, v, s) in [
            ("src/Mailer.php", "1.0", "m1"),
            ("src/Mailer.php", "1.1", "m2"),
            ("src/Smtp.php", "1.0", "s"),
            ("src/Smtp.php", "1.1", "s"),
            ("src/Pop.php", "1.0", "p"),
            ("src/Pop.php", "1.1", "p"),
            ("VERSION", "1.1", "1.1"),
        ] {
            let t = if p == "VERSION" {
                s.to_owned()
            } else {
                body(s)
            };
            b.add(p, v, t.len() as u64, sha256(t.as_bytes()), [0; 32]);
        }
        Libraries::new(vec![b.build()])
    }

    #[test]
    fn files_are_found_by_content_and_tiny_ones_never() {
        let l = lib();
        let body = format!("<?php // s {}", "x".repeat(80));
        let hits: Vec<_> = l.lookup(&sha256(body.as_bytes())).collect();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits.first().map(|h| h.library), Some("acme/mailer"));
        assert_eq!(
            hits.first().map(|h| h.versions.as_str()),
            Some("1.0 to 1.1")
        );
        assert!(
            !l.contains(&sha256(b"1.1")),
            "a tiny file vouches for nothing"
        );
        assert!(!l.contains(&sha256(b"<?php eval($_POST[1]);")));
    }

    #[test]
    fn a_folder_with_several_identical_files_is_a_copy() {
        let l = lib();
        let body = |s: &str| format!("<?php // {s} {}", "x".repeat(80));
        let files = [
            (
                "wp-content/plugins/p/lib/mailer/src/Mailer.php",
                sha256(body("m1").as_bytes()),
            ),
            (
                "wp-content/plugins/p/lib/mailer/src/Smtp.php",
                sha256(body("s").as_bytes()),
            ),
            (
                "wp-content/plugins/p/lib/mailer/src/Pop.php",
                sha256(body("p").as_bytes()),
            ),
            (
                "wp-content/plugins/q/Smtp.php",
                sha256(body("s").as_bytes()),
            ),
        ];
        let c = copies(&l, files.iter().map(|(p, s)| (*p, s)));
        assert_eq!(c.len(), 1, "{c:?}");
        let copy = c.first().cloned().unwrap_or_default();
        assert_eq!(copy.mount, "wp-content/plugins/p/lib/mailer/");
        assert_eq!(
            l.manifests
                .first()
                .and_then(|m| m.versions.get(copy.version))
                .map(String::as_str),
            Some("1.0")
        );
        assert!(!copy.newest);
    }
}
