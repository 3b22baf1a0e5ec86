//! `site-triage`: the scanning engine from a terminal.
//!
//! Only wiring lives here — argument parsing, file opening, progress on stderr, output
//! format, exit codes. Everything the tool knows is in `site_triage::engine`.

use std::fs::File;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use site_triage::engine::collect::{self, Collected, Observer};
use site_triage::engine::know::manifest::{self, Manifest};
use site_triage::engine::present::export::{export, export_series, ExportOptions, OutputFormat};
use site_triage::engine::present::series;
use site_triage::engine::read::{Flow, Progress, Share};
use site_triage::engine::report::series::{BackupError, BackupResult, FailedBackup};
use site_triage::engine::report::SiteVerdict;
use site_triage::engine::{
    self, know::reference, present::render, ErrorKind, Reference, ScanError,
};

/// Exit codes (documented in the README).
const EXIT_CLEAN: u8 = 0;
const EXIT_SUSPICIOUS: u8 = 1;
const EXIT_COMPROMISED: u8 = 2;
const EXIT_USAGE: u8 = 64;
const EXIT_BAD_ARCHIVE: u8 = 65;
const EXIT_IO: u8 = 74;

/// Every bundled manifest, compiled in (the page fetches them one by one instead).
const BUNDLED: &[(&str, &[u8])] = &[
    (
        "drupal-core",
        include_bytes!("../../manifests/drupal-core.stm"),
    ),
    (
        "drupal-scaffold",
        include_bytes!("../../manifests/drupal-scaffold.stm"),
    ),
    (
        "typo3-cms-backend",
        include_bytes!("../../manifests/typo3-cms-backend.stm"),
    ),
    (
        "typo3-cms-belog",
        include_bytes!("../../manifests/typo3-cms-belog.stm"),
    ),
    (
        "typo3-cms-beuser",
        include_bytes!("../../manifests/typo3-cms-beuser.stm"),
    ),
    (
        "typo3-cms-core",
        include_bytes!("../../manifests/typo3-cms-core.stm"),
    ),
    (
        "typo3-cms-dashboard",
        include_bytes!("../../manifests/typo3-cms-dashboard.stm"),
    ),
    (
        "typo3-cms-extbase",
        include_bytes!("../../manifests/typo3-cms-extbase.stm"),
    ),
    (
        "typo3-cms-extensionmanager",
        include_bytes!("../../manifests/typo3-cms-extensionmanager.stm"),
    ),
    (
        "typo3-cms-felogin",
        include_bytes!("../../manifests/typo3-cms-felogin.stm"),
    ),
    (
        "typo3-cms-filelist",
        include_bytes!("../../manifests/typo3-cms-filelist.stm"),
    ),
    (
        "typo3-cms-fluid",
        include_bytes!("../../manifests/typo3-cms-fluid.stm"),
    ),
    (
        "typo3-cms-fluid-styled-content",
        include_bytes!("../../manifests/typo3-cms-fluid-styled-content.stm"),
    ),
    (
        "typo3-cms-form",
        include_bytes!("../../manifests/typo3-cms-form.stm"),
    ),
    (
        "typo3-cms-frontend",
        include_bytes!("../../manifests/typo3-cms-frontend.stm"),
    ),
    (
        "typo3-cms-info",
        include_bytes!("../../manifests/typo3-cms-info.stm"),
    ),
    (
        "typo3-cms-install",
        include_bytes!("../../manifests/typo3-cms-install.stm"),
    ),
    (
        "typo3-cms-lowlevel",
        include_bytes!("../../manifests/typo3-cms-lowlevel.stm"),
    ),
    (
        "typo3-cms-redirects",
        include_bytes!("../../manifests/typo3-cms-redirects.stm"),
    ),
    (
        "typo3-cms-rte-ckeditor",
        include_bytes!("../../manifests/typo3-cms-rte-ckeditor.stm"),
    ),
    (
        "typo3-cms-scheduler",
        include_bytes!("../../manifests/typo3-cms-scheduler.stm"),
    ),
    (
        "typo3-cms-seo",
        include_bytes!("../../manifests/typo3-cms-seo.stm"),
    ),
    (
        "typo3-cms-setup",
        include_bytes!("../../manifests/typo3-cms-setup.stm"),
    ),
    (
        "typo3-cms-tstemplate",
        include_bytes!("../../manifests/typo3-cms-tstemplate.stm"),
    ),
    ("wordpress", include_bytes!("../../manifests/wordpress.stm")),
];

/// Libraries that plugins bundle, recognised by content (`engine::know::libraries`).
const LIBRARIES: &[u8] = include_bytes!("../../manifests/php-libraries.stm");

const USAGE: &str = "\
site-triage — find out what happened to a hacked website from its backup

USAGE:
    site-triage scan BACKUP... [--reference ARCHIVE]... [--format text|json|markdown|html|csv]
    site-triage manifest ARCHIVE... [-o FILE]

scan       Reads BACKUP (.zip, .tar, .tar.gz/.tgz), recognises the CMS and its version,
           and compares every file with the clean release. Nothing leaves this machine.
           Several backups of a site (daily host backups, a plugin's ZIPs) are read one
           after another and compared: what changed between them, when the intruder's files
           first appear, and which backup to restore.
           --reference ARCHIVE   an official release or plugin archive (or a .stm manifest
                                 made by `site-triage manifest`) to compare with; repeatable
           --format FORMAT       text (default), json, markdown, html (a self-contained
                                 report with no script) or csv (the file list)
           --limit N             text: list at most N files per group (default 50)
           --include-secrets     show passwords and keys found in config files in full
                                 (default: masked, like s3cr••••7x)
           --diff                text/markdown: show the changed lines of every file compared
                                 with a --reference archive (unified diff)
           --threads N           read the backup with N threads (default: one per core, at
                                 most 4); the report is the same whatever N
           --lang LANG           language of the report's sentences: en (default) or nb
                                 (Norwegian Bokmål); also taken from LANG=nb_NO.UTF-8
           --quiet               no progress on stderr

manifest   Builds a release manifest (.stm) from official release archives, for --reference
           or for hosting next to the web app. -o FILE (default: NAME-VERSION.stm).

Exit codes: 0 clean, 1 suspicious, 2 compromised (with several backups: the worst of
            them), 64 usage error, 65 the backup (or every backup) could not be read,
            74 a file could not be opened or written.
";

struct StderrProgress {
    enabled: bool,
    last: Option<Instant>,
    started: Instant,
}

impl Observer for StderrProgress {
    fn progress(&mut self, p: &Progress, current: &str) -> Flow {
        if !self.enabled {
            return Flow::Continue;
        }
        let now = Instant::now();
        if self
            .last
            .is_some_and(|t| now.duration_since(t).as_millis() < 200)
        {
            return Flow::Continue;
        }
        self.last = Some(now);
        let pct = (p.bytes_done * 100).checked_div(p.bytes_total).unwrap_or(0);
        let name: String = render::visible(current).chars().take(60).collect();
        let _ = write!(
            std::io::stderr(),
            "\r\x1b[K{pct:3}%  {} files  {:.0}s  {name}",
            p.entries_done,
            self.started.elapsed().as_secs_f64()
        );
        Flow::Continue
    }
}

impl StderrProgress {
    fn done(&self) {
        if self.enabled {
            let _ = write!(std::io::stderr(), "\r\x1b[K");
        }
    }
}

/// One thread per core, at most 4: reading is shared between threads by bytes, and past
/// four the disk and the merge, not the CPU, set the pace.
fn default_threads() -> u32 {
    std::thread::available_parallelism()
        .map(|n| u32::try_from(n.get()).unwrap_or(1))
        .unwrap_or(1)
        .clamp(1, 4)
}

/// The progress of every thread's share, summed; whichever thread reports shows it.
struct ShareProgress<'a> {
    index: usize,
    bytes: &'a [AtomicU64],
    entries: &'a [AtomicU64],
    total_bytes: u64,
    shown: &'a Mutex<&'a mut StderrProgress>,
}

impl Observer for ShareProgress<'_> {
    fn progress(&mut self, p: &Progress, current: &str) -> Flow {
        if let Some(slot) = self.bytes.get(self.index) {
            slot.store(p.bytes_done, Ordering::Relaxed);
        }
        if let Some(slot) = self.entries.get(self.index) {
            slot.store(p.entries_done, Ordering::Relaxed);
        }
        let sum = |v: &[AtomicU64]| v.iter().map(|a| a.load(Ordering::Relaxed)).sum();
        let all = Progress {
            entries_done: sum(self.entries),
            entries_total: None,
            bytes_done: sum(self.bytes),
            bytes_total: self.total_bytes,
        };
        match self.shown.try_lock() {
            Ok(mut shown) => shown.progress(&all, current),
            Err(_) => Flow::Continue,
        }
    }
}

/// Reads the backup in `threads` shares at once (each thread opens the file itself) and
/// merges the parts — the same records one pass would give (`collect::merge`).
fn collect_in_threads(
    path: &str,
    len: u64,
    threads: u32,
    progress: &mut StderrProgress,
) -> Result<Collected, ScanError> {
    let bytes: Vec<AtomicU64> = (0..threads).map(|_| AtomicU64::new(0)).collect();
    let entries: Vec<AtomicU64> = (0..threads).map(|_| AtomicU64::new(0)).collect();
    let shown = Mutex::new(progress);
    let parts: Vec<Result<Collected, ScanError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                let (bytes, entries, shown) = (&bytes, &entries, &shown);
                s.spawn(move || {
                    let file = File::open(path).map_err(|e| {
                        ScanError::new(ErrorKind::Io, format!("cannot open {path}: {e}"))
                    })?;
                    let mut observer = ShareProgress {
                        index: k as usize,
                        bytes,
                        entries,
                        total_bytes: len,
                        shown,
                    };
                    collect::collect_share(file, len, Share::new(k, threads), &mut observer)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(ScanError::new(ErrorKind::Io, "a scanning thread failed"))
                })
            })
            .collect()
    });
    let parts: Result<Vec<Collected>, ScanError> = parts.into_iter().collect();
    Ok(collect::merge(parts?))
}

fn fail(code: u8, msg: &str) -> ExitCode {
    eprintln!("site-triage: {msg}");
    ExitCode::from(code)
}

fn scan_error(e: &ScanError) -> ExitCode {
    let code = if e.kind == ErrorKind::Io {
        EXIT_IO
    } else {
        EXIT_BAD_ARCHIVE
    };
    fail(code, &e.message)
}

fn open(path: &str) -> Result<(File, u64), ExitCode> {
    let file = File::open(path).map_err(|e| fail(EXIT_IO, &format!("cannot open {path}: {e}")))?;
    let len = file
        .metadata()
        .map_err(|e| fail(EXIT_IO, &format!("cannot read {path}: {e}")))?
        .len();
    Ok((file, len))
}

fn base_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_owned()
}

/// Loads a reference: a .stm manifest file, or a release archive to build one from.
fn load_reference(path: &str, observer: &mut dyn Observer) -> Result<Vec<Reference>, ExitCode> {
    let label = base_name(path);
    if path.ends_with(".stm") {
        let bytes =
            std::fs::read(path).map_err(|e| fail(EXIT_IO, &format!("cannot read {path}: {e}")))?;
        let list = manifest::decode(&bytes)
            .map_err(|e| fail(EXIT_BAD_ARCHIVE, &format!("{path}: {e}")))?;
        return Ok(list
            .into_iter()
            .map(|manifest| Reference {
                label: label.clone(),
                manifest,
            })
            .collect());
    }
    let (file, len) = open(path)?;
    let manifest = reference::build_from_archive(file, len, &label, observer).map_err(|e| {
        fail(
            EXIT_BAD_ARCHIVE,
            &format!("reference {path}: {}", e.message),
        )
    })?;
    Ok(vec![Reference { label, manifest }])
}

/// Makes the bundled libraries known to the scan (about 20 ms; a damaged table only means
/// their copies are scanned like any other code).
fn install_libraries() {
    match engine::know::libraries::Libraries::decode(LIBRARIES) {
        Ok(l) => engine::know::libraries::install(l),
        Err(e) => eprintln!("site-triage: the bundled library table is unusable: {e}"),
    }
}

fn bundled(name: &str) -> Option<Manifest> {
    let bytes = BUNDLED.iter().find(|(n, _)| *n == name)?.1;
    manifest::decode(bytes).ok()?.into_iter().next()
}

/// What `scan` was asked to do.
struct ScanArgs {
    backups: Vec<String>,
    refs: Vec<String>,
    format: OutputFormat,
    limit: usize,
    quiet: bool,
    show_diff: bool,
    include_secrets: bool,
    threads: u32,
    lang: engine::i18n::Lang,
}

fn parse_scan_args(args: &[String]) -> Result<ScanArgs, ExitCode> {
    let mut a = ScanArgs {
        backups: Vec::new(),
        refs: Vec::new(),
        format: OutputFormat::Text,
        limit: 50,
        quiet: false,
        show_diff: false,
        include_secrets: false,
        threads: default_threads(),
        lang: std::env::var("LANG")
            .ok()
            .and_then(|v| engine::i18n::Lang::from_tag(&v))
            .unwrap_or_default(),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--reference" | "-r" => match it.next() {
                Some(v) => a.refs.push(v.clone()),
                None => return Err(fail(EXIT_USAGE, "--reference needs an archive")),
            },
            "--format" | "-f" => match it.next().and_then(|v| OutputFormat::from_name(v)) {
                Some(f) => a.format = f,
                None => {
                    return Err(fail(
                        EXIT_USAGE,
                        "--format must be text, json, markdown, html or csv",
                    ))
                }
            },
            "--limit" => match it.next().and_then(|v| v.parse().ok()) {
                Some(n) => a.limit = n,
                None => return Err(fail(EXIT_USAGE, "--limit needs a number")),
            },
            "--quiet" | "-q" => a.quiet = true,
            "--diff" => a.show_diff = true,
            "--include-secrets" => a.include_secrets = true,
            "--threads" | "-j" => match it.next().and_then(|v| v.parse::<u32>().ok()) {
                Some(n) if (1..=64).contains(&n) => a.threads = n,
                _ => return Err(fail(EXIT_USAGE, "--threads needs a number from 1 to 64")),
            },
            "--lang" => match it.next().and_then(|v| engine::i18n::Lang::from_tag(v)) {
                Some(l) => a.lang = l,
                None => return Err(fail(EXIT_USAGE, "--lang must be en or nb")),
            },
            s if s.starts_with('-') && s.len() > 1 => {
                return Err(fail(EXIT_USAGE, &format!("unknown option {s}\n\n{USAGE}")))
            }
            s => a.backups.push(s.to_owned()),
        }
    }
    if a.backups.is_empty() {
        return Err(fail(
            EXIT_USAGE,
            &format!("scan needs a BACKUP file\n\n{USAGE}"),
        ));
    }
    Ok(a)
}

fn cmd_scan(args: &[String]) -> ExitCode {
    let a = match parse_scan_args(args) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let mut progress = StderrProgress {
        enabled: !a.quiet && std::io::stderr().is_terminal(),
        last: None,
        started: Instant::now(),
    };
    let mut references = Vec::new();
    for r in &a.refs {
        match load_reference(r, &mut progress) {
            Ok(list) => references.extend(list),
            Err(code) => return code,
        }
    }
    install_libraries();
    if let [backup] = a.backups.as_slice() {
        return scan_single(&a, backup, &references, &mut progress);
    }
    scan_series(&a, &references, &mut progress)
}

/// One backup's report in the asked language (secrets' values dropped unless asked for).
fn scan_backup(
    a: &ScanArgs,
    backup: &str,
    references: &[Reference],
    progress: &mut StderrProgress,
) -> Result<engine::Report, ScanError> {
    let len = std::fs::metadata(backup)
        .map_err(|e| ScanError::new(ErrorKind::Io, format!("cannot open {backup}: {e}")))?
        .len();
    let result = collect_in_threads(backup, len, a.threads, progress);
    progress.done();
    let mut report = engine::report(result?, &base_name(backup), &mut bundled, references);
    // `export` would strip the values too, from a copy; here the report is ours to change.
    if !a.include_secrets {
        report.strip_secret_values();
    }
    Ok(engine::i18n::localize(&report, a.lang))
}

fn write_out(out: &str) -> Result<(), ExitCode> {
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(fail(EXIT_IO, &format!("cannot write output: {e}")))
        }
        _ => Ok(()),
    }
}

fn exit_for(verdict: SiteVerdict) -> ExitCode {
    ExitCode::from(match verdict {
        SiteVerdict::Clean => EXIT_CLEAN,
        SiteVerdict::Suspicious => EXIT_SUSPICIOUS,
        SiteVerdict::Compromised => EXIT_COMPROMISED,
    })
}

fn scan_single(
    a: &ScanArgs,
    backup: &str,
    references: &[Reference],
    progress: &mut StderrProgress,
) -> ExitCode {
    let report = match scan_backup(a, backup, references, progress) {
        Ok(r) => r,
        Err(e) => return scan_error(&e),
    };
    let options = ExportOptions {
        include_secrets: a.include_secrets,
        host: None,
        limit: a.limit,
    };
    let mut out = export(&report, a.format, options);
    if a.show_diff && matches!(a.format, OutputFormat::Text | OutputFormat::Markdown) {
        out += &diffs(&report, backup, &a.refs, a.format == OutputFormat::Markdown);
    }
    if let Err(code) = write_out(&out) {
        return code;
    }
    exit_for(report.verdict)
}

/// Several backups, read one after another (each report is kept, nothing else), then
/// compared. A backup that cannot be read gets its own error; the others are still compared.
fn scan_series(a: &ScanArgs, references: &[Reference], progress: &mut StderrProgress) -> ExitCode {
    let mut results = Vec::new();
    for backup in &a.backups {
        match scan_backup(a, backup, references, progress) {
            Ok(r) => results.push(BackupResult::Scanned(Box::new(r))),
            Err(e) => {
                eprintln!("site-triage: {backup}: {}", e.message);
                results.push(BackupResult::Failed(FailedBackup {
                    archive: base_name(backup),
                    error: BackupError {
                        kind: e.kind,
                        message: e.message,
                    },
                }));
            }
        }
    }
    let comparison = engine::i18n::localize_comparison(&series::compare(&results), a.lang);
    let options = ExportOptions {
        include_secrets: a.include_secrets,
        host: None,
        limit: a.limit,
    };
    let mut out = export_series(&results, &comparison, a.lang, a.format, options);
    if a.show_diff && matches!(a.format, OutputFormat::Text | OutputFormat::Markdown) {
        for (backup, r) in a.backups.iter().zip(&results) {
            if let Some(report) = r.report() {
                out += &diffs(report, backup, &a.refs, a.format == OutputFormat::Markdown);
            }
        }
    }
    if let Err(code) = write_out(&out) {
        return code;
    }
    match results
        .iter()
        .filter_map(|r| r.report().map(|r| r.verdict))
        .max()
    {
        Some(v) => exit_for(v),
        None => ExitCode::from(EXIT_BAD_ARCHIVE),
    }
}

/// Unified diffs of the files compared with a reference archive.
fn diffs(report: &engine::Report, backup: &str, refs: &[String], markdown: bool) -> String {
    const MAX: usize = 4 << 20;
    let read = |archive: &str, name: &str| -> Option<Vec<u8>> {
        let file = File::open(archive).ok()?;
        let len = file.metadata().ok()?.len();
        engine::read::read_entry(file, len, name, MAX).ok()?
    };
    let mut out = String::new();
    for f in &report.files {
        let Some(copy) = &f.clean_copy else { continue };
        let Some(archive) = refs.iter().find(|r| base_name(r) == copy.archive) else {
            continue;
        };
        let (Some(clean), Some(mine)) = (read(archive, &copy.path), read(backup, &f.path)) else {
            continue;
        };
        let d = engine::present::linediff::diff(&clean, &mine, 3);
        let text = engine::present::linediff::unified(
            &d,
            &format!("{}/{}", copy.archive, render::visible(&copy.path)),
            &render::visible(&f.path),
        );
        if markdown {
            let fence = "`".repeat(
                text.split(|c| c != '`')
                    .map(str::len)
                    .max()
                    .unwrap_or(0)
                    .max(2)
                    + 1,
            );
            out.push_str(&format!("\n{fence}diff\n{text}{fence}\n"));
        } else {
            out.push('\n');
            out.push_str(&render::visible(&text).replace("<U+000A>", "\n"));
        }
    }
    out
}

fn cmd_manifest(args: &[String]) -> ExitCode {
    let mut inputs = Vec::new();
    let mut output = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" | "--output" => match it.next() {
                Some(v) => output = Some(v.clone()),
                None => return fail(EXIT_USAGE, "-o needs a file name"),
            },
            s if s.starts_with('-') && s.len() > 1 => {
                return fail(EXIT_USAGE, &format!("unknown option {s}"))
            }
            s => inputs.push(s.to_owned()),
        }
    }
    if inputs.is_empty() {
        return fail(
            EXIT_USAGE,
            &format!("manifest needs at least one ARCHIVE\n\n{USAGE}"),
        );
    }
    let mut progress = StderrProgress {
        enabled: std::io::stderr().is_terminal(),
        last: None,
        started: Instant::now(),
    };
    let mut manifests = Vec::new();
    for path in &inputs {
        let (file, len) = match open(path) {
            Ok(x) => x,
            Err(code) => return code,
        };
        match reference::build_from_archive(file, len, &base_name(path), &mut progress) {
            Ok(m) => manifests.push(m),
            Err(e) => {
                progress.done();
                return fail(EXIT_BAD_ARCHIVE, &format!("{path}: {}", e.message));
            }
        }
    }
    progress.done();
    let output = output.unwrap_or_else(|| match manifests.as_slice() {
        [m] => format!(
            "{}-{}.stm",
            m.name,
            m.versions
                .first()
                .map(String::as_str)
                .unwrap_or("reference")
        ),
        _ => "references.stm".into(),
    });
    let bytes = match manifest::encode(&manifests) {
        Ok(b) => b,
        Err(e) => return fail(EXIT_IO, &format!("cannot encode manifest: {e}")),
    };
    if let Err(e) = std::fs::write(&output, bytes) {
        return fail(EXIT_IO, &format!("cannot write {output}: {e}"));
    }
    for m in &manifests {
        eprintln!(
            "{} {}: {} files{}",
            m.name,
            m.versions.join(", "),
            m.entries.len(),
            if m.cms.is_empty() {
                String::new()
            } else {
                format!(" (recognised as {})", m.cms)
            }
        );
    }
    eprintln!("wrote {output}");
    ExitCode::from(EXIT_CLEAN)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("scan") => cmd_scan(args.get(1..).unwrap_or(&[])),
        Some("manifest") => cmd_manifest(args.get(1..).unwrap_or(&[])),
        Some("--version" | "-V") => {
            println!("site-triage {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => fail(EXIT_USAGE, USAGE),
    }
}
