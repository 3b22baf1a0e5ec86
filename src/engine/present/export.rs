//! Saving a report: the formats the command line writes and the page's buttons save, under
//! one name each (`--format json`, `site-triage-report.json`, `application/json`), and the
//! rule that secrets' values stay out of every export unless the user asks for them.

use crate::engine::i18n::Lang;
use crate::engine::present::checklist::HostInfo;
use crate::engine::present::render;
use crate::engine::report::series::{BackupResult, Comparison, SeriesReport};
use crate::engine::report::Report;

/// A format a report can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Plain text for a terminal.
    Text,
    /// The whole report, for scripts (`src/engine/report/` is the contract).
    Json,
    /// For a support ticket.
    Markdown,
    /// One self-contained file (no script) that prints well.
    Html,
    /// The file list, for a spreadsheet.
    Csv,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 5] = [
        OutputFormat::Text,
        OutputFormat::Json,
        OutputFormat::Markdown,
        OutputFormat::Html,
        OutputFormat::Csv,
    ];

    /// The name on the command line (`--format markdown`).
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Text => "text",
            OutputFormat::Json => "json",
            OutputFormat::Markdown => "markdown",
            OutputFormat::Html => "html",
            OutputFormat::Csv => "csv",
        }
    }

    pub fn from_name(name: &str) -> Option<OutputFormat> {
        OutputFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The name a saved file gets.
    pub fn file_name(self) -> &'static str {
        match self {
            OutputFormat::Text => "site-triage-report.txt",
            OutputFormat::Json => "site-triage-report.json",
            OutputFormat::Markdown => "site-triage-report.md",
            OutputFormat::Html => "site-triage-report.html",
            OutputFormat::Csv => "site-triage-files.csv",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            OutputFormat::Text => "text/plain",
            OutputFormat::Json => "application/json",
            OutputFormat::Markdown => "text/markdown",
            OutputFormat::Html => "text/html",
            OutputFormat::Csv => "text/csv",
        }
    }
}

/// What goes into an export besides the report.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExportOptions<'a> {
    /// Keep the secrets' values (the masked forms are always there).
    pub include_secrets: bool,
    /// The host named in the HTML report's checklist.
    pub host: Option<&'a HostInfo>,
    /// How many files each group of the text form lists.
    pub limit: usize,
}

/// The report written in `format`. Secrets' values are removed first unless
/// `options.include_secrets`.
pub fn export(report: &Report, format: OutputFormat, options: ExportOptions) -> String {
    let stripped;
    let report = if options.include_secrets || report.secrets.iter().all(|s| s.value.is_none()) {
        report
    } else {
        let mut copy = report.clone();
        copy.strip_secret_values();
        stripped = copy;
        &stripped
    };
    match format {
        OutputFormat::Text => render::text(report, options.limit),
        // Serialising plain data cannot fail; an empty object is the honest fallback.
        OutputFormat::Json => serde_json::to_string_pretty(report).unwrap_or_default() + "\n",
        OutputFormat::Markdown => render::markdown(report),
        OutputFormat::Html => render::html(report, options.host),
        OutputFormat::Csv => render::csv(report),
    }
}

/// Several backups and their comparison written in `format` (the comparison first; the CSV
/// gains a first column naming each row's backup). Secrets' values are removed first unless
/// `options.include_secrets`.
pub fn export_series(
    backups: &[BackupResult],
    comparison: &Comparison,
    lang: Lang,
    format: OutputFormat,
    options: ExportOptions,
) -> String {
    let backups: Vec<BackupResult> = backups
        .iter()
        .cloned()
        .map(|mut b| {
            if let (BackupResult::Scanned(r), false) = (&mut b, options.include_secrets) {
                r.strip_secret_values();
            }
            b
        })
        .collect();
    match format {
        OutputFormat::Text => render::series_text(&backups, comparison, lang, options.limit),
        OutputFormat::Json => {
            let out = SeriesReport {
                tool: format!("site-triage {}", env!("CARGO_PKG_VERSION")),
                backups,
                comparison: comparison.clone(),
            };
            serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"
        }
        OutputFormat::Markdown => render::series_markdown(&backups, comparison, lang),
        OutputFormat::Html => render::series_html(&backups, comparison, lang, options.host),
        OutputFormat::Csv => render::csv_series(backups.iter().filter_map(BackupResult::report)),
    }
}
