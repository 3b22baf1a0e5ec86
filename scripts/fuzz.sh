#!/usr/bin/env bash
# Runs every cargo-fuzz target on its seed corpus (fuzz/seed.sh, from tests/data) for
# FUZZ_SECONDS each (default 20: the test command's brief run; use 3600 for a real session).
# A crash fails the run; libFuzzer writes the input to fuzz/artifacts/<target>/, which
# becomes a regression test (tests/engine/<area>.rs, named after the bug).
# Needs the nightly toolchain (cargo fuzz uses sanitizers); without it, says so and stops.
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
seconds=${FUZZ_SECONDS:-20}
if ! rustup toolchain list | grep -q '^nightly'; then
  say "Fuzzing skipped: no nightly toolchain on this machine (rustup toolchain list)"
  exit 0
fi
cargo_tool cargo-fuzz 0.13.2 cargo-fuzz --locked
./fuzz/seed.sh >/dev/null
cd fuzz
for target in archive decode rules sqldump secrets; do
  say "Fuzzing $target for ${seconds}s"
  log="$ROOT/target/fuzz-$target.log"
  if ! cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    tail -60 "$log"
    echo "fuzz target $target failed: the input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  grep -E '^stat::number_of_executed_units|^Done' "$log" || true
done
