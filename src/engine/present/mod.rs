//! Everything the owner reads: the wording of statuses and verdicts, the cleanup checklist,
//! the sections about accounts, the renderers (text, Markdown, HTML, CSV), the exports, the
//! page's view of a report, and line diffs of changed files.

pub mod checklist;
pub mod explain;
pub mod export;
pub mod linediff;
pub mod render;
pub mod sections;
pub mod series;
pub mod view;
