//! `use_scanner`: owns the [`ScanWorker`] for the app's lifetime and turns its events into
//! reducer actions.

use std::rc::Rc;

use web_sys::File;
use yew::prelude::*;

use crate::bridge::client::{Event, ScanWorker};
use crate::bridge::protocol::FromWorker;
use crate::engine::report::FileReport;
use crate::ui::state::{Action, State};

/// Handle returned to components.
#[derive(Clone)]
pub struct Scanner {
    worker: Rc<ScanWorker>,
    dispatch: UseReducerDispatcher<State>,
}

impl PartialEq for Scanner {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.worker, &other.worker)
    }
}

impl Scanner {
    pub fn scan(&self, file: &File, references: &[File]) {
        self.dispatch.dispatch(Action::Begin {
            name: file.name(),
            bytes_total: file.size() as u64,
            now_ms: js_sys::Date::now(),
        });
        self.worker.scan(file, references);
    }

    /// Asks the worker for the changed lines of a file that has a clean copy.
    pub fn diff(&self, file: &FileReport) {
        let Some(copy) = &file.clean_copy else { return };
        self.dispatch
            .dispatch(Action::DiffRequested(file.path.clone()));
        self.worker.diff(&file.path, &copy.archive, &copy.path);
    }

    pub fn cancel(&self) {
        self.worker.cancel();
    }
}

fn to_action(event: Event) -> Option<Action> {
    Some(match event {
        Event::Message(FromWorker::Ready) => Action::WorkerReady,
        // Wire-only messages (the bridge decodes and forwards them): never reach the page.
        Event::Message(
            FromWorker::Started { .. } | FromWorker::Report | FromWorker::Part { .. },
        ) => return None,
        Event::Message(FromWorker::Progress(p)) => Action::Progress(p),
        Event::Message(FromWorker::Phase { text }) => Action::Phase(text),
        Event::Message(FromWorker::Finished { report }) => Action::Finished(Rc::new(*report)),
        Event::Message(FromWorker::Failed(f)) => Action::Failed {
            kind: f.kind,
            message: f.message,
        },
        Event::Message(FromWorker::Diff { path, diff, error }) => Action::DiffArrived {
            path,
            diff: diff.map(|d| Rc::new(*d)),
            error,
        },
        Event::Cancelled => Action::Cancelled,
        Event::Crashed(m) => Action::Crashed(m),
    })
}

#[hook]
pub fn use_scanner(dispatch: UseReducerDispatcher<State>) -> Scanner {
    let worker = {
        let dispatch = dispatch.clone();
        use_memo((), move |_| {
            ScanWorker::new(move |event| {
                if let Some(a) = to_action(event) {
                    dispatch.dispatch(a);
                }
            })
        })
    };
    Scanner { worker, dispatch }
}
