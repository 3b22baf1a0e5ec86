//! WordPress: `wp-includes/version.php` declares the version; plugins (`wp-content/plugins/`,
//! and must-use plugins in `wp-content/mu-plugins/`) and themes declare themselves in a
//! comment header (`Plugin Name:`, `Theme Name:`).

use std::sync::OnceLock;

use regex::bytes::Regex;

use super::{cap1, header_field};
use crate::engine::detect::rules::cached;
use crate::engine::report::{Component, ComponentKind};

pub(super) fn declared_version(text: &[u8]) -> Option<String> {
    static WP: OnceLock<Option<Regex>> = OnceLock::new();
    cap1(cached(&WP, r#"\$wp_version\s*=\s*['"]([^'"]+)['"]"#), text)
}

/// The plugin or theme a file declares (`rel` from the site root; `name` as in the archive).
pub(super) fn component(rel: &str, text: &[u8], name: &str) -> Option<Component> {
    let parts: Vec<&str> = rel.split('/').collect();
    match parts.as_slice() {
        ["wp-content", dir @ ("plugins" | "mu-plugins"), rest @ ..]
            if !rest.is_empty() && rest.len() <= 2 =>
        {
            let display = header_field(text, "Plugin Name")?;
            let slug = rest
                .first()
                .copied()
                .unwrap_or("")
                .trim_end_matches(".php")
                .to_owned();
            let kind = if *dir == "mu-plugins" {
                ComponentKind::MustUsePlugin
            } else {
                ComponentKind::Plugin
            };
            Some(Component {
                kind,
                slug,
                name: display,
                version: header_field(text, "Version"),
                path: name.to_owned(),
            })
        }
        ["wp-content", "themes", slug, "style.css"] => Some(Component {
            kind: ComponentKind::Theme,
            slug: (*slug).into(),
            name: header_field(text, "Theme Name")?,
            version: header_field(text, "Version"),
            path: name.to_owned(),
        }),
        _ => None,
    }
}
