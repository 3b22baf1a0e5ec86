//! Manifests built from an official release archive (a WordPress zip, a Joomla full package,
//! a plugin zip…), so any CMS and version can be covered, not only the bundled ones.

use std::io::{Read, Seek};

use crate::engine::collect::{self, Collected, Observer};
use crate::engine::know::cms;
use crate::engine::know::manifest::{Manifest, ManifestBuilder};
use crate::engine::read::ScanError;

/// A version number in a file name: "wordpress-6.4.2.zip" → "6.4.2",
/// "Joomla_4.4.3-Stable-Full_Package.zip" → "4.4.3".
pub fn version_from_file_name(name: &str) -> Option<String> {
    let bytes = name.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        let after_sep =
            i == 0 || matches!(bytes.get(i - 1), Some(b'-' | b'.' | b'_' | b'v' | b'V'));
        if !b.is_ascii_digit() || !after_sep {
            continue;
        }
        let run: String = name
            .get(i..)?
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let run = run.trim_end_matches('.');
        if run.contains('.') {
            return Some(run.to_owned());
        }
    }
    None
}

/// Name of a package from its archive file name: "akismet.5.3.zip" → "akismet".
pub fn package_name(file_name: &str, version: Option<&str>) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let mut stem = base
        .trim_end_matches(".zip")
        .trim_end_matches(".tgz")
        .trim_end_matches(".tar.gz")
        .trim_end_matches(".tar")
        .to_owned();
    if let Some(v) = version {
        if let Some(s) = stem.strip_suffix(v) {
            stem = s.trim_end_matches(['-', '.', '_', 'v']).to_owned();
        }
    }
    if stem.is_empty() {
        "reference".into()
    } else {
        stem
    }
}

/// Removes one folder that wraps everything ("wordpress/…" in wordpress.org zips) and
/// returns it ("" when there is none).
fn strip_common_folder(c: &mut Collected) -> String {
    let Some(first) = c.files.first() else {
        return String::new();
    };
    let Some(i) = first.path.find('/') else {
        return String::new();
    };
    let top = first.path.get(..=i).unwrap_or("").to_owned();
    if !c.files.iter().all(|f| f.path.starts_with(top.as_str())) {
        return String::new();
    }
    for f in &mut c.files {
        f.path = f.path.get(top.len()..).unwrap_or("").to_owned();
    }
    c.captures = std::mem::take(&mut c.captures)
        .into_iter()
        .map(|(k, v)| (k.get(top.len()..).unwrap_or("").to_owned(), v))
        .collect();
    top
}

/// Builds a one-version manifest (full 256-bit hashes) from a release archive.
pub fn build_from_archive<R: Read + Seek>(
    reader: R,
    len: u64,
    file_name: &str,
    observer: &mut dyn Observer,
) -> Result<Manifest, ScanError> {
    let mut collected = collect::collect(reader, len, observer)?;
    let prefix = strip_common_folder(&mut collected);
    let installs = cms::find_installs(&collected.files, &collected.captures);
    let at_root = installs.iter().find(|f| f.root.is_empty());
    let version = at_root
        .and_then(|f| f.declared.as_ref().map(|d| d.1.clone()))
        .or_else(|| {
            version_from_file_name(file_name.rsplit(['/', '\\']).next().unwrap_or(file_name))
        })
        .unwrap_or_else(|| "reference".into());
    let cms_name = at_root.map(|f| f.cms.id()).unwrap_or("");
    let name = match at_root {
        Some(f) => f.cms.id().to_owned(),
        None => package_name(file_name, Some(&version)),
    };
    let mut b = ManifestBuilder::new(&name, cms_name, 32);
    for f in &collected.files {
        let ws = f.sha256_ws.unwrap_or(f.sha256);
        b.add(&f.path, &version, f.size, f.sha256, ws);
    }
    let mut m = b.build();
    m.archive_prefix = prefix;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_versions() {
        assert_eq!(
            version_from_file_name("wordpress-6.4.2.zip").as_deref(),
            Some("6.4.2")
        );
        assert_eq!(
            version_from_file_name("akismet.5.3.zip").as_deref(),
            Some("5.3")
        );
        assert_eq!(
            version_from_file_name("Joomla_4.4.3-Stable-Full_Package.zip").as_deref(),
            Some("4.4.3")
        );
        assert_eq!(version_from_file_name("latest.zip"), None);
        assert_eq!(package_name("/tmp/akismet.5.3.zip", Some("5.3")), "akismet");
        assert_eq!(package_name("wordpress.zip", None), "wordpress");
    }
}
