// End-to-end: drives the real Noren window through tauri-driver + WebKitWebDriver.
// Run by scripts/e2e.sh (Xvfb, private HOME, tauri-driver on 127.0.0.1:4444).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Driver, Keys } from "./webdriver.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const HOME = process.env.HOME;
const STORE = join(HOME, ".local/share/noren");
const SHOTS = resolve(process.env.NOREN_SCREENSHOTS ?? join(HOME, "screenshots"));
mkdirSync(SHOTS, { recursive: true });

const PASS = "さくら-ほね-みず-とけい";
const SECRET = "エキテン-Pa55-桜!";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const clipboard = () => {
  try {
    return execFileSync("xclip", ["-o", "-selection", "clipboard"], { encoding: "utf8", timeout: 5000 });
  } catch {
    return "";
  }
};

let d = null;
after(async () => {
  if (d) await d.quit();
});

/** Runs `body` against a fresh app window; the window always closes. */
async function withApp(body) {
  d = await new Driver().start(APP);
  try {
    await body();
  } finally {
    await d.quit();
  }
}

async function shot(name) {
  await sleep(300); // let transitions settle
  await d.screenshot(join(SHOTS, `${name}.png`));
}

async function addCredential({ category, name, url, login, password, notes }) {
  await d.click("[data-testid=cred-add]");
  await d.wait("[data-testid=cred-form]");
  await d.click(`#f-category option[value=${category}]`);
  await d.type("[data-testid=f-name]", name);
  if (url) await d.type("[data-testid=f-url]", url);
  if (login) await d.type("[data-testid=f-login]", login);
  if (password) await d.type("[data-testid=f-password]", password);
  if (notes) {
    await d.type("[data-testid=f-notes]", notes);
    const typed = await d.exec("return document.querySelector('[data-testid=f-notes]').value");
    assert.equal(typed, notes, "textarea keeps line breaks");
  }
  await d.click("[data-testid=f-save]");
  await d.waitText("[data-testid=detail-name]", name);
}

test("first run, credentials, lock, wrong passphrase, search, copy, language", async () => {
  rmSync(STORE, { recursive: true, force: true });
  rmSync(join(HOME, ".config/noren"), { recursive: true, force: true });
  await withApp(async () => {

  // First-run setup with the strength meter and the can't-recover warning.
  await d.wait("[data-testid=setup-form]");
  const title = await d.exec("return document.title");
  assert.equal(title, "Noren");
  await d.type("[data-testid=setup-pass]", "abc");
  await d.waitText("[data-testid=strength]", "とても弱い");
  await d.type("[data-testid=setup-pass]", PASS);
  await d.type("[data-testid=setup-again]", PASS + "x");
  await d.click("[data-testid=setup-understood]");
  await shot("setup-ja");
  await d.click("[data-testid=setup-create]");
  await d.waitText("[data-testid=setup-error]", "一致しません");
  await d.type("[data-testid=setup-again]", PASS);
  await d.click("[data-testid=setup-create]");
  await d.wait("[data-testid=dash-empty]", 30_000);
  assert.ok(existsSync(join(STORE, "noren.header")), "store created in the default location");
  await shot("dashboard-ja");

  // Add two credentials, one with Japanese text everywhere.
  await d.click("[data-nav=credentials]");
  await addCredential({ category: "portal", name: "エキテン 口コミ管理", url: "www.ekiten.jp", login: "sakura@example.jp", password: SECRET, notes: "院長が毎週月曜に返信\n写真は受付で撮影" });
  await addCredential({ category: "sns", name: "Instagram", login: "sakura_seikotsu", password: "insta-pass-1" });
  const list = await d.textOf("[data-testid=cred-list]");
  assert.match(list, /ポータル・掲載サイト/);
  assert.match(list, /SNS/);
  await shot("credentials-ja");

  // Invalid input shows a localized error and saves nothing.
  await d.click("[data-testid=cred-add]");
  await d.type("[data-testid=f-name]", "壊れたURL");
  await d.type("[data-testid=f-url]", "not a url");
  await d.click("[data-testid=f-save]");
  await d.waitText("[data-testid=form-error]", "ログインURLが正しくありません");
  await d.chord(Keys.ESCAPE);
  await d.gone("[data-testid=cred-form]");

  // Lock with Ctrl+L; a wrong passphrase is refused with a clear message.
  await d.chord(Keys.CTRL, "l");
  await d.wait("[data-testid=unlock-form]");
  await shot("unlock-ja");
  await d.type("[data-testid=unlock-pass]", "まちがい-passphrase");
  await d.chord(Keys.ENTER);
  await d.waitText("[data-testid=unlock-error]", "合言葉が違います");
  await d.type("[data-testid=unlock-pass]", PASS);
  await d.click("[data-testid=unlock-submit]");
  await d.wait("[data-nav=credentials]", 30_000);

  // Ctrl+F focuses search; half-width katakana finds the full-width entry only.
  await d.chord(Keys.CTRL, "f");
  await d.wait("[data-testid=cred-search]");
  await sleep(200);
  assert.equal(await d.activeTestId(), "cred-search");
  await d.type("[data-testid=cred-search]", "ｴｷﾃﾝ");
  await d.waitText("[data-testid=cred-list]", "エキテン 口コミ管理");
  await sleep(300);
  assert.doesNotMatch(await d.textOf("[data-testid=cred-list]"), /Instagram/);
  await d.chord(Keys.ENTER);
  await d.waitText("[data-testid=detail-name]", "エキテン 口コミ管理");
  assert.doesNotMatch(await d.textOf("[data-testid=cred-detail]"), /Pa55/, "password hidden until revealed");
  await d.click("[data-testid=reveal]");
  await d.waitText("[data-testid=password-value]", SECRET);
  await d.click("[data-testid=reveal]");

  // Copy the password: it is on the clipboard, then cleared after 20 s.
  await d.click("[data-testid=copy-password]");
  await d.waitText("[data-testid=toast]", "20秒後");
  assert.equal(clipboard(), SECRET);
  await sleep(21_500);
  assert.notEqual(clipboard(), SECRET, "clipboard cleared after 20 s");

  // Password history: rotate through the edit form, then see the old one.
  await d.click("[data-testid=edit]");
  await d.type("[data-testid=f-password]", "新しい-pass-2");
  await d.click("[data-testid=f-save]");
  await d.waitText("[data-testid=history]", "(1)");
  await d.click("[data-testid=history]");
  await d.wait("[data-testid=history-list]");
  await shot("credential-history-ja");

  // English and back.
  await d.click("[data-nav=settings]");
  await d.click("[data-testid=lang-en]");
  await d.waitText("[data-nav=credentials]", "Logins");
  await shot("settings-en");
  assert.match(await d.textOf("[data-testid=store-dir]"), /\.local\/share\/noren/);
  await d.click("[data-nav=credentials]");
  await d.waitText("[data-testid=cred-list]", "Portals & listings");
  await shot("credentials-en");
  await d.click("[data-nav=dashboard]");
  await d.waitText("[data-testid=dash-empty]", "Nothing to do today");
  await shot("dashboard-en");
  await d.chord(Keys.CTRL, "l");
  await d.waitText("[data-testid=unlock-form]", "Enter your passphrase");
  await shot("unlock-en");
  // Test hook over the real IPC: once locked, vault commands fail with `locked`
  // while the reminder engine still evaluates (calendar compartment).
  const ipc = async (cmd, args) => {
    await d.exec(
      "window.__hook = null; window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then((v) => { window.__hook = { ok: v }; }, (e) => { window.__hook = { err: e }; });",
      [cmd, args],
    );
    for (let i = 0; i < 50; i++) {
      const r = await d.exec("return window.__hook");
      if (r) return r;
      await sleep(100);
    }
    throw new Error(`no answer from ${cmd}`);
  };
  assert.equal((await ipc("cred_search", { query: "" })).err?.code, "locked");
  assert.equal((await ipc("cred_reveal", { id: "x" })).err?.code, "locked");
  const due = await ipc("due_items", {});
  assert.ok(Array.isArray(due.ok), `reminders evaluate while locked: ${JSON.stringify(due)}`);
  await d.type("[data-testid=unlock-pass]", PASS);
  await d.chord(Keys.ENTER);
  await d.wait("[data-nav=settings]", 30_000);
  await d.click("[data-nav=settings]");
  await shot("settings-ja-pending");
  await d.click("[data-testid=lang-ja]");
  await d.waitText("[data-nav=credentials]", "ログイン情報");
  await shot("settings-ja");
  const settings = JSON.parse(readFileSync(join(HOME, ".config/noren/settings.json"), "utf8"));
  assert.equal(settings.language, "ja");
  });

  // Secret hygiene after the session (add, search, copy, history, lock): nothing
  // typed reached any file in plaintext — not the store, the app's config,
  // WebKit's caches and local storage, the driver/app log, or temp files.
  // The private HOME holds all of them; TMPDIR points inside it (scripts/e2e.sh).
  const tmp = process.env.TMPDIR;
  const roots = [HOME, ...(tmp && !tmp.startsWith(HOME) ? [tmp] : [])];
  let scanned = 0;
  for (const root of roots) {
    for (const f of walk(root)) {
      if (f.startsWith(SHOTS)) continue;
      const bytes = readFileSync(f);
      scanned++;
      for (const s of [SECRET, "新しい-pass-2", "エキテン 口コミ管理", "sakura@example.jp", "院長が毎週月曜に返信", PASS]) {
        for (const form of [Buffer.from(s), Buffer.from(s, "utf16le")]) {
          assert.equal(bytes.includes(form), false, `${s} found in ${f}`);
        }
      }
    }
  }
  assert.ok(scanned > 5, `scanned ${scanned} files`);
});

test("demo store, in English: separate from the real store and labelled", async () => {
  rmSync(STORE, { recursive: true, force: true });
  mkdirSync(join(HOME, ".config/noren"), { recursive: true });
  execFileSync("sh", ["-c", `printf '{"language":"en","auto_lock_minutes":10,"start_at_login":false}' > "${join(HOME, ".config/noren/settings.json")}"`]);
  await withApp(async () => {
  await d.waitText("[data-testid=setup-form]", "choose a passphrase");
  await shot("setup-en");
  await d.click("[data-testid=open-demo]");
  await d.waitText("[role=status]", "demo data", 30_000);
  await d.wait("[data-testid=dash-items]");
  await shot("demo-dashboard-en");
  assert.equal(existsSync(join(STORE, "noren.header")), false, "the real store is untouched");
  await d.click("[data-nav=credentials]");
  await d.waitText("[data-testid=cred-list]", "Google");
  await d.click("[data-cred-item]");
  await d.wait("[data-testid=cred-detail]");
  await shot("demo-credentials-en");
  await d.click("[data-nav=settings]");
  await d.click("[data-testid=lang-ja]");
  await d.click("[data-nav=dashboard]");
  await d.waitText("[role=status]", "デモ用");
  await shot("demo-dashboard-ja");
  });
});

function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}
