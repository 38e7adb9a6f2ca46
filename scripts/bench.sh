#!/usr/bin/env bash
# Prints benchmark figures (nothing is asserted). Release builds of the core.
#   bash scripts/bench.sh            store at 1k/10k/100k credentials + the full shop dataset
#   bash scripts/bench-keepassxc.sh  side by side with KeePassXC (needs keepassxc-cli)
#   bash scripts/bench-check.sh      `noren-cli check` as a new process on the shop dataset
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
cargo build --release -q -p noren-core --example bench_shop
T=${CARGO_TARGET_DIR:-target}/release/examples/bench_shop
for n in 1000 10000 100000; do
  "$T" "$n"
done
"$T" 10000 --shop
