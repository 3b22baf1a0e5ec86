//! Numbers for people: sizes, durations, counts.

use crate::engine::i18n::{t, Lang};
use crate::tf;

/// Text from the backup (a file name, an excerpt, an account name) as the page shows it:
/// control and bidirectional-override characters become visible `<U+202E>` markers, so a
/// name like `invoice\u{202e}gpj.php` cannot pass for `invoicephp.jpg`. (Yew already sets
/// all text as text, never as HTML.)
pub fn shown(s: &str) -> String {
    crate::engine::present::render::visible(s)
}

/// "1.7 GB", "532 KB", "12 bytes" (decimal units, as file managers show them).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    let u = UNITS.get(unit).copied().unwrap_or("bytes");
    if unit == 0 {
        format!("{n} {u}")
    } else if v < 10.0 {
        format!("{v:.1} {u}")
    } else {
        format!("{v:.0} {u}")
    }
}

/// "about 2 minutes", "less than 10 seconds".
pub fn duration(lang: Lang, seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return t(lang, "calculating…").into();
    }
    if seconds < 10.0 {
        t(lang, "less than 10 seconds").into()
    } else if seconds < 90.0 {
        tf!(lang, "about {0} seconds", (seconds / 5.0).round() * 5.0)
    } else {
        tf!(lang, "about {0} minutes", (seconds / 60.0).round())
    }
}

/// "1 file", "2 files".
pub fn files(lang: Lang, n: u64) -> String {
    if n == 1 {
        t(lang, "1 file").into()
    } else {
        tf!(lang, "{0} files", n)
    }
}
