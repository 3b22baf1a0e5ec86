//! The file list as CSV for a spreadsheet: one row per file of the report, every cell quoted,
//! formulas defused (a cell starting with `=`, `+`, `-` or `@` gets a leading `'`), and the
//! status, location and verdict under the same names as in the JSON.

use crate::engine::report::Report;

/// The serde (JSON) name of a unit enum value, e.g. `user-content`.
fn wire<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `path,status,location,verdict,size,mtime,sha256,findings` for every file of the report.
pub fn csv(r: &Report) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    rows(&mut out, r, "");
    out
}

const HEADER: &str = "path,status,location,verdict,size,mtime,sha256,findings";

/// Several reports in one sheet: a first column names each row's backup.
pub fn csv_series<'r>(reports: impl Iterator<Item = &'r Report>) -> String {
    let mut out = format!("backup,{HEADER}\n");
    for r in reports {
        let prefix = format!("{},", cell(&r.archive.name));
        rows(&mut out, r, &prefix);
    }
    out
}

fn rows(out: &mut String, r: &Report, prefix: &str) {
    for f in &r.files {
        let findings: Vec<&str> = f.findings.iter().map(|x| x.rule.as_str()).collect();
        out.push_str(prefix);
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            cell(&f.path),
            wire(&f.status),
            f.location.as_ref().map(wire).unwrap_or_default(),
            wire(&f.verdict),
            f.size,
            f.mtime.as_deref().unwrap_or(""),
            f.sha256,
            cell(&findings.join(" "))
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("=cmd|' /C calc'!A0"), "\"'=cmd|' /C calc'!A0\"");
        assert_eq!(cell("a\"b"), "\"a\"\"b\"");
        assert_eq!(
            wire(&crate::engine::report::Location::UserContent),
            "user-content"
        );
        assert_eq!(
            wire(&crate::engine::report::Status::WhitespaceOnly),
            "whitespace-only"
        );
    }
}
