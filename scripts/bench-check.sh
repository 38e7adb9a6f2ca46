#!/usr/bin/env bash
# `noren-cli check` as a user (or cron) runs it: a new process on the full shop
# dataset of issue 10 (10k credentials, 5k customers, 20k inquiries, 200
# channels, 50k posts), against the same command on an empty store with the
# same KDF. The difference is what the data costs beyond starting the process
# and deriving the key. Prints figures; asserts nothing.
#
#   bash scripts/bench-check.sh [RUNS]     (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-15}
cargo build --release -q -p noren-cli
cargo build --release -q -p noren-core --example bench_shop
TARGET=${CARGO_TARGET_DIR:-target}
CLI="$TARGET/release/noren-cli"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
# The benchmark's own store (it prints where it kept it); its passphrase is fixed.
SHOP=$(BENCH_KEEP=1 "$TARGET/release/examples/bench_shop" 10000 --shop 2>&1 >/dev/null | sed -n 's/^kept //p')/store
trap 'rm -rf "$WORK" "$(dirname "$SHOP")"' EXIT
NOREN_PASSPHRASE="benchmark passphrase" "$CLI" --store "$WORK/empty" init >/dev/null
python3 - "$RUNS" "$CLI" "$SHOP" "$WORK/empty" <<'PY'
import os, statistics, subprocess, sys, time
runs, cli, shop, empty = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
env = dict(os.environ, NOREN_PASSPHRASE="benchmark passphrase")
now = "2026-11-20T03:00:00Z"

def once(store):
    t = time.perf_counter()
    r = subprocess.run([cli, "--store", store, "--json", "check", "--now", now], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    dt = (time.perf_counter() - t) * 1000
    if r.returncode not in (0, 10):
        sys.exit(f"check failed ({r.returncode}): {r.stderr}")
    return dt, r.stdout.count('"key"')

once(shop); once(empty)  # warm the page cache
shop_t, empty_t = [], []
for _ in range(runs):  # interleaved: the machine's speed drifts
    dt, items = once(shop); shop_t.append(dt)
    dt, _ = once(empty); empty_t.append(dt)
m = statistics.median
print(f"noren-cli check, new process, median of {runs}:")
print(f"  empty store          {m(empty_t):7.1f} ms (process start + KDF + open)")
print(f"  full shop dataset    {m(shop_t):7.1f} ms, {items} items due")
print(f"  cost of the data     {m(shop_t) - m(empty_t):7.1f} ms (paired runs: min {min(s - e for s, e in zip(shop_t, empty_t)):.1f}, max {max(s - e for s, e in zip(shop_t, empty_t)):.1f})")
PY
