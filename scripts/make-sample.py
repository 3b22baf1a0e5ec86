#!/usr/bin/env python3
"""Builds sample/sample-hacked-backup.zip: the built-in demo of a hacked WordPress site.

Real data: the WordPress 6.1.9 tree of Debian's `wordpress` package (fetched with
`apt-get download`, cached in target/test-data/). Files that Debian patched are left out
(they would show as changed core files and blur the demo); then the defanged attack files
documented in tests/data/README.md are planted, dated like a break-in on 2024-03-05.

Usage: scripts/make-sample.py [path/to/site-triage]   (the CLI, to find Debian's patches)
"""
import json, os, subprocess, sys, tempfile, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(ROOT, "target", "test-data", "wordpress")
OUT = os.path.join(ROOT, "sample", "sample-hacked-backup.zip")
PREFIX = "backup-2024-03-10/public_html/"
SAMPLES = os.path.join(ROOT, "tests", "data", "sample")


def debian_tree():
    done = os.path.join(CACHE, ".done")
    if not os.path.exists(done):
        dl = tempfile.mkdtemp()
        subprocess.run(["apt-get", "download", "wordpress"], cwd=dl, check=True, stdout=subprocess.DEVNULL)
        deb = next(f for f in os.listdir(dl) if f.endswith(".deb"))
        os.makedirs(CACHE, exist_ok=True)
        subprocess.run(["dpkg-deb", "-x", os.path.join(dl, deb), CACHE], check=True)
        open(done, "w").close()
    return os.path.join(CACHE, "usr", "share", "wordpress")


def regular_files(top):
    for d, _, names in os.walk(top):
        for n in sorted(names):
            p = os.path.join(d, n)
            if os.path.isfile(p) and not os.path.islink(p):
                yield os.path.relpath(p, top), p


def debian_patched(cli, tree):
    """Paths Debian changed, found by scanning the pristine tree with our own CLI."""
    with tempfile.NamedTemporaryFile(suffix=".zip", delete=False) as tmp:
        with zipfile.ZipFile(tmp, "w") as z:
            for rel, p in regular_files(tree):
                z.write(p, "site/" + rel)
    out = subprocess.run([cli, "scan", tmp.name, "--format", "json", "--quiet"], capture_output=True, text=True)
    os.unlink(tmp.name)
    report = json.loads(out.stdout)
    return {f["path"][len("site/"):] for f in report["files"] if f["status"] in ("modified", "whitespace-only")}


def add(z, name, data, when):
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    z.writestr(info, data)


def main():
    cli = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "site-triage")
    tree = debian_tree()
    skip = debian_patched(cli, tree)
    installed = (2023, 11, 2, 9, 14, 0)
    breakin = [(2024, 3, 5, 2, 17, 40), (2024, 3, 5, 2, 18, 3), (2024, 3, 5, 2, 19, 51), (2024, 3, 6, 23, 2, 9)]
    planted = {}
    for name in sorted(os.listdir(SAMPLES)):
        with open(os.path.join(SAMPLES, name), "rb") as f:
            planted[name] = f.read()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    tmp = OUT + ".tmp"
    with zipfile.ZipFile(tmp, "w", compresslevel=6) as z:
        for rel, p in regular_files(tree):
            if rel in skip or rel == "wp-config.php":
                continue
            with open(p, "rb") as f:
                data = f.read()
            if rel == "wp-includes/js/wp-emoji-loader.min.js":
                # a core script with an injected loader appended (see tests/data/README.md)
                add(z, PREFIX + rel, data + planted["injected-script.js"], breakin[1])
            elif rel == "wp-load.php":
                add(z, PREFIX + rel, data + planted["wp-load-append.php"], breakin[1])
            else:
                add(z, PREFIX + rel, data, installed)
        add(z, PREFIX + "wp-config.php", planted["wp-config.php"], installed)
        add(z, PREFIX + ".htaccess", planted["htaccess"], breakin[2])
        add(z, PREFIX + "wp-includes/class-wp-cache-helper.php", planted["backdoor.php"], breakin[0])
        add(z, PREFIX + "wp-login-check.php", planted["login-stealer.php"], breakin[0])
        add(z, PREFIX + "wp-content/uploads/2024/03/cache.php", planted["uploader.php"], breakin[2])
        add(z, PREFIX + "wp-content/uploads/2024/03/logo.png.php", planted["backdoor.php"], breakin[3])
        for i in range(1, 9):
            month = 1 + i % 12
            add(z, PREFIX + "wp-content/uploads/2023/%02d/photo-%d.jpg" % (month, i), b"\xff\xd8\xff\xe0" + os.urandom(6000), (2023, month, 3, 12, 0, 0))
        add(z, PREFIX + "wp-content/themes/harbour/style.css", planted["theme-style.css"], installed)
        add(z, PREFIX + "wp-content/themes/harbour/index.php", b"<?php\n// Silence is golden.\n", installed)
        add(z, "backup-2024-03-10/mysql/wp_sample.sql", planted["database.sql"], (2024, 3, 10, 4, 0, 0))
    os.replace(tmp, OUT)
    print("wrote %s (%d bytes; %d Debian-patched files left out)" % (OUT, os.path.getsize(OUT), len(skip)))


if __name__ == "__main__":
    main()
