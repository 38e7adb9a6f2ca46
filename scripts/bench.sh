#!/usr/bin/env bash
# Prints benchmark figures (nothing is asserted). Release build of the core only.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for n in 1000 10000; do
  echo "== store with $n credentials"
  cargo run --release -q -p noren-core --example bench_store -- "$n"
done
