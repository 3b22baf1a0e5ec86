//! Each file against the release that covers it: its status (unchanged, modified, added…),
//! where an added file sits, and its verdict once the content rules' findings are weighed.

use std::collections::HashSet;

use super::coverage::{in_user_content, owned_location, Coverage};
use crate::engine::collect::FileRecord;
use crate::engine::detect::kinds::is_server_code;
use crate::engine::facts::account;
use crate::engine::know::known::{self, Known};
use crate::engine::know::libraries::{self, Libraries, LibraryCopy};
use crate::engine::read::{hash, time::iso8601};
use crate::engine::report::{
    Action, CleanCopy, Cms, FileReport, Finding, Location, Severity, Status, Summary, Verdict,
};

/// What to do with a flagged file, from where it stands against the release.
fn action_for(status: Status) -> Action {
    match status {
        Status::Modified => Action::Replace,
        Status::Added | Status::Leftover => Action::Delete,
        _ => Action::Review,
    }
}

fn status_verdict(status: Status, location: Option<Location>, official: bool) -> Verdict {
    match status {
        Status::Modified => Verdict::Suspicious,
        Status::Added if location.is_some() => Verdict::Suspicious,
        Status::Leftover if !official => Verdict::Suspicious,
        _ => Verdict::Clean,
    }
}

/// Compares one file with its coverage.
fn classify(
    cov: &Coverage,
    rel: &str,
    f: &FileRecord,
) -> (Status, Option<Location>, Option<String>, bool) {
    let m = cov.manifest;
    let entries = m.lookup(rel);
    let in_release: Vec<_> = entries
        .iter()
        .filter(|e| m.in_version(e, cov.version))
        .collect();
    let any_exact = entries.iter().find(|e| m.same_hash(&e.sha, &f.sha256));
    let any_ws = f
        .sha256_ws
        .and_then(|ws| entries.iter().find(|e| m.same_ws(&e.sha_ws, &ws)));
    // Bundled WordPress themes and plugins are updated on their own: any release's copy is clean.
    let loose = cov.cms == Some(Cms::WordPress) && rel.starts_with("wp-content/");
    if !in_release.is_empty() {
        if in_release.iter().any(|e| m.same_hash(&e.sha, &f.sha256)) {
            return (Status::Unchanged, None, None, true);
        }
        if let Some(ws) = f.sha256_ws {
            if in_release.iter().any(|e| m.same_ws(&e.sha_ws, &ws)) {
                return (Status::WhitespaceOnly, None, None, true);
            }
        }
        if loose {
            if let Some(e) = any_exact {
                let note = m.newest_version_of(e).map(|v| {
                    crate::en!(
                        "identical to the copy shipped with {0} {1}",
                        cov.cms.map(Cms::display_name).unwrap_or_default(),
                        v
                    )
                });
                return (Status::Unchanged, None, note, true);
            }
            if any_ws.is_some() {
                return (Status::WhitespaceOnly, None, None, true);
            }
        }
        return (
            Status::Modified,
            None,
            Some(crate::en!("differs from the clean {0}", cov.label)),
            false,
        );
    }
    if m.is_old_file(rel) || (!entries.is_empty() && any_exact.is_some()) {
        let note = match any_exact.and_then(|e| m.newest_version_of(e)) {
            Some(v) => crate::en!("left over from an older release (identical to the file in {0}); upgrades delete it", v),
            None if entries.is_empty() => "on the list of files that upgrades delete; its content matches no release we know".into(),
            None => "a file of this name shipped with older releases, but this content matches none of them".into(),
        };
        return (Status::Leftover, None, Some(note), any_exact.is_some());
    }
    if !entries.is_empty() {
        return (
            Status::Added,
            Some(Location::Core),
            Some("a file of this name shipped with other releases, with different content".into()),
            false,
        );
    }
    match owned_location(cov, rel) {
        Some(loc) => (Status::Added, Some(loc), None, false),
        None => (Status::Unknown, None, None, false),
    }
}

/// Where a file stands against its coverage, before its content is weighed.
struct Standing {
    status: Status,
    location: Option<Location>,
    note: Option<String>,
    /// Identical to some official release's copy.
    official: bool,
    reference: Option<String>,
    clean_copy: Option<CleanCopy>,
}

/// Where the websites are: their roots, and for a full-account backup the account's layout
/// and its sites' roots (a file under the home directory but in no site is "outside").
pub(super) struct Place<'a> {
    pub roots: &'a [String],
    pub account: Option<(&'a account::Layout, &'a [String])>,
}

fn standing(f: &FileRecord, coverages: &[Coverage], place: &Place) -> Standing {
    let roots = place.roots;
    let cov = coverages.iter().find(|c| {
        f.path
            .strip_prefix(c.mount.as_str())
            .is_some_and(|rel| !c.listed_only || !c.manifest.lookup(rel).is_empty())
    });
    let mut s = match cov {
        Some(c) => {
            let rel = f.path.get(c.mount.len()..).unwrap_or("");
            let (status, location, note, official) = classify(c, rel, f);
            let clean_copy = match (&c.archive, status) {
                (Some(archive), Status::Modified | Status::WhitespaceOnly) => Some(CleanCopy {
                    archive: archive.clone(),
                    path: format!("{}{rel}", c.manifest.archive_prefix),
                }),
                _ => None,
            };
            Standing {
                status,
                location,
                note,
                official,
                reference: Some(c.label.clone()),
                clean_copy,
            }
        }
        None => Standing {
            status: Status::Unknown,
            location: None,
            note: None,
            official: false,
            reference: None,
            clean_copy: None,
        },
    };
    // Server code in an upload folder is "added" whatever covers it.
    if s.status == Status::Unknown {
        let rel_to_root = roots
            .iter()
            .filter(|r| f.path.starts_with(r.as_str()))
            .max_by_key(|r| r.len())
            .map(|r| f.path.get(r.len()..).unwrap_or(""));
        if let Some(rel) = rel_to_root {
            if in_user_content(rel) && is_server_code(rel) {
                s.status = Status::Added;
                s.location = Some(Location::UserContent);
                s.note = Some("server-side code in a folder meant for uploads".into());
            }
        }
        let outside = place.account.and_then(|(layout, sites)| {
            let in_cms = roots
                .iter()
                .any(|r| !r.is_empty() && f.path.starts_with(r.as_str()));
            (!in_cms).then(|| account::outside_site(&f.path, layout, sites))?
        });
        if let Some(odd) = outside {
            s.location = Some(Location::OutsideSite);
            if odd {
                s.status = Status::Added;
                s.note = Some("a program outside your website, in a folder where no program you installed lives".into());
            }
        }
    }
    s
}

/// The bundled libraries (when the host installed them) and the copies of them in this backup.
pub(super) struct Libs<'a> {
    pub index: Option<&'a Libraries>,
    pub copies: Vec<LibraryCopy>,
}

impl Libs<'_> {
    pub fn new(files: &[FileRecord]) -> Self {
        let index = libraries::installed();
        let copies = index
            .map(|l| libraries::copies(l, files.iter().map(|f| (f.path.as_str(), &f.sha256))))
            .unwrap_or_default();
        Libs { index, copies }
    }

    /// "identical to phpmailer/phpmailer 6.9.1 (src/PHPMailer.php)" for a library's file.
    fn identical(&self, f: &FileRecord) -> Option<String> {
        let hit = self.index?.lookup(&f.sha256).next()?;
        Some(crate::en!(
            "identical to {0} {1} ({2}), a library that plugins bundle",
            hit.library,
            hit.versions,
            hit.path
        ))
    }

    /// For a file at a library's path inside a copy of that library, matching none of its
    /// releases: (the release the copy matches, a note, whether the copy matches the newest
    /// release we know — a newer release may explain the difference).
    fn changed(&self, f: &FileRecord) -> Option<(String, String, bool)> {
        let index = self.index?;
        let copy = self.copies.iter().find(|c| {
            f.path.strip_prefix(c.mount.as_str()).is_some_and(|rel| {
                index
                    .manifests
                    .get(c.manifest)
                    .is_some_and(|m| !m.lookup(rel).is_empty())
            })
        })?;
        let m = index.manifests.get(copy.manifest)?;
        let release = format!("{} {}", m.name, m.versions.get(copy.version)?);
        let note = if copy.newest {
            crate::en!("differs from every release of {0} we know; its folder holds {1} files identical to {2}, the newest we know, so a newer release may explain it", m.name, copy.identical, release)
        } else {
            crate::en!("differs from every release of {0} we know, while its folder holds {1} files identical to {2}: this copy of the library was changed", m.name, copy.identical, release)
        };
        Some((release, note, copy.newest))
    }
}

/// The report line of one file of the backup, or `None` for an unchanged release file.
pub(super) fn file_report(
    f: &FileRecord,
    coverages: &[Coverage],
    place: &Place,
    libs: &Libs,
    summary: &mut Summary,
) -> Option<FileReport> {
    let Standing {
        mut status,
        location,
        mut note,
        official,
        mut reference,
        clean_copy,
    } = standing(f, coverages, place);
    if status == Status::Unchanged {
        summary.count(status);
        return None;
    }
    let library = libs.identical(f);
    if library.is_none() && matches!(status, Status::Unknown) {
        // A changed file of a bundled library is itself a sign, unless a newer release than
        // we know may explain it.
        if let Some((release, why, newest)) = libs.changed(f) {
            if !newest {
                status = Status::Modified;
            }
            reference = Some(release);
            note = Some(why);
        }
    }
    summary.count(status);
    // Content evidence counts only where the file is not an official release copy, nor
    // a known clean vendor build; known malware is flagged whatever it looks like.
    let mut findings =
        if matches!(status, Status::WhitespaceOnly) || (status == Status::Leftover && official) {
            Vec::new()
        } else {
            f.findings.clone()
        };
    match known::lookup(&f.sha256) {
        Some((Known::Good, label)) => {
            findings.clear();
            note = Some(crate::en!("identical to the official {0}", label));
        }
        Some((Known::Bad, label)) => findings.insert(0, known_malware(label)),
        None => {}
    }
    if let Some(label) = library {
        // Published library code: whatever a rule thought of it, it is not the intruder's.
        findings.clear();
        note = Some(match note {
            Some(n) => format!("{n}; {label}"),
            None => label,
        });
    }
    let verdict = match findings.iter().map(|x| x.severity).max() {
        Some(Severity::Malicious) => Verdict::Malicious,
        Some(Severity::Suspicious) => {
            Verdict::Suspicious.max(status_verdict(status, location, official))
        }
        _ => status_verdict(status, location, official),
    };
    for x in &mut findings {
        x.action = action_for(status);
    }
    Some(FileReport {
        path: f.name.clone(),
        status,
        location,
        sha256: hash::hex(&f.sha256),
        size: f.size,
        mtime: f.mtime.map(iso8601),
        verdict,
        reference,
        note,
        clean_copy,
        findings,
    })
}

fn known_malware(label: &str) -> Finding {
    Finding {
        rule: "known-malware".into(),
        severity: Severity::Malicious,
        title: "A known malicious file".into(),
        why: crate::en!("This exact file is known malware ({0}).", label),
        action: Action::Delete,
        line: None,
        excerpt: String::new(),
        decoded: None,
        table: None,
        row: None,
    }
}

/// Release files the backup lacks (bundled WordPress themes and plugins are often removed on
/// purpose, so not those).
pub(super) fn missing_files(
    coverages: &[Coverage],
    present: &HashSet<&str>,
    summary: &mut Summary,
) -> Vec<FileReport> {
    let mut out = Vec::new();
    for c in coverages.iter().filter(|c| c.list_missing) {
        let m = c.manifest;
        for e in &m.entries {
            if !m.in_version(e, c.version) {
                continue;
            }
            let Some(rel) = m.paths.get(e.path as usize) else {
                continue;
            };
            if c.cms == Some(Cms::WordPress) && rel.starts_with("wp-content/") {
                continue;
            }
            let full = format!("{}{rel}", c.mount);
            if present.contains(full.as_str()) {
                continue;
            }
            summary.count(Status::Missing);
            out.push(FileReport {
                path: full,
                status: Status::Missing,
                location: None,
                sha256: String::new(),
                size: e.size,
                mtime: None,
                verdict: Verdict::Clean,
                reference: Some(c.label.clone()),
                note: None,
                clean_copy: None,
                findings: Vec::new(),
            });
        }
    }
    out
}
