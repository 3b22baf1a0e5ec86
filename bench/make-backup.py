#!/usr/bin/env python3
"""Writes a realistic large site backup, deterministically (same bytes every run).

A real WordPress core tree (Debian's 6.1.9, deflated, as sites are), then media: JPEG-like
incompressible files of realistic sizes stored uncompressed (what backup tools do with media),
with thumbnails, plus logs and a SQL dump (deflated). ~90 % of the bytes are stored media, like
the 1.7 GB backup measured in PERFORMANCE-NOTES.md.

Usage: bench/make-backup.py OUT.zip SIZE_MB
"""
import os, random, sys, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WP = os.path.join(ROOT, "target", "test-data", "wordpress", "usr", "share", "wordpress")


def main():
    out, size_mb = sys.argv[1], int(sys.argv[2])
    rng = random.Random(20261121)
    pool = rng.randbytes(8 << 20)  # media bytes are slices of one random pool
    target = size_mb << 20
    written = 0
    with zipfile.ZipFile(out + ".tmp", "w", allowZip64=True) as z:
        for d, _, names in os.walk(WP):
            for n in sorted(names):
                p = os.path.join(d, n)
                if os.path.isfile(p) and not os.path.islink(p):
                    z.write(p, "public_html/" + os.path.relpath(p, WP), zipfile.ZIP_DEFLATED)
                    written += os.path.getsize(p) // 4
        sql = "".join("INSERT INTO wp_posts VALUES (%d,'post %d','%s');\n" % (i, i, "lorem ipsum " * rng.randint(5, 80)) for i in range(60000))
        z.writestr(zipfile.ZipInfo("mysql/site.sql", (2024, 3, 1, 0, 0, 0)), sql, zipfile.ZIP_DEFLATED)
        i = 0
        while written < target:
            year, month = 2015 + i % 10, 1 + i % 12
            size = int(rng.lognormvariate(11.3, 0.9))  # median ~80 KB, long tail
            size = max(20_000, min(size, 6 << 20))
            off = rng.randrange(0, len(pool) - size) if size < len(pool) else 0
            data = (b"\xff\xd8\xff\xe0" + pool[off:off + size])[:size]
            base = "public_html/wp-content/uploads/%d/%02d/img-%06d" % (year, month, i)
            z.writestr(zipfile.ZipInfo(base + ".jpg", (year, month, 1, 12, 0, 0)), data, zipfile.ZIP_STORED)
            thumb = data[: max(4000, size // 20)]
            z.writestr(zipfile.ZipInfo(base + "-150x150.jpg", (year, month, 1, 12, 0, 0)), thumb, zipfile.ZIP_STORED)
            written += size + len(thumb)
            i += 1
    os.replace(out + ".tmp", out)
    print("%s: %d MB, %d media files" % (out, os.path.getsize(out) >> 20, 2 * i))


if __name__ == "__main__":
    main()
