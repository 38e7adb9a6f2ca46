#!/usr/bin/env python3
"""The rules between Noren's layers that the compiler alone does not keep.

    python3 scripts/check-layers.py        # prints what it checked; exit 1 on a breach

1. Crate edges follow the layering: base <- store <- domain <- reminders <-
   adapters <- core (the application layer) <- the window and the CLI. A crate
   may depend only on crates below it (so the store cannot name a domain type,
   and the domain cannot import the reminder engine or the application layer).
2. No module cycle inside any crate. Paths through `crate::`, `super::` and
   `self::` are resolved (the shared rust-cycles tool reads `crate::` only).
   A parent module's `pub mod` declarations are not edges; what it uses is.
3. The store's sources name no collection of the layers above.
4. Below the front ends nothing reads environment variables or the wall clock
   (PENDING would list a known exception; it is empty).
5. The web UI never writes a fixed UTC offset (instants are built in the
   shop's zone, ui/src/lib/zone.ts).
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src-tauri")
RANK = {"noren-base": 0, "noren-store": 1, "noren-domain": 2, "noren-reminders": 3, "noren-adapters": 4, "noren-core": 5, "noren": 6, "noren-cli": 6}
CRATE_DIRS = {"noren-base": "base", "noren-store": "store", "noren-domain": "domain", "noren-reminders": "reminders",
              "noren-adapters": "adapters", "noren-core": "core", "noren-cli": "cli"}
BELOW_FRONT_ENDS = ["base", "store", "domain", "reminders", "adapters", "core"]
# Environment and clock reads below the front ends that are still to move out.
PENDING: dict = {}
STORE_MUST_NOT_NAME = ["credentials", "customers", "inquiries", "templates", "vendors", "incidents", "people",
                       "channels", "posts", "renewals", "settings", "reminder_state"]

failures = []


def strip(text):
    """Source without comments, strings' contents and #[cfg(test)] modules."""
    i = text.find("#[cfg(test)]")
    if i >= 0:
        text = text[:i]
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return text


def cargo_deps(path):
    deps, section = [], None
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line.startswith("["):
            section = line
            continue
        m = re.match(r"([a-z0-9-]+)(\.workspace)?\s*=", line)
        if m and section == "[dependencies]" and m.group(1) in RANK:
            deps.append(m.group(1))
    return deps


def check_crate_edges():
    manifests = {"noren": os.path.join(ROOT, "Cargo.toml")}
    for name, d in CRATE_DIRS.items():
        manifests[name] = os.path.join(SRC, d, "Cargo.toml")
    for name, path in manifests.items():
        for dep in cargo_deps(path):
            if RANK[dep] >= RANK[name]:
                failures.append(f"crate {name} depends on {dep}, which is not below it")
    print(f"crate edges: {len(manifests)} crates, each depends only on crates below it" if not failures else "crate edges: see below")


def modules(src):
    mods = {}
    for d, _, files in os.walk(src):
        if os.path.basename(d) in ("bin", "tests"):
            continue
        for f in files:
            if not f.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(d, f), src)[:-3].split(os.sep)
            if rel[-1] == "mod":
                rel = rel[:-1]
            if rel in (["lib"], ["main"]):
                rel = []
            mods[tuple(rel)] = strip(open(os.path.join(d, f), encoding="utf-8").read())
    return mods


def paths_in(text):
    """Every `crate::…`, `super::…`, `self::…` path, groups expanded."""
    out = []
    for m in re.finditer(r"\b((?:crate|super|self)(?:::[A-Za-z_][A-Za-z0-9_]*)*)::\{([^{}]*)\}", text):
        for item in m.group(2).split(","):
            item = item.strip().split(" as ")[0].strip()
            if item and item != "self":
                out.append(m.group(1) + "::" + item)
            elif item == "self":
                out.append(m.group(1))
    text = re.sub(r"::\{[^{}]*\}", "", text)
    out += re.findall(r"\b(?:crate|super|self)(?:::[A-Za-z_][A-Za-z0-9_]*)+", text)
    return out


def check_module_cycles():
    total = 0
    for name, d in list(CRATE_DIRS.items()) + [("noren", "app")]:
        src = os.path.join(SRC, d) if d == "app" else os.path.join(SRC, d, "src")
        mods = modules(src)
        total += len(mods)
        known = set(mods)
        edges = {m: set() for m in mods}
        for m, text in mods.items():
            # A file module's `super` is its parent; a mod.rs's is the parent's parent too.
            for p in paths_in(text):
                parts = p.split("::")
                base = list(m)
                if parts[0] == "crate":
                    base, parts = [], parts[1:]
                while parts and parts[0] in ("super", "self"):
                    if parts[0] == "super":
                        base = base[:-1]
                    parts = parts[1:]
                full = base + parts
                target = None
                for n in range(len(full), -1, -1):
                    if tuple(full[:n]) in known:
                        target = tuple(full[:n])
                        break
                if target is None or target == m:
                    continue
                # A module reaching into its own children is composition, not a cycle.
                if target[: len(m)] == m:
                    continue
                edges[m].add(target)
        # Tarjan's strongly connected components.
        index, low, stack, on, sccs, k = {}, {}, [], set(), [], [0]
        sys.setrecursionlimit(10000)

        def visit(v):
            index[v] = low[v] = k[0]
            k[0] += 1
            stack.append(v)
            on.add(v)
            for w in edges[v]:
                if w not in index:
                    visit(w)
                    low[v] = min(low[v], low[w])
                elif w in on:
                    low[v] = min(low[v], index[w])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    sccs.append(comp)

        for v in mods:
            if v not in index:
                visit(v)
        for comp in sccs:
            failures.append(f"{name}: module cycle: " + ", ".join(sorted("::".join(x) or "(root)" for x in comp)))
    print(f"module cycles: none in {total} modules of {len(CRATE_DIRS) + 1} crates" if not any("cycle" in f for f in failures) else "module cycles: see below")


def check_store_names_nothing_above():
    found = []
    for d, _, files in os.walk(os.path.join(SRC, "store", "src")):
        for f in files:
            if f.endswith(".rs"):
                text = strip(open(os.path.join(d, f), encoding="utf-8").read())
                for c in STORE_MUST_NOT_NAME:
                    if re.search(r'"' + c + r'"', text):
                        found.append(f"{os.path.relpath(os.path.join(d, f), SRC)} names the collection \"{c}\"")
    failures.extend(found)
    print("the store names no collection of the layers above" if not found else "store: see below")


def check_env_and_clock():
    seen = set()
    env = re.compile(r"std::env::(var|var_os|vars|args|temp_dir|home_dir)\b|\benv::var(_os)?\(")
    clock = re.compile(r"\b(Utc|Local)::now\(\)|SystemTime::now\(\)")
    for c in BELOW_FRONT_ENDS:
        for d, _, files in os.walk(os.path.join(SRC, c, "src")):
            for f in files:
                if not f.endswith(".rs"):
                    continue
                rel = os.path.relpath(os.path.join(d, f), SRC)
                text = strip(open(os.path.join(d, f), encoding="utf-8").read())
                for kind, rx in (("env", env), ("clock", clock)):
                    if rx.search(text):
                        if (rel, kind) in PENDING:
                            seen.add((rel, kind))
                        else:
                            failures.append(f"{rel} reads the {'environment' if kind == 'env' else 'wall clock'} below the front ends")
    for key in PENDING:
        if key not in seen:
            failures.append(f"PENDING lists {key[0]} ({key[1]}), which no longer reads it: take it off the list")
    print("environment and clock below the front ends: read nowhere" if not PENDING else f"environment and clock below the front ends: only the {len(PENDING)} pending places")
    for (rel, kind), why in PENDING.items():
        print(f"    pending {kind:5} {rel}: {why}")


def check_ui_offsets():
    found = []
    rx = re.compile(r"[+-]\d{2}:\d{2}[\"'`]|\d+\s*\*\s*3600_?000")
    ui = os.path.join(ROOT, "ui", "src")
    for d, _, files in os.walk(ui):
        if "bindings" in d:
            continue
        for f in files:
            if f.endswith((".ts", ".svelte")) and ".test." not in f:
                for n, line in enumerate(open(os.path.join(d, f), encoding="utf-8"), 1):
                    if rx.search(line) and not line.strip().startswith("//"):
                        found.append(f"ui/src/{os.path.relpath(os.path.join(d, f), ui)}:{n} writes a fixed offset: {line.strip()[:80]}")
    failures.extend(found)
    print("the UI writes no fixed UTC offset" if not found else "ui: see below")


check_crate_edges()
check_module_cycles()
check_store_names_nothing_above()
check_env_and_clock()
check_ui_offsets()
for f in failures:
    print("error:", f, file=sys.stderr)
sys.exit(1 if failures else 0)
