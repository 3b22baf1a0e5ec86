//! What a clean site looks like: release manifests, reference archives, known files and
//! the rules of each CMS (where it lives, its version file, its plugins and themes).

pub mod cms;
pub mod known;
pub mod libraries;
pub mod manifest;
pub mod reference;
