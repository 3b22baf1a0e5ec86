//! The closed vocabularies of the report: which CMS, what kind of component or secret, how
//! strong a finding is, what to do about it, which archive format, why a scan failed, which
//! language. Each is an enum whose wire name (JSON, CSV, messages between page and worker)
//! comes from serde here, in one place; code matches on variants, never on strings.

use serde::{Deserialize, Serialize};

/// A CMS the engine recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cms {
    #[serde(rename = "wordpress")]
    WordPress,
    Joomla,
    Drupal,
    #[serde(rename = "typo3")]
    Typo3,
}

impl Cms {
    pub const ALL: [Cms; 4] = [Cms::WordPress, Cms::Joomla, Cms::Drupal, Cms::Typo3];

    /// The wire id (`wordpress`, `joomla`, `drupal`, `typo3`).
    pub fn id(self) -> &'static str {
        match self {
            Cms::WordPress => "wordpress",
            Cms::Joomla => "joomla",
            Cms::Drupal => "drupal",
            Cms::Typo3 => "typo3",
        }
    }

    /// The name people read.
    pub fn display_name(self) -> &'static str {
        match self {
            Cms::WordPress => "WordPress",
            Cms::Joomla => "Joomla",
            Cms::Drupal => "Drupal",
            Cms::Typo3 => "TYPO3",
        }
    }

    pub fn from_id(id: &str) -> Option<Cms> {
        Cms::ALL.into_iter().find(|c| c.id() == id)
    }
}

/// What a component of a site is. WordPress's kinds come from where it sits; Joomla's and
/// Drupal's from the manifest the component ships (`type="…"`), so any other word it gives is
/// kept as [`ComponentKind::Other`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ComponentKind {
    Plugin,
    /// A WordPress must-use plugin (`wp-content/mu-plugins/`): runs on every request.
    MustUsePlugin,
    Theme,
    Module,
    Extension,
    Component,
    Template,
    Library,
    Profile,
    Other(String),
}

/// The kinds with a name of their own, and that name (the wire id).
const NAMED_KINDS: [(ComponentKind, &str); 9] = [
    (ComponentKind::Plugin, "plugin"),
    (ComponentKind::MustUsePlugin, "must-use plugin"),
    (ComponentKind::Theme, "theme"),
    (ComponentKind::Module, "module"),
    (ComponentKind::Extension, "extension"),
    (ComponentKind::Component, "component"),
    (ComponentKind::Template, "template"),
    (ComponentKind::Library, "library"),
    (ComponentKind::Profile, "profile"),
];

impl ComponentKind {
    /// The id of a kind with a name of its own (`None` for [`ComponentKind::Other`]).
    pub fn named_id(&self) -> Option<&'static str> {
        NAMED_KINDS.iter().find(|(k, _)| k == self).map(|(_, n)| *n)
    }

    /// The wire id (the JSON's `kind`).
    pub fn id(&self) -> &str {
        match self {
            ComponentKind::Other(s) => s,
            k => k.named_id().unwrap_or_default(),
        }
    }

    pub fn from_id(id: &str) -> ComponentKind {
        NAMED_KINDS
            .iter()
            .find(|(_, n)| *n == id)
            .map_or_else(|| ComponentKind::Other(id.to_owned()), |(k, _)| k.clone())
    }
}

impl Serialize for ComponentKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for ComponentKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(ComponentKind::from_id(&s))
    }
}

/// What a secret found in a config file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecretKind {
    DatabasePassword,
    DatabaseUser,
    CmsKeys,
    SmtpPassword,
    ApiKey,
    InstallPassword,
    GitCredential,
}

impl SecretKind {
    /// The wire id (`database-password`, `cms-keys`…).
    pub fn id(self) -> &'static str {
        match self {
            SecretKind::DatabasePassword => "database-password",
            SecretKind::DatabaseUser => "database-user",
            SecretKind::CmsKeys => "cms-keys",
            SecretKind::SmtpPassword => "smtp-password",
            SecretKind::ApiKey => "api-key",
            SecretKind::InstallPassword => "install-password",
            SecretKind::GitCredential => "git-credential",
        }
    }
}

/// How strong a piece of evidence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Supporting evidence only: never decides a verdict alone.
    Hint,
    Suspicious,
    Malicious,
}

/// What to do with the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Delete the file (it is not part of any clean release).
    Delete,
    /// Replace it with the clean copy from the official release.
    Replace,
    /// Have someone review it.
    Review,
}

/// Which container format the backup is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ArchiveFormat {
    #[default]
    #[serde(rename = "zip")]
    Zip,
    #[serde(rename = "tar")]
    Tar,
    #[serde(rename = "tar.gz")]
    TarGz,
}

impl ArchiveFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ArchiveFormat::Zip => "zip",
            ArchiveFormat::Tar => "tar",
            ArchiveFormat::TarGz => "tar.gz",
        }
    }
}

impl std::fmt::Display for ArchiveFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an archive could not be read at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ErrorKind {
    Empty,
    NotAnArchive,
    UnsupportedFormat,
    Corrupt,
    Encrypted,
    TooManyEntries,
    Bomb,
    Io,
    Cancelled,
    /// The scanner itself failed (a worker died, a message did not parse).
    Internal,
}

/// A language the texts exist in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    /// Norwegian Bokmål.
    #[serde(rename = "nb")]
    Nb,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nb];

    /// The BCP 47 tag (`<html lang>`, `config.json`, `--lang`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nb => "nb",
        }
    }

    /// The language's name in itself, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Nb => "Norsk bokmål",
        }
    }

    /// A language tag as browsers give it (`nb-NO`, `no`, `nn`, `en-GB`…). Norwegian in any
    /// written form reads Bokmål better than English; anything else unknown is `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "nb" | "no" | "nn" => Some(Lang::Nb),
            _ => None,
        }
    }

    /// The first of the reader's preferred languages (browser tags, best first) we have.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Option<Lang> {
        preferred.into_iter().find_map(Lang::from_tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire<T: Serialize>(v: &T) -> String {
        serde_json::to_value(v)
            .ok()
            .and_then(|j| j.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The ids the code prints are the names serde writes and reads: one vocabulary.
    #[test]
    fn ids_are_the_wire_names() {
        for c in Cms::ALL {
            assert_eq!(wire(&c), c.id());
            assert_eq!(Cms::from_id(c.id()), Some(c));
            assert_eq!(
                serde_json::from_str::<Cms>(&format!("\"{}\"", c.id())).ok(),
                Some(c)
            );
        }
        for k in [
            SecretKind::DatabasePassword,
            SecretKind::DatabaseUser,
            SecretKind::CmsKeys,
            SecretKind::SmtpPassword,
            SecretKind::ApiKey,
            SecretKind::InstallPassword,
            SecretKind::GitCredential,
        ] {
            assert_eq!(wire(&k), k.id());
        }
        for id in [
            "plugin",
            "must-use plugin",
            "theme",
            "module",
            "library",
            "package",
        ] {
            let k = ComponentKind::from_id(id);
            assert_eq!(k.id(), id);
            assert_eq!(wire(&k), id);
            assert_eq!(
                serde_json::from_str::<ComponentKind>(&format!("\"{id}\"")).ok(),
                Some(k)
            );
        }
        for f in [ArchiveFormat::Zip, ArchiveFormat::Tar, ArchiveFormat::TarGz] {
            assert_eq!(wire(&f), f.as_str());
        }
        for l in Lang::ALL {
            assert_eq!(wire(&l), l.tag());
        }
        assert_eq!(wire(&ErrorKind::NotAnArchive), "not-an-archive");
    }
}
