//! Line diff of a changed file against its clean release copy, to show what was injected.
//!
//! Injections are usually a block added at the top or bottom of a file, so the common
//! prefix and suffix are stripped first; the differing middle is aligned by longest common
//! subsequence when it is small enough (bounded work and memory whatever the input), and
//! otherwise shown as removed-then-added. Lines compare without a trailing `\r` so that a
//! line-ending conversion does not drown the real change.

use serde::{Deserialize, Serialize};

/// Middle sections larger than this many line pairs are not aligned (shown as replaced).
const MAX_CELLS: usize = 4_000_000;
/// Displayed line text is cut at this many characters.
const MAX_LINE: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineKind {
    Context,
    /// In the backup, not in the clean file: what was injected.
    Added,
    /// In the clean file, not in the backup.
    Removed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffLine {
    pub kind: LineKind,
    /// Line number in the clean file.
    pub old: Option<u32>,
    /// Line number in the backup's file.
    pub new: Option<u32>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hunk {
    pub old_start: u32,
    pub old_len: u32,
    pub new_start: u32,
    pub new_len: u32,
    pub lines: Vec<DiffLine>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LineDiff {
    pub hunks: Vec<Hunk>,
    pub added: u32,
    pub removed: u32,
    /// The middle was too large to align line by line.
    pub approximate: bool,
}

fn lines(b: &[u8]) -> Vec<&[u8]> {
    if b.is_empty() {
        return Vec::new();
    }
    let body = b.strip_suffix(b"\n").unwrap_or(b);
    body.split(|c| *c == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect()
}

fn text(l: &[u8]) -> String {
    let s = String::from_utf8_lossy(l);
    if s.chars().count() > MAX_LINE {
        let mut t: String = s.chars().take(MAX_LINE).collect();
        t.push_str(" …");
        t
    } else {
        s.into_owned()
    }
}

/// Edit script over the differing middle: `(kind, old index, new index)`.
fn align(a: &[&[u8]], b: &[&[u8]]) -> (Vec<(LineKind, usize, usize)>, bool) {
    let (n, m) = (a.len(), b.len());
    let mut ops = Vec::new();
    if n.saturating_mul(m) > MAX_CELLS {
        ops.extend((0..n).map(|i| (LineKind::Removed, i, 0)));
        ops.extend((0..m).map(|j| (LineKind::Added, n, j)));
        return (ops, true);
    }
    // lcs[i][j] = LCS length of a[i..], b[j..], in one flat table.
    let w = m + 1;
    let mut lcs = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let v = if a.get(i) == b.get(j) {
                lcs.get((i + 1) * w + j + 1).copied().unwrap_or(0) + 1
            } else {
                let down = lcs.get((i + 1) * w + j).copied().unwrap_or(0);
                let right = lcs.get(i * w + j + 1).copied().unwrap_or(0);
                down.max(right)
            };
            if let Some(c) = lcs.get_mut(i * w + j) {
                *c = v;
            }
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a.get(i) == b.get(j) {
            ops.push((LineKind::Context, i, j));
            i += 1;
            j += 1;
        } else if i < n
            && (j >= m
                || lcs.get((i + 1) * w + j).copied().unwrap_or(0)
                    >= lcs.get(i * w + j + 1).copied().unwrap_or(0))
        {
            // Removed lines first, then what replaced them (the usual unified-diff order).
            ops.push((LineKind::Removed, i, j));
            i += 1;
        } else {
            ops.push((LineKind::Added, i, j));
            j += 1;
        }
    }
    (ops, false)
}

/// Diffs the clean file `old` against the backup's `new`, with `context` lines around changes.
pub fn diff(old: &[u8], new: &[u8], context: usize) -> LineDiff {
    let (a, b) = (lines(old), lines(new));
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    let (mid_a, mid_b) = (
        a.get(prefix..a.len() - suffix).unwrap_or(&[]),
        b.get(prefix..b.len() - suffix).unwrap_or(&[]),
    );
    let (mid, approximate) = align(mid_a, mid_b);
    // Full script: prefix context, middle, suffix context.
    let mut script: Vec<(LineKind, usize, usize)> =
        (0..prefix).map(|i| (LineKind::Context, i, i)).collect();
    script.extend(mid.into_iter().map(|(k, i, j)| (k, i + prefix, j + prefix)));
    let (sa, sb) = (a.len() - suffix, b.len() - suffix);
    script.extend((0..suffix).map(|k| (LineKind::Context, sa + k, sb + k)));

    let mut out = LineDiff {
        approximate,
        ..LineDiff::default()
    };
    let changed: Vec<usize> = script
        .iter()
        .enumerate()
        .filter(|(_, s)| s.0 != LineKind::Context)
        .map(|(i, _)| i)
        .collect();
    let mut k = 0;
    while k < changed.len() {
        let first = changed.get(k).copied().unwrap_or(0);
        let mut last = first;
        k += 1;
        while let Some(&next) = changed.get(k) {
            if next > last + 2 * context + 1 {
                break;
            }
            last = next;
            k += 1;
        }
        let start = first.saturating_sub(context);
        let end = (last + context + 1).min(script.len());
        let mut hunk = Hunk {
            old_start: 0,
            old_len: 0,
            new_start: 0,
            new_len: 0,
            lines: Vec::new(),
        };
        for (idx, &(kind, i, j)) in script.iter().enumerate().take(end).skip(start) {
            let (old_no, new_no, t) = match kind {
                LineKind::Context => (Some(i), Some(j), a.get(i)),
                LineKind::Removed => (Some(i), None, a.get(i)),
                LineKind::Added => (None, Some(j), b.get(j)),
            };
            if idx == start {
                hunk.old_start = (old_no.unwrap_or(i) + 1) as u32;
                hunk.new_start = (new_no.unwrap_or(j) + 1) as u32;
            }
            if old_no.is_some() {
                hunk.old_len += 1;
            }
            if new_no.is_some() {
                hunk.new_len += 1;
            }
            match kind {
                LineKind::Added => out.added += 1,
                LineKind::Removed => out.removed += 1,
                LineKind::Context => {}
            }
            hunk.lines.push(DiffLine {
                kind,
                old: old_no.map(|x| x as u32 + 1),
                new: new_no.map(|x| x as u32 + 1),
                text: text(t.copied().unwrap_or(&[])),
            });
        }
        out.hunks.push(hunk);
    }
    out
}

/// Classic unified-diff text (for exports and the terminal).
pub fn unified(d: &LineDiff, old_name: &str, new_name: &str) -> String {
    let mut s = format!("--- {old_name}\n+++ {new_name}\n");
    for h in &d.hunks {
        s.push_str(&format!(
            "@@ -{},{} +{},{} @@\n",
            h.old_start, h.old_len, h.new_start, h.new_len
        ));
        for l in &h.lines {
            let mark = match l.kind {
                LineKind::Context => ' ',
                LineKind::Added => '+',
                LineKind::Removed => '-',
            };
            s.push(mark);
            s.push_str(&l.text);
            s.push('\n');
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appended_injection_is_one_added_hunk() {
        let old = b"<?php\n// a\n// b\n// c\n// d\n// e\n";
        let new = b"<?php\n// a\n// b\n// c\n// d\n// e\n@eval($_POST['x']);\n";
        let d = diff(old, new, 2);
        assert_eq!((d.added, d.removed), (1, 0));
        assert_eq!(d.hunks.len(), 1);
        let h = &d.hunks[0];
        assert_eq!(
            (h.old_start, h.old_len, h.new_start, h.new_len),
            (5, 2, 5, 3)
        );
        assert_eq!(
            h.lines.last().map(|l| (l.kind, l.new)),
            Some((LineKind::Added, Some(7)))
        );
        let u = unified(&d, "clean/x.php", "backup/x.php");
        assert!(
            u.contains("@@ -5,2 +5,3 @@\n // d\n // e\n+@eval($_POST['x']);\n"),
            "{u}"
        );
    }

    #[test]
    fn changed_middle_line_and_crlf() {
        let old = b"1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = b"1\r\n2\r\n3\r\n4\r\nX\r\n6\r\n7\r\n8\r\n9\r\n";
        let d = diff(old, new, 1);
        assert_eq!((d.added, d.removed), (1, 1));
        let kinds: Vec<_> = d.hunks[0]
            .lines
            .iter()
            .map(|l| (l.kind, l.text.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (LineKind::Context, "4"),
                (LineKind::Removed, "5"),
                (LineKind::Added, "X"),
                (LineKind::Context, "6")
            ]
        );
    }

    #[test]
    fn identical_and_huge_inputs_are_bounded() {
        assert!(diff(b"a\nb\n", b"a\nb\n", 3).hunks.is_empty());
        let big_a: Vec<u8> = (0..5000)
            .flat_map(|i| format!("a{i}\n").into_bytes())
            .collect();
        let big_b: Vec<u8> = (0..5000)
            .flat_map(|i| format!("b{i}\n").into_bytes())
            .collect();
        let d = diff(&big_a, &big_b, 3);
        assert!(d.approximate);
        assert_eq!((d.added, d.removed), (5000, 5000));
    }
}
