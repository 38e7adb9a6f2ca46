#!/usr/bin/env bash
# Sets everything up and runs the whole test suite: format, lints, Rust tests
# (core, CLI, app), front-end build. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/bootstrap.sh

echo "==> ui build"
npm --prefix ui run build

echo "==> cargo fmt --check"
cargo fmt --all -- --check

echo "==> cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "==> cargo test"
cargo test --workspace --all-targets

echo "==> all tests passed in $(( $(date +%s) - start )) s"
