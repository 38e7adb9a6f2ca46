#!/usr/bin/env bash
# Runs the library crates' and CLI tests with the system clock moved (Debian's faketime).
# A test that mixes the machine's clock with fixed instants passes on the day it
# was written and fails on another: here it fails at once.
#
#   bash scripts/test-clocks.sh                      # the clock five years ahead (what CI runs)
#   bash scripts/test-clocks.sh '2029-02-28 14:30:00' '2027-05-03 10:00:00' '+400d'
#
# Each CLOCK is what faketime takes: an absolute start ('YYYY-MM-DD hh:mm:ss',
# UTC, the clock runs on from there) or an offset ('+5y', '+400d'). The test
# binaries are built first with the real clock (rustc under faketime can hang),
# then run directly, so nothing is rebuilt.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- '+5y'
command -v faketime >/dev/null || { echo "error: faketime is needed (bash scripts/bootstrap.sh installs it)" >&2; exit 1; }

# "<package dir>\t<test binary>" for every test target of the library crates and the CLI.
list=$(cargo test --workspace --exclude noren --all-targets --no-run --message-format=json 2>/dev/null | python3 -c '
import json, os, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("profile", {}).get("test") and m.get("executable"):
        print(os.path.dirname(m["manifest_path"]) + "\t" + m["executable"])
')
[ -n "$list" ] || { echo "error: no test binaries were built" >&2; exit 1; }

failed=0
logs="${CARGO_TARGET_DIR:-$PWD/target}/clock-tests"
mkdir -p "$logs"
# ts-rs's export tests write the bindings; not into the checkout from here.
TS_RS_EXPORT_DIR=$(mktemp -d)
export TS_RS_EXPORT_DIR
# Only the wall clock moves. A moved monotonic clock breaks every timed wait:
# std hands the kernel absolute CLOCK_MONOTONIC deadlines computed from the
# faked clock, so a 1 ms timeout would last five years.
export FAKETIME_DONT_FAKE_MONOTONIC=1
# One clock run of one test binary, from its package's folder as cargo runs it.
# -m: the thread-safe libfaketime; the default one is not, and these binaries
# run many threads (a CI run died in it with no test failing).
run_one() { # dir exe log
  (cd "$1" && timeout 900 "${ft[@]}" "$2" -q >"$3" 2>&1)
}
for clock in "$@"; do
  start=$(date +%s)
  echo "==> core and CLI tests with the clock at ${clock}"
  # An offset goes to libfaketime as it is; a date starts the clock there.
  case "$clock" in [+-]*) ft=(faketime -m -f "$clock") ;; *) ft=(faketime -m "$clock") ;; esac
  while IFS=$'\t' read -r dir exe; do
    log="$logs/$(basename "$exe").log"
    # A binary that hangs fails here instead of using up CI's time.
    rc=0; run_one "$dir" "$exe" "$log" || rc=$?
    # Killed by a signal before any test failed: the preload, not a test.
    # Said aloud and run once more; a failing test is never run again.
    if [ "$rc" -gt 128 ] && [ "$rc" -ne 124 ] && ! grep -q "^test result: FAILED" "$log"; then
      echo "    $(basename "$exe") was killed by signal $((rc - 128)) with no test failing; once more:"
      tail -5 "$log" | sed 's/^/      /'
      rc=0; run_one "$dir" "$exe" "$log" || rc=$?
    fi
    if [ "$rc" -ne 0 ]; then
      echo "FAILED with the clock at ${clock}: $(basename "$exe"), exit status $rc (whole output: $log)"
      if grep -q -E "panicked at|^---- " "$log"; then
        grep -E -A2 "panicked at|^---- " "$log" | head -30
      else
        tail -20 "$log"
      fi
      failed=1
    else
      rm -f "$log"
    fi
  done <<<"$list"
  echo "    ($(( $(date +%s) - start )) s)"
done
rm -rf "$TS_RS_EXPORT_DIR"
exit "$failed"
