//! Drupal: `core/lib/Drupal.php` (8 and later) or `includes/bootstrap.inc` (7) declares the
//! version; modules, themes and profiles outside `core/` declare themselves in
//! `*.info.yml` (or Drupal 7's `*.info`).

use std::sync::OnceLock;

use regex::bytes::Regex;

use super::{cap1, const_version, yaml_field};
use crate::engine::detect::rules::cached;
use crate::engine::read::paths;
use crate::engine::report::{Component, ComponentKind};

pub(super) fn declared_version(marker_path: &str, text: &[u8]) -> Option<String> {
    static DEFINE_VERSION: OnceLock<Option<Regex>> = OnceLock::new();
    if marker_path.ends_with("bootstrap.inc") {
        cap1(
            cached(
                &DEFINE_VERSION,
                r#"define\(\s*['"]VERSION['"]\s*,\s*['"]([^'"]+)['"]"#,
            ),
            text,
        )
    } else {
        const_version(text)
    }
}

/// The module, theme or profile an info file declares.
pub(super) fn component(rel: &str, text: &[u8], name: &str) -> Option<Component> {
    if rel.starts_with("core/") {
        return None;
    }
    let fname = paths::file_name(rel);
    let slug = fname
        .strip_suffix(".info.yml")
        .or_else(|| fname.strip_suffix(".info"))
        .unwrap_or("");
    if slug.is_empty() {
        return None;
    }
    let display = yaml_field(text, "name")?;
    let kind = yaml_field(text, "type").unwrap_or_else(|| "module".into());
    // Only the extension's own folder, not its test fixtures.
    if rel.contains("/tests/") {
        return None;
    }
    Some(Component {
        kind: ComponentKind::from_id(&kind),
        slug: slug.to_owned(),
        name: display,
        version: yaml_field(text, "version"),
        path: name.to_owned(),
    })
}
