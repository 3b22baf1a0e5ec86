//! Every file that is not unchanged, filterable by text and status, sortable by column.
//! Shows a page of rows at a time: a 40,000-row table would make the page sluggish.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::ui::format::shown as visible;

use crate::engine::i18n::{t, Lang};
use crate::tf;
use crate::ui::hooks::use_lang;

use crate::engine::present::explain::status_label;
use crate::engine::report::{FileReport, Status, Verdict};
use crate::ui::format;
use crate::ui::state::ReportRef;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub report: ReportRef,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Path,
    Status,
    Verdict,
    Size,
    Modified,
}

const PAGE: usize = 200;

fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Clean => "clean",
        Verdict::Suspicious => "suspicious",
        Verdict::Malicious => "malicious",
    }
}

fn compare(a: &FileReport, b: &FileReport, col: Column) -> std::cmp::Ordering {
    match col {
        Column::Path => a.path.cmp(&b.path),
        Column::Status => a.status.cmp(&b.status).then(a.path.cmp(&b.path)),
        Column::Verdict => b.verdict.cmp(&a.verdict).then(a.path.cmp(&b.path)),
        Column::Size => a.size.cmp(&b.size),
        Column::Modified => a.mtime.cmp(&b.mtime),
    }
}

/// A column header that sorts by its column (a second click reverses the order).
fn sort_header(
    lang: Lang,
    sort: &UseStateHandle<(Column, bool)>,
    col: Column,
    label: &'static str,
) -> Html {
    let (current, asc) = **sort;
    let aria = match (current == col, asc) {
        (true, true) => "ascending",
        (true, false) => "descending",
        (false, _) => "none",
    };
    let sort = sort.clone();
    let onclick = Callback::from(move |_: MouseEvent| {
        let (c, a) = *sort;
        sort.set(if c == col { (col, !a) } else { (col, true) });
    });
    html! {
        <th scope="col" aria-sort={aria}>
            <button type="button" class="sort" {onclick}>
                { t(lang, label) }<span aria-hidden="true">{ match aria { "ascending" => " ▲", "descending" => " ▼", _ => "" } }</span>
            </button>
        </th>
    }
}

fn row(lang: Lang, f: &FileReport) -> Html {
    html! {
        <tr class={verdict_word(f.verdict)}>
            <td><code class="path">{ visible(&f.path) }</code>
                if let Some(n) = &f.note { <span class="note">{ n.clone() }</span> }
            </td>
            <td>{ t(lang, status_label(f.status, f.location)) }</td>
            <td>{ t(lang, verdict_word(f.verdict)) }</td>
            <td class="num">{ format::bytes(f.size) }</td>
            <td>{ f.mtime.as_deref().map(|t| t.replace('T', " ").trim_end_matches('Z').to_owned()).unwrap_or_default() }</td>
        </tr>
    }
}

#[function_component]
pub fn FileTable(props: &Props) -> Html {
    let lang = use_lang();
    let query = use_state(String::new);
    let status = use_state(|| None::<Status>);
    let sort = use_state(|| (Column::Verdict, true));
    let shown = use_state(|| PAGE);

    // The order is worked out once per report and column (sorting 68,000 rows took 130 ms on
    // the page's thread): typing in the search box only filters it.
    let order = use_memo((props.report.clone(), *sort), |(report, (col, asc))| {
        let files = &report.files;
        let mut v: Vec<usize> = (0..files.len()).collect();
        v.sort_by(|&a, &b| match (files.get(a), files.get(b)) {
            (Some(a), Some(b)) if *asc => compare(a, b, *col),
            (Some(a), Some(b)) => compare(b, a, *col),
            _ => std::cmp::Ordering::Equal,
        });
        v
    });
    let rows: Vec<&FileReport> = {
        let q = query.to_lowercase();
        order
            .iter()
            .filter_map(|&k| props.report.files.get(k))
            .filter(|f| status.is_none_or(|s| f.status == s))
            .filter(|f| q.is_empty() || f.path.to_lowercase().contains(&q))
            .collect()
    };

    let on_query = {
        let query = query.clone();
        let shown = shown.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            query.set(input.value());
            shown.set(PAGE);
        })
    };
    let on_status = {
        let status = status.clone();
        let shown = shown.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let v = select.value();
            status.set(Status::ALL.iter().copied().find(|s| s.as_str() == v));
            shown.set(PAGE);
        })
    };
    let header = |col: Column, label: &'static str| sort_header(lang, &sort, col, label);
    let more = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(*shown + PAGE))
    };
    let total = rows.len();
    html! {
        <section class="file-table" aria-labelledby="table-title">
            <h2 id="table-title">{ t(lang, "All files that are not identical to the clean release") }</h2>
            <div class="filters">
                <label>{ t(lang, "Search file names") }{ " " }<input type="search" value={(*query).clone()} oninput={on_query} /></label>
                <label>{ t(lang, "Show") }{ " " }
                    <select onchange={on_status}>
                        <option value="" selected={status.is_none()}>{ t(lang, "every status") }</option>
                        { for Status::ALL.iter().filter(|s| **s != Status::Unchanged).map(|s| html! {
                            <option value={s.as_str()} selected={*status == Some(*s)}>{ t(lang, status_label(*s, None)) }</option>
                        }) }
                    </select>
                </label>
                <span class="count" role="status">{ format::files(lang, total as u64) }</span>
            </div>
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            { header(Column::Path, "File") }
                            { header(Column::Status, "Status") }
                            { header(Column::Verdict, "Verdict") }
                            { header(Column::Size, "Size") }
                            { header(Column::Modified, "Last changed") }
                        </tr>
                    </thead>
                    <tbody>
                        { for rows.iter().take(*shown).map(|f| row(lang, f)) }
                    </tbody>
                </table>
            </div>
            if total > *shown {
                <button type="button" class="secondary" onclick={more}>{ tf!(lang, "Show more ({0} of {1} shown)", *shown, total) }</button>
            }
        </section>
    }
}
