#!/usr/bin/env bash
# Desktop app figures (printed, not asserted): release binary size, cold start
# to the unlock screen painted, idle memory with N credentials unlocked.
# Needs a release build: npx --prefix ui tauri build (or cargo build --release --bin noren).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000}"
bin="${CARGO_TARGET_DIR:-$PWD/target}/release/noren"
[ -x "$bin" ] || { echo "no release build at $bin" >&2; exit 1; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "release binary: $(du -h "$bin" | cut -f1) ($(stat -c %s "$bin") bytes)"
ls target/release/bundle/deb/*.deb >/dev/null 2>&1 && echo "deb: $(du -h target/release/bundle/deb/*.deb | cut -f1)"

# Build the store generator before HOME changes (rustup finds its toolchain via HOME).
cargo build --release -q -p noren-core --example make_store
make_store="${CARGO_TARGET_DIR:-$PWD/target}/release/examples/make_store"
home=$(mktemp -d)
trap 'fusermount -uz "$home/.cache/doc" 2>/dev/null || umount -l "$home/.cache/doc" 2>/dev/null || true; rm -rf "$home" 2>/dev/null || true' EXIT
export HOME="$home"; unset XDG_DATA_HOME XDG_CONFIG_HOME NOREN_STORE
export NOREN_PASSPHRASE="bench passphrase $$" BENCH_PASS="bench passphrase $$"
"$make_store" "$HOME/.local/share/noren" "$N"

export NOREN_APP="$bin"
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  times=()
  for i in 1 2 3 4 5 6; do
    start=$(date +%s%3N)
    NOREN_STARTUP_PROBE=1 "$NOREN_APP" 2>"$HOME/probe.log" &
    pid=$!
    for _ in $(seq 1 300); do grep -q "ui ready" "$HOME/probe.log" 2>/dev/null && break; sleep 0.05; done
    ready=$(grep -o "ui ready at [0-9]*" "$HOME/probe.log" | grep -o "[0-9]*$" || echo "")
    kill $pid; wait $pid 2>/dev/null || true
    [ -n "$ready" ] && [ $i -gt 1 ] && times+=($((ready - start)))
  done
  sorted=$(printf "%s\n" "${times[@]}" | sort -n | tr "\n" " ")
  echo "cold start to unlock screen painted (5 runs after a warm-up, ms): $sorted"
  tauri-driver --port 4444 >/dev/null 2>&1 &
  drv=$!
  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.2; done
  echo "idle memory with '"$N"' credentials unlocked, list shown:"
  node tests/e2e/bench-app.mjs
  kill $drv
'
