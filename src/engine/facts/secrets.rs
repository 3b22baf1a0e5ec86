//! Passwords, keys and tokens found in the backup's configuration files, and where each must
//! be changed. Values stay in the report only for the page (shown masked, with a reveal) and
//! are removed from every export unless the user asks (`Report::strip_secret_values`).

use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::engine::report::{Secret, SecretKind};

/// Config files worth reading for secrets (see `know::config`).
pub fn is_config_file(path: &str) -> bool {
    crate::engine::detect::kinds::config_file(path).is_some()
}

/// `s3cr••••7x`; short values are masked entirely.
pub fn mask(v: &str) -> String {
    let chars: Vec<char> = v.chars().collect();
    if chars.len() < 8 {
        return "•".repeat(chars.len().max(4));
    }
    let head: String = chars.iter().take(4).collect();
    let tail: String = chars.iter().skip(chars.len() - 2).collect();
    format!("{head}••••{tail}")
}

struct Pattern {
    re: &'static str,
    /// `DatabasePassword` stands for either database setting: a name with "user" in it makes
    /// it [`SecretKind::DatabaseUser`].
    kind: SecretKind,
}

/// (name group 1 or fixed name, value group 2)
const PATTERNS: &[Pattern] = &[
    // WordPress and other define()-style PHP config.
    Pattern {
        re: r#"define\s*\(\s*['"](DB_PASSWORD|DB_USER)['"]\s*,\s*['"]([^'"]*)['"]"#,
        kind: SecretKind::DatabasePassword,
    },
    Pattern {
        re: r#"define\s*\(\s*['"]((?:AUTH|SECURE_AUTH|LOGGED_IN|NONCE)_(?:KEY|SALT))['"]\s*,\s*['"]([^'"]+)['"]"#,
        kind: SecretKind::CmsKeys,
    },
    Pattern {
        re: r#"define\s*\(\s*['"]([A-Z0-9_]*SMTP[A-Z0-9_]*PASS[A-Z0-9_]*)['"]\s*,\s*['"]([^'"]+)['"]"#,
        kind: SecretKind::SmtpPassword,
    },
    Pattern {
        re: r#"define\s*\(\s*['"]([A-Z0-9_]*(?:API_KEY|SECRET|TOKEN|LICENSE_KEY|ACCESS_KEY)[A-Z0-9_]*)['"]\s*,\s*['"]([^'"]{8,})['"]"#,
        kind: SecretKind::ApiKey,
    },
    // Joomla configuration.php
    Pattern {
        re: r#"public\s+\$(password|user)\s*=\s*['"]([^'"]*)['"]"#,
        kind: SecretKind::DatabasePassword,
    },
    Pattern {
        re: r#"public\s+\$(secret)\s*=\s*['"]([^'"]+)['"]"#,
        kind: SecretKind::CmsKeys,
    },
    Pattern {
        re: r#"public\s+\$(smtppass)\s*=\s*['"]([^'"]+)['"]"#,
        kind: SecretKind::SmtpPassword,
    },
    // Drupal settings.php and TYPO3 LocalConfiguration.php (array syntax)
    Pattern {
        re: r#"['"](password|username|user)['"]\s*=>\s*['"]([^'"]*)['"]"#,
        kind: SecretKind::DatabasePassword,
    },
    Pattern {
        re: r#"\$settings\s*\[\s*['"](hash_salt)['"]\s*\]\s*=\s*['"]([^'"]+)['"]"#,
        kind: SecretKind::CmsKeys,
    },
    Pattern {
        re: r#"['"](encryptionKey)['"]\s*=>\s*['"]([^'"]+)['"]"#,
        kind: SecretKind::CmsKeys,
    },
    Pattern {
        re: r#"['"](installToolPassword)['"]\s*=>\s*['"]([^'"]+)['"]"#,
        kind: SecretKind::InstallPassword,
    },
    // .env files
    Pattern {
        re: r#"(?m)^\s*((?:DB|DATABASE|MYSQL)_PASS(?:WORD)?)\s*=\s*['"]?([^'"\r\n]+)"#,
        kind: SecretKind::DatabasePassword,
    },
    Pattern {
        re: r#"(?m)^\s*([A-Z0-9_]*(?:SECRET|TOKEN|API_KEY|PASSWORD|PASS)[A-Z0-9_]*)\s*=\s*['"]?([^'"\r\n]{6,})"#,
        kind: SecretKind::ApiKey,
    },
    // .git/config remote URLs with credentials
    Pattern {
        re: r#"url\s*=\s*https?://([^:/@\s]+):([^@\s]+)@"#,
        kind: SecretKind::GitCredential,
    },
];

fn compiled() -> &'static [(Regex, SecretKind)] {
    static C: OnceLock<Vec<(Regex, SecretKind)>> = OnceLock::new();
    C.get_or_init(|| {
        PATTERNS
            .iter()
            .filter_map(|p| crate::engine::detect::rules::ascii_regex(p.re).map(|r| (r, p.kind)))
            .collect()
    })
}

fn how(kind: SecretKind, name: &str, file: &str, line: u32) -> String {
    match kind {
        SecretKind::DatabasePassword => crate::en!("Change the database password in your hosting panel (for example cPanel → MySQL Databases), then put the new password in {0} at line {1} ({2}), or the site stops working.", file, line, name),
        SecretKind::DatabaseUser => crate::en!("The database user is {0} in {1} (line {2}). Change its password in your hosting panel; remove any database user you do not know.", name, file, line),
        SecretKind::CmsKeys => crate::en!("Replace the secret keys/salts with new random values in {0} (line {1}, {2}): this logs everyone out, including the attacker. WordPress: generate a new set at api.wordpress.org/secret-key/1.1/salt/.", file, line, name),
        SecretKind::SmtpPassword => crate::en!("Change the email account's password at your email provider, then update {0} line {1} ({2}).", file, line, name),
        SecretKind::InstallPassword => crate::en!("Set a new install tool password in TYPO3 (Admin Tools), which updates {0} line {1}.", file, line),
        SecretKind::GitCredential => crate::en!("Revoke this access token at your code host (GitHub, GitLab…) and remove it from {0} line {1}.", file, line),
        SecretKind::ApiKey => crate::en!("Revoke or regenerate this key at the service it belongs to, then update {0} line {1} ({2}).", file, line, name),
    }
}

/// Finds the secrets in one config file (`name` as in the archive).
pub fn find(name: &str, text: &[u8]) -> Vec<Secret> {
    let mut out: Vec<Secret> = Vec::new();
    for (re, kind) in compiled() {
        for c in re.captures_iter(text).take(50) {
            let (Some(n), Some(v)) = (c.get(1), c.get(2)) else {
                continue;
            };
            let setting = String::from_utf8_lossy(n.as_bytes()).into_owned();
            let value = String::from_utf8_lossy(v.as_bytes()).trim().to_owned();
            if value.is_empty()
                || value.starts_with("put your unique phrase")
                || value.starts_with("password_here")
                || value.starts_with("username_here")
            {
                continue;
            }
            let kind = match *kind {
                SecretKind::DatabasePassword if setting.to_ascii_lowercase().contains("user") => {
                    SecretKind::DatabaseUser
                }
                k => k,
            };
            let line = u32::try_from(
                text.get(..n.start())
                    .unwrap_or(&[])
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1,
            )
            .unwrap_or(0);
            if out.iter().any(|s| s.line == line && s.name == setting) {
                continue;
            }
            let masked = if kind == SecretKind::DatabaseUser {
                value.clone()
            } else {
                mask(&value)
            };
            out.push(Secret {
                kind,
                how: how(kind, &setting, name, line),
                name: setting,
                file: name.to_owned(),
                line,
                masked,
                value: Some(value),
            });
        }
    }
    out.sort_by_key(|s| s.line);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wordpress_joomla_drupal_typo3_env_git() {
        let wp = find("wp-config.php", b"<?php\ndefine( 'DB_USER', 'jane_wp' );\ndefine( 'DB_PASSWORD', 'Sup3r-S3cret!' );\ndefine('AUTH_KEY', 'abcdefghijklmnop');\ndefine('NONCE_SALT', 'put your unique phrase here');\n");
        let kinds: Vec<(&str, u32)> = wp.iter().map(|s| (s.kind.id(), s.line)).collect();
        assert_eq!(
            kinds,
            [
                ("database-user", 2),
                ("database-password", 3),
                ("cms-keys", 4)
            ]
        );
        assert_eq!(wp[1].masked, "Sup3••••t!");
        assert!(wp[1].how.contains("wp-config.php at line 3"));
        let j = find("configuration.php", b"class JConfig {\n public $user = 'ju';\n public $password = 'jpass12345';\n public $secret = 'Zx9secretvalue';\n public $smtppass = 'mailpass99';\n}");
        assert_eq!(
            j.iter().map(|s| s.kind.id()).collect::<Vec<_>>(),
            [
                "database-user",
                "database-password",
                "cms-keys",
                "smtp-password"
            ]
        );
        let d = find("settings.php", b"$databases['default']['default'] = [\n  'username' => 'drupal',\n  'password' => 'dpass123456',\n];\n$settings['hash_salt'] = 'saltsaltsalt';\n");
        assert_eq!(
            d.iter().map(|s| s.kind.id()).collect::<Vec<_>>(),
            ["database-user", "database-password", "cms-keys"]
        );
        let t = find("LocalConfiguration.php", b"'SYS' => [\n 'encryptionKey' => 'k1k2k3k4k5k6',\n],\n'BE' => ['installToolPassword' => '$argon2i$v=19$xyz'],");
        assert_eq!(
            t.iter().map(|s| s.kind.id()).collect::<Vec<_>>(),
            ["cms-keys", "install-password"]
        );
        let e = find(
            ".env",
            b"APP_NAME=x\nDB_PASSWORD=envpass123\nSTRIPE_SECRET=sk_live_abcdef123\n",
        );
        assert!(e
            .iter()
            .any(|s| s.kind.id() == "database-password" && s.line == 2));
        assert!(e.iter().any(|s| s.name == "STRIPE_SECRET" && s.line == 3));
        let g = find(".git/config", b"[remote \"origin\"]\n\turl = https://deploy:ghp_abcdefghijklmnop@github.example/x.git\n");
        assert_eq!(
            g.first().map(|s| (s.kind.id(), s.line)),
            Some(("git-credential", 2))
        );
        assert!(wp.iter().all(|s| s.value.is_some()));
    }
}
