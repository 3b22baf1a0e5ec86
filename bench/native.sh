#!/usr/bin/env bash
# Native scan speed against the floor `unzip -p | sha256sum`, measured in the same run
# (median of 3, file in the page cache). Usage: bench/native.sh [SIZE_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1700}
zip=bench/out/backup-$size.zip
mkdir -p bench/out
[ -f "$zip" ] || python3 bench/make-backup.py "$zip" "$size"
cargo build --release --quiet --bin site-triage
median() { sort -n | sed -n 2p; }
time_cmd() { local s e; s=$(date +%s.%N); bash -c "$1" >/dev/null || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
cat "$zip" >/dev/null  # page cache
floor=$(for i in 1 2 3; do time_cmd "unzip -p $zip | sha256sum"; done | median)
scan=$(for i in 1 2 3; do time_cmd "target/release/site-triage scan $zip --quiet --format json"; done | median)
rss=$( { /usr/bin/time -f %M target/release/site-triage scan "$zip" --quiet --format json >/dev/null || true; } 2>&1 | tail -1)
printf '%-40s %8s %8s\n' "pipeline ($(du -m "$zip" | cut -f1) MB, $(unzip -l "$zip" | tail -1 | awk '{print $2}') files)" seconds ratio
printf '%-40s %8.2f %8.2f\n' "unzip -p | sha256sum" "$floor" 1
printf '%-40s %8.2f %8.2f\n' "site-triage scan (1 thread)" "$scan" "$(echo "$scan / $floor" | bc -l)"
echo "site-triage peak RSS: $((rss / 1024)) MB"
