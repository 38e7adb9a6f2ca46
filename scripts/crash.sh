#!/usr/bin/env bash
# Crash consistency: kill a writer with SIGKILL at random moments, reopen the
# store, check every write that was reported complete is there and readable.
# Also copies the store directory while a writer runs ("power loss") and opens
# the copy. Not part of CI (it takes a few minutes). Usage: scripts/crash.sh [KILLS]
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-200}"
cargo build -q --release -p noren-core --example crash_writer
bin="${CARGO_TARGET_DIR:-target}/release/examples/crash_writer"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
store="$work/store"
checked_total=0
for i in $(seq 1 "$kills"); do
  "$bin" write "$store" >>"$work/log" 2>/dev/null &
  pid=$!
  # Random moment between 20 and 400 ms: during store creation, open, or writes.
  sleep "0.$(printf '%03d' $(( (RANDOM % 380) + 20 )))"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # Every kill is followed by a reopen (the next writer's, or this check); the full
  # check of every reported write runs every 25 kills and at the end.
  if (( i % 25 == 0 )); then
    if ! out=$("$bin" check "$store" "$work/log"); then
      echo "FAILURE after kill $i: $out"
      exit 1
    fi
    checked_total=$(echo "$out" | awk '{print $2}')
  fi
  if (( i % 4 == 0 )); then
    # Power-loss style: copy the directory while a writer is running, open the copy.
    "$bin" write "$store" >>"$work/log" 2>/dev/null &
    pid=$!
    sleep 0.1
    rm -rf "$work/copy"; cp -r "$store" "$work/copy" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$work/copy/noren.lock"
    if ! copy=$("$bin" check "$work/copy" /dev/null 2>"$work/copy-err"); then
      grep -m3 -E "panicked|Error|error" "$work/copy-err" || true
      echo "FAILURE: a copy taken mid-write does not open: $copy"
      exit 1
    fi
  fi
done
echo "kills: $kills, power-loss copies opened: $((kills / 4)), writes reported and checked at the end: $checked_total, failures: 0"
"$bin" check "$store" "$work/log"
