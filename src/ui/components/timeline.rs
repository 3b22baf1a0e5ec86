//! When it happened: the break-in window, the restore advice, a picture of changes per day
//! (SVG drawn from numbers only), and files changed around then.

use yew::prelude::*;

use crate::ui::format::shown;

use crate::engine::i18n::t;
use crate::tf;
use crate::ui::hooks::use_lang;

use crate::engine::present::explain::{confidence_word, source_word};
use crate::engine::report::Timeline as Data;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub timeline: Data,
}

fn day(t: &str) -> String {
    t.get(..10).unwrap_or(t).to_owned()
}

#[function_component]
pub fn Timeline(props: &Props) -> Html {
    let lang = use_lang();
    let tl = &props.timeline;
    // A date from the logs alone (no planted file dated) still shows.
    if tl.break_in.is_none() && tl.start.is_none() {
        return html! {};
    }
    let start = tl.start.clone().unwrap_or_default();
    let end = tl.end.clone().unwrap_or_else(|| start.clone());
    let n = tl.days.len().max(1) as f64;
    let max = tl.days.iter().map(|d| d.1).max().unwrap_or(1).max(1) as f64;
    let (w, h) = (720.0f64, 100.0f64);
    let bw = (w / n).max(1.0);
    let bar = |v: u32| (f64::from(v).ln_1p() / max.ln_1p()) * h;
    html! {
        <section class="timeline" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{ t(lang, "When it happened") }</h2>
            if let Some(b) = &tl.break_in {
                <p class="when">
                    { t(lang, "The break-in most probably began on") }{ " " }<strong>{ day(&b.began) }</strong>
                    { format!(" ({}).", t(lang, confidence_word(b.confidence))) }
                </p>
                <p>{ shown(&b.why) }</p>
                <p class="callout warn">{ tf!(lang, "Restore from a backup made before {0}. Backups made after that date may contain the intruder's files.", day(&b.began)) }</p>
                <details class="evidence">
                    <summary>{ tf!(lang, "What dates it ({0})", b.evidence.len()) }</summary>
                    <ul>{ for b.evidence.iter().map(|e| html! {
                        <li>
                            <strong>{ t(lang, source_word(e.source)) }</strong>
                            { format!(", {}: ", e.at.get(..16).unwrap_or(&e.at).replace('T', " ")) }
                            <span class="path">{ shown(&e.what) }</span>
                            if !e.file.is_empty() {
                                { " (" }<code class="path">{ shown(&e.file) }</code>{ ")" }
                            }
                        </li>
                    }) }</ul>
                </details>
            } else {
                <p class="when">
                    { t(lang, "The break-in most probably began on") }{ " " }<strong>{ day(&start) }</strong>
                    { tf!(lang, ": the suspicious changes run from {0} to {1}.", start.replace('T', " ").trim_end_matches('Z'), end.replace('T', " ").trim_end_matches('Z')) }
                </p>
                <p class="callout warn">{ tf!(lang, "Restore from a backup made before {0}. Backups made after that date may contain the intruder's files.", day(&start)) }</p>
            }
            <p class="muted">{ t(lang, "Dates in a backup can be faked by an attacker, so check the backup you restore with this tool too.") }</p>
            <figure>
                <svg viewBox={format!("0 0 {w} {}", h + 18.0)} role="img" aria-label={tf!(lang, "Files changed per day, from {0} to {1}; suspicious changes in red.", tl.days.first().map(|d| d.0.clone()).unwrap_or_default(), tl.days.last().map(|d| d.0.clone()).unwrap_or_default())}>
                    { for tl.days.iter().enumerate().map(|(i, (_, all, sus))| {
                        let x = i as f64 * bw;
                        let ha = bar(*all);
                        let hs = if *sus > 0 { bar(*sus).max(h * 0.15) } else { 0.0 };
                        html! {
                            <g>
                                <rect x={format!("{x:.1}")} y={format!("{:.1}", h - ha)} width={format!("{:.1}", (bw - 0.5).max(0.5))} height={format!("{ha:.1}")} class="all" />
                                if *sus > 0 {
                                    <rect x={format!("{x:.1}")} y={format!("{:.1}", h - hs)} width={format!("{:.1}", (bw - 0.5).max(1.5))} height={format!("{hs:.1}")} class="sus" />
                                }
                            </g>
                        }
                    }) }
                    if let (Some(a), Some(b)) = (tl.days.first(), tl.days.last()) {
                        <text x="0" y={format!("{}", h + 14.0)} class="axis">{ a.0.clone() }</text>
                        <text x={format!("{w}")} y={format!("{}", h + 14.0)} class="axis end">{ b.0.clone() }</text>
                    }
                </svg>
                <figcaption>{ t(lang, "Files changed on each day that has changes (grey; days without changes are left out), suspicious ones in red.") }</figcaption>
            </figure>
            if !tl.forged_dates.is_empty() {
                <p>{ t(lang, "These changed files carry the date of the original release files — their dates were probably faked:") }</p>
                <ul>{ for tl.forged_dates.iter().map(|d| html! { <li><code class="path">{ shown(&d.path) }</code></li> }) }</ul>
            }
            if !tl.also_changed.is_empty() {
                <details>
                    <summary>{ tf!(lang, "Also changed around then — check these ({0})", tl.also_changed.len()) }</summary>
                    <ul>{ for tl.also_changed.iter().map(|d| html! { <li><code class="path">{ shown(&d.path) }</code>{ format!(" — {}", d.mtime.replace('T', " ").trim_end_matches('Z')) }</li> }) }</ul>
                </details>
            }
        </section>
    }
}
