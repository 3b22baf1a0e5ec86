//! Joomla: `libraries/src/Version.php` (or older version files, or the files manifest)
//! declares the version; extensions declare themselves in an XML manifest
//! (`<extension type="…">`), and the Joomla! Project's own are part of the core.

use std::sync::OnceLock;

use regex::bytes::Regex;

use super::cap1;
use crate::engine::detect::rules::cached;
use crate::engine::read::paths;
use crate::engine::report::{Component, ComponentKind};

pub(super) fn declared_version(marker_path: &str, text: &[u8]) -> Option<String> {
    static J_MAJOR: OnceLock<Option<Regex>> = OnceLock::new();
    static J_MINOR: OnceLock<Option<Regex>> = OnceLock::new();
    static J_PATCH: OnceLock<Option<Regex>> = OnceLock::new();
    static J_RELEASE: OnceLock<Option<Regex>> = OnceLock::new();
    static J_DEV: OnceLock<Option<Regex>> = OnceLock::new();
    static XML_VERSION: OnceLock<Option<Regex>> = OnceLock::new();
    if marker_path.ends_with(".xml") {
        return cap1(
            cached(&XML_VERSION, r"<version>\s*([^<\s]+)\s*</version>"),
            text,
        );
    }
    let major = cap1(cached(&J_MAJOR, r"MAJOR_VERSION\s*=\s*(\d+)"), text);
    let minor = cap1(cached(&J_MINOR, r"MINOR_VERSION\s*=\s*(\d+)"), text);
    let patch = cap1(cached(&J_PATCH, r"PATCH_VERSION\s*=\s*(\d+)"), text);
    if let (Some(a), Some(b), Some(c)) = (major, minor, patch) {
        return Some(format!("{a}.{b}.{c}"));
    }
    let release = cap1(
        cached(&J_RELEASE, r#"RELEASE\s*=\s*['"]([\d.]+)['"]"#),
        text,
    )?;
    let dev = cap1(
        cached(&J_DEV, r#"DEV_LEVEL\s*=\s*['"]([0-9A-Za-z.]+)['"]"#),
        text,
    );
    Some(match dev {
        Some(d) => format!("{release}.{d}"),
        None => release,
    })
}

/// The extension an XML manifest declares (not the Joomla! Project's own).
pub(super) fn component(rel: &str, text: &[u8], name: &str) -> Option<Component> {
    static XML_NAME: OnceLock<Option<Regex>> = OnceLock::new();
    static XML_VERSION: OnceLock<Option<Regex>> = OnceLock::new();
    static XML_TYPE: OnceLock<Option<Regex>> = OnceLock::new();
    static XML_AUTHOR: OnceLock<Option<Regex>> = OnceLock::new();
    if !rel.ends_with(".xml") {
        return None;
    }
    let kind = cap1(
        cached(&XML_TYPE, r#"<extension[^>]*\stype=["']([a-z]+)["']"#),
        text,
    )?;
    if cap1(
        cached(&XML_AUTHOR, r"<author>\s*([^<]+?)\s*</author>"),
        text,
    )
    .is_some_and(|a| a.contains("Joomla! Project"))
    {
        return None; // a core extension
    }
    let display = cap1(cached(&XML_NAME, r"<name>\s*([^<]+?)\s*</name>"), text)?;
    Some(Component {
        kind: ComponentKind::from_id(&kind),
        slug: paths::file_name(rel).trim_end_matches(".xml").to_owned(),
        name: display,
        version: cap1(
            cached(&XML_VERSION, r"<version>\s*([^<]+?)\s*</version>"),
            text,
        ),
        path: name.to_owned(),
    })
}
