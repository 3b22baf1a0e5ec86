//! TYPO3: `Typo3Version.php` (or the older `SystemEnvironmentBuilder.php`) in the core
//! extension declares the version; extensions outside `typo3/sysext/` declare themselves in
//! `ext_emconf.php`.

use std::sync::OnceLock;

use regex::bytes::Regex;

use super::{cap1, const_version};
use crate::engine::detect::rules::cached;
use crate::engine::read::paths;
use crate::engine::report::{Component, ComponentKind};

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
