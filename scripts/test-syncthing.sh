#!/usr/bin/env bash
# Two laptops, one store, through two real Syncthing instances (Debian `syncthing`) on 127.0.0.1,
# each with its own home; discovery, relays, NAT, crash and usage reporting off; each told the
# other's tcp://127.0.0.1 address. Two Noren stores share one Syncthing folder:
#   1. a login added on A opens on B (B joins with an invitation code);
#   2. concurrent edits of one customer on A and B converge to the same state on both;
#   3. A takes B out: B is told so, and the customer and login A writes afterwards, carried to
#      B's folder by Syncthing, stay unread on B.
# Every wait is bounded. Called by scripts/test-all.sh; alone: bash scripts/test-syncthing.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CLI=$(realpath "${NOREN_CLI:-target/debug/noren-cli}")
[ -x "$CLI" ] || { echo "build first: cargo build -p noren-cli" >&2; exit 1; }
command -v syncthing >/dev/null || { echo "syncthing not found (apt install syncthing)" >&2; exit 1; }

W=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT

# Free ports for the two GUIs/APIs and the two listeners.
read -r GA GB LA LB < <(python3 -c '
import socket
socks=[socket.socket() for _ in range(4)]
for s in socks: s.bind(("127.0.0.1",0))
print(*[s.getsockname()[1] for s in socks])
for s in socks: s.close()')

id_of() { syncthing generate --home="$1" --no-default-folder 2>&1 | sed -n 's/.*Device ID: *//p'; }
IDA=$(id_of "$W/st-a"); IDB=$(id_of "$W/st-b")
mkdir -p "$W/folder-a/.stfolder" "$W/folder-b/.stfolder"

# config.xml: quiet, local only, the peer known by address, the shared folder watched closely.
configure() { # home gui listen folder self_id peer_id peer_listen
  python3 - "$@" <<'PY'
import sys, xml.etree.ElementTree as ET
home, gui, listen, folder, me, peer, peer_listen = sys.argv[1:]
path = f"{home}/config.xml"
t = ET.parse(path); c = t.getroot()
c.find("gui/address").text = f"127.0.0.1:{gui}"
o = c.find("options")
for k, v in {"listenAddress": f"tcp://127.0.0.1:{listen}", "globalAnnounceEnabled": "false", "localAnnounceEnabled": "false",
             "relaysEnabled": "false", "natEnabled": "false", "urAccepted": "-1", "startBrowser": "false",
             "crashReportingEnabled": "false", "autoUpgradeIntervalH": "0", "reconnectionIntervalS": "1"}.items():
    e = o.find(k)
    if e is None:
        e = ET.SubElement(o, k)
    e.text = v
d = ET.SubElement(c, "device", {"id": peer, "name": "peer", "compression": "metadata", "introducer": "false",
                                 "skipIntroductionRemovals": "false", "introducedBy": ""})
ET.SubElement(d, "address").text = f"tcp://127.0.0.1:{peer_listen}"
f = ET.SubElement(c, "folder", {"id": "noren-shop", "label": "noren-shop", "path": folder, "type": "sendreceive",
                                 "rescanIntervalS": "2", "fsWatcherEnabled": "true", "fsWatcherDelayS": "1",
                                 "ignorePerms": "false", "autoNormalize": "true"})
ET.SubElement(f, "filesystemType").text = "basic"
ET.SubElement(f, "device", {"id": me})
ET.SubElement(f, "device", {"id": peer})
t.write(path)
PY
}
configure "$W/st-a" "$GA" "$LA" "$W/folder-a" "$IDA" "$IDB" "$LB"
configure "$W/st-b" "$GB" "$LB" "$W/folder-b" "$IDB" "$IDA" "$LA"
for n in a b; do
  STNODEFAULTFOLDER=1 STNOUPGRADE=1 syncthing serve --home="$W/st-$n" --no-browser --no-restart --logfile="$W/st-$n.log" >/dev/null 2>&1 &
  PIDS+=($!)
done

# Waits (at most $2 seconds) until the command $1 succeeds.
until_ok() {
  local cmd=$1 limit=$2 t=0
  until eval "$cmd" >/dev/null 2>&1; do
    sleep 1; t=$((t + 1))
    if [ "$t" -ge "$limit" ]; then
      echo "FAIL: waited ${limit}s for: $cmd" >&2
      tail -n 20 "$W/st-a.log" "$W/st-b.log" >&2 || true
      exit 1
    fi
  done
}

cli() { # store [env...] -- args
  local store=$1; shift
  NOREN_PASSPHRASE="passphrase of $store" XDG_CONFIG_HOME="$W/config-$(basename "$store")" "$CLI" --store "$store" "$@"
}
A="$W/store-a"; B="$W/store-b"
cli "$A" init >/dev/null
cli "$B" init >/dev/null

echo "==> 1. a login added on A opens on B"
printf 'insta-秘密-42\n' | cli "$A" cred add --category sns --name Instagram --login salon@example.jp --password-stdin >/dev/null
cli "$A" sync setup "$W/folder-a" --name "店長のPC" >/dev/null
CODE=$(cli "$A" --json sync invite --scope everything | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
# The marker, A's first batch and the invitation reach B's folder through Syncthing.
until_ok "[ -f '$W/folder-b/noren-sync.json' ] && ls '$W/folder-b/invites/'*.nri && ls '$W/folder-b/devices/'*/secrets-0000000001.nrs" 90
NOREN_INVITE_CODE="$CODE" cli "$B" sync join "$W/folder-b" --name "ウェブ担当" >/dev/null
cli "$B" --json cred list | python3 -c '
import json, sys
names = [c["name"] for c in json.load(sys.stdin)["credentials"]]
assert names == ["Instagram"], names'
cli "$B" cred show Instagram --reveal | grep -q 'insta-秘密-42' 
echo "    ok: B opens A's login"

echo "==> 2. concurrent edits of one customer converge"
ID=$(cli "$A" --json customer add --name "山田 花子" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
until_ok "cli '$B' --json sync now | python3 -c 'import json,sys; assert json.load(sys.stdin)[\"applied\"] >= 1' && cli '$B' customer list | grep -q '山田 花子'" 90
# Both edit before either has the other's edit: A first, B a minute later.
cli "$A" customer edit "$ID" --note "A: 毎月第2土曜" >/dev/null
sleep 1
cli "$B" customer edit "$ID" --note "B: 予約は電話で" >/dev/null
# Each edit is in its laptop's folder at once; Syncthing carries it to the other.
until_ok "[ \$(ls '$W/folder-a/devices/'*/shop-*.nrs | wc -l) -ge 3 ] && [ \$(ls '$W/folder-b/devices/'*/shop-*.nrs | wc -l) -ge 3 ]" 90
cli "$A" sync now >/dev/null
cli "$B" sync now >/dev/null
cli "$A" --json customer list > "$W/a.json"
cli "$B" --json customer list > "$W/b.json"
python3 - "$W/a.json" "$W/b.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
def view(doc):
    rows = doc["customers"] if isinstance(doc, dict) else doc
    return sorted((c["id"], c["name"], c.get("notes", "")) for c in rows)
assert view(a) == view(b), (view(a), view(b))
notes = [n for _, _, n in view(a)]
assert notes == ["B: 予約は電話で"], notes
PY
cli "$A" --json sync conflicts | python3 -c '
import json, sys
c = json.load(sys.stdin)["conflicts"]
assert len(c) == 1, c'
echo "    ok: both laptops hold B's later edit; A keeps its own as a conflict"

echo "==> 3. a laptop taken out reads nothing written afterwards"
cli "$A" sync remove "ウェブ担当" >/dev/null
cli "$A" customer add --name "あとから来た人" >/dev/null
printf 'new-secret-77\n' | cli "$A" cred add --category website --name "新しいサイト" --password-stdin >/dev/null
# A's new keys (wrapped for the laptops that stay) and its new batches reach B's folder.
ADEV=$(basename "$(dirname "$(ls "$W/folder-a/devices/"*/keys-*.nrk | head -1)")")
until_ok "[ \"\$(ls '$W/folder-b/devices/$ADEV')\" = \"\$(ls '$W/folder-a/devices/$ADEV')\" ]" 90
cli "$B" --json sync now > "$W/b-now.json" || true
python3 - "$W/b-now.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert any(p["kind"] == "removed" for p in r["problems"]), r
PY
if cli "$B" customer list | grep -q 'あとから来た人'; then echo "FAIL: the removed laptop read a customer written after it was taken out" >&2; exit 1; fi
if cli "$B" cred list | grep -q '新しいサイト'; then echo "FAIL: the removed laptop read a login written after it was taken out" >&2; exit 1; fi
# The new files are there on B's disk, and opened by none of B's keys.
if grep -rq 'new-secret-77' "$W/folder-b" "$B"; then echo "FAIL: a password in plain text" >&2; exit 1; fi
echo "    ok: B was told it was taken out; A's later customer and login stay unread on B"
cli "$A" sync status
echo "==> two Syncthing instances: all checks passed"
