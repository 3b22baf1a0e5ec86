//! Recognising CMS installations, their declared versions, and their plugins, themes,
//! modules and extensions.
//!
//! Each supported CMS has *marker* files whose presence pins down where an install's root is
//! (`…/wp-includes/version.php` → the folder above is a WordPress root). The marker is also
//! the version file, read from the first bytes captured during the pass. The declared version
//! is only a claim — an attacker can edit it — so the diff module checks it against the
//! hashes; this module only reports what the files say.

use std::collections::{BTreeMap, HashMap};

use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::engine::collect::FileRecord;
use crate::engine::detect::rules::cached;
use crate::engine::read::paths;
use crate::engine::report::{Cms, Component};

mod drupal;
mod joomla;
pub mod typo3;
mod wordpress;

/// A file whose presence identifies an install, and how it relates to the bundled manifest.
pub struct Marker {
    pub cms: Cms,
    /// Path of the marker relative to the site root.
    pub path: &'static str,
    /// Bundled manifest that covers this install, if any.
    pub manifest: Option<&'static str>,
    /// Where that manifest's paths start, relative to the site root.
    pub mount: &'static str,
}

pub const MARKERS: &[Marker] = &[
    Marker {
        cms: Cms::WordPress,
        path: "wp-includes/version.php",
        manifest: Some("wordpress"),
        mount: "",
    },
    Marker {
        cms: Cms::Drupal,
        path: "core/lib/Drupal.php",
        manifest: Some("drupal-core"),
        mount: "core/",
    },
    // The `drupal/core` package itself, wherever it sits (`web/core/`, or vendored into a
    // plugin's folder as `vendor/drupal-core/`); only next to its `core.services.yml`.
    Marker {
        cms: Cms::Drupal,
        path: "lib/Drupal.php",
        manifest: Some("drupal-core"),
        mount: "",
    },
    Marker {
        cms: Cms::Drupal,
        path: "includes/bootstrap.inc",
        manifest: None,
        mount: "",
    },
    Marker {
        cms: Cms::Joomla,
        path: "libraries/src/Version.php",
        manifest: None,
        mount: "",
    },
    Marker {
        cms: Cms::Joomla,
        path: "libraries/cms/version/version.php",
        manifest: None,
        mount: "",
    },
    Marker {
        cms: Cms::Joomla,
        path: "libraries/joomla/version.php",
        manifest: None,
        mount: "",
    },
    Marker {
        cms: Cms::Joomla,
        path: "administrator/manifests/files/joomla.xml",
        manifest: None,
        mount: "",
    },
    Marker {
        cms: Cms::Typo3,
        path: "typo3/sysext/core/Classes/Information/Typo3Version.php",
        manifest: Some("typo3-cms-core"),
        mount: "typo3/sysext/core/",
    },
    Marker {
        cms: Cms::Typo3,
        path: "typo3/sysext/core/Classes/Core/SystemEnvironmentBuilder.php",
        manifest: Some("typo3-cms-core"),
        mount: "typo3/sysext/core/",
    },
    Marker {
        cms: Cms::Typo3,
        path: "vendor/typo3/cms-core/Classes/Information/Typo3Version.php",
        manifest: Some("typo3-cms-core"),
        mount: "vendor/typo3/cms-core/",
    },
    Marker {
        cms: Cms::Typo3,
        path: "vendor/typo3/cms-core/Classes/Core/SystemEnvironmentBuilder.php",
        manifest: Some("typo3-cms-core"),
        mount: "vendor/typo3/cms-core/",
    },
];

/// The CMS a bundled manifest belongs to ("typo3-cms-backend" → TYPO3).
pub fn manifest_cms(name: &str) -> Option<Cms> {
    MARKERS
        .iter()
        .find(|m| m.manifest == Some(name))
        .map(|m| m.cms)
        .or_else(|| {
            typo3::PARTS
                .iter()
                .any(|p| p.manifest == name)
                .then_some(Cms::Typo3)
        })
        .or_else(|| (name == "drupal-scaffold").then_some(Cms::Drupal))
}

/// One install found from markers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub cms: Cms,
    /// Site root prefix ("" or ending in `/`), in normalised paths.
    pub root: String,
    pub manifest: Option<&'static str>,
    /// Prefix where the bundled manifest's paths start.
    pub mount: String,
    /// (normalised path of the version file, declared version)
    pub declared: Option<(String, String)>,
    /// More packages of the same release beside the main one: TYPO3's system extensions,
    /// Drupal's root files (scaffold).
    pub parts: Vec<FoundPart>,
    /// For a copy shipped inside another install's plugin or module: that folder.
    pub vendored_in: Option<String>,
}

/// One more bundled manifest of an install, and where its paths start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundPart {
    pub manifest: &'static str,
    pub mount: String,
    /// What it is, for people: "backend", "root files".
    pub label: &'static str,
    /// It speaks only for the files it lists (Drupal's root files share their folder with
    /// the site's own modules and settings).
    pub listed_only: bool,
}

fn cap1(re: Option<&Regex>, text: &[u8]) -> Option<String> {
    let c = re?.captures(text)?;
    let m = c.get(1)?;
    let s = String::from_utf8_lossy(m.as_bytes()).trim().to_owned();
    (!s.is_empty() && s.len() <= 64).then_some(s)
}

/// `const VERSION = '…'`: how Drupal 8+ and TYPO3's `Typo3Version` declare theirs.
fn const_version(text: &[u8]) -> Option<String> {
    static CONST_VERSION: OnceLock<Option<Regex>> = OnceLock::new();
    cap1(
        cached(&CONST_VERSION, r#"const\s+VERSION\s*=\s*['"]([^'"]+)['"]"#),
        text,
    )
}

/// Reads the version a CMS version file declares.
pub fn declared_version(cms: Cms, marker_path: &str, text: &[u8]) -> Option<String> {
    match cms {
        Cms::WordPress => wordpress::declared_version(text),
        Cms::Drupal => drupal::declared_version(marker_path, text),
        Cms::Joomla => joomla::declared_version(marker_path, text),
        Cms::Typo3 => typo3::declared_version(marker_path, text),
    }
}

/// Finds every install in the backup from its marker files.
pub fn find_installs(files: &[FileRecord], captures: &HashMap<String, Vec<u8>>) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    // Every path, for the sibling checks below (built once, when one is needed: a backup
    // with thousands of marker names must not cost a scan of all files for each).
    let mut all_paths: Option<std::collections::HashSet<&str>> = None;
    for f in files {
        for m in MARKERS {
            let Some(root) = f.path.strip_suffix(m.path) else {
                continue;
            };
            if !(root.is_empty() || root.ends_with('/')) {
                continue;
            }
            // Drupal 7's bootstrap.inc only counts next to its system module, the bare core
            // package next to its services file.
            let sibling = match m.path {
                "includes/bootstrap.inc" => Some("modules/system/system.module"),
                "lib/Drupal.php" => Some("core.services.yml"),
                _ => None,
            };
            if let Some(sibling) = sibling {
                let want = format!("{root}{sibling}");
                let paths = all_paths
                    .get_or_insert_with(|| files.iter().map(|g| g.path.as_str()).collect());
                if !paths.contains(want.as_str()) {
                    continue;
                }
            }
            let declared = captures
                .get(&f.path)
                .and_then(|text| declared_version(m.cms, m.path, text))
                .map(|v| (f.path.clone(), v));
            if let Some(existing) = found.iter_mut().find(|x| x.cms == m.cms && x.root == root) {
                if existing.declared.is_none() {
                    existing.declared = declared;
                }
                if existing.manifest.is_none() && m.manifest.is_some() {
                    existing.manifest = m.manifest;
                    existing.mount = format!("{root}{}", m.mount);
                }
                continue;
            }
            found.push(Found {
                cms: m.cms,
                root: root.to_owned(),
                manifest: m.manifest,
                mount: format!("{root}{}", m.mount),
                declared,
                parts: Vec::new(),
                vendored_in: None,
            });
        }
    }
    // The core package found at its own root is the install found one folder up.
    let mounts: Vec<(String, String)> = found
        .iter()
        .map(|f| (f.root.clone(), f.mount.clone()))
        .collect();
    found.retain(|f| {
        !mounts
            .iter()
            .any(|(root, mount)| mount == &f.mount && root.len() < f.root.len())
    });
    for f in &mut found {
        // Classic TYPO3 keeps its code in `typo3_src-13.4.34/` beside the site's own folders.
        if f.cms == Cms::Typo3
            && paths::file_name(f.root.trim_end_matches('/')).starts_with("typo3_src")
        {
            f.root = paths::parent(f.root.trim_end_matches('/')).to_owned();
        }
    }
    let folders = folder_set(files);
    for f in &mut found {
        f.parts = parts_of(f, &folders);
    }
    found.sort_by(|a, b| a.root.cmp(&b.root).then(a.cms.id().cmp(b.cms.id())));
    let roots: Vec<String> = found.iter().map(|f| f.root.clone()).collect();
    for f in &mut found {
        f.vendored_in = roots
            .iter()
            .filter(|r| r.len() < f.root.len() && f.root.starts_with(r.as_str()))
            .max_by_key(|r| r.len())
            .and_then(|outer| enclosing_component(outer, &f.root));
    }
    found
}

/// Every folder (ending in `/`) that holds a file, directly or below.
fn folder_set(files: &[FileRecord]) -> std::collections::HashSet<&str> {
    let mut out = std::collections::HashSet::new();
    for f in files {
        let mut p = f.path.as_str();
        while let Some(i) = p.rfind('/') {
            let dir = p.get(..=i).unwrap_or("");
            if !out.insert(dir) {
                break;
            }
            p = p.get(..i).unwrap_or("");
        }
    }
    out
}

/// The packages beside an install's main one that the bundled data covers and the backup has.
fn parts_of(f: &Found, folders: &std::collections::HashSet<&str>) -> Vec<FoundPart> {
    match (f.cms, f.manifest) {
        (Cms::Typo3, Some(_)) => typo3::part_mounts(&f.mount)
            .into_iter()
            .filter(|(_, mount)| folders.contains(mount.as_str()))
            .map(|(p, mount)| FoundPart {
                manifest: p.manifest,
                mount,
                label: p.key,
                listed_only: false,
            })
            .collect(),
        (Cms::Drupal, Some(_)) if f.mount == format!("{}core/", f.root) => vec![FoundPart {
            manifest: "drupal-scaffold",
            mount: f.root.clone(),
            label: "root files",
            listed_only: true,
        }],
        _ => Vec::new(),
    }
}

/// The plugin, theme, module or extension folder of `outer` that holds `inner`; `None` when
/// `inner` is a plain subfolder (a second site in `blog/`, not a copy shipped by a plugin).
fn enclosing_component(outer: &str, inner: &str) -> Option<String> {
    let rel = inner.get(outer.len()..).unwrap_or("");
    let segs: Vec<&str> = rel.split('/').filter(|s| !s.is_empty()).collect();
    let depth = match segs.as_slice() {
        ["wp-content", "plugins" | "themes" | "mu-plugins", _, ..] => 3,
        ["typo3conf", "ext", _, ..] => 3,
        ["sites", _, "modules" | "themes" | "libraries", _, ..] => 4,
        ["modules" | "themes" | "profiles" | "libraries", "contrib" | "custom", _, ..] => 3,
        ["modules" | "themes" | "profiles" | "plugins" | "components" | "libraries" | "vendor", _, ..] => {
            2
        }
        _ => return None,
    };
    let mut out = outer.to_owned();
    for s in segs.iter().take(depth) {
        out.push_str(s);
        out.push('/');
    }
    Some(out)
}

/// Site roots when no CMS marker is present: the usual web-root folder names.
pub fn guess_roots(files: &[FileRecord]) -> Vec<String> {
    const NAMES: [&str; 6] = [
        "public_html/",
        "www/",
        "htdocs/",
        "httpdocs/",
        "html/",
        "web/",
    ];
    let mut roots: Vec<String> = Vec::new();
    for f in files {
        for n in NAMES {
            if let Some(i) = f.path.find(n) {
                if i == 0 || f.path.as_bytes().get(i - 1) == Some(&b'/') {
                    let root = f.path.get(..i + n.len()).unwrap_or("").to_owned();
                    if !roots.iter().any(|r| root.starts_with(r.as_str())) {
                        roots.retain(|r| !r.starts_with(root.as_str()));
                        roots.push(root);
                    }
                }
            }
        }
    }
    if roots.is_empty() {
        // The shallowest folder holding an index page.
        if let Some(idx) = files
            .iter()
            .filter(|f| {
                matches!(
                    crate::engine::read::paths::file_name(&f.path),
                    "index.php" | "index.html" | "index.htm"
                )
            })
            .min_by_key(|f| f.path.matches('/').count())
        {
            roots.push(crate::engine::read::paths::parent(&idx.path).to_owned());
        }
    }
    roots.sort();
    roots
}

fn header_field(text: &[u8], field: &str) -> Option<String> {
    // "Plugin Name: Foo" style headers (WordPress plugins and themes).
    let text = String::from_utf8_lossy(text.get(..8192).unwrap_or(text));
    for line in text.lines() {
        let line = line.trim_start_matches(|c: char| {
            c == ' ' || c == '*' || c == '#' || c == '/' || c == '\t'
        });
        if let Some(rest) = line.strip_prefix(field) {
            if let Some(v) = rest.trim_start().strip_prefix(':') {
                let v = v.trim().trim_end_matches("*/").trim();
                if !v.is_empty() {
                    return Some(v.chars().take(120).collect());
                }
            }
        }
    }
    None
}

fn yaml_field(text: &[u8], field: &str) -> Option<String> {
    let text = String::from_utf8_lossy(text);
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix(field) {
            let rest = rest.trim_start();
            let v = rest
                .strip_prefix(':')
                .or_else(|| rest.strip_prefix('='))?
                .trim()
                .trim_matches(|c| c == '\'' || c == '"')
                .trim();
            if !v.is_empty() {
                return Some(v.chars().take(120).collect());
            }
        }
    }
    None
}

/// Plugins, themes, modules and extensions of one install, from captured headers.
pub fn inventory(
    cms: Cms,
    root: &str,
    files: &[FileRecord],
    captures: &HashMap<String, Vec<u8>>,
) -> Vec<Component> {
    let mut out: BTreeMap<(String, String), Component> = BTreeMap::new();
    for f in files {
        let Some(rel) = f.path.strip_prefix(root) else {
            continue;
        };
        let Some(text) = captures.get(&f.path) else {
            continue;
        };
        let found = match cms {
            Cms::WordPress => wordpress::component(rel, text, &f.name),
            Cms::Drupal => drupal::component(rel, text, &f.name),
            Cms::Joomla => joomla::component(rel, text, &f.name),
            Cms::Typo3 => typo3::component(rel, text, &f.name),
        };
        if let Some(c) = found {
            out.entry((c.kind.id().to_owned(), c.slug.clone()))
                .or_insert(c);
        }
    }
    out.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_versions() {
        assert_eq!(
            declared_version(
                Cms::WordPress,
                "wp-includes/version.php",
                b"<?php\n$wp_version = '6.4.2';\n"
            )
            .as_deref(),
            Some("6.4.2")
        );
        assert_eq!(
            declared_version(
                Cms::Drupal,
                "core/lib/Drupal.php",
                b"class Drupal {\n  const VERSION = '10.1.5';"
            )
            .as_deref(),
            Some("10.1.5")
        );
        assert_eq!(
            declared_version(
                Cms::Drupal,
                "includes/bootstrap.inc",
                b"define('VERSION', '7.98');"
            )
            .as_deref(),
            Some("7.98")
        );
        assert_eq!(
            declared_version(Cms::Joomla, "libraries/src/Version.php", b"public const MAJOR_VERSION = 4;\npublic const MINOR_VERSION = 4;\npublic const PATCH_VERSION = 3;").as_deref(),
            Some("4.4.3")
        );
        assert_eq!(
            declared_version(
                Cms::Joomla,
                "libraries/cms/version/version.php",
                b"public $RELEASE = '2.5';\npublic $DEV_LEVEL = '28';"
            )
            .as_deref(),
            Some("2.5.28")
        );
        assert_eq!(
            declared_version(
                Cms::Typo3,
                "x/SystemEnvironmentBuilder.php",
                b"define('TYPO3_version', '9.5.31');"
            )
            .as_deref(),
            Some("9.5.31")
        );
        assert_eq!(declared_version(Cms::WordPress, "v", b"nothing"), None);
    }

    #[test]
    fn headers() {
        let t = b"<?php\n/**\n * Plugin Name: Hello Dolly\n * Version: 1.7.2\n */";
        assert_eq!(
            header_field(t, "Plugin Name").as_deref(),
            Some("Hello Dolly")
        );
        assert_eq!(header_field(t, "Version").as_deref(), Some("1.7.2"));
        assert_eq!(
            yaml_field(
                b"name: 'Pathauto'\ntype: module\nversion: '8.x-1.11'\n",
                "version"
            )
            .as_deref(),
            Some("8.x-1.11")
        );
    }
}
