//! The detection rules, as data: what each looks for, in which kinds of file, how strong the
//! evidence is, and the plain words a site owner reads. Patterns are `regex::bytes` syntax
//! (PHP files are not always UTF-8), matched case-sensitively unless they say `(?i)`.
//!
//! Precision first: a `malicious` rule needs code that hands attacker-controlled request data
//! to something that runs it, or a construction that only malware uses. Weaker signs are
//! `suspicious`; hints (long encoded blobs, very long lines) only ever support other evidence.

use crate::engine::detect::kinds::FileKind;
use crate::engine::report::Severity;

pub struct Rule {
    pub id: &'static str,
    pub kinds: &'static [FileKind],
    pub severity: Severity,
    pub title: &'static str,
    pub why: &'static str,
    pub pattern: &'static str,
}

use FileKind::*;
use Severity::*;

/// Data a visitor controls. `$_SERVER` only for the parts that come from the request
/// (`DOCUMENT_ROOT` and the like are set by the server and appear in clean code); headers
/// read through `getenv('HTTP_…')` or `apache_request_headers()` are the request too.
const REQ: &str = r#"\$_(?:GET|POST|REQUEST|COOKIE|FILES)\b|\$_SERVER\s*\[\s*['"](?:HTTP_[A-Z_]+|QUERY_STRING|REQUEST_URI|PATH_INFO|PHP_AUTH_USER|PHP_AUTH_PW|argv)['"]\s*\]|getallheaders\s*\(|apache_request_headers\s*\(|getenv\s*\(\s*['"]HTTP_[A-Z_]+['"]\s*\)|\$HTTP_(?:GET|POST|COOKIE)_VARS|php://input"#;

/// Compiles a pattern in ASCII mode (see [`expand`] for why every engine regex is).
pub fn ascii_regex(pattern: &str) -> Option<regex::bytes::Regex> {
    regex::bytes::Regex::new(&format!("(?-u){pattern}")).ok()
}

/// A regex compiled once per process (per worker), in ASCII mode; `None` if it does not compile.
pub fn cached(
    cell: &'static std::sync::OnceLock<Option<regex::bytes::Regex>>,
    pattern: &str,
) -> Option<&'static regex::bytes::Regex> {
    cell.get_or_init(|| ascii_regex(pattern)).as_ref()
}

/// Replaces `{REQ}` in a pattern with the request-data alternatives, in ASCII mode: with
/// Unicode-aware `\b` and `\s` the regex crate's fast DFA gives up on any non-ASCII byte
/// and falls back to a matcher ~10x slower.
pub fn expand(pattern: &str) -> String {
    format!("(?-u){}", pattern.replace("{REQ}", &format!("(?:{REQ})")))
}

pub const RULES: &[Rule] = &[
    // ---------------------------------------------------------------- PHP: remote code execution
    Rule {
        id: "php-eval-request",
        kinds: &[Php],
        severity: Malicious,
        title: "A hidden remote-control program (web shell)",
        why: "This code takes text sent by a visitor and runs it as PHP. Anyone who knows the file's address can make your server do anything: read your database, send spam, plant more files.",
        // `create_function`'s code is its second argument: request data quoted inside a
        // literal body is text the function will read, not code from the visitor.
        pattern: r#"(?i)\b(?:eval|assert)\s*\([^;]{0,200}?{REQ}|\bcreate_function\s*\([^,;]{0,200},\s*(?:@\s*)?[^;'"]{0,100}?{REQ}|\bcreate_function\s*\(\s*['"]\$([A-Za-z_]\w{0,20})['"]\s*,\s*['"][^'"]{0,40}\b(?:eval|assert)\s*\(\s*\$\w{1,20}\s*\[\s*0\s*\][^\n]{0,200}?{REQ}"#,
    },
    Rule {
        id: "php-exec-request",
        kinds: &[Php],
        severity: Malicious,
        title: "A hidden remote-control program (web shell)",
        why: "This code runs operating-system commands that a visitor sends. Whoever uses it controls your hosting account.",
        pattern: r"(?i)\b(?:system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec)\s*\([^;]{0,160}?{REQ}",
    },
    Rule {
        id: "php-backtick-request",
        kinds: &[Php],
        severity: Malicious,
        title: "A hidden remote-control program (web shell)",
        why: "Backticks run a system command in PHP; here the command comes from the visitor's request.",
        // Backticks in statement position only (SQL identifiers in strings are quoted too).
        pattern: r#"(?:=|\(|\becho|\bprint|\breturn|;|^)\s*`[^`'"\n]{0,60}{REQ}[^`\n]{0,120}`"#,
    },
    Rule {
        id: "php-callable-request",
        kinds: &[Php],
        severity: Malicious,
        title: "A hidden remote-control program (web shell)",
        why: "The visitor's request chooses which PHP function to call. This is a classic disguised backdoor: it can call `system`, `eval` or anything else.",
        // The callable is the first argument of some functions and the second of others.
        pattern: r"(?i)(?:\b(?:call_user_func(?:_array)?|array_map|register_shutdown_function|register_tick_function|forward_static_call(?:_array)?)\s*\(\s*(?:@\s*)?{REQ}|\b(?:array_filter|array_walk|array_reduce|usort|uasort|uksort|iterator_apply)\s*\((?:[^,;()]{1,80}|\s*array\s*\([^;()]{0,200}\))\s*,\s*(?:@\s*)?{REQ}|\$_(?:GET|POST|REQUEST|COOKIE)(?:\s*\[[^\]\n]{1,60}\]){1,3}\s*\(|\$_(?:GET|POST|REQUEST|COOKIE)(?:\s*\[[^\]\n]{1,60}\]){1,3}\s*\)\s*\()",
    },
    Rule {
        id: "php-dangerous-callback",
        kinds: &[Php],
        severity: Malicious,
        title: "A command runner handed over to be called later (backdoor)",
        why: "The name of a function that runs code or commands (assert, eval, system…) is given to PHP as a callback, so it runs later with whatever data arrives. Legitimate software never registers these as callbacks; backdoors do it to hide the call.",
        // Checked on the code as `php::resolve` writes it too, where names built from parts
        // are plain literals.
        pattern: r#"(?i)\b(?:call_user_func(?:_array)?|array_map|array_filter|array_walk(?:_recursive)?|usort|uasort|uksort|iterator_apply|register_shutdown_function|register_tick_function|session_set_save_handler|set_error_handler|set_exception_handler|ob_start|preg_replace_callback|spl_autoload_register|header_register_callback|forward_static_call(?:_array)?)\s*\([^;]{0,200}?['"](?:assert|eval|system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec|create_function)['"]"#,
    },
    Rule {
        id: "php-preg-replace-e",
        kinds: &[Php],
        severity: Malicious,
        title: "Code hidden in a text replacement (preg_replace /e)",
        why: "The /e flag makes preg_replace run the replacement as PHP code. It was removed from PHP because it was used almost only by backdoors.",
        pattern: r#"(?i)preg_replace\s*\(\s*['"]([/#@~|!%])[^'"\n]{0,200}[/#@~|!%][a-df-z]*e[a-z]*['"]\s*,"#,
    },
    Rule {
        id: "php-include-request",
        kinds: &[Php],
        severity: Malicious,
        title: "A door for running any file (file inclusion backdoor)",
        why: "The visitor's request decides which file PHP loads and runs, which lets an attacker run code they uploaded anywhere.",
        pattern: r"(?i)\b(?:include|require)(?:_once)?\s*\(?\s*(?:@\s*)?{REQ}",
    },
    Rule {
        id: "php-include-odd-file",
        kinds: &[Php],
        severity: Malicious,
        title: "Code loaded from a file disguised as an image or icon",
        why: "PHP code is loaded from a file whose name pretends to be an image, icon or text file. Attackers hide their program there so it looks harmless in file listings.",
        pattern: r#"(?i)\b(?:include|require)(?:_once)?\s*\(?\s*['"][^'"\n]{0,200}\.(?:ico|png|jpe?g|gif|bmp|txt|log|dat|tmp)['"]"#,
    },
    Rule {
        id: "php-include-dotfile",
        kinds: &[Php],
        severity: Suspicious,
        title: "Code loaded from a hidden file",
        why: "PHP code is loaded from a file whose name starts with a dot, which hides it from most file listings.",
        pattern: r#"(?i)\b(?:include|require)(?:_once)?\s*\(?\s*['"][^'"\n]{0,200}/\.[a-z0-9_-]{2,40}(?:\.php)?['"]"#,
    },
    Rule {
        id: "php-eval-decoded",
        kinds: &[Php],
        severity: Malicious,
        title: "Code hidden behind encoding and then run",
        why: "This file decodes scrambled text (base64, compression, character tricks) and runs the result. Legitimate software almost never does this; malware does it to hide what it is.",
        // eval's code may follow a short literal (`eval('?>' . base64_decode(…))`);
        // create_function's code is its second argument.
        pattern: r#"(?i)\b(?:(?:eval|assert|create_function)\s*\(\s*(?:['"][^'"\n]{0,12}['"]\s*\.\s*)?|create_function\s*\(\s*['"][^'"\n]{0,40}['"]\s*,\s*)(?:@\s*)?(?:base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|strrev|hex2bin|urldecode|rawurldecode|convert_uudecode|pack)\s*\("#,
    },
    Rule {
        id: "php-eval-blob",
        kinds: &[Php],
        severity: Malicious,
        title: "Code hidden in a scrambled blob and run",
        why: "This file runs code that it first unpacks from a long scrambled string with a decoder of its own, reads from another file, or runs code that itself runs code. Legitimate software never hides its own code this way.",
        pattern: r#"(?i)\b(?:eval|assert)\s*\(\s*@?\s*(?:(?:eval|assert)\s*\(|(?:file_get_contents|fread|stream_get_contents)\s*\(|[A-Za-z_][A-Za-z0-9_]*\s*\(\s*['"][^'"\s]{300}|(?:[A-Za-z_][A-Za-z0-9_]*\s*\(\s*@?\s*){0,3}(?:base64_decode|gzinflate|gzuncompress|gzdecode|str_rot13|convert_uudecode|hex2bin)\s*\()"#,
    },
    Rule {
        id: "php-dropper",
        kinds: &[Php],
        severity: Malicious,
        title: "A program that plants PHP files",
        why: "This code writes a new PHP file whose content it decodes, downloads or takes from the visitor: a dropper that plants more backdoors.",
        // On the code as `php::resolve` writes it: downloads are `__REMOTE__`, request data
        // `$_POST['request']`.
        pattern: r#"(?i)\b(?:file_put_contents|fopen|fwrite|fputs)\s*\(\s*(?:['"][^'"]{0,200}\.(?:php\d?|phtml|phar)['"]\s*,\s*(?:[^;]{0,60}?(?:__REMOTE__|\$_(?:POST|GET|REQUEST|COOKIE)\b|base64_decode\s*\(\s*['"]|gzinflate|gzuncompress|str_rot13|file_get_contents\s*\(\s*['"]https?://)|['"]\s*<\?php)|\$_(?:POST|GET|REQUEST|COOKIE)\b[^;,]{0,60},\s*(?:@\s*)?__REMOTE__)"#,
    },
    Rule {
        id: "php-attack-toolkit",
        // Code-level (`toolkit` in the detector): several of the suspicious traits at once.
        kinds: &[],
        severity: Malicious,
        title: "Several tools of an intruder in one file",
        why: "This file combines several things attack tools do (they are listed with this file). One alone can be a feature of a plugin; together, in one file, they make a backdoor.",
        pattern: r"\A\z",
    },
    Rule {
        id: "php-hidden-command",
        // Code-level (`hidden_command` of `php::resolve`): the name is worked out, not matched.
        kinds: &[],
        severity: Malicious,
        title: "Server commands run under a disguised name",
        why: "This code spells the name of a command function (system, shell_exec…) out of scrambled pieces so that nobody reading the file sees it, then runs a command on your server with it. Only malware hides its commands this way.",
        pattern: r"\A\z",
    },
    Rule {
        id: "php-cover-tracks",
        // Not one pattern (two far-apart parts defeat the regex engine's fast path):
        // `covers_tracks` in the detector checks both; this pattern is the backdating.
        kinds: &[],
        severity: Malicious,
        title: "A script that covers its tracks",
        why: "This script turns back the date of a file so that a change looks old, and deletes itself when it is done: what intruders do so that nobody notices which files they touched.",
        pattern: r"(?i)\btouch\s*\([^;]{0,200}\btime\s*\(\s*\)\s*-",
    },
    Rule {
        id: "php-mail-hide-origin",
        kinds: &[Php],
        severity: Malicious,
        title: "A spam sender that hides where its mail comes from",
        why: "This code switches off the line PHP adds to every mail to say which script sent it, so that nobody can trace the mail back to this file: spam senders do this, websites that send their own mail never need to.",
        pattern: r#"(?i)\bini_set\s*\(\s*['"]mail\.add_x_header['"]\s*,\s*['"]?(?:0|off|false)\b"#,
    },
    Rule {
        id: "php-spam-relay",
        kinds: &[Php],
        severity: Malicious,
        title: "A program that sends mail to any address a visitor gives (spam relay)",
        why: "This code sends an email to whatever address the visitor puts in the request. Spammers use such files to send their mail through your server, which gets your domain and server blocked as a spam source.",
        // The recipient and the subject or text from the request: a password-reset mail to
        // the address typed in has a fixed text.
        pattern: r#"(?i)\b(?:imap_)?mail\s*\(\s*(?:@\s*)?(?:trim\s*\(\s*)?(?:{REQ})[^;]{0,200}?,\s*[^;,]{0,80}?(?:{REQ})"#,
    },
    Rule {
        id: "php-credential-harvest",
        // Code-level (`credential_harvest` in the detector): a password from the form,
        // the visitor's address, and a way out, all three.
        kinds: &[],
        severity: Malicious,
        title: "A page that collects passwords and sends them away (phishing)",
        why: "This code takes a password (or card details) typed into a form, adds the visitor's IP address and sends it all by mail, to a chat service or into a file: the back end of a phishing page. Your site is being used to steal other people's logins.",
        // A label a person reads ("Password : "), not a query string ("&pass=").
        pattern: r#"(?i)['"][^'"\n&?]{0,60}\b(?:pass(?:word|wd)?|pwd|passcode|cvv2?|card ?number|ssn)\b[\s\]\)*]{0,4}(?::|=>|-+>)[^'"\n]{0,30}['"]\s*\.\s*(?:trim\s*\(\s*)?\$(?:_POST|_GET|_REQUEST|\w+)"#,
    },
    Rule {
        id: "php-read-request-file",
        kinds: &[Php],
        severity: Malicious,
        title: "Code that shows any file the visitor names",
        why: "This code prints the content of whatever file the visitor asks for: your configuration file with its database password, other sites' files, the server's own files. Attackers leave such readers behind to come back for passwords.",
        // On the code as `php::resolve` writes it: request data is `$_POST['request']`.
        // The distinctive call first (an `echo` in front made every `echo` a start).
        pattern: r#"(?i)\b(?:file_get_contents|readfile|highlight_file|show_source)\s*\(\s*(?:@\s*)?\$_(?:POST|GET|REQUEST|COOKIE)\b"#,
    },
    Rule {
        id: "php-remote-content-shown",
        kinds: &[Php],
        severity: Suspicious,
        title: "A page that shows visitors content fetched from another server",
        why: "This code downloads a page from another server and prints it as part of your site. Spam injections work this way: the content (links, pharmacy or casino pages) lives on the attacker's server and can change at any time.",
        // On the code as `php::resolve` writes it: downloads are `__REMOTE__`.
        pattern: r#"\b(?:echo|print|die|exit)\s*\(?\s*__REMOTE__"#,
    },
    Rule {
        id: "php-seo-cloaking",
        // Code-level (`cloaking` in the detector): remote content shown, chosen by the
        // visitor's browser name.
        kinds: &[],
        severity: Malicious,
        title: "Spam shown only to search engines or only to people (cloaking)",
        why: "This code looks at who is asking — a search engine's robot or a person — and shows content fetched from another server to one of them. Search engines then see spam pages (or people are sent elsewhere) while you see your normal site.",
        pattern: r#"(?i)google|bing|yahoo|baidu|yandex|slurp|bot\b|crawl|spider"#,
    },
    Rule {
        id: "php-hides-from-logs",
        kinds: &[Php],
        severity: Suspicious,
        title: "A program that hides its errors from the server's logs",
        why: "This code switches off the error log for itself, so that whatever goes wrong while it runs leaves no trace for the host or for you. Intruders' scripts start like this; a plugin that wants quiet pages hides errors from the screen, not from the log.",
        pattern: r#"(?i)\bini_set\s*\(\s*['"](?:log_errors['"]\s*,\s*(?:0|['"](?:0|off)?['"]|false|null)|error_log['"]\s*,\s*(?:null|['"]['"]|['"]/dev/null['"]))\s*\)"#,
    },
    Rule {
        id: "php-after-config-end",
        // Code-level (`code_after_config_end` in the detector): this pattern is WordPress's
        // end of `wp-config.php`; Joomla's is the end of `class JConfig`.
        kinds: &[],
        severity: Suspicious,
        title: "Code added after the end of the site's configuration file",
        why: "The configuration file ends where it hands over to the CMS (WordPress's `require_once ABSPATH . 'wp-settings.php';`, Joomla's `JConfig` class). Code after that point runs on every page of your site; intruders append their loaders there because few people look past the last setting.",
        pattern: r#"(?i)\brequire(?:_once)?\s*\(?\s*ABSPATH\s*\.\s*['"]wp-settings\.php['"]\s*\)?\s*;"#,
    },
    Rule {
        id: "php-password-gate",
        kinds: &[Php],
        severity: Suspicious,
        title: "A password-protected hidden page",
        why: "The code compares a hash of something the visitor sends with a fixed value: the typical lock on an attacker's private control panel.",
        pattern: r#"(?i)\b(?:md5|sha1|crypt|hash\s*\(\s*['"][a-z0-9]+['"]\s*,)\s*\(?\s*{REQ}[^)\n]{0,80}\)\s*[!=]==?\s*['"][0-9a-f]{32,64}['"]"#,
    },
    Rule {
        id: "php-shell-family",
        kinds: &[Php],
        severity: Suspicious,
        title: "Text typical of a known hacking tool",
        why: "The file contains names or markers of well-known web shells (FilesMan, WSO, c99, r57, b374k, Weevely, IndoXploit and others).",
        pattern: r#"(?i)(?:\bFilesMan\b|\bWSO\s*[0-9.]+|wso_version|WSOsetcookie|c99shell|c99sh_|r57shell|\br57\b.{0,40}shell|b374k|IndoXploit|AnonymousFox|Mini\s*Shell|\bweevely\b|uname\s+-a.{0,80}(?:safe_mode|disable_functions)|Sec-?Info.{0,40}Safe\s*mode)"#,
    },
    Rule {
        id: "php-background-program",
        kinds: &[Php],
        severity: Malicious,
        title: "Code that starts a program of its own on your server",
        why: "This code makes a file executable or starts it with nohup so that it keeps running after the page is done: a downloaded bot, miner or proxy. Websites never start their own programs this way.",
        pattern: r#"(?i)\b(?:system|exec|shell_exec|passthru|popen|proc_open)\s*\(\s*['"][^'"\n]{0,300}(?:\bnohup\s|chmod\s+(?:777|\+x|755)\s+[^'"\n]{0,200}(?:\./|/tmp/|&&|;))"#,
    },
    Rule {
        id: "php-uploader-bare",
        kinds: &[Php],
        severity: Malicious,
        title: "A form that plants any file on your site",
        why: "This code saves whatever file a visitor uploads right next to itself, under the name the visitor gave it, with no check at all: anyone can upload a PHP program and run it. No plugin saves uploads this way; intruders drop such a form to add their tools.",
        pattern: r#"(?i)\b(?:move_uploaded_file|copy)\s*\(\s*\$_FILES\s*\[[^\]]{1,40}\]\s*\[\s*['"]tmp_name['"]\s*\]\s*,\s*(?:basename\s*\(\s*)?(?:\$_FILES\s*\[[^\]]{1,40}\]\s*\[\s*['"]name['"]\s*\]|\$_(?:POST|GET|REQUEST)\s*\[)"#,
    },
    Rule {
        id: "php-uploader",
        kinds: &[Php],
        severity: Suspicious,
        title: "A file upload form",
        why: "This file saves an uploaded file under the name the visitor chose. Attackers drop such forms to add more files to a site whenever they like.",
        pattern: r#"(?i)\b(?:move_uploaded_file|copy)\s*\(\s*\$_FILES\s*\[[^\]]{1,40}\]\s*\[\s*['"]tmp_name['"]\s*\]\s*,[^;]{0,120}\$_FILES\s*\[[^\]]{1,40}\]\s*\[\s*['"]name['"]\s*\]"#,
    },
    Rule {
        id: "php-write-request",
        kinds: &[Php],
        severity: Malicious,
        title: "Code that writes files the visitor sends",
        why: "Visitor data is written straight into a file on the server: a way to plant or replace code from outside.",
        pattern: r"(?i)\b(?:file_put_contents|fwrite|fputs)\s*\([^;]{0,80}(?:\.php|\$_(?:GET|POST|REQUEST)\s*\[[^\]]{1,40}\])[^;]{0,80},\s*(?:@\s*)?(?:base64_decode\s*\(\s*)?\$_(?:GET|POST|REQUEST|COOKIE)\b",
    },
    Rule {
        id: "php-credential-logger",
        kinds: &[Php],
        severity: Malicious,
        title: "A password stealer",
        why: "Login names and passwords typed by visitors are written to a file or sent elsewhere.",
        pattern: r#"(?i)(?:file_put_contents|fwrite|fputs|mail)\s*\([^;]{0,200}\$_POST\s*\[\s*['"](?:log|pwd|pass|password|user_pass|passwd)['"]\s*\][^;]{0,200}\$_POST\s*\[\s*['"](?:log|pwd|pass|password|user_pass|passwd|user)['"]"#,
    },
    Rule {
        id: "php-cloaking",
        kinds: &[Php],
        severity: Suspicious,
        title: "Different content for search engines (cloaking)",
        why: "The code checks whether the visitor is Google or another search engine and then fetches or shows something else. Spam hacks use this so that only search engines see the spam.",
        pattern: r#"(?i)(?:HTTP_USER_AGENT[^;\n]{0,150}(?:googlebot|bingbot|slurp|yandex|baiduspider)|(?:googlebot|bingbot|slurp|yandex|baiduspider)[^;\n]{0,150}HTTP_USER_AGENT)[\s\S]{0,400}?(?:file_get_contents\s*\(\s*['"]https?://|curl_init\s*\(|header\s*\(\s*['"]Location:\s*https?://)"#,
    },
    Rule {
        id: "php-remote-payload",
        kinds: &[Php],
        severity: Malicious,
        title: "Code downloaded from elsewhere and run",
        why: "The file downloads code from another website and runs it, so the attacker can change what it does at any time.",
        // `__REMOTE__` is how `php::resolve` writes a value fetched from the network.
        pattern: r#"(?i)(?:\beval\s*\(\s*(?:@\s*)?(?:file_get_contents|curl_exec|stream_get_contents)\s*\(\s*(?:['"]https?://|\$)|\b(?:eval|assert|create_function|include|include_once|require|require_once)\b\s*\(?\s*(?:@\s*)?[^;]{0,120}?__REMOTE__|\b(?:include|include_once|require|require_once)\b\s*\(?\s*['"](?:https?|ftp)://)"#,
    },
    Rule {
        id: "php-in-image",
        kinds: &[Image],
        severity: Malicious,
        title: "PHP code hidden inside an image",
        why: "This looks like an image but contains PHP code. Together with a setting or include that runs it, this is a hidden backdoor.",
        pattern: r"(?i)<\?php[\s\S]{0,4000}?\b(?:eval|assert|system|exec|passthru|shell_exec|base64_decode|gzinflate|\$_(?:GET|POST|REQUEST|COOKIE))",
    },
    Rule {
        id: "php-tag-in-image",
        kinds: &[Image],
        severity: Suspicious,
        title: "PHP code inside an image",
        why: "An image file contains the start of a PHP program. Images never need that.",
        // The tag and then code (a variable or a call, and more readable text): the three
        // bytes `<?=` alone turn up by chance in about one photo in a hundred.
        pattern: r"(?i)<\?(?:php[\s(]|=)\s{0,8}(?:@\s*)?(?:\$[a-z_][a-z0-9_]{0,30}|[a-z_][a-z0-9_]{1,30}\s*\()[\x20-\x7e\t\r\n]{8}",
    },
    // ---------------------------------------------------------------- server configuration
    Rule {
        id: "htaccess-php-handler-for-media",
        kinds: &[Htaccess],
        severity: Malicious,
        title: "Images set up to run as programs",
        why: "This server setting makes image or text files run as PHP, so a backdoor can hide inside a file named like a picture.",
        pattern: r"(?i)(?:(?:AddHandler|AddType)\s+(?:application/x-httpd-php\S*|php\S*-script|x-httpd-php\S*|application/x-httpd-\S*php\S*)[^\n]*\.(?:jpe?g|png|gif|ico|bmp|txt|css|js)\b|<Files(?:Match)?\s[^>]*(?:jpe?g|png|gif|ico|bmp|txt)[^>]*>\s*SetHandler\s+\S*php)",
    },
    Rule {
        id: "htaccess-php-handler",
        kinds: &[Htaccess],
        severity: Suspicious,
        title: "A server setting that makes unusual files run as PHP",
        why: "This setting tells the server to run PHP in files it normally would not. It has legitimate uses, but attackers use it to make their files run.",
        pattern: r"(?i)(?:AddHandler|AddType|SetHandler)\s+\S*(?:x-httpd-php|php\d?-script|application/x-httpd-php)\S*",
    },
    Rule {
        id: "htaccess-php-source-shown",
        kinds: &[Htaccess],
        severity: Malicious,
        title: "PHP files set to show their code instead of running",
        why: "This setting makes the server send PHP files as plain text, so anyone can read the code — and the database passwords in it. Attackers put it in folders full of links to other sites' config files, to read them.",
        pattern: r"(?im)^\s*(?:AddType\s+(?:text/plain|text/html|txt)|AddHandler\s+(?:text/plain|txt|text/html|default-handler))\s+[^\n]*\.(?:php\d?|phtml)\b",
    },
    Rule {
        id: "htaccess-ssi-enabled",
        kinds: &[Htaccess],
        severity: Suspicious,
        title: "Server-side includes switched on for ordinary pages",
        why: "Server-side includes let a page run commands on the server. Switching them on for .html or made-up file types is how some hacking kits run their tools.",
        pattern: r"(?im)^\s*AddHandler\s+server-parsed\s+[^\n]*\.(?:html?|php\d?|txt|[a-z0-9]*[0-9][a-z0-9]*)\b",
    },
    Rule {
        id: "htaccess-php-lockout",
        kinds: &[Htaccess],
        severity: Malicious,
        title: "Every PHP file blocked except a chosen few",
        why: "This setting forbids every PHP program on the site and then lets a short list of named files run: the attacker's own files keep working while you are locked out of the real site and its security tools.",
        pattern: r#"(?is)<FilesMatch\s+["'][^"'>]{0,80}php[^"'>]{0,80}["']\s*>\s*(?:Order\s+[^\n]+\s+)?Deny\s+from\s+all.{0,400}?<FilesMatch\s+["']\^?\(?(?:[^"'|)]{1,60}\.php\|){2,}"#,
    },
    Rule {
        id: "config-auto-prepend",
        kinds: &[Htaccess, UserIni],
        severity: Suspicious,
        title: "A file set to run before every page",
        why: "auto_prepend_file / auto_append_file make PHP run a chosen file before or after every page of the site — a favourite way to load a backdoor everywhere.",
        pattern: r"(?i)\bauto_(?:prepend|append)_file\b\s*=?\s*\S+",
    },
    Rule {
        id: "htaccess-quarantine-marker",
        kinds: &[Htaccess],
        severity: Malicious,
        title: "Server rules written by an intruder to control which PHP files run",
        why: "These rules name `.suspected` (the ending hosts give to files they quarantine as malware) or list every capitalisation of \"php\" so that none slips through: an intruder deciding which programs on your site may run, usually to keep cleaners' tools out and their own backdoor in.",
        pattern: r#"(?s)<FilesMatch\s+["'][^"'>]{0,200}(?:suspected|PhP|pHp|PHp|phP|pHP)[^"'>]{0,200}["']"#,
    },
    Rule {
        id: "htaccess-cgi-enabled",
        kinds: &[Htaccess],
        severity: Suspicious,
        title: "Server rules that make files run as CGI programs",
        why: "These rules turn files with the named ending into programs the server runs (Perl or shell scripts, outside PHP). A WordPress, Joomla, Drupal or TYPO3 site never needs this; intruders add it to run their own tools.",
        pattern: r"(?im)^\s*(?:AddHandler\s+cgi-script|AddType\s+application/x-httpd-cgi|SetHandler\s+cgi-script)\b",
    },
    Rule {
        id: "htaccess-ssi-enabled",
        kinds: &[Htaccess],
        severity: Suspicious,
        title: "Server rules that let pages run server commands (SSI)",
        why: "These rules switch on server-side includes: a page with this ending may carry `<!--#exec cmd=…-->` lines that the server runs as commands. WordPress, Joomla, Drupal and TYPO3 never need it; intruders switch it on where PHP is blocked, to run commands anyway.",
        pattern: r"(?im)^\s*(?:AddHandler\s+server-parsed|AddOutputFilter\s+INCLUDES|Options\s+[^\n]*\+Includes\b)",
    },
    Rule {
        id: "htaccess-open-listing",
        kinds: &[Htaccess],
        severity: Suspicious,
        title: "Server rules that open a folder's listing to everyone",
        why: "These rules list every file of the folder, follow links out of it and waive any password protection (`Satisfy Any`). Intruders set this up next to links to other sites' folders, to read their configuration files and passwords through the web.",
        pattern: r"(?ims)^\s*Options\s+[^\n]*\bIndexes\b[^\n]*\bFollowSymLinks\b.{0,400}?^\s*Satisfy\s+Any\b|^\s*Satisfy\s+Any\b.{0,400}?^\s*Options\s+[^\n]*\bIndexes\b[^\n]*\bFollowSymLinks\b",
    },
    Rule {
        id: "htaccess-waf-off",
        kinds: &[Htaccess],
        severity: Suspicious,
        title: "Server rules that switch off the web firewall",
        why: "These rules turn off ModSecurity, the host's web application firewall, for this folder: attacks against the files here are no longer filtered. Intruders do this so their backdoor's requests get through.",
        pattern: r"(?i)\bSec(?:Filter|Rule)Engine\s+Off\b|\bSecFilterScanPOST\s+Off\b",
    },
    Rule {
        id: "htaccess-scanner-blocked",
        kinds: &[Htaccess],
        severity: Malicious,
        title: "Server rules that hide pages from people who could report them",
        why: "These rules turn away visitors who arrive from Google, PayPal or security services. Phishing kits do this so that the companies they imitate, and the scanners that would flag the page, never see it.",
        pattern: r"(?i)RewriteCond\s+%\{HTTP_REFERER\}[^\n]*(?:google|paypal|phishtank|netcraft|bing|yahoo)[^\n]*\n(?:\s*RewriteCond[^\n]*\n){0,12}\s*RewriteRule\s+\S+\s+-\s+\[[^\]\n]*\bF\b",
    },
    Rule {
        id: "htaccess-doorway-rewrite",
        kinds: &[Htaccess],
        severity: Suspicious,
        title: "Server rules that serve made-up pages from a hidden folder",
        why: "These rules send invented page addresses (product or category pages, a sitemap) to a program in a folder of its own, passing the number or word from the address. Spam doorways work this way: thousands of fake pages for search engines, all made by one script an intruder put on your site.",
        pattern: r"(?im)^\s*RewriteRule\s+\S+\s+(?:[a-z0-9_-]+/)+index\\?\.php\?(?:id|cat|k|key|keyword|q)=\$\d|^\s*RewriteRule\s+\S*sitemap\\?\.xml\S*\s+[a-z0-9_-]+/\$1",
    },
    Rule {
        id: "htaccess-search-redirect",
        kinds: &[Htaccess],
        severity: Malicious,
        title: "Visitors from search engines sent to another site (spam redirect)",
        why: "People who find your site through Google, Bing and others are silently sent to another website, usually spam or scams. Search engines may flag your site for it.",
        pattern: r"(?i)RewriteCond\s+%\{HTTP_(?:REFERER|USER_AGENT)\}[^\n]*(?:google|bing|yahoo|yandex|baidu|aol|ask|msn|facebook)[^\n]*\n(?:\s*RewriteCond[^\n]*\n){0,6}\s*RewriteRule\s+\S+\s+https?://",
    },
    Rule {
        id: "htaccess-error-redirect",
        kinds: &[Htaccess],
        severity: Suspicious,
        title: "Error pages sent to another website",
        why: "Visitors who hit a missing page are sent to another website, a common spam trick.",
        pattern: r"(?i)ErrorDocument\s+[45]\d\d\s+https?://",
    },
    // ---------------------------------------------------------------- JavaScript and HTML
    Rule {
        id: "js-eval-fromcharcode",
        kinds: &[Js, Html, Php],
        severity: Malicious,
        title: "Hidden JavaScript injected into the site",
        why: "Scrambled JavaScript is unpacked and run in your visitors' browsers. Injected scripts like this redirect visitors, show spam or steal what they type.",
        pattern: r"(?i)\beval\s*\(\s*String\.fromCharCode\s*\(|document\.write\s*\(\s*unescape\s*\(\s*['\x22]%3C(?:script|iframe)(?:%20|%09|%0A|\+)",
    },
    Rule {
        id: "js-hidden-url",
        // Not run as a rule of its own (no kinds): `hidden_urls` in the detector looks for
        // this web-address pattern in the script with its disguises undone and keeps the
        // addresses that the script as written does not show.
        kinds: &[],
        severity: Malicious,
        title: "A web address hidden inside a script",
        why: "The script builds a web address from character codes or escapes so that nobody reading it sees where it sends your visitors or loads code from. Legitimate scripts write their addresses plainly.",
        pattern: r"(?i)(?:https?:)?//[a-z0-9][a-z0-9.-]{2,80}\.[a-z]{2,}[^\s'\x22<>]{0,200}",
    },
    Rule {
        id: "js-hidden-skimmer",
        // Not run as a rule of its own (no kinds): `hidden_skimmer` in the detector looks for
        // these card fields in the script with its disguises undone, where the script as
        // written does not name them.
        kinds: &[],
        severity: Malicious,
        title: "A hidden payment-card skimmer",
        why: "Under a layer of scrambling, this script reads payment-card fields (number, expiry, security code) and has a way to send them out. Scripts that handle cards honestly have no reason to hide.",
        pattern: r"(?i)cc_?num|card_?num|cc_?exp|cc_?cid|cc_?cvv|\bcvv2?\b|\bcvc\b|card_?code|credit_?card|payment\[cc_|\bcc_type\b",
    },
    Rule {
        id: "js-cookie-exfiltration",
        kinds: &[Js, Html, Php],
        severity: Malicious,
        title: "A script that sends visitors' data to another website",
        why: "The script sends your visitors' cookies (their logged-in sessions) or form data to another server.",
        pattern: r#"(?i)(?:\.src\s*=\s*['"]https?://[^'"\n]{1,200}['"]\s*\+[^;\n]{0,80}document\.cookie|new\s+Image\s*\(\s*\)\s*\.src\s*=[^;\n]{0,200}(?:document\.cookie|btoa\s*\()|sendBeacon\s*\([^)\n]{0,200}document\.cookie)"#,
    },
    Rule {
        id: "js-card-skimmer",
        kinds: &[Js, Html, Php],
        severity: Malicious,
        title: "A payment-card skimmer",
        why: "The script reads payment-card fields (number, expiry, CVV) and sends them elsewhere. Customers' cards are being stolen.",
        pattern: r#"(?i)(?:cc_?number|card_?number|cardnum|cc-number|cvv|cvc|card_?code)[\s\S]{0,600}(?:btoa|JSON\.stringify)\s*\([\s\S]{0,400}(?:XMLHttpRequest|fetch\s*\(\s*['"]https?://|sendBeacon|new\s+Image)"#,
    },
    Rule {
        id: "js-cryptominer",
        kinds: &[Js, Html],
        severity: Malicious,
        title: "A cryptocurrency miner running in your visitors' browsers",
        why: "This script makes every visitor's computer mine cryptocurrency for someone else while they are on your site: their machines slow down and your site gets blocked as malicious.",
        pattern: r#"\b(?:CoinHive|CRLT|CryptoLoot|deepMiner|CoinImp)\.(?:Anonymous|User|Token)\s*\(|(?i:\b(?:coinhive|coin-hive|authedmine|cryptoloot|coinimp|webminepool)\.(?:com|pro|cc|org)/)"#,
    },
    Rule {
        id: "js-post-to-planted-script",
        kinds: &[Js, Html],
        severity: Malicious,
        title: "A script that sends form data to a program hidden among images",
        why: "This script posts what customers type to a PHP file inside an image or upload folder. Nothing legitimate lives there: the file is the intruder's collector, and the data is payment or login details.",
        pattern: r#"\burl\s*:\s*['"][^'"\n]{0,200}/(?:media|uploads|images|img|skin)/[^'"\n]{0,200}\.php['"][^;]{0,200}(?:POST|post|serialize|data\s*:)"#,
    },
    Rule {
        id: "js-checkout-skimmer",
        // Code-level (`checkout_skimmer` in the detector): this pattern is the checkout
        // test; form fields read and something sent out are checked too.
        kinds: &[],
        severity: Malicious,
        title: "A card skimmer that wakes up on the checkout page",
        why: "This script checks whether the visitor is on a shop's checkout page, then reads what they type into the form (name, address, card number) and sends it to a server. It steals your customers' payment details.",
        pattern: r#"(?i)(?:onepage|onestep|firecheckout|checkout)[^;\n]{0,160}\.test\s*\(\s*(?:window\.|document\.)?location|location[^;\n]{0,80}(?:indexOf|match|search|includes|test)\s*\([^)\n]{0,120}(?:onepage|onestep|firecheckout|checkout)"#,
    },
    Rule {
        id: "js-string-table-loader",
        // Code-level (`string_table_loader` in the detector): this pattern is the table's
        // rotation; `'eval'` and a web address in the file are checked too.
        kinds: &[],
        severity: Malicious,
        title: "A hidden script that downloads code and runs it",
        why: "This script hides its words in a shuffled table (an obfuscator's trick) and among them are `eval` and a web address: it fetches code from that address and runs it in your visitors' browsers. Such injections send visitors to scam pages or steal what they type.",
        pattern: r#"(?:\[\s*['"]push['"]\s*\]|\.push)\s*\(\s*\w+\s*(?:\[\s*['"]shift['"]\s*\]|\.shift)\s*\(\s*\)\s*\)"#,
    },
    Rule {
        id: "js-external-script-loader",
        kinds: &[Js],
        severity: Suspicious,
        title: "A script that loads more code from another website",
        why: "This code adds a script from another website to every page. Hacked sites use it to load malware that can change at any time.",
        pattern: r#"(?i)createElement\s*\(\s*['"]script['"]\s*\)[\s\S]{0,200}\.src\s*=\s*['"](?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}"#,
    },
    Rule {
        id: "html-hidden-iframe",
        kinds: &[Html, Php, Js],
        severity: Malicious,
        title: "An invisible frame loading another website",
        why: "An invisible frame silently loads another website in your visitors' browsers, often to attack their computers.",
        pattern: r#"(?i)<iframe[^>]{0,300}(?:width\s*=\s*['"]?[01]\b[^>]{0,200}height\s*=\s*['"]?[01]\b|height\s*=\s*['"]?[01]\b[^>]{0,200}width\s*=\s*['"]?[01]\b|visibility\s*:\s*hidden|display\s*:\s*none)[^>]{0,300}src\s*=\s*['"]?https?://"#,
    },
    Rule {
        id: "js-packed-eval",
        kinds: &[Js, Html],
        severity: Hint,
        title: "Packed (compressed) JavaScript",
        why: "The script is packed so that it cannot be read directly. Some legitimate libraries do this too.",
        pattern: r"eval\s*\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[dr]\s*\)",
    },
    // ---------------------------------------------------------------- supporting evidence
    Rule {
        id: "long-encoded-blob",
        kinds: &[Php],
        severity: Hint,
        title: "A long block of encoded text",
        why: "The file holds thousands of characters of encoded data, which is how malware carries its real code.",
        pattern: r#"['"][A-Za-z0-9+/=\\]{3000,}['"]"#,
    },
    Rule {
        id: "xor-decoding-loop",
        kinds: &[Php],
        severity: Hint,
        title: "A decoding loop",
        why: "The code unscrambles data with a key, character by character — a typical way to hide a payload.",
        pattern: r"\^\s*\$[A-Za-z_][A-Za-z0-9_]{0,40}\s*\[\s*\$[A-Za-z_][A-Za-z0-9_]{0,40}\s*%\s*strlen",
    },
];
