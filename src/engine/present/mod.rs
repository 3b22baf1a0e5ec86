//! Everything the owner reads: the wording of statuses and verdicts, the cleanup checklist,
//! the renderers (text, Markdown, HTML) and line diffs of changed files.

pub mod checklist;
pub mod explain;
pub mod linediff;
pub mod render;
