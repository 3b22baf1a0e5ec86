# Shared set-up for scripts/dev.sh and scripts/test.sh: installs what is missing, skips what
# is there. Sourced, not run. Everything comes from the package registries (crates.io, npm,
# Debian apt); nothing is downloaded from GitHub or elsewhere.
#
# Cargo-installed tools go to target/tools/bin inside the checkout, so a CI cache of the
# target directory keeps them; a tool of the right version already on PATH is used as is.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/target/tools"
export PATH="$TOOLS/bin:$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

TRUNK_VERSION=0.21.14
WASM_PACK_VERSION=0.15.1
GECKODRIVER_VERSION=0.37.1

say() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# The exact wasm-bindgen version Cargo.lock pins (the CLI must match it).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# cargo_tool NAME VERSION CRATE [extra cargo install args...]
cargo_tool() {
  local name=$1 version=$2 crate=$3
  shift 3
  if "$name" --version 2>/dev/null | grep -q "$version"; then return; fi
  say "Installing $crate $version (once; kept in target/tools)"
  cargo install --root "$TOOLS" "$crate" --version "$version" "$@"
}

ensure_trunk() { cargo_tool trunk "$TRUNK_VERSION" trunk --locked --no-default-features; }

# Without --locked: its published lockfile wants a crate version the registry here lacks.
ensure_wasm_bindgen() { cargo_tool wasm-bindgen "$(wasm_bindgen_version)" wasm-bindgen-cli; }

ensure_wasm_pack() { cargo_tool wasm-pack "$WASM_PACK_VERSION" wasm-pack --locked; }

# wasm-opt (binaryen 132: older ones cannot parse current wasm-bindgen output), playwright-core, axe-core.
ensure_npm() {
  if [ ! -x "$ROOT/node_modules/.bin/wasm-opt" ] || [ ! -d "$ROOT/node_modules/playwright-core" ] || [ ! -d "$ROOT/node_modules/axe-core" ]; then
    say "Installing npm tools (wasm-opt, playwright-core, axe-core)"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
  fi
}

# The sample and the tests fetch real CMS trees with `apt-get download`, which needs package lists.
ensure_apt_lists() {
  if ! apt-cache show wordpress >/dev/null 2>&1; then
    say "Updating Debian package lists"
    as_root apt-get update -qq
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "Installing Chromium and ChromeDriver from Debian"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

# Firefox and WebKit for the end-to-end run in every engine (tests/e2e/engines.mjs): Debian's
# firefox-esr, WebKitGTK's WebDriver (run under xvfb-run: WebKitGTK needs a display), and
# geckodriver from crates.io (the W3C WebDriver server for Firefox).
ensure_browsers() {
  if ! command -v firefox-esr >/dev/null || ! command -v WebKitWebDriver >/dev/null || ! command -v xvfb-run >/dev/null; then
    say "Installing Firefox ESR, WebKitGTK's WebDriver and Xvfb from Debian"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr webkit2gtk-driver xvfb xauth >/dev/null
  fi
}

ensure_geckodriver() { cargo_tool geckodriver "$GECKODRIVER_VERSION" geckodriver --locked; }

# The built-in sample backup (generated from Debian's wordpress package + tests/data/sample).
ensure_sample() {
  local zip="$ROOT/sample/sample-hacked-backup.zip"
  if [ -f "$zip" ] && [ -z "$(find "$ROOT/tests/data/sample" "$ROOT/scripts/make-sample.py" -newer "$zip" 2>/dev/null)" ]; then
    return
  fi
  say "Building the sample hacked backup"
  (cd "$ROOT" && cargo build --release --quiet --bin site-triage && python3 scripts/make-sample.py target/release/site-triage)
}
