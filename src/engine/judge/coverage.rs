//! Where each clean release sits in the backup: one *coverage* per manifest and folder
//! (its *mount*). Bundled CMS manifests mount where their marker file pins an install down;
//! reference archives the user gave mount wherever their files are found. This module also
//! knows which folders a release owns, so a stray file there is "added", not "unknown".

use std::collections::{HashMap, HashSet};

use super::Reference;
use crate::engine::collect::FileRecord;
use crate::engine::detect::kinds::config_file;
use crate::engine::know::cms::{self, Found, FoundPart};
use crate::engine::know::manifest::{compare_versions, Manifest};
use crate::engine::read::paths;
use crate::engine::report::{
    Cms, CmsInstall, HashMatch, Location, Recognition, VersionFile, Warning, WarningKind,
};

pub(super) struct Coverage<'m> {
    pub manifest: &'m Manifest,
    pub mount: String,
    /// The release compared with (index into manifest.versions).
    pub version: usize,
    pub label: String,
    /// The CMS whose release this is, when recognised (its folder rules are known); `None`
    /// for a reference archive mounted where no CMS was recognised.
    pub cms: Option<Cms>,
    /// The release archive the user gave, when the manifest comes from one.
    pub archive: Option<String>,
    /// It speaks only for the files it lists (Drupal's root files): any other file under its
    /// mount is left to the next coverage.
    pub listed_only: bool,
    /// Whether the release files absent from the backup are listed one by one.
    pub list_missing: bool,
    /// (release files absent from the backup, files the release ships there).
    pub absent: (u32, u32),
}

/// Files at a site root that every site may have and no release ships.
fn is_site_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        ".htaccess"
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
            | "crossdomain.xml"
            | "manifest.json"
            | "site.webmanifest"
            | "browserconfig.xml"
    ) || config_file(name).is_some_and(|c| c.at_site_root)
        || lower.starts_with("google") && lower.ends_with(".html")
        || lower.starts_with("apple-touch-icon")
        || lower.starts_with("yandex_")
        || lower.starts_with("bingsiteauth")
        || lower.starts_with("favicon")
}

/// Folders for uploads and generated content: code there is never expected.
pub(super) fn in_user_content(rel: &str) -> bool {
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
pub(super) fn owned_location(cov: &Coverage, rel: &str) -> Option<Location> {
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
pub(super) fn find_mounts(manifest: &Manifest, files: &[FileRecord]) -> Vec<String> {
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

/// Where each reference archive sits in the backup (a warning for one that fits nowhere).
pub(super) fn place_references(
    references: &[Reference],
    files: &[FileRecord],
    warnings: &mut Vec<Warning>,
) -> Vec<(usize, String)> {
    let mut ref_mounts: Vec<(usize, String)> = Vec::new();
    for (i, r) in references.iter().enumerate() {
        let mounts = find_mounts(&r.manifest, files);
        if mounts.is_empty() {
            warnings.push(Warning::new(
                WarningKind::Reference,
                None,
                crate::en!("The reference archive \"{0}\" does not match any folder of this backup, so it was not used.", r.label),
            ));
        }
        ref_mounts.extend(mounts.into_iter().map(|m| (i, m)));
    }
    ref_mounts
}

/// Coverages of reference mounts that no recognised install took (plugins, themes,
/// unrecognised CMSes), each compared with the reference's newest version.
pub(super) fn reference_coverages<'m>(
    references: &'m [Reference],
    ref_mounts: &[(usize, String)],
    taken: &[Coverage<'m>],
) -> Vec<Coverage<'m>> {
    let mut out: Vec<Coverage<'m>> = Vec::new();
    for (i, mount) in ref_mounts {
        if taken.iter().chain(out.iter()).any(|c| &c.mount == mount) {
            continue;
        }
        let Some(r) = references.get(*i) else {
            continue;
        };
        let version = r.manifest.versions.len().saturating_sub(1);
        out.push(Coverage {
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
            listed_only: false,
            list_missing: true,
            absent: (0, 0),
        });
    }
    out
}

/// What recognising an install needs besides the install itself.
pub(super) struct Known<'a, 'm> {
    pub files: &'a [FileRecord],
    /// Every path of the backup (readable or not).
    pub present: &'a HashSet<&'a str>,
    pub captures: &'a HashMap<String, Vec<u8>>,
    pub bundled: &'m HashMap<String, Manifest>,
    pub references: &'m [Reference],
    pub ref_mounts: &'a [(usize, String)],
}

/// Recognises one install's version and makes its coverages (its main package, then its
/// parts: TYPO3's system extensions, Drupal's root files).
pub(super) fn recognise<'m>(f: &Found, k: &Known<'_, 'm>) -> (CmsInstall, Vec<Coverage<'m>>) {
    let declared = f.declared.as_ref().map(|(p, v)| VersionFile {
        path: k
            .files
            .iter()
            .find(|r| &r.path == p)
            .map(|r| r.name.clone())
            .unwrap_or_else(|| p.clone()),
        version: v.clone(),
    });
    // A reference archive of this CMS mounted at the root or core folder wins over bundled data.
    let user = k.ref_mounts.iter().find_map(|(i, mount)| {
        let r = k.references.get(*i)?;
        (mount == &f.root || mount == &f.mount).then(|| (r, mount.clone()))
    });
    let (manifest, mount, source): (Option<&Manifest>, String, String) = match user {
        Some((r, mount)) => (Some(&r.manifest), mount, r.label.clone()),
        None => (
            f.manifest.and_then(|n| k.bundled.get(n)),
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
    let mut coverages = Vec::new();
    if let Some(m) = manifest {
        let release = Release {
            manifest: m,
            mount: &mount,
            source: &source,
            part: None,
        };
        if let Some(c) = release.match_files(f, k, declared.as_ref(), &mut recognition) {
            version = Some(m.versions.get(c.version).cloned().unwrap_or_default());
            coverages.push(c);
        } else {
            let span = |pick: fn(&[String]) -> Option<&String>| {
                pick(&m.versions).cloned().unwrap_or_default()
            };
            recognition.no_match = Some(crate::en!("None of its files is identical to a release of {0} we know ({1} to {2}): it may be newer than our data, or every one of its files was changed.", f.cms.display_name(), span(<[String]>::first), span(<[String]>::last)));
        }
    } else if f.manifest.is_some() {
        recognition.no_match = Some(crate::en!(
            "The clean {0} release data could not be loaded, so its files were not compared.",
            f.cms.display_name()
        ));
    }
    // The parts of the same release: the main package's version breaks their ties.
    let main_version = version.clone().map(|v| VersionFile {
        path: String::new(),
        version: v,
    });
    for part in &f.parts {
        let Some(m) = k.bundled.get(part.manifest) else {
            continue;
        };
        let source = format!("bundled:{}", part.manifest);
        let release = Release {
            manifest: m,
            mount: &part.mount,
            source: &source,
            part: Some(part),
        };
        let mut scratch = Recognition::default();
        if let Some(c) = release.match_files(f, k, main_version.as_ref(), &mut scratch) {
            coverages.push(c);
            recognition.parts.extend(scratch.hashes);
        }
    }
    list_missing_if_complete(&mut coverages, &mut recognition);
    let newer_release = newer_release(manifest, &source, version.as_deref());
    let install = CmsInstall {
        newer_release,
        name: f.cms,
        version,
        root: f.root.clone(),
        recognised_by: recognition,
        components: cms::inventory(f.cms, &f.root, k.files, k.captures),
        vendored_in: f.vendored_in.clone(),
    };
    (install, coverages)
}

/// Absent release files are listed one by one only where the install is otherwise complete
/// (all its parts together); else the summary gives their number.
fn list_missing_if_complete(coverages: &mut [Coverage], recognition: &mut Recognition) {
    let counted = || coverages.iter().filter(|c| !c.listed_only);
    let missing: u32 = counted().map(|c| c.absent.0).sum();
    let expected: u32 = counted().map(|c| c.absent.1).sum();
    let list = missing <= MISSING_LISTED || missing.saturating_mul(50) <= expected;
    for c in coverages.iter_mut() {
        c.list_missing &= list;
    }
    for h in recognition
        .hashes
        .iter_mut()
        .chain(recognition.parts.iter_mut())
    {
        h.missing_listed &= list;
    }
}

/// A manifest placed at a folder, from a named source (`bundled:…` or an archive's name).
struct Release<'a, 'm> {
    manifest: &'m Manifest,
    mount: &'a str,
    source: &'a str,
    part: Option<&'a FoundPart>,
}

/// Absent release files are listed one by one only when the install is otherwise complete:
/// at most this many, or one in fifty of the release's files.
const MISSING_LISTED: u32 = 20;

impl<'m> Release<'_, 'm> {
    /// Whether a path (relative to the mount) takes part in choosing the version: bundled
    /// WordPress themes and plugins update on their own, so their copies say nothing of the
    /// core's release.
    fn counts(&self, f: &Found, rel: &str) -> bool {
        !(f.cms == Cms::WordPress && self.part.is_none() && rel.starts_with("wp-content/"))
    }

    /// Picks the release whose files speak for it best (the version file breaks ties),
    /// records how in `recognition`, and makes the coverage.
    fn match_files(
        &self,
        f: &Found,
        k: &Known,
        declared: Option<&VersionFile>,
        recognition: &mut Recognition,
    ) -> Option<Coverage<'m>> {
        let m = self.manifest;
        let scores = m.version_scores(k.files.iter().filter_map(|r| {
            let rel = r.path.strip_prefix(self.mount)?;
            self.counts(f, rel).then_some((rel, &r.sha256))
        }));
        let chosen = m.best_version(&scores, declared.map(|d| d.version.as_str()))?;
        let best = m.tied_best(&scores).unwrap_or_default();
        let name = m.versions.get(chosen).cloned().unwrap_or_default();
        let tied_with: Vec<String> = best
            .iter()
            .filter(|v| **v != chosen)
            .filter_map(|v| m.versions.get(*v).cloned())
            .collect();
        if let Some(d) = declared.filter(|_| self.part.is_none()) {
            if d.version != name && !tied_with.contains(&d.version) {
                recognition.disagreement = Some(crate::en!("The version file says {0} {1}, but the files themselves match {2} {3} best. Version files can be edited; the files are the stronger evidence.", f.cms.display_name(), d.version, f.cms.display_name(), name));
            }
        }
        let (missing, expected) = self.absent(f, chosen, k.present);
        let listed_only = self.part.is_some_and(|p| p.listed_only);
        // Decided for the whole install once all its parts are matched (see `recognise`).
        let list_missing = !listed_only;
        recognition.hashes = Some(HashMatch {
            version: name.clone(),
            matched: scores.get(chosen).explains,
            expected: m.version_file_count(chosen),
            tied_with,
            manifest: self.source.to_owned(),
            part: self.part.map(|p| p.label.to_owned()).unwrap_or_default(),
            missing,
            missing_listed: list_missing,
        });
        let bundled = self.source.starts_with("bundled:");
        let mut label = if bundled {
            format!("{} {name}", f.cms.display_name())
        } else {
            crate::en!(
                "{0} {1} (from {2})",
                f.cms.display_name(),
                name,
                self.source
            )
        };
        if let Some(p) = self.part {
            label = format!("{label} ({})", p.label);
        }
        Some(Coverage {
            manifest: m,
            mount: self.mount.to_owned(),
            version: chosen,
            label,
            cms: Some(f.cms),
            archive: (!bundled).then(|| self.source.to_owned()),
            listed_only,
            list_missing,
            absent: (missing, expected),
        })
    }

    /// (files of release `v` absent from the backup, files it ships), both counting only
    /// what the missing list would show (not WordPress's bundled themes and plugins).
    fn absent(&self, f: &Found, v: usize, present: &HashSet<&str>) -> (u32, u32) {
        let m = self.manifest;
        let (mut missing, mut expected) = (0u32, 0u32);
        let mut full = String::new();
        for e in m.entries.iter().filter(|e| m.in_version(e, v)) {
            let Some(rel) = m.paths.get(e.path as usize) else {
                continue;
            };
            if !self.counts(f, rel) {
                continue;
            }
            expected += 1;
            full.clear();
            full.push_str(self.mount);
            full.push_str(rel);
            if !present.contains(full.as_str()) {
                missing += 1;
            }
        }
        (missing, expected)
    }
}

/// The newest final release in the bundled data, when newer than `version` (only bundled
/// data spans every release; a reference archive is a single version).
fn newer_release(
    manifest: Option<&Manifest>,
    source: &str,
    version: Option<&str>,
) -> Option<String> {
    manifest
        .filter(|_| source.starts_with("bundled:"))
        .and_then(|m| {
            m.versions
                .iter()
                .filter(|v| !v.to_ascii_lowercase().contains(['a', 'b', 'r']))
                .max_by(|a, b| compare_versions(a, b))
        })
        .filter(|newest| version.is_some_and(|v| compare_versions(newest, v).is_gt()))
        .cloned()
}
