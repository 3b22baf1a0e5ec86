//! Whole-file hashes known in advance: clean builds of popular vendor libraries (so their
//! copies anywhere in a site never raise an alarm, whatever a rule thinks of their code) and
//! known malware (flagged whatever it looks like). `manifests/known-files.tsv`, made by
//! `scripts/make-known-files.py`, is compiled in: it is small (a few hundred lines).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::engine::read::hash::{unhex, Sha};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    Good,
    Bad,
}

const TABLE: &str = include_str!("../../../manifests/known-files.tsv");

/// Parses `sha256 <TAB> good|bad <TAB> label` lines (`#` starts a comment).
pub fn parse(text: &str) -> HashMap<Sha, (Known, String)> {
    let mut out = HashMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut cols = line.splitn(3, '\t');
        let (Some(h), Some(k), Some(label)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        let Some(sha) = unhex(h).and_then(|v| Sha::try_from(v).ok()) else {
            continue;
        };
        let kind = match k {
            "good" => Known::Good,
            "bad" => Known::Bad,
            _ => continue,
        };
        out.insert(sha, (kind, label.to_owned()));
    }
    out
}

/// What the bundled table knows about a file with this hash.
pub fn lookup(sha: &Sha) -> Option<&'static (Known, String)> {
    static T: OnceLock<HashMap<Sha, (Known, String)>> = OnceLock::new();
    T.get_or_init(|| parse(TABLE)).get(sha)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_table_parses() {
        let t = parse(TABLE);
        assert!(t.len() > 200, "{}", t.len());
        assert!(t
            .values()
            .any(|(k, l)| *k == Known::Good && l.starts_with("jquery 3.7.1")));
        let custom = parse("# c\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\tbad\tabc shell\nzz\tgood\tx\n");
        assert_eq!(
            custom
                .get(&crate::engine::read::hash::sha256(b"abc"))
                .map(|x| x.0),
            Some(Known::Bad)
        );
        assert_eq!(custom.len(), 1);
    }
}
