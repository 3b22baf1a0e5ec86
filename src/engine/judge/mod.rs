//! The integrity diff: every file of the backup compared with the clean release that covers
//! it, and the report assembled from the result. `analyze` is the short story; the
//! chapters are `coverage` (which release sits where, and which version it is) and
//! `classify` (each file against its release).
//!
//! A *coverage* is one manifest placed at one folder of the backup (its *mount*): a bundled
//! CMS manifest at the folder its marker file pins down, or a reference archive the user gave
//! at every folder where its files are found. Each file takes the most specific coverage
//! whose mount contains it. Within a coverage, the release version is chosen from the hashes
//! (the version file is only a tie-breaker and a cross-check).

use std::collections::{HashMap, HashSet};

use crate::engine::collect::{Collected, FileRecord};
use crate::engine::facts::{account, dating, secrets, sqldump, timeline};
use crate::engine::know::cms;
use crate::engine::know::manifest::Manifest;
use crate::engine::read::time::iso8601;
use crate::engine::report::{
    ArchiveInfo, CmsInstall, FileReport, Lang, Report, Secret, SiteVerdict, Status, Summary,
    Verdict, Warning, WarningKind,
};

mod classify;
mod coverage;

use coverage::Coverage;

/// A reference archive (or manifest file) the user supplied.
pub struct Reference {
    /// File name the user gave, for the report.
    pub label: String,
    pub manifest: Manifest,
}

/// Names of bundled manifests this backup needs (load them, then call [`analyze`]).
pub fn needed_manifests(collected: &Collected) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = cms::find_installs(&collected.files, &collected.captures)
        .iter()
        .flat_map(|f| {
            f.manifest
                .into_iter()
                .chain(f.parts.iter().map(|p| p.manifest))
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Builds the report from the collected records and the manifests.
pub fn analyze(
    collected: Collected,
    bundled: &HashMap<String, Manifest>,
    references: &[Reference],
    archive_name: &str,
) -> Report {
    let Collected {
        mut files,
        captures,
        mut warnings,
        dropped_warnings,
        unreadable,
        format,
        entries,
        archive_size,
        accounts,
        enabled_plugins,
        links,
        db_users,
        logs,
        changed_rows,
    } = collected;
    let found = cms::find_installs(&files, &captures);
    flag_missing_plugins(&mut files, &found, &enabled_plugins);
    let (layout, hosting) = read_hosting(&mut files, &captures, &db_users);
    let ref_mounts = coverage::place_references(references, &files, &mut warnings);
    let present: HashSet<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .chain(unreadable.iter().map(String::as_str))
        .collect();
    let known = coverage::Known {
        files: &files,
        present: &present,
        captures: &captures,
        bundled,
        references,
        ref_mounts: &ref_mounts,
    };
    let (installs, coverages) = recognise_all(&found, &known);

    let site_roots_of_account: Vec<String> = hosting
        .as_ref()
        .map(|h| h.site_roots.clone())
        .unwrap_or_default();
    let roots = site_roots(&found, &files, &site_roots_of_account);
    let place = classify::Place {
        roots: &roots,
        account: layout
            .as_ref()
            .map(|l| (l, site_roots_of_account.as_slice())),
    };
    let libs = classify::Libs::new(&files);

    let mut summary = Summary::default();
    let (mut out_files, mut databases, unchanged_paths) =
        report_files(&files, &coverages, &place, &libs, &mut summary);
    out_files.extend(classify::missing_files(&coverages, &present, &mut summary));
    out_files.extend(link_reports(&links, &place, &mut summary));
    let evidence = Evidence {
        unchanged: &unchanged_paths,
        roots: &roots,
        logs: &logs,
        accounts: &accounts,
        changed_rows: &changed_rows,
    };
    let (timeline, newest_file) = dated_timeline(&files, &out_files, &evidence);
    let mut hosting = hosting.map(|h| h.account);
    if let Some(h) = hosting.as_mut() {
        account::judge_with_files(h, &mut out_files, &timeline);
    }
    count_verdicts(&mut summary, &out_files);
    summary.warnings = warnings.len() as u64 + dropped_warnings;
    note_dropped(&mut warnings, dropped_warnings);
    let verdict = site_verdict(&summary);
    databases.sort();
    Report {
        tool: format!("site-triage {}", env!("CARGO_PKG_VERSION")),
        language: Lang::En,
        archive: ArchiveInfo {
            name: archive_name.to_owned(),
            format,
            size: archive_size,
            entries,
            newest_file,
        },
        verdict,
        headline: headline(verdict, &installs, &summary),
        cms: installs,
        roots,
        databases,
        accounts,
        timeline,
        secrets: secrets_in(&files, &captures),
        account: hosting,
        files: out_files,
        summary,
        warnings,
    }
}

/// Every file's report line (unchanged release files have none: their paths come back
/// instead), and the SQL dumps' names.
fn report_files<'f>(
    files: &'f [FileRecord],
    coverages: &[Coverage],
    place: &classify::Place,
    libs: &classify::Libs,
    summary: &mut Summary,
) -> (Vec<FileReport>, Vec<String>, HashSet<&'f str>) {
    let mut out_files: Vec<FileReport> = Vec::new();
    let mut databases = Vec::new();
    let mut unchanged_paths: HashSet<&str> = HashSet::new();
    for f in files {
        summary.files += 1;
        summary.bytes += f.size;
        let lower = f.path.to_ascii_lowercase();
        if lower.ends_with(".sql") || lower.ends_with(".sql.gz") {
            databases.push(f.name.clone());
        }
        match classify::file_report(f, coverages, place, libs, summary) {
            Some(report) => out_files.push(report),
            None => {
                unchanged_paths.insert(f.path.as_str());
            }
        }
    }
    (out_files, databases, unchanged_paths)
}

/// A full-account backup's layout and its account section (see `facts::account`), the
/// section's findings attached to their files.
fn read_hosting(
    files: &mut [FileRecord],
    captures: &HashMap<String, Vec<u8>>,
    db_users: &[(String, String)],
) -> (Option<account::Layout>, Option<account::AccountFacts>) {
    let named: Vec<account::Named> = files
        .iter()
        .map(|f| account::Named {
            path: &f.path,
            name: &f.name,
        })
        .collect();
    let Some(layout) = account::layout(&named) else {
        return (None, None);
    };
    let mut facts = account::read(&layout, &named, captures, db_users);
    let index: HashMap<String, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.clone(), i))
        .collect();
    for (path, finding) in facts.findings.drain(..) {
        if let Some(f) = index.get(&path).and_then(|i| files.get_mut(*i)) {
            f.findings.push(finding);
        }
    }
    (Some(layout), Some(facts))
}

/// Report lines for the links that reach outside the account or the backup (malicious);
/// the other links stay warnings.
fn link_reports(
    links: &[crate::engine::read::LinkEntry],
    place: &classify::Place,
    summary: &mut Summary,
) -> Vec<FileReport> {
    let layout = place.account.map(|(l, _)| l);
    let mut out = Vec::new();
    for link in links {
        let Some(finding) = account::escaping_link(link, layout) else {
            continue;
        };
        let outside = place
            .account
            .and_then(|(l, sites)| account::outside_site(&link.path, l, sites));
        summary.count(Status::Unknown);
        out.push(FileReport {
            path: link.name.clone(),
            status: Status::Unknown,
            location: outside.map(|_| crate::engine::report::Location::OutsideSite),
            sha256: String::new(),
            size: 0,
            mtime: link.mtime.map(crate::engine::read::time::iso8601),
            verdict: Verdict::Malicious,
            reference: None,
            note: Some(crate::en!("a symbolic link to {0}", link.target)),
            clean_copy: None,
            findings: vec![finding],
        });
    }
    out
}

/// Findings on each dump that switches on a plugin its site's files lack.
fn flag_missing_plugins(
    files: &mut [FileRecord],
    found: &[cms::Found],
    enabled: &[sqldump::EnabledPlugin],
) {
    if enabled.is_empty() {
        return;
    }
    let sites: Vec<(crate::engine::report::Cms, &str)> = found
        .iter()
        .filter(|f| f.vendored_in.is_none())
        .map(|f| (f.cms, f.root.as_str()))
        .collect();
    let mut paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    let flagged = sqldump::missing_plugins(enabled, &sites, &paths);
    for (dump, finding) in flagged {
        if let Some(f) = files.iter_mut().find(|f| f.name == dump) {
            f.findings.push(finding);
        }
    }
}

/// Every install's version and its coverages, most specific mount first, then the
/// reference archives' mounts that no install took.
fn recognise_all<'m>(
    found: &[cms::Found],
    known: &coverage::Known<'_, 'm>,
) -> (Vec<CmsInstall>, Vec<Coverage<'m>>) {
    let mut coverages: Vec<Coverage> = Vec::new();
    let mut installs: Vec<CmsInstall> = Vec::new();
    for f in found {
        let (install, cov) = coverage::recognise(f, known);
        installs.push(install);
        coverages.extend(cov);
    }
    let rest = coverage::reference_coverages(known.references, known.ref_mounts, &coverages);
    coverages.extend(rest);
    coverages.sort_by_key(|c| std::cmp::Reverse(c.mount.len()));
    (installs, coverages)
}

/// The site roots: where installs were recognised (not copies shipped inside a plugin),
/// else the usual web-root folders; and a hosting account's other websites.
fn site_roots(found: &[cms::Found], files: &[FileRecord], account_sites: &[String]) -> Vec<String> {
    let mut roots: Vec<String> = found
        .iter()
        .filter(|f| f.vendored_in.is_none())
        .map(|f| f.root.clone())
        .collect();
    if roots.is_empty() {
        roots = cms::guess_roots(files);
    }
    for r in account_sites {
        if !roots
            .iter()
            .any(|x| !x.is_empty() && r.starts_with(x.as_str()))
        {
            roots.push(r.clone());
        }
    }
    roots.sort();
    roots.dedup();
    roots
}

/// What dates the break-in besides the files' own times.
struct Evidence<'a> {
    unchanged: &'a HashSet<&'a str>,
    roots: &'a [String],
    logs: &'a [crate::engine::facts::logs::LogFacts],
    accounts: &'a [crate::engine::report::Account],
    changed_rows: &'a [sqldump::ChangedRow],
}

/// The file-time view of the break-in, its date from every piece of evidence, and the
/// newest time of a file nothing flagged (about when the backup was made).
fn dated_timeline(
    records: &[FileRecord],
    files: &[FileReport],
    e: &Evidence,
) -> (crate::engine::report::Timeline, Option<String>) {
    let all_times: Vec<(i64, bool)> = records
        .iter()
        .filter_map(|f| Some((f.mtime?, e.unchanged.contains(f.path.as_str()))))
        .collect();
    let clean_times = unflagged_times(records, files);
    let mut tl = timeline::build(files, &all_times);
    tl.break_in = dating::break_in(&dating::Inputs {
        files,
        roots: e.roots,
        logs: e.logs,
        accounts: e.accounts,
        changed_rows: e.changed_rows,
        timeline: &tl,
        clean_times: &clean_times,
    });
    (tl, clean_times.iter().max().map(|t| iso8601(*t)))
}

/// The times of the files nothing flagged (a planted file's date proves nothing).
fn unflagged_times(files: &[FileRecord], out: &[FileReport]) -> Vec<i64> {
    let flagged: HashSet<&str> = out
        .iter()
        .filter(|f| f.verdict != Verdict::Clean)
        .map(|f| f.path.as_str())
        .collect();
    files
        .iter()
        // A report line names its file as the archive does.
        .filter(|f| !flagged.contains(f.name.as_str()))
        .filter_map(|f| f.mtime)
        .collect()
}

fn note_dropped(warnings: &mut Vec<Warning>, dropped: u64) {
    if dropped > 0 {
        warnings.push(Warning::new(
            WarningKind::Limit,
            None,
            crate::en!("{0} more warnings were not listed.", dropped),
        ));
    }
}

fn count_verdicts(summary: &mut Summary, files: &[FileReport]) {
    for f in files {
        match f.verdict {
            Verdict::Suspicious => summary.suspicious += 1,
            Verdict::Malicious => summary.malicious += 1,
            Verdict::Clean => {}
        }
    }
}

fn site_verdict(summary: &Summary) -> SiteVerdict {
    if summary.malicious > 0 {
        SiteVerdict::Compromised
    } else if summary.suspicious > 0 {
        SiteVerdict::Suspicious
    } else {
        SiteVerdict::Clean
    }
}

/// Passwords and keys in the backup's config files, by file and line.
fn secrets_in(files: &[FileRecord], captures: &HashMap<String, Vec<u8>>) -> Vec<Secret> {
    let mut out: Vec<Secret> = files
        .iter()
        .filter(|f| secrets::is_config_file(&f.path))
        .filter_map(|f| {
            captures
                .get(&f.path)
                .map(|text| secrets::find(&f.name, text))
        })
        .flatten()
        .collect();
    out.sort_by(|a, b| a.file.cmp(&b.file).then(a.line.cmp(&b.line)));
    out
}

fn headline(verdict: SiteVerdict, installs: &[CmsInstall], s: &Summary) -> String {
    let what = installs
        .first()
        .map(|i| match &i.version {
            Some(v) => format!("{} {v}", i.name.display_name()),
            None => i.name.display_name().to_owned(),
        })
        .unwrap_or_else(|| "this site".into());
    match verdict {
        SiteVerdict::Clean => crate::en!("No sign of tampering found in the files of {0} that we could compare with a clean release.", what),
        SiteVerdict::Suspicious => match (s.modified, s.added) {
            (0, 0) => "Suspicious: some files need a closer look.".to_owned(),
            (m, 0) => crate::en!("Suspicious: {0} file(s) of {1} were changed.", m, what),
            (0, a) => crate::en!(
                "Suspicious: {0} file(s) were added where they do not belong.",
                a
            ),
            (m, a) => crate::en!(
                "Suspicious: {0} file(s) of {1} were changed and {2} file(s) were added where they do not belong.",
                m,
                what,
                a
            ),
        },
        SiteVerdict::Compromised => crate::en!("This site has been hacked: {0} file(s) contain malicious code.", s.malicious),
    }
}
