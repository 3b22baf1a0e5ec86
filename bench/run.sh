#!/usr/bin/env bash
# The benchmark: native CLI and the browser app (headless Chromium, real drop flow) against
# the native floor `unzip -p | sha256sum` (`tar xzOf | sha256sum` for tar.gz), all measured
# in the same run, medians of RUNS, files in the page cache. Prints one table.
#
# Usage: bench/run.sh [RUNS] [ARCHIVE-SPEC...]
#   ARCHIVE-SPEC is SIZE_MB.zip or SIZE_MB.tar.gz (generated once into bench/out by
#   bench/make-backup.py); default: 1700.zip 1700.tar.gz
# Benchmarks are not tests: nothing here fails on a time.
set -euo pipefail
source "$(dirname "$0")/../scripts/setup.sh"
cd "$ROOT"
runs=${1:-3}
shift || true
specs=("$@")
[ ${#specs[@]} -gt 0 ] || specs=(1700.zip 1700.tar.gz)

ensure_wasm_target
ensure_trunk
ensure_wasm_bindgen
ensure_npm
ensure_chromium
cargo build --release --quiet --bin site-triage
[ -d target/test-data/wordpress ] || cargo test --quiet --test engine -- debian >/dev/null
[ -f dist/index.html ] || { ensure_sample; trunk build --release; }
mkdir -p bench/out

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { local s e; s=$(date +%s.%N); bash -c "$1" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }

rows=()
for spec in "${specs[@]}"; do
  size=${spec%%.*}
  ext=${spec#*.}
  archive=bench/out/backup-$size.$ext
  [ -f "$archive" ] || python3 bench/make-backup.py "$archive" "$size" >&2
  cat "$archive" >/dev/null # page cache
  if [ "$ext" = zip ]; then
    floor_cmd="unzip -p $archive | sha256sum"
    files=$(unzip -l "$archive" | tail -1 | awk '{print $2}')
  else
    floor_cmd="tar xzOf $archive | sha256sum"
    files=$(tar tzf "$archive" | wc -l)
  fi
  floor=$(for _ in $(seq "$runs"); do seconds "$floor_cmd"; done | median)
  native=$(for _ in $(seq "$runs"); do seconds "target/release/site-triage scan $archive --quiet --format json"; done | median)
  native1=$(for _ in $(seq "$runs"); do seconds "target/release/site-triage scan $archive --quiet --format json --threads 1"; done | median)
  rss=$( { /usr/bin/time -f %M target/release/site-triage scan "$archive" --quiet --format json >/dev/null || true; } 2>&1 | tail -1)
  json=$(node bench/browser.mjs "$runs" "$archive")
  browser=$(echo "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["median_seconds"])')
  brss=$(echo "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["peak_rss_mb"])')
  banon=$(echo "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["peak_anon_mb"])')
  gap=$(echo "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["max_tick_gap_ms"])')
  ups=$(echo "$json" | python3 -c 'import json,sys; print(min(json.load(sys.stdin)["progress_updates_per_s"]))')
  echo "$json" >> bench/out/browser-results.jsonl
  label="$(($(stat -c %s "$archive") >> 20)) MB $ext, $files entries"
  rows+=("$(printf '%-34s | %-26s | %7.2f | %5s\n' "$label" "floor: $floor_cmd" "$floor" 1)")
  rows+=("$(printf '%-34s | %-26s | %7.2f | %5.2f\n' "" "site-triage CLI, 1 thread" "$native1" "$(echo "$native1 / $floor" | bc -l)")")
  rows+=("$(printf '%-34s | %-26s | %7.2f | %5.2f | peak RSS %d MB\n' "" "site-triage CLI, default" "$native" "$(echo "$native / $floor" | bc -l)" "$((rss / 1024))")")
  rows+=("$(printf '%-34s | %-26s | %7.2f | %5.2f | renderer peak RSS %d MB (private %d MB); max main-thread gap %d ms; progress %s/s\n' "" "browser (headless Chromium)" "$browser" "$(echo "$browser / $floor" | bc -l)" "$brss" "$banon" "$gap" "$ups")")
done

echo
echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB; medians of $runs runs"
printf '%-34s | %-26s | %7s | %5s\n' "archive" "pipeline" "seconds" "ratio"
printf '%s\n' "${rows[@]}"
