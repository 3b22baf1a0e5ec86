#!/usr/bin/env bash
# Command 1 of the README: install what is missing, build the app, serve it at
# http://127.0.0.1:8080 (rebuilds on change). Ctrl-C stops it.
source "$(dirname "$0")/setup.sh"
ensure_wasm_target
ensure_trunk
ensure_wasm_bindgen
ensure_npm
ensure_apt_lists
ensure_sample
cd "$ROOT"
say "Serving Site Triage at http://127.0.0.1:8080/ (the sample backup is on the start screen)"
# No auto-reload: its inline script would be blocked by the page's Content-Security-Policy.
exec trunk serve --release --no-autoreload --address 127.0.0.1 --port "${PORT:-8080}"
