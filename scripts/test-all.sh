#!/usr/bin/env bash
# Sets everything up and runs the whole test suite: format, lints, Rust tests
# (core, CLI, app), front-end checks and unit tests, real-window E2E. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/bootstrap.sh
# A Rust installed by bootstrap lives in ~/.cargo/bin.
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"
# A one-shot build gains nothing from the incremental cache, which costs gigabytes of disk.
[ "${CI:-}" = "true" ] && export CARGO_INCREMENTAL=0

echo "==> ui: type check, unit tests, build"
npm --prefix ui run check
npm --prefix ui test
npm --prefix ui run build

echo "==> the rules between the layers (crate edges, module cycles, env and clock, UI offsets)"
python3 scripts/check-layers.py

echo "==> cargo fmt --check"
cargo fmt --all -- --check

echo "==> cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "==> cargo test (also regenerates ui/src/bindings)"
cargo test --workspace --all-targets

echo "==> library and CLI tests again with the clock five years ahead (faketime; no rebuild)"
bash scripts/test-clocks.sh '+5y'

echo "==> one store on two laptops through two real Syncthing instances"
bash scripts/test-syncthing.sh

echo "==> generated TypeScript bindings are up to date"
if [ -n "$(git status --porcelain -- ui/src/bindings 2>/dev/null)" ]; then
  git status --short -- ui/src/bindings
  echo "error: ui/src/bindings is stale: run cargo test and commit the result" >&2
  exit 1
fi

echo "==> end-to-end tests in the real window (Xvfb + tauri-driver)"
cargo build --bin noren
bash scripts/e2e.sh

target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
echo "==> target dir uses $(du -sh "$target_dir" | cut -f1)"
echo "==> all tests passed in $(( $(date +%s) - start )) s"
