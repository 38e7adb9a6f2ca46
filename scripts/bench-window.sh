#!/usr/bin/env bash
# The window's weight beside a Tauri hello-world (issue 22): cold start and idle
# memory of both, measured alike and interleaved in one run, plus what the owner
# waits for (unlock, search, screen switches). Prints figures; not part of CI.
#   bash scripts/bench-window.sh            # RUNS=7 cold starts each
# Builds both in release (same workspace, so the same Tauri and WebKit), makes
# stores of 1,000 and 10,000 logins, runs under Xvfb 1280×800.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"
target="${CARGO_TARGET_DIR:-$PWD/target}/release"
npm --prefix ui run build >/dev/null
cargo build --release -q -p noren -p noren-hello
cargo build --release -q -p noren-core --example make_store
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), WebKitGTK $(pkg-config --modversion webkit2gtk-4.1 2>/dev/null || echo '?')"
echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with uncommitted changes)')"
echo "release binaries: noren $(stat -c %s "$target/noren") bytes, hello-world $(stat -c %s "$target/noren-hello") bytes"

home=$(mktemp -d)
trap 'fusermount -uz "$home/.cache/doc" 2>/dev/null || umount -l "$home/.cache/doc" 2>/dev/null || true; rm -rf "$home" 2>/dev/null || true' EXIT
export HOME="$home"; unset XDG_DATA_HOME XDG_CONFIG_HOME NOREN_STORE
export NOREN_PASSPHRASE="bench passphrase $$" BENCH_PASS="bench passphrase $$"
export STORE_1K="$home/store-1k" STORE_10K="$home/store-10k"
"$target/examples/make_store" "$STORE_1K" 1000 >/dev/null
"$target/examples/make_store" "$STORE_10K" 10000 >/dev/null
unset NOREN_PASSPHRASE
export NOREN_APP="$target/noren" HELLO_APP="$target/noren-hello" RUNS="${RUNS:-7}"
xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/bench-window.mjs
