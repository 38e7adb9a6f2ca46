#!/usr/bin/env bash
# Real-window end-to-end tests: Xvfb + tauri-driver + WebKitWebDriver, with a
# private HOME so the developer's real store is never touched.
# Screenshots go to $NOREN_SCREENSHOTS (default: inside the private HOME).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tauri-driver >/dev/null || { echo "tauri-driver missing: run scripts/bootstrap.sh" >&2; exit 1; }
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
[ -x "$target_dir/debug/noren" ] || { echo "build first: npm --prefix ui run build && cargo build --bin noren" >&2; exit 1; }

export NOREN_APP="$target_dir/debug/noren"
if [ -n "${NOREN_SCREENSHOTS:-}" ]; then export NOREN_SCREENSHOTS="$(realpath -m "$NOREN_SCREENSHOTS")"; fi
home=$(mktemp -d)
# WebKit may start xdg-document-portal, which FUSE-mounts ~/.cache/doc in the
# private HOME: unmount it before removing the HOME, and never let cleanup
# change the tests' exit status.
cleanup() {
  local status=$?
  fusermount -uz "$home/.cache/doc" 2>/dev/null || umount -l "$home/.cache/doc" 2>/dev/null || true
  rm -rf "$home" 2>/dev/null || true
  exit $status
}
trap cleanup EXIT
export HOME="$home"
# Stand-ins a test puts in ~/bin (e.g. xdg-open) come before the machine's.
export PATH="$home/bin:$PATH"
# Temp files too stay in the private HOME, where the secret-hygiene check looks.
export TMPDIR="$home/tmp"
mkdir -p "$TMPDIR"
unset XDG_DATA_HOME XDG_CONFIG_HOME NOREN_STORE
# The reminder timer is written into the private HOME but never enabled in this machine's systemd.
export NOREN_TIMER_NO_SYSTEMCTL=1

xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  tauri-driver --port 4444 >"$HOME/tauri-driver.log" 2>&1 &
  driver=$!
  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.2; done
  status=0
  node --test --test-concurrency=1 ${NOREN_E2E_ONLY:-tests/e2e/} || status=$?
  kill $driver 2>/dev/null || true
  if [ $status -ne 0 ]; then echo "--- tauri-driver log"; tail -n 40 "$HOME/tauri-driver.log"; fi
  exit $status
'
