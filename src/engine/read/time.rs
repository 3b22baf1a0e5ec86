//! Calendar arithmetic for archive timestamps, without a date crate: we only need
//! "days since 1970" and ISO 8601 text, both ways.

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Unix seconds at midnight of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn civil_to_unix(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * DAY
}

/// (year, month, day) of a unix day number.
pub fn unix_days_to_civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn iso8601(t: i64) -> String {
    let (y, m, d) = unix_days_to_civil(t.div_euclid(DAY));
    let s = t.rem_euclid(DAY);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(civil_to_unix(1970, 1, 1), 0);
        assert_eq!(civil_to_unix(2000, 3, 1), 951_868_800);
        assert_eq!(iso8601(951_868_800 + 3661), "2000-03-01T01:01:01Z");
        for days in [-1000i64, 0, 59, 60, 11_000, 20_000, 30_000] {
            let (y, m, d) = unix_days_to_civil(days);
            assert_eq!(civil_to_unix(y, m, d), days * DAY);
        }
    }
}
