#!/usr/bin/env bash
# Side by side with KeePassXC on the same data: one search, as a new process,
# in a database of N entries and in a database of 1 entry (the difference is
# each tool's overhead beyond its key derivation). Prints a table; asserts
# nothing. Needs keepassxc-cli (apt install keepassxc) and python3.
#
#   bash scripts/bench-keepassxc.sh [N] [RUNS]     (defaults: 10000, 7)
#
# Same data: the KDBX files are made by `keepassxc-cli import` from generated
# KeePass XML (Japanese titles, notes with newlines, ten groups); Noren's
# stores are made by importing those very KDBX files with `noren-cli import
# keepass`. Comparable KDF cost: KeePassXC's import calibrates its KDF to
# NOREN_KDF_MS (default: Noren's Argon2id time measured here), so both spend
# about the same time deriving the key.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
RUNS=${2:-7}
command -v keepassxc-cli >/dev/null || { echo "keepassxc-cli not found (apt install keepassxc)" >&2; exit 1; }
cargo build --release -q -p noren-cli
cargo build --release -q -p noren-core --example bench_kdf
TARGET=${CARGO_TARGET_DIR:-target}
CLI="$TARGET/release/noren-cli"
KDF_MS=${NOREN_KDF_MS:-$("$TARGET/release/examples/bench_kdf")}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 - "$N" "$RUNS" "$KDF_MS" "$CLI" "$WORK" <<'PY'
import base64, os, statistics, subprocess, sys, time
n, runs, kdf_ms, cli, work = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
PW = "bench-passphrase-2026"

def xml(count):
    uid = lambda i: base64.b64encode((i + 1).to_bytes(16, "little")).decode()
    out = ['<?xml version="1.0" encoding="utf-8"?><KeePassFile><Meta><DatabaseName>bench</DatabaseName></Meta><Root><Group>',
           f"<UUID>{uid(10**9)}</UUID><Name>Root</Name>"]
    groups = 10 if count >= 10 else 1
    for g in range(groups):
        out.append(f"<Group><UUID>{uid(10**8 + g)}</UUID><Name>グループ{g}</Name>")
        for i in range(g * count // groups, (g + 1) * count // groups):
            out.append(
                f"<Entry><UUID>{uid(i)}</UUID>"
                f"<String><Key>Title</Key><Value>さくら整骨院 サービス {i}</Value></String>"
                f"<String><Key>UserName</Key><Value>user{i}@example.jp</Value></String>"
                f'<String><Key>Password</Key><Value ProtectInMemory="True">pw-{i}-秘密-0123456789</Value></String>'
                f"<String><Key>URL</Key><Value>https://s{i}.example.jp/login</Value></String>"
                f"<String><Key>Notes</Key><Value>メモ {i}\n担当は受付、更新は毎年{i % 12 + 1}月</Value></String></Entry>")
        out.append("</Group>")
    out.append("</Group></Root></KeePassFile>")
    return "".join(out)

def run(cmd, stdin=None, env=None):
    return subprocess.run(cmd, input=stdin, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

def timed(cmd, stdin=None, env=None, expect=None):
    times = []
    for k in range(runs + 1):  # the first run warms the page cache and is dropped
        t = time.perf_counter()
        r = run(cmd, stdin, env)
        dt = (time.perf_counter() - t) * 1000
        if r.returncode != 0 or (expect and expect not in r.stdout):
            sys.exit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()[:300]}")
        if k:
            times.append(dt)
    return statistics.median(times), min(times), max(times)

rows = {}
for count in (1, n):
    x = os.path.join(work, f"in{count}.xml")
    k = os.path.join(work, f"db{count}.kdbx")
    s = os.path.join(work, f"store{count}")
    with open(x, "w") as f:
        f.write(xml(count))
    r = run(["keepassxc-cli", "import", "-p", "-t", str(kdf_ms), x, k], stdin=f"{PW}\n{PW}\n")
    if r.returncode:
        sys.exit("keepassxc-cli import failed: " + r.stderr)
    env = dict(os.environ, NOREN_PASSPHRASE=PW, NOREN_IMPORT_PASSPHRASE=PW, NOREN_NEW_PASSPHRASE=PW)
    for cmd in (["init"], ["import", "keepass", k]):
        r = run([cli, "--store", s] + cmd, env=env)
        if r.returncode:
            sys.exit(f"noren-cli {cmd[0]} failed: {r.stderr}")
    term = "s0." if count == 1 else "s1234."
    want = "サービス 0" if count == 1 else "サービス 1234"
    rows[count] = {
        "keepassxc": timed(["keepassxc-cli", "search", k, term], stdin=PW + "\n", expect=want),
        "noren": timed([cli, "--store", s, "cred", "search", term], env=env, expect=want),
        "kdbx_mib": os.path.getsize(k) / 1048576,
    }
    info = run(["keepassxc-cli", "db-info", k], stdin=PW + "\n").stdout
    rows[count]["kdbx_info"] = " ".join(l.strip() for l in info.splitlines() if "KDF" in l or "Cipher" in l or "rounds" in l.lower())

print(f"machine: {os.cpu_count()} cores; {runs} runs each after one warm-up; Noren KDF Argon2id m=64MiB t=3 p=1 ~{kdf_ms} ms;")
print(f"KeePassXC {run(['keepassxc-cli', '--version']).stdout.strip()} KDF calibrated by its import to {kdf_ms} ms ({rows[n]['kdbx_info']})")
print()
print(f"| search as a new process (median, min–max) | 1 entry | {n:,} entries | overhead of {n:,} entries beyond the 1-entry database |")
print("|---|---|---|---|")
for tool, label in (("keepassxc", "`keepassxc-cli search DB s1234.`"), ("noren", "`noren-cli cred search s1234.`")):
    a, b = rows[1][tool], rows[n][tool]
    print(f"| {label} | {a[0]:.0f} ms ({a[1]:.0f}–{a[2]:.0f}) | {b[0]:.0f} ms ({b[1]:.0f}–{b[2]:.0f}) | **{b[0] - a[0]:.0f} ms** |")
PY
