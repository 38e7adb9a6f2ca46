#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each). Not part of
# the CI test run. Needs cargo-fuzz (`cargo install cargo-fuzz --locked`);
# works on stable Rust through RUSTC_BOOTSTRAP. Corpora live in
# src-tauri/fuzz/corpus/<target> (small, committed); crashes in .../artifacts.
set -euo pipefail
cd "$(dirname "$0")/../src-tauri"
secs="${1:-60}"
export RUSTC_BOOTSTRAP=1
for t in backup_document backup_age sealed_record feed_parse customer_csv import_csv import_bitwarden kit_share text_parsers search_index reminder_facts kdbx; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/work-$t"
  echo "==> $t for ${secs}s"
  # New inputs go to the scratch folder (ignored by git); the committed seeds stay small.
  cargo fuzz run --fuzz-dir fuzz "$t" "fuzz/artifacts/work-$t" "fuzz/corpus/$t" -- -max_total_time="$secs" -max_len=65536 2>&1 | grep -E "^#[0-9]+.*(DONE|pulse)|ERROR|panicked|SUMMARY|Done" | tail -3
done
