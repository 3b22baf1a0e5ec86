#!/usr/bin/env bash
# Command 2 of the README: install what is missing, then run every check and test.
#   formatting and lints (native and wasm32) · the shape of the code (scripts/arch-check.py) · native engine + CLI tests · browser tests in
#   headless Chromium and Firefox (wasm-pack: page components, and the engine/Blob reader in a
#   worker) ·
#   release build of the static site · end-to-end run of dist/ in headless Chromium (phone
#   size and keyboard too), then in Chromium, Firefox and WebKit over WebDriver, offline ·
#   each cargo-fuzz target briefly on its corpus (scripts/fuzz.sh).
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
ensure_wasm_target
ensure_trunk
ensure_wasm_bindgen
ensure_wasm_pack
ensure_npm
ensure_chromium
ensure_browsers
ensure_geckodriver
ensure_apt_lists

say "Formatting and lints"
cargo fmt --check
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --all-targets --target wasm32-unknown-unknown -- -D warnings
python3 scripts/arch-check.py --quiet

say "Native tests (engine, CLI, real Debian CMS trees)"
cargo test --quiet

say "Browser tests (wasm-bindgen-test in headless Chromium)"
wasm-pack test --headless --chrome --chromedriver "$(command -v chromedriver)" --mode no-install . \
  --test browser_page --test browser_worker
say "The same browser tests in headless Firefox (geckodriver)"
wasm-pack test --headless --firefox --geckodriver "$(command -v geckodriver)" --mode no-install . \
  --test browser_page --test browser_worker

say "Release build of the static site"
ensure_sample
trunk build --release

say "End-to-end in headless Chromium"
python3 tests/e2e/fixtures.py >/dev/null
node tests/e2e/run.mjs

say "End-to-end in every engine: Chromium, Firefox, WebKit (offline after the first load)"
for engine in chromium firefox webkit; do
  node tests/e2e/engines.mjs "$engine"
done

say "Fuzzing every target briefly on its corpus"
./scripts/fuzz.sh

say "All tests passed"
