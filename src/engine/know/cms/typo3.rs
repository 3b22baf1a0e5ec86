//! TYPO3: `Typo3Version.php` (or the older `SystemEnvironmentBuilder.php`) in the core
//! extension declares the version; extensions outside `typo3/sysext/` declare themselves in
//! `ext_emconf.php`.

use std::sync::OnceLock;

use regex::bytes::Regex;

use super::{cap1, const_version};
use crate::engine::detect::rules::cached;
use crate::engine::read::paths;
use crate::engine::report::{Component, ComponentKind};

/// A TYPO3 system extension the bundled data covers: its key (`typo3/sysext/<key>/` in a
/// classic install), its Composer folder (`vendor/typo3/<composer>/`) and its manifest.
#[derive(Debug, PartialEq, Eq)]
pub struct Part {
    pub key: &'static str,
    pub composer: &'static str,
    pub manifest: &'static str,
}

const fn part(key: &'static str, composer: &'static str, manifest: &'static str) -> Part {
    Part {
        key,
        composer,
        manifest,
    }
}

/// The core and the 21 system extensions of `../shared/reference` (`typo3-cms-sysext.tsv.gz`).
/// The core's own coverage comes from its marker; the others join it where their folder exists.
pub const PARTS: &[Part] = &[
    part("core", "cms-core", "typo3-cms-core"),
    part("backend", "cms-backend", "typo3-cms-backend"),
    part("belog", "cms-belog", "typo3-cms-belog"),
    part("beuser", "cms-beuser", "typo3-cms-beuser"),
    part("dashboard", "cms-dashboard", "typo3-cms-dashboard"),
    part("extbase", "cms-extbase", "typo3-cms-extbase"),
    part(
        "extensionmanager",
        "cms-extensionmanager",
        "typo3-cms-extensionmanager",
    ),
    part("felogin", "cms-felogin", "typo3-cms-felogin"),
    part("filelist", "cms-filelist", "typo3-cms-filelist"),
    part("fluid", "cms-fluid", "typo3-cms-fluid"),
    part(
        "fluid_styled_content",
        "cms-fluid-styled-content",
        "typo3-cms-fluid-styled-content",
    ),
    part("form", "cms-form", "typo3-cms-form"),
    part("frontend", "cms-frontend", "typo3-cms-frontend"),
    part("info", "cms-info", "typo3-cms-info"),
    part("install", "cms-install", "typo3-cms-install"),
    part("lowlevel", "cms-lowlevel", "typo3-cms-lowlevel"),
    part("redirects", "cms-redirects", "typo3-cms-redirects"),
    part("rte_ckeditor", "cms-rte-ckeditor", "typo3-cms-rte-ckeditor"),
    part("scheduler", "cms-scheduler", "typo3-cms-scheduler"),
    part("seo", "cms-seo", "typo3-cms-seo"),
    part("setup", "cms-setup", "typo3-cms-setup"),
    part("tstemplate", "cms-tstemplate", "typo3-cms-tstemplate"),
];

/// The part with this extension key.
pub fn by_key(key: &str) -> Option<&'static Part> {
    PARTS.iter().find(|p| p.key == key)
}

/// For the core's folder (`…/typo3/sysext/core/` or `…/vendor/typo3/cms-core/`): the folder of
/// each other system extension in the same layout.
pub(super) fn part_mounts(core_mount: &str) -> Vec<(&'static Part, String)> {
    if let Some(base) = core_mount.strip_suffix("sysext/core/") {
        PARTS
            .iter()
            .skip(1)
            .map(|p| (p, format!("{base}sysext/{}/", p.key)))
            .collect()
    } else if let Some(base) = core_mount.strip_suffix("cms-core/") {
        PARTS
            .iter()
            .skip(1)
            .map(|p| (p, format!("{base}{}/", p.composer)))
            .collect()
    } else {
        Vec::new()
    }
}

pub(super) fn declared_version(marker_path: &str, text: &[u8]) -> Option<String> {
    static TYPO3_DEFINE: OnceLock<Option<Regex>> = OnceLock::new();
    if marker_path.ends_with("SystemEnvironmentBuilder.php") {
        cap1(
            cached(
                &TYPO3_DEFINE,
                r#"define\(\s*['"]TYPO3_version['"]\s*,\s*['"]([^'"]+)['"]"#,
            ),
            text,
        )
    } else {
        const_version(text)
    }
}

/// The extension an `ext_emconf.php` declares (not a system extension).
pub(super) fn component(rel: &str, text: &[u8], name: &str) -> Option<Component> {
    static EMCONF_TITLE: OnceLock<Option<Regex>> = OnceLock::new();
    static EMCONF_VERSION: OnceLock<Option<Regex>> = OnceLock::new();
    if !rel.ends_with("ext_emconf.php") || rel.contains("typo3/sysext/") || rel.contains("/Tests/")
    {
        return None;
    }
    let dir = paths::parent(rel).trim_end_matches('/');
    let slug = paths::file_name(dir).to_owned();
    let display = cap1(
        cached(&EMCONF_TITLE, r#"['"]title['"]\s*=>\s*['"]([^'"]+)['"]"#),
        text,
    )
    .unwrap_or_else(|| slug.clone());
    Some(Component {
        kind: ComponentKind::Extension,
        slug,
        name: display,
        version: cap1(
            cached(
                &EMCONF_VERSION,
                r#"['"]version['"]\s*=>\s*['"]([^'"]+)['"]"#,
            ),
            text,
        ),
        path: name.to_owned(),
    })
}
