//! Plain-language wording shared by every front end (terminal, Markdown, page), so a status
//! means the same words everywhere and a wording fix lands once.

use crate::engine::report::{Action, CmsInstall, ComponentKind, SecretKind};
use crate::engine::report::{Location, SiteVerdict, Status};

/// The group shown before all others: files whose content the rules flagged.
pub const FLAGGED_TITLE: &str = "Files that look malicious";
pub const FLAGGED_EXPLANATION: &str = "The content of these files matches what hacking tools, backdoors and injected code look like. Each entry says what was found, where, and what to do. Encoded code was decoded here, safely, without running it.";

/// What to do with a flagged file, in plain words.
pub fn action_text(a: Action) -> &'static str {
    match a {
        Action::Delete => "Delete this file: it is not part of any clean release.",
        Action::Replace => "Replace this file with the clean copy from the official release (do not try to edit it).",
        Action::Review => "Have this file reviewed; if nobody on your side wrote it, delete it.",
    }
}

/// How findings are grouped for people, most alarming first.
pub struct Group {
    pub status: Status,
    pub title: &'static str,
    pub explanation: &'static str,
}

pub const GROUPS: [Group; 6] = [
    Group {
        status: Status::Added,
        title: "Files that should not be there",
        explanation: "These files are in folders that belong to your CMS, at the top of your site, or in the uploads folder, but they are not part of the clean release. Attackers hide their programs exactly there. Unless you or your developer put a file there on purpose, treat it as part of the break-in.",
    },
    Group {
        status: Status::Modified,
        title: "Files that were changed",
        explanation: "These files belong to your CMS (or to a plugin whose official archive you added) but their content differs from the clean release. These files should never be edited; attackers change them to hide code that runs on every page. The fix is to replace them with clean copies, not to edit them.",
    },
    Group {
        status: Status::Leftover,
        title: "Leftovers of older versions",
        explanation: "Files that an older version of your CMS shipped and that updates normally delete. They are not always harmful, but old files can contain known security holes, and one whose content matches no release may have been planted. Delete them.",
    },
    Group {
        status: Status::WhitespaceOnly,
        title: "Changed in spacing only",
        explanation: "These core files differ from the release only in spaces or line endings (for example after an FTP upload in text mode). On their own they are harmless.",
    },
    Group {
        status: Status::Missing,
        title: "Release files that are missing",
        explanation: "Files of the clean release that are not in the backup. Usually harmless (some hosts remove them), but reinstalling the CMS brings them back.",
    },
    Group {
        status: Status::Unknown,
        title: "Files no clean release covers",
        explanation: "Plugins, themes, uploads and site files that we have no clean copy to compare with. Drop the official archives of your plugins to check them too.",
    },
];

/// Short label of a status (with where an added file sits).
pub fn status_label(status: Status, location: Option<Location>) -> &'static str {
    match (status, location) {
        (Status::Added, Some(Location::Core)) => "added in a CMS folder",
        (Status::Added, Some(Location::Root)) => "added at the site root",
        (Status::Added, Some(Location::UserContent)) => "added in an uploads folder",
        (Status::Added | Status::Unknown, Some(Location::OutsideSite)) => "outside your website",
        (Status::Added, None) => "added",
        (Status::Unchanged, _) => "unchanged",
        (Status::WhitespaceOnly, _) => "spacing only",
        (Status::Modified, _) => "changed",
        (Status::Missing, _) => "missing",
        (Status::Leftover, _) => "old leftover",
        (Status::Unknown, _) => "not covered",
    }
}

/// One-line verdict title.
pub fn verdict_title(v: SiteVerdict) -> &'static str {
    match v {
        SiteVerdict::Clean => "No sign of a break-in found",
        SiteVerdict::Suspicious => "Suspicious changes found",
        SiteVerdict::Compromised => "Your site has been hacked",
    }
}

/// What the verdict means for the reader, in one or two sentences.
pub fn verdict_advice(v: SiteVerdict) -> &'static str {
    match v {
        SiteVerdict::Clean => "Every file we could compare matches the clean release. Files we have no clean copy of (plugins, themes, uploads) are listed below; compare them too if you still see problems.",
        SiteVerdict::Suspicious => "Files of your site were changed or added where they do not belong. Until you know why, treat the site as hacked: follow the steps below.",
        SiteVerdict::Compromised => "We found malicious code. Take the site offline, change your passwords and restore a clean copy: the steps below walk you through it.",
    }
}

/// The plain name of a secret's kind (the report keeps the stable id).
pub fn secret_kind(kind: SecretKind) -> &'static str {
    match kind {
        SecretKind::DatabasePassword => "Database password",
        SecretKind::DatabaseUser => "Database user",
        SecretKind::CmsKeys => "Secret key or salt",
        SecretKind::SmtpPassword => "Email (SMTP) password",
        SecretKind::InstallPassword => "Install tool password",
        SecretKind::GitCredential => "Code host access token",
        SecretKind::ApiKey => "API key or token",
    }
}

/// The other parts of an install's release that were compared ("backend, frontend,
/// extbase 13.4.20"): a part's version is named only where it differs from the install's.
pub fn parts_list(install: &CmsInstall) -> String {
    install
        .recognised_by
        .parts
        .iter()
        .map(|p| match &install.version {
            Some(v) if *v == p.version => p.part.clone(),
            _ => format!("{} {}", p.part, p.version),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The plain name of a component kind ("plugin", "theme"…; the report keeps the id). Most
/// read as their id; libraries and kinds a manifest made up are "add-on" to an owner.
pub fn component_kind(kind: &ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Library | ComponentKind::Other(_) => "add-on",
        k => k.named_id().unwrap_or("add-on"),
    }
}

/// How sure a break-in date is, in plain words.
pub fn confidence_word(c: crate::engine::report::Confidence) -> &'static str {
    use crate::engine::report::Confidence;
    match c {
        Confidence::Sure => "confirmed by evidence an intruder cannot forge along with the files",
        Confidence::Likely => "likely",
        Confidence::Unsure => "unsure: the dates may be forged",
    }
}

/// Where a piece of dating evidence comes from, in plain words.
pub fn source_word(s: crate::engine::report::EvidenceSource) -> &'static str {
    use crate::engine::report::EvidenceSource;
    match s {
        EvidenceSource::Files => "The files' own dates",
        EvidenceSource::AccessLog => "Web server log",
        EvidenceSource::ErrorLog => "Error log",
        EvidenceSource::Database => "Database",
        EvidenceSource::Backups => "Your backups",
    }
}

/// The break-in's date, how it was worked out and each piece of evidence, as lines in the
/// report's language: every front end shows these under "When it happened".
pub fn when_lines(report: &crate::engine::report::Report) -> Vec<String> {
    use crate::engine::i18n::t;
    let l = report.language;
    let Some(b) = &report.timeline.break_in else {
        return Vec::new();
    };
    let day = b.began.get(..10).unwrap_or(&b.began);
    let mut out = vec![
        crate::tf!(
            l,
            "The break-in most probably began on {0} ({1}). Restore from a backup made before {0}.",
            day,
            t(l, confidence_word(b.confidence))
        ),
        b.why.clone(),
    ];
    for e in &b.evidence {
        let at = e.at.get(..16).unwrap_or(&e.at).replace('T', " ");
        out.push(if e.file.is_empty() {
            crate::tf!(l, "{0}, {1}: {2}", t(l, source_word(e.source)), at, e.what)
        } else {
            crate::tf!(
                l,
                "{0}, {1}: {2} (in {3})",
                t(l, source_word(e.source)),
                at,
                e.what,
                e.file
            )
        });
    }
    out
}
