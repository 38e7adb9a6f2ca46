#!/usr/bin/env bash
# Sets everything up and starts the Noren window on the default store
# (~/.local/share/noren, or $NOREN_STORE).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
# A Rust installed by bootstrap lives in ~/.cargo/bin.
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"
npm --prefix ui run build
cargo build --bin noren
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "no display: starting under xvfb-run (nothing will be visible)" >&2
  exec xvfb-run -a -s "-screen 0 1280x800x24" target/debug/noren "$@"
fi
exec target/debug/noren "$@"
