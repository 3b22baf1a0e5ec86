#!/usr/bin/env python3
"""Trunk post-build hook (Trunk.toml): writes dist's `sw.js` from web/service-worker.js.

It fills in `BUILD`: the version (a hash over every file name and content of the build, so a
new deployment is a new sw.js and the browser installs it), the shell to cache at install
(everything but the manifests and the sample, the page as './'), and the manifests to cache
in the background. Run by Trunk with TRUNK_STAGING_DIR set; no arguments.
"""
import hashlib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATE = os.path.join(ROOT, "web", "service-worker.js")
MARK = re.compile(r"/\* BUILD \*/.*?/\* /BUILD \*/", re.S)


def main():
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging or not os.path.isdir(staging):
        sys.exit("service-worker.py: run by Trunk (TRUNK_STAGING_DIR is not set)")
    files = []
    for folder, _, names in os.walk(staging):
        for name in names:
            rel = os.path.relpath(os.path.join(folder, name), staging).replace(os.sep, "/")
            if rel != "sw.js":
                files.append(rel)
    files.sort()
    digest = hashlib.sha256()
    for rel in files:
        digest.update(rel.encode() + b"\0")
        with open(os.path.join(staging, rel), "rb") as f:
            digest.update(hashlib.sha256(f.read()).digest())
    shell = ["./"] + [f for f in files if f != "index.html" and not f.startswith(("manifests/", "sample/"))]
    background = [f for f in files if f.startswith("manifests/")]
    build = {"version": digest.hexdigest()[:16], "shell": shell, "background": background}
    with open(TEMPLATE, encoding="utf-8") as f:
        text = f.read()
    if not MARK.search(text):
        sys.exit("service-worker.py: no /* BUILD */ … /* /BUILD */ in web/service-worker.js")
    text = MARK.sub(lambda _: json.dumps(build), text, count=1)
    with open(os.path.join(staging, "sw.js"), "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
