// The window beside a Tauri hello-world (issue 22): printed figures, not a test.
// Driven by scripts/bench-window.sh under Xvfb, which builds both in release and
// makes the stores. Cold starts interleaved; idle memory as PSS summed over the
// app and the WebKit processes it started; what the owner waits for at 10,000 logins.
import { spawn, execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { Driver } from "./webdriver.mjs";

const { NOREN_APP, HELLO_APP, BENCH_PASS, STORE_1K, STORE_10K } = process.env;
const RUNS = Number(process.env.RUNS ?? 7);
const IDLE_MS = 10_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Every process below `root` (WebKit's web and network processes), with it. */
function tree(root) {
  const parent = new Map();
  for (const p of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {}
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [c, pp] of parent) if (pp === out[i]) out.push(c);
  return out;
}

/** PSS (MiB) of each process of the tree, by program name. */
function pss(root) {
  const by = {};
  for (const pid of tree(root)) {
    try {
      const kb = Number(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+)/m)[1]);
      const name = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0].split("/").pop();
      by[name] = (by[name] ?? 0) + kb / 1024;
    } catch {}
  }
  return by;
}
const total = (by) => Object.values(by).reduce((a, b) => a + b, 0);

/** Starts `bin` with the probe on; resolves with its marks (ms after the spawn) once it painted. */
function start(bin, env) {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(bin, [], { env: { ...process.env, ...env, NOREN_STARTUP_PROBE: "1" }, stdio: ["ignore", "ignore", "pipe"] });
    const marks = {};
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`${bin}: no paint within 30 s:\n${buf}`)), 30_000);
    child.stderr.on("data", (d) => {
      buf += d;
      for (const m of buf.matchAll(/(?:probe (.+?)|(ui ready)) at (\d+)/g)) marks[m[1] ?? m[2]] = Number(m[3]) - t0;
      if ("ui ready" in marks) {
        clearTimeout(timer);
        resolve({ child, marks });
      }
    });
    child.on("error", reject);
  });
}

async function stop(child) {
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([gone, sleep(5000).then(() => child.kill("SIGKILL"))]);
  await sleep(300); // WebKit's processes follow their parent
}

const apps = { hello: { bin: HELLO_APP, env: {} }, noren: { bin: NOREN_APP, env: { NOREN_STORE: STORE_1K } } };

// 1. Cold starts, interleaved (a warm-up each first, then RUNS each, the order alternating).
const starts = { hello: [], noren: [] };
for (let i = 0; i <= RUNS; i++) {
  for (const name of i % 2 ? ["noren", "hello"] : ["hello", "noren"]) {
    const { child, marks } = await start(apps[name].bin, apps[name].env);
    await stop(child);
    if (i > 0) starts[name].push(marks);
  }
}
const fmt = (x) => (x === undefined ? "–" : `${Math.round(x)}`);
console.log(`\n## Cold start (ms from the spawn; median of ${RUNS}, interleaved, after a warm-up each)\n`);
console.log("| mark | hello-world | Noren | Noren / hello |\n|---|---|---|---|");
const order = ["main", "core", "setup", "setup done", "navigation", "script", "first ipc", "answered", "ui ready"];
for (const m of order) {
  const h = starts.hello.some((s) => m in s) ? median(starts.hello.map((s) => s[m])) : undefined;
  const n = starts.noren.some((s) => m in s) ? median(starts.noren.map((s) => s[m])) : undefined;
  const ratio = h && n ? (n / h).toFixed(2) : "";
  console.log(`| ${m === "ui ready" ? "**first paint after the first IPC answer** (Noren: the unlock screen, usable)" : m} | ${fmt(h)} | ${fmt(n)} | ${ratio} |`);
}
console.log(`\nall runs, first paint: hello ${starts.hello.map((s) => s["ui ready"]).join(" ")}; Noren ${starts.noren.map((s) => s["ui ready"]).join(" ")}`);

// 2. Idle memory, launched directly (no automation): hello-world and Noren locked.
const mem = {};
async function idle(name, app, env) {
  const rows = [];
  for (let i = 0; i < 3; i++) {
    const { child } = await start(app, env);
    await sleep(IDLE_MS);
    rows.push(pss(child.pid));
    await stop(child);
  }
  mem[name] = rows;
}
await idle("hello-world", HELLO_APP, {});
await idle("Noren, locked", NOREN_APP, { NOREN_STORE: STORE_1K });

// 3. Unlocked (through tauri-driver, which types the passphrase), with 1,000 and 10,000 logins;
//    the hello-world and the locked Noren also through it, to show what automation adds.
function appPid(bin) {
  for (const p of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0")[0] === bin) return Number(p);
    } catch {}
  }
  throw new Error(`${bin} not running`);
}
async function page(d, script) {
  // Runs `script` (which sets window.__bench when done) and waits for its figure.
  await d.exec(`window.__bench = undefined; ${script}`);
  for (let i = 0; i < 600; i++) {
    const v = await d.exec("return window.__bench");
    if (v !== undefined && v !== null) return v;
    await sleep(25);
  }
  throw new Error("page figure not reached");
}
const feel = {};
async function driverUp() {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch("http://127.0.0.1:4444/status");
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error("tauri-driver did not start");
}
async function driven(name, bin, store, unlock) {
  const rows = [];
  for (let i = 0; i < 3; i++) {
    // The app inherits tauri-driver's environment: one driver per run, with its store.
    const drv = spawn("tauri-driver", ["--port", "4444"], { stdio: "ignore", env: { ...process.env, NOREN_STORE: store ?? "" } });
    await driverUp();
    const d = await new Driver().start(bin);
    try {
      if (unlock) {
        await d.wait("[data-testid=unlock-form]", 30_000);
        await d.exec(`document.querySelector("[data-testid=unlock-pass]").focus()`);
        await d.type("[data-testid=unlock-pass]", BENCH_PASS);
        const ms = await page(
          d,
          `const t0 = performance.now(); document.querySelector("[data-testid=unlock-submit]").click();
           (function f() { document.querySelector("[data-nav=credentials]") ? requestAnimationFrame(() => (window.__bench = performance.now() - t0)) : requestAnimationFrame(f); })();`,
        );
        (feel[`${name}: unlock → 今日やること painted`] ??= []).push(ms);
        for (const [nav, label] of [["credentials", "ログイン一覧"], ["customers", "顧客"], ["calendar", "投稿カレンダー"], ["dashboard", "今日やること"]]) {
          const t = await page(
            d,
            `const before = document.querySelector("main h1")?.textContent; const t0 = performance.now();
             document.querySelector("[data-nav=${nav}]").click();
             (function f() { const h = document.querySelector("main h1")?.textContent; h && h !== before ? requestAnimationFrame(() => (window.__bench = performance.now() - t0)) : requestAnimationFrame(f); })();`,
          );
          (feel[`${name}: screen switch → ${nav}`] ??= []).push(t);
        }
        await d.click("[data-nav=credentials]");
        await d.wait("[data-testid=cred-search]");
        const q = await page(
          d,
          `const box = document.querySelector("[data-testid=cred-search]"); const hint = box.nextElementSibling; const before = hint.textContent;
           const t0 = performance.now(); box.value = "service777"; box.dispatchEvent(new Event("input", { bubbles: true }));
           (function f() { hint.textContent !== before ? requestAnimationFrame(() => (window.__bench = performance.now() - t0)) : requestAnimationFrame(f); })();`,
        );
        (feel[`${name}: search typed → list shown`] ??= []).push(q);
        await d.exec(`const b = document.querySelector("[data-testid=cred-search]"); b.value = ""; b.dispatchEvent(new Event("input", { bubbles: true }));`);
      } else {
        await sleep(2000);
      }
      await sleep(IDLE_MS);
      rows.push(pss(appPid(bin)));
    } finally {
      await d.quit();
      drv.kill();
      await new Promise((r) => drv.once("exit", r));
      await sleep(500);
    }
  }
  mem[name] = rows;
}
await driven("hello-world (driven)", HELLO_APP, undefined, false);
await driven("Noren, locked (driven)", NOREN_APP, STORE_1K, false);
await driven("Noren, 1,000 logins unlocked (driven)", NOREN_APP, STORE_1K, true);
await driven("Noren, 10,000 logins unlocked (driven)", NOREN_APP, STORE_10K, true);

console.log(`\n## Idle memory: PSS after ${IDLE_MS / 1000} s idle (MiB, median of 3; by process)\n`);
const helloPlain = median(mem["hello-world"].map(total));
const helloDriven = median(mem["hello-world (driven)"].map(total));
console.log("| state | app | web process | network process | total | − hello-world |\n|---|---|---|---|---|---|");
for (const [name, rows] of Object.entries(mem)) {
  const col = (re) => median(rows.map((r) => Object.entries(r).filter(([k]) => re.test(k)).reduce((a, [, v]) => a + v, 0)));
  const base = name.includes("driven") ? helloDriven : helloPlain;
  const t = median(rows.map(total));
  console.log(`| ${name} | ${col(/^noren|^noren-hello/).toFixed(1)} | ${col(/WebProcess/).toFixed(1)} | ${col(/NetworkProcess/).toFixed(1)} | ${t.toFixed(1)} | ${name.startsWith("hello") ? "" : `+${(t - base).toFixed(1)}`} |`);
}
console.log("\n## What the owner waits for (ms inside the page, median of 3)\n\n| action | ms |\n|---|---|");
for (const [k, v] of Object.entries(feel)) console.log(`| ${k} | ${median(v).toFixed(0)} |`);
