//! All UI state transitions in one reducer. Components are functions of this state and
//! report user intent up through callbacks that dispatch [`Action`]s.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use web_sys::File;

use crate::bridge::protocol::ScanProgress;
use crate::engine::i18n::Lang;
use crate::engine::present::linediff::LineDiff;
use crate::engine::report::{ErrorKind, Report};

/// A report as the components pass it around: shared, and compared by identity. `==` on an
/// `Rc<Report>` compares every file row (26 ms for 30,000 files) each time a parent redraws,
/// e.g. on every diff request; a report never changes once it has arrived, so the same `Rc`
/// is the same report.
#[derive(Clone, Debug)]
pub struct ReportRef(pub Rc<Report>);

impl PartialEq for ReportRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for ReportRef {
    type Target = Report;
    fn deref(&self) -> &Report {
        &self.0
    }
}

impl From<Rc<Report>> for ReportRef {
    fn from(r: Rc<Report>) -> Self {
        ReportRef(r)
    }
}

/// One finished backup of the session's series: its report, or why it could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum Done {
    Scanned(ReportRef),
    Failed { name: String, message: String },
}

/// A line diff asked for from the result screen.
#[derive(Debug, Clone, PartialEq)]
pub enum DiffState {
    Loading,
    Ready(Rc<LineDiff>),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Start,
    Scanning {
        name: String,
        bytes_total: u64,
        /// `Date.now()` when the scan started, for the time-left estimate.
        started_ms: f64,
        progress: Option<ScanProgress>,
        phase: Option<String>,
    },
    Result(Rc<Report>),
    Error {
        title: String,
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub screen: Screen,
    /// The release archives chosen as the second, optional input (the `File`s themselves:
    /// every scan and every diff request hands them to a worker).
    pub references: Vec<File>,
    /// The language the page speaks (the reader's choice, the browser's, the host's, English).
    pub lang: Lang,
    /// Whether the worker has said it is ready.
    pub worker_ready: bool,
    /// A message for the start screen (e.g. "Scan cancelled").
    pub notice: Option<String>,
    /// Line diffs of changed files, by path, for the report on screen.
    pub diffs: BTreeMap<String, DiffState>,
    /// The hosting company's own details (from `config.json` next to the page).
    pub host: Option<crate::engine::present::checklist::HostInfo>,
    /// The backups read so far in this series, in the order they were read (each kept
    /// whole: the comparison and every report come from these).
    pub series: Vec<Done>,
    /// Backups chosen but not read yet, in order.
    pub queue: Vec<File>,
    /// Set when a backup of the series is done and the next in `queue` should start.
    pub next_pending: bool,
}

impl Default for State {
    fn default() -> Self {
        State {
            screen: Screen::Start,
            references: Vec::new(),
            lang: Lang::En,
            worker_ready: false,
            notice: None,
            diffs: BTreeMap::new(),
            host: None,
            series: Vec::new(),
            queue: Vec::new(),
            next_pending: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    WorkerReady,
    References(Vec<File>),
    Lang(Lang),
    /// The user chose several backups: a new series; these are read after the first.
    Series(Vec<File>),
    /// "Add another backup" on the result screen: read these too and compare.
    Add(Vec<File>),
    /// Show the report of this backup of the series (index in `series`).
    Show(usize),
    /// The user chose a backup; the worker is about to start.
    Begin {
        name: String,
        bytes_total: u64,
        now_ms: f64,
    },
    Progress(ScanProgress),
    Phase(String),
    Finished(Rc<Report>),
    Failed {
        kind: ErrorKind,
        message: String,
    },
    Cancelled,
    Crashed(String),
    Reset,
    DiffRequested(String),
    Host(crate::engine::present::checklist::HostInfo),
    DiffArrived {
        path: String,
        diff: Option<Rc<LineDiff>>,
        error: Option<String>,
    },
}

/// The series as the comparison reads it.
pub fn as_backups(series: &[Done]) -> Vec<crate::engine::present::series::Backup<'_>> {
    use crate::engine::present::series::Backup;
    series
        .iter()
        .map(|d| match d {
            Done::Scanned(r) => Backup::Scanned(&r.0),
            Done::Failed { name, message } => Backup::Failed {
                archive: name,
                message,
            },
        })
        .collect()
}

/// The report of the newest backup of a series (the site as it is now), shown first.
fn newest_of(series: &[Done]) -> Option<Rc<Report>> {
    match series.get(crate::engine::present::series::newest(&as_backups(series))?) {
        Some(Done::Scanned(r)) => Some(Rc::clone(&r.0)),
        _ => None,
    }
}

/// Plain title for an engine error kind.
pub fn error_title(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Empty => "The file is empty",
        ErrorKind::NotAnArchive => "This is not a backup archive",
        ErrorKind::UnsupportedFormat => "This kind of archive cannot be opened",
        ErrorKind::Corrupt => "The backup is damaged",
        ErrorKind::Encrypted => "The backup is password-protected",
        ErrorKind::TooManyEntries | ErrorKind::Bomb => "This archive is not a normal backup",
        ErrorKind::Io => "The file could not be read",
        _ => "The scan could not finish",
    }
}

impl State {
    /// A scan starts (the next of the series, when one was pending).
    fn begin(&mut self, name: String, bytes_total: u64, now_ms: f64) {
        if self.next_pending {
            self.next_pending = false;
            if !self.queue.is_empty() {
                self.queue.remove(0);
            }
        }
        self.notice = None;
        self.screen = Screen::Scanning {
            name,
            bytes_total,
            started_ms: now_ms,
            progress: None,
            phase: None,
        };
    }

    fn clear_series(&mut self) {
        self.series.clear();
        self.queue.clear();
        self.next_pending = false;
    }

    /// A backup of the series is read: the next one starts, or the result shows the newest.
    fn finished(&mut self, report: Rc<Report>) {
        self.series
            .push(Done::Scanned(ReportRef(Rc::clone(&report))));
        self.diffs.clear();
        if self.queue.is_empty() {
            self.screen = Screen::Result(newest_of(&self.series).unwrap_or(report));
        } else {
            self.next_pending = true;
        }
    }

    /// A backup could not be read: alone, it is the error screen; in a series, a row of it.
    fn failed(&mut self, kind: ErrorKind, message: String) {
        let name = match &self.screen {
            Screen::Scanning { name, .. } => name.clone(),
            _ => String::new(),
        };
        if !self.series.is_empty() || !self.queue.is_empty() {
            self.series.push(Done::Failed {
                name,
                message: message.clone(),
            });
        }
        if !self.queue.is_empty() {
            self.next_pending = true;
        } else if let Some(r) = newest_of(&self.series) {
            self.screen = Screen::Result(r);
        } else {
            self.screen = Screen::Error {
                title: error_title(kind).into(),
                message,
            };
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::WorkerReady => s.worker_ready = true,
            Action::References(files) => s.references = files,
            Action::Lang(l) => s.lang = l,
            Action::Series(rest) => {
                s.clear_series();
                s.queue = rest;
            }
            Action::Add(files) => {
                if files.is_empty() {
                    return self;
                }
                s.queue.extend(files);
                s.next_pending = true;
            }
            Action::Show(i) => match s.series.get(i) {
                Some(Done::Scanned(r)) => {
                    s.screen = Screen::Result(Rc::clone(&r.0));
                    s.diffs.clear();
                }
                _ => return self,
            },
            Action::Begin {
                name,
                bytes_total,
                now_ms,
            } => s.begin(name, bytes_total, now_ms),
            Action::Progress(p) => {
                if let Screen::Scanning {
                    progress, phase, ..
                } = &mut s.screen
                {
                    *progress = Some(p);
                    *phase = None;
                } else {
                    return self;
                }
            }
            Action::Phase(text) => {
                if let Screen::Scanning { phase, .. } = &mut s.screen {
                    *phase = Some(text);
                } else {
                    return self;
                }
            }
            Action::Finished(report) => {
                if !matches!(s.screen, Screen::Scanning { .. }) {
                    return self;
                }
                s.finished(report);
            }
            Action::Failed { kind, message } => s.failed(kind, message),
            Action::Crashed(message) => {
                s.worker_ready = false;
                s.queue.clear();
                s.next_pending = false;
                if matches!(s.screen, Screen::Scanning { .. }) {
                    s.screen = Screen::Error {
                        title: "The scan stopped".into(),
                        message,
                    };
                }
            }
            Action::Cancelled => {
                s.worker_ready = false;
                s.clear_series();
                s.screen = Screen::Start;
                s.notice = Some("The scan was cancelled. Nothing was kept.".into());
            }
            Action::Reset => {
                s.screen = Screen::Start;
                s.notice = None;
                s.diffs.clear();
                s.clear_series();
            }
            Action::Host(h) => s.host = Some(h),
            Action::DiffRequested(path) => {
                s.diffs.insert(path, DiffState::Loading);
            }
            Action::DiffArrived { path, diff, error } => {
                if !s.diffs.contains_key(&path) {
                    return self;
                }
                let state = match diff {
                    Some(d) => DiffState::Ready(d),
                    None => DiffState::Failed(
                        error.unwrap_or_else(|| "The changed lines could not be read.".into()),
                    ),
                };
                s.diffs.insert(path, state);
            }
        }
        Rc::new(s)
    }
}
