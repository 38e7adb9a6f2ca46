#!/usr/bin/env bash
# Installs everything Noren needs to build, run and test on Debian/Ubuntu.
# Idempotent: skips what is already there. Uses sudo when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PKGS=(libwebkit2gtk-4.1-dev build-essential curl file libxdo-dev libssl-dev
      libayatana-appindicator3-dev librsvg2-dev pkg-config xvfb xauth dbus-x11 dunst
      webkit2gtk-driver age imagemagick xdotool xclip fonts-noto-cjk keepassxc hugo openssl
      openssh-client dbus faketime python3 syncthing)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  # Debian's packaged cargo is too old for these crates: use rustup's stable.
  echo "==> installing Rust (rustup, stable toolchain)"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component clippy,rustfmt
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "==> apt: installing nodejs and npm"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi

if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "==> cargo: installing tauri-driver (WebDriver bridge for the real-window tests)"
  cargo install tauri-driver --locked --version 2.1.0 --quiet
fi

echo "==> npm: ui dependencies"
# `npm install`, not `npm ci`: npm 11 writes lock files without the optional
# per-platform rollup packages and `npm ci` then refuses them. The lock file's
# versions are still used.
npm --prefix ui install --no-audit --no-fund --loglevel=error
