//! The integrity diff: every file of the backup compared with the clean release that covers
//! it, and the report assembled from the result.
//!
//! A *coverage* is one manifest placed at one folder of the backup (its *mount*): a bundled
//! CMS manifest at the folder its marker file pins down, or a reference archive the user gave
//! at every folder where its files are found. Each file takes the most specific coverage
//! whose mount contains it. Within a coverage, the release version is chosen from the hashes
//! (the version file is only a tie-breaker and a cross-check).

use std::collections::{HashMap, HashSet};

use crate::engine::collect::{Collected, FileRecord};
use crate::engine::detect::kinds::is_server_code;
use crate::engine::know::cms::{self, Found};
use crate::engine::know::manifest::Manifest;
use crate::engine::read::paths;
use crate::engine::read::time::iso8601;
use crate::engine::report::{Action, Cms, Severity};
use crate::engine::report::{
    ArchiveInfo, CleanCopy, CmsInstall, FileReport, Finding, HashMatch, Location, Recognition,
    Report, SiteVerdict, Status, Summary, Verdict, VersionFile, Warning, WarningKind,
};

/// A reference archive (or manifest file) the user supplied.
pub struct Reference {
    /// File name the user gave, for the report.
    pub label: String,
    pub manifest: Manifest,
}

/// Names of bundled manifests this backup needs (load them, then call [`analyze`]).
pub fn needed_manifests(collected: &Collected) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = cms::find_installs(&collected.files, &collected.captures)
        .iter()
        .filter_map(|f| f.manifest)
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

struct Coverage<'m> {
    manifest: &'m Manifest,
    mount: String,
    /// The release compared with (index into manifest.versions).
    version: usize,
    label: String,
    /// The CMS whose release this is, when recognised (its folder rules are known); `None`
    /// for a reference archive mounted where no CMS was recognised.
    cms: Option<Cms>,
    /// The release archive the user gave, when the manifest comes from one.
    archive: Option<String>,
}

/// Files at a site root that every site may have and no release ships.
fn is_site_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "wp-config.php"
            | ".htaccess"
            | ".user.ini"
            | "php.ini"
            | "robots.txt"
            | "favicon.ico"
            | "ads.txt"
            | "app-ads.txt"
            | "sitemap.xml"
            | "humans.txt"
            | "security.txt"
            | "error_log"
            | ".ftpquota"
            | "web.config"
            | "configuration.php"
            | ".env"
            | "crossdomain.xml"
            | "manifest.json"
            | "site.webmanifest"
            | "browserconfig.xml"
    ) || lower.starts_with("google") && lower.ends_with(".html")
        || lower.starts_with("apple-touch-icon")
        || lower.starts_with("yandex_")
        || lower.starts_with("bingsiteauth")
        || lower.starts_with("favicon")
}

/// Folders for uploads and generated content: code there is never expected.
fn in_user_content(rel: &str) -> bool {
    [
        "wp-content/uploads/",
        "images/",
        "fileadmin/",
        "uploads/",
        "typo3temp/",
        "wp-content/cache/",
    ]
    .iter()
    .any(|p| rel.starts_with(p))
        || (rel.starts_with("sites/") && rel.contains("/files/"))
}

/// WordPress drop-ins that legitimately sit directly in wp-content/.
fn is_wp_dropin(name: &str) -> bool {
    matches!(
        name,
        "index.php"
            | "advanced-cache.php"
            | "object-cache.php"
            | "db.php"
            | "db-error.php"
            | "maintenance.php"
            | "sunrise.php"
            | "blog-deleted.php"
            | "blog-inactive.php"
            | "blog-suspended.php"
            | "php-error.php"
            | "fatal-error-handler.php"
            | "install.php"
            | "debug.log"
            | ".htaccess"
    )
}

/// For a path under a coverage but not in its manifest: does the coverage own the folder?
fn owned_location(cov: &Coverage, rel: &str) -> Option<Location> {
    if cov.cms == Some(Cms::WordPress) {
        if !rel.contains('/') {
            return (!is_site_file(rel)).then_some(Location::Root);
        }
        if rel.starts_with("wp-admin/") || rel.starts_with("wp-includes/") {
            return Some(Location::Core);
        }
        if let Some(rest) = rel.strip_prefix("wp-content/") {
            if !rest.contains('/') {
                return (!is_wp_dropin(rest)).then_some(Location::UserContent);
            }
            // Inside a bundled theme or plugin folder of the release?
            let parts: Vec<&str> = rest.splitn(3, '/').collect();
            if let [kind @ ("themes" | "plugins"), slug, _] = parts.as_slice() {
                if cov.manifest.has_dir(&format!("wp-content/{kind}/{slug}/")) {
                    return Some(Location::Core);
                }
            }
        }
        return None;
    }
    if matches!(cov.cms, Some(Cms::Drupal | Cms::Typo3)) {
        // Mounted at the core package folder: all of it belongs to the release.
        return Some(Location::Core);
    }
    // A reference archive: it owns the folders its files live in.
    if cov.manifest.has_dir(paths::parent(rel)) || !rel.contains('/') {
        return Some(Location::Core);
    }
    None
}

/// Where a reference manifest's files sit in the backup: every folder under which at least
/// half of one release's files are found by path.
fn find_mounts(manifest: &Manifest, files: &[FileRecord]) -> Vec<String> {
    let smallest = (0..manifest.versions.len())
        .map(|v| manifest.version_file_count(v))
        .filter(|n| *n > 0)
        .min()
        .unwrap_or(1);
    let threshold = (smallest / 2).max(1);
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for f in files {
        let p = f.path.as_str();
        let mut start = 0;
        loop {
            let (prefix, rest) = (p.get(..start).unwrap_or(""), p.get(start..).unwrap_or(""));
            if !manifest.lookup(rest).is_empty() {
                *counts.entry(prefix).or_default() += 1;
            }
            match rest.find('/') {
                Some(i) => start += i + 1,
                None => break,
            }
        }
    }
    let mut mounts: Vec<String> = counts
        .into_iter()
        .filter(|(_, n)| *n >= threshold)
        .map(|(p, _)| p.to_owned())
        .collect();
    mounts.sort();
    mounts
}

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
        .and_then(|ws| entries.iter().find(|e| m.same_hash(&e.sha_ws, &ws)));
    // Bundled WordPress themes and plugins are updated on their own: any release's copy is clean.
    let loose = cov.cms == Some(Cms::WordPress) && rel.starts_with("wp-content/");
    if !in_release.is_empty() {
        if in_release.iter().any(|e| m.same_hash(&e.sha, &f.sha256)) {
            return (Status::Unchanged, None, None, true);
        }
        if let Some(ws) = f.sha256_ws {
            if in_release.iter().any(|e| m.same_hash(&e.sha_ws, &ws)) {
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

/// Builds the report from the collected records and the manifests.
pub fn analyze(
    collected: Collected,
    bundled: &HashMap<String, Manifest>,
    references: &[Reference],
    archive_name: &str,
) -> Report {
    let Collected {
        files,
        captures,
        mut warnings,
        dropped_warnings,
        unreadable,
        format,
        entries,
        archive_size,
        accounts,
    } = collected;
    let found = cms::find_installs(&files, &captures);

    // Reference archives: where do they sit?
    let mut ref_mounts: Vec<(usize, String)> = Vec::new();
    for (i, r) in references.iter().enumerate() {
        let mounts = find_mounts(&r.manifest, &files);
        if mounts.is_empty() {
            warnings.push(Warning::new(
                WarningKind::Reference,
                None,
                crate::en!("The reference archive \"{0}\" does not match any folder of this backup, so it was not used.", r.label),
            ));
        }
        ref_mounts.extend(mounts.into_iter().map(|m| (i, m)));
    }

    let mut coverages: Vec<Coverage> = Vec::new();
    let mut installs: Vec<CmsInstall> = Vec::new();
    for f in &found {
        let (install, cov) = recognise(f, &files, &captures, bundled, references, &ref_mounts);
        installs.push(install);
        if let Some(c) = cov {
            coverages.push(c);
        }
    }
    // Remaining reference mounts (plugins, themes, unrecognised CMSes).
    for (i, mount) in &ref_mounts {
        if coverages.iter().any(|c| &c.mount == mount) {
            continue;
        }
        let Some(r) = references.get(*i) else {
            continue;
        };
        let version = r.manifest.versions.len().saturating_sub(1);
        coverages.push(Coverage {
            manifest: &r.manifest,
            mount: mount.clone(),
            version,
            label: format!(
                "{} (from {})",
                r.manifest
                    .versions
                    .get(version)
                    .map(|v| format!("{} {v}", r.manifest.name))
                    .unwrap_or_default(),
                r.label
            ),
            cms: None,
            archive: Some(r.label.clone()),
        });
    }
    // Most specific mount first.
    coverages.sort_by_key(|c| std::cmp::Reverse(c.mount.len()));

    let mut roots: Vec<String> = found.iter().map(|f| f.root.clone()).collect();
    if roots.is_empty() {
        roots = cms::guess_roots(&files);
    }
    roots.sort();
    roots.dedup();

    let mut summary = Summary::default();
    let mut out_files: Vec<FileReport> = Vec::new();
    let mut databases = Vec::new();
    let present: HashSet<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .chain(unreadable.iter().map(String::as_str))
        .collect();

    let mut unchanged_paths: HashSet<&str> = HashSet::new();
    for f in &files {
        summary.files += 1;
        summary.bytes += f.size;
        let lower = f.path.to_ascii_lowercase();
        if lower.ends_with(".sql") || lower.ends_with(".sql.gz") {
            databases.push(f.name.clone());
        }
        let cov = coverages
            .iter()
            .find(|c| f.path.starts_with(c.mount.as_str()));
        let (status, location, note, official, reference, clean_copy) = match cov {
            Some(c) => {
                let rel = f.path.get(c.mount.len()..).unwrap_or("");
                let (s, l, n, o) = classify(c, rel, f);
                let clean_copy = match (&c.archive, s) {
                    (Some(archive), Status::Modified | Status::WhitespaceOnly) => Some(CleanCopy {
                        archive: archive.clone(),
                        path: format!("{}{rel}", c.manifest.archive_prefix),
                    }),
                    _ => None,
                };
                (s, l, n, o, Some(c.label.clone()), clean_copy)
            }
            None => (Status::Unknown, None, None, false, None, None),
        };
        // Server code in an upload folder is "added" whatever covers it.
        let (status, location, note) = if status == Status::Unknown {
            let rel_to_root = roots
                .iter()
                .filter(|r| f.path.starts_with(r.as_str()))
                .max_by_key(|r| r.len())
                .map(|r| f.path.get(r.len()..).unwrap_or(""));
            match rel_to_root {
                Some(rel) if in_user_content(rel) && is_server_code(rel) => (
                    Status::Added,
                    Some(Location::UserContent),
                    Some("server-side code in a folder meant for uploads".into()),
                ),
                _ => (status, location, note),
            }
        } else {
            (status, location, note)
        };
        summary.count(status);
        if status == Status::Unchanged {
            unchanged_paths.insert(f.path.as_str());
            continue;
        }
        // Content evidence counts only where the file is not an official release copy, nor
        // a known clean vendor build; known malware is flagged whatever it looks like.
        let mut note = note;
        let mut findings = if matches!(status, Status::WhitespaceOnly)
            || (status == Status::Leftover && official)
        {
            Vec::new()
        } else {
            f.findings.clone()
        };
        match crate::engine::know::known::lookup(&f.sha256) {
            Some((crate::engine::know::known::Known::Good, label)) => {
                findings.clear();
                note = Some(crate::en!("identical to the official {0}", label));
            }
            Some((crate::engine::know::known::Known::Bad, label)) => findings.insert(
                0,
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
                },
            ),
            None => {}
        }
        let strongest = findings.iter().map(|x| x.severity).max();
        let verdict = match strongest {
            Some(Severity::Malicious) => Verdict::Malicious,
            Some(Severity::Suspicious) => {
                Verdict::Suspicious.max(status_verdict(status, location, official))
            }
            _ => status_verdict(status, location, official),
        };
        let findings = findings
            .into_iter()
            .map(|mut x| {
                x.action = action_for(status);
                x
            })
            .collect();
        out_files.push(FileReport {
            path: f.name.clone(),
            status,
            location,
            sha256: crate::engine::read::hash::hex(&f.sha256),
            size: f.size,
            mtime: f.mtime.map(iso8601),
            verdict,
            reference,
            note,
            clean_copy,
            findings,
        });
    }

    // Missing release files.
    for c in &coverages {
        let m = c.manifest;
        for e in &m.entries {
            if !m.in_version(e, c.version) {
                continue;
            }
            let Some(rel) = m.paths.get(e.path as usize) else {
                continue;
            };
            if c.cms == Some(Cms::WordPress) && rel.starts_with("wp-content/") {
                continue; // bundled themes and plugins are often removed on purpose
            }
            let full = format!("{}{rel}", c.mount);
            if present.contains(full.as_str()) {
                continue;
            }
            summary.count(Status::Missing);
            out_files.push(FileReport {
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

    for f in &out_files {
        match f.verdict {
            Verdict::Suspicious => summary.suspicious += 1,
            Verdict::Malicious => summary.malicious += 1,
            Verdict::Clean => {}
        }
    }
    summary.warnings = warnings.len() as u64 + dropped_warnings;
    if dropped_warnings > 0 {
        warnings.push(Warning::new(
            WarningKind::Limit,
            None,
            crate::en!("{0} more warnings were not listed.", dropped_warnings),
        ));
    }
    let verdict = if summary.malicious > 0 {
        SiteVerdict::Compromised
    } else if summary.suspicious > 0 {
        SiteVerdict::Suspicious
    } else {
        SiteVerdict::Clean
    };
    let headline = headline(verdict, &installs, &summary);
    let all_times: Vec<(i64, bool)> = files
        .iter()
        .filter_map(|f| {
            f.mtime
                .map(|t| (t, unchanged_paths.contains(f.path.as_str())))
        })
        .collect();
    let timeline = crate::engine::facts::timeline::build(&out_files, &all_times);
    let mut secrets: Vec<crate::engine::report::Secret> = files
        .iter()
        .filter(|f| crate::engine::facts::secrets::is_config_file(&f.path))
        .filter_map(|f| {
            captures
                .get(&f.path)
                .map(|text| crate::engine::facts::secrets::find(&f.name, text))
        })
        .flatten()
        .collect();
    secrets.sort_by(|a, b| a.file.cmp(&b.file).then(a.line.cmp(&b.line)));
    databases.sort();
    Report {
        tool: format!("site-triage {}", env!("CARGO_PKG_VERSION")),
        language: crate::engine::i18n::Lang::En,
        archive: ArchiveInfo {
            name: archive_name.to_owned(),
            format,
            size: archive_size,
            entries,
        },
        verdict,
        headline,
        cms: installs,
        roots,
        databases,
        accounts,
        timeline,
        secrets,
        files: out_files,
        summary,
        warnings,
    }
}

/// Recognises one install's version and makes its coverage.
fn recognise<'m>(
    f: &Found,
    files: &[FileRecord],
    captures: &HashMap<String, Vec<u8>>,
    bundled: &'m HashMap<String, Manifest>,
    references: &'m [Reference],
    ref_mounts: &[(usize, String)],
) -> (CmsInstall, Option<Coverage<'m>>) {
    let declared = f.declared.as_ref().map(|(p, v)| VersionFile {
        path: files
            .iter()
            .find(|r| &r.path == p)
            .map(|r| r.name.clone())
            .unwrap_or_else(|| p.clone()),
        version: v.clone(),
    });
    // A reference archive of this CMS mounted at the root or core folder wins over bundled data.
    let user = ref_mounts.iter().find_map(|(i, mount)| {
        let r = references.get(*i)?;
        (mount == &f.root || mount == &f.mount).then(|| (r, mount.clone()))
    });
    let (manifest, mount, source): (Option<&Manifest>, String, String) = match user {
        Some((r, mount)) => (Some(&r.manifest), mount, r.label.clone()),
        None => (
            f.manifest.and_then(|n| bundled.get(n)),
            f.mount.clone(),
            f.manifest
                .map(|n| format!("bundled:{n}"))
                .unwrap_or_default(),
        ),
    };
    let mut recognition = Recognition {
        version_file: declared.clone(),
        ..Recognition::default()
    };
    let mut version = declared.as_ref().map(|d| d.version.clone());
    let mut coverage = None;
    if let Some(m) = manifest {
        let counts = m.match_counts(files.iter().filter_map(|r| {
            r.path
                .strip_prefix(mount.as_str())
                .map(|rel| (rel, &r.sha256))
        }));
        if let Some((best, matched, expected)) = m.best_versions(&counts) {
            // The version file breaks ties between releases with identical files.
            let chosen = declared
                .as_ref()
                .and_then(|d| {
                    best.iter()
                        .copied()
                        .find(|v| m.versions.get(*v) == Some(&d.version))
                })
                .or_else(|| best.last().copied())
                .unwrap_or(0);
            let name = m.versions.get(chosen).cloned().unwrap_or_default();
            let tied_with: Vec<String> = best
                .iter()
                .filter(|v| **v != chosen)
                .filter_map(|v| m.versions.get(*v).cloned())
                .collect();
            if let Some(d) = &declared {
                if d.version != name && !tied_with.contains(&d.version) {
                    recognition.disagreement = Some(crate::en!("The version file says {0} {1}, but the files themselves match {2} {3} best. Version files can be edited; the files are the stronger evidence.", f.cms.display_name(), d.version, f.cms.display_name(), name));
                }
            }
            recognition.hashes = Some(HashMatch {
                version: name.clone(),
                matched,
                expected,
                tied_with,
                manifest: source.clone(),
            });
            version = Some(name.clone());
            coverage = Some(Coverage {
                manifest: m,
                mount: mount.clone(),
                version: chosen,
                label: if source.starts_with("bundled:") {
                    format!("{} {name}", f.cms.display_name())
                } else {
                    crate::en!("{0} {1} (from {2})", f.cms.display_name(), name, source)
                },
                cms: Some(f.cms),
                archive: (!source.starts_with("bundled:")).then(|| source.clone()),
            });
        }
    }
    // Only bundled data spans every release; a reference archive is a single version.
    let newer_release = manifest
        .filter(|_| source.starts_with("bundled:"))
        .and_then(|m| {
            m.versions
                .iter()
                .filter(|v| !v.to_ascii_lowercase().contains(['a', 'b', 'r']))
                .max_by(|a, b| crate::engine::know::manifest::compare_versions(a, b))
        })
        .filter(|newest| {
            version
                .as_deref()
                .is_some_and(|v| crate::engine::know::manifest::compare_versions(newest, v).is_gt())
        })
        .cloned();
    let install = CmsInstall {
        newer_release,
        name: f.cms,
        version,
        root: f.root.clone(),
        recognised_by: recognition,
        components: cms::inventory(f.cms, &f.root, files, captures),
    };
    (install, coverage)
}

fn headline(verdict: SiteVerdict, installs: &[CmsInstall], s: &Summary) -> String {
    let what = installs
        .first()
        .map(|i| match &i.version {
            Some(v) => format!("{} {v}", i.name.display_name()),
            None => i.name.display_name().to_owned(),
        })
        .unwrap_or_else(|| "this site".into());
    match verdict {
        SiteVerdict::Clean => crate::en!("No sign of tampering found in the files of {0} that we could compare with a clean release.", what),
        SiteVerdict::Suspicious => match (s.modified, s.added) {
            (0, 0) => "Suspicious: some files need a closer look.".to_owned(),
            (m, 0) => crate::en!("Suspicious: {0} file(s) of {1} were changed.", m, what),
            (0, a) => crate::en!(
                "Suspicious: {0} file(s) were added where they do not belong.",
                a
            ),
            (m, a) => crate::en!(
                "Suspicious: {0} file(s) of {1} were changed and {2} file(s) were added where they do not belong.",
                m,
                what,
                a
            ),
        },
        SiteVerdict::Compromised => crate::en!("This site has been hacked: {0} file(s) contain malicious code.", s.malicious),
    }
}
