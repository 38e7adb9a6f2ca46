// End-to-end: the import/export wizard in the real window, against KeePassXC's
// own CLI: import a KDBX it made (wrong password first), a CSV of unknown
// layout with a column mapping, then export a KDBX it can open.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { Driver, Keys } from "./webdriver.mjs";
import { firstRun } from "./helpers.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const HOME = process.env.HOME;
const STORE = join(HOME, ".local/share/noren");
const SHOTS = resolve(process.env.NOREN_SCREENSHOTS ?? join(HOME, "screenshots"));
const PASS = "いこう-の-あいことば";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const kp = (args, input) => execFileSync("keepassxc-cli", args, { input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });

async function choose(d, css, value) {
  await d.wait(css);
  await d.exec("const el = document.querySelector(arguments[0]); el.value = arguments[1]; el.dispatchEvent(new Event('change', { bubbles: true }));", [css, value]);
}

/** Imports a sheet of unknown layout (サービス, ID, パスワード): the columns chosen, previewed, imported. */
async function importSheet(d, file, previewed, reported) {
  await d.click("[data-testid=mig-kind-csv]");
  await d.type("[data-testid=mig-file]", file);
  await d.click("[data-testid=mig-preview]");
  await d.waitText("[data-testid=mig-error]", "どの列が何か");
  await choose(d, "[data-testid=mig-map-name]", "サービス");
  await choose(d, "[data-testid=mig-map-login]", "ID");
  await choose(d, "[data-testid=mig-map-password]", "パスワード");
  await d.click("[data-testid=mig-preview]");
  await d.waitText("[data-testid=mig-preview-result]", previewed);
  await d.click("[data-testid=mig-run]");
  await d.waitText("[data-testid=mig-report]", reported, 30_000);
}

test("import a KeePassXC database and a mapped CSV, export a KDBX that KeePassXC opens", async () => {
  rmSync(STORE, { recursive: true, force: true });
  rmSync(join(HOME, ".config/noren"), { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  const kdbx = join(HOME, "shop.kdbx");
  rmSync(kdbx, { force: true });
  kp(["db-create", "--set-password", "-t", "100", kdbx], "kp-pass\nkp-pass\n");
  kp(["mkdir", kdbx, "メール"], "kp-pass\n");
  kp(["add", kdbx, "メール/受付メール", "-u", "info@sakura.example.jp", "--url", "https://mail.example.jp", "-p"], "kp-pass\nmail-秘密-1\n");
  kp(["add", kdbx, "エキテン", "-u", "sakura@example.jp", "--url", "https://www.ekiten.jp", "-p"], "kp-pass\nekiten-2\n");
  const csv = join(HOME, "パスワード一覧.csv");
  writeFileSync(csv, "サービス,ID,パスワード\n予約システム,admin,\"yo,1\"\n");
  const out = join(HOME, "for-successor.kdbx");
  rmSync(out, { force: true });
  // A shop's whole sheet: more logins than the list draws at once.
  const many = join(HOME, "全店舗のログイン.csv");
  writeFileSync(many, "サービス,ID,パスワード\n" + Array.from({ length: 230 }, (_, i) => `店舗サイト${i + 1},shop${i + 1},pw-${i + 1}\n`).join(""));

  const d = await new Driver().start(APP);
  try {
    await firstRun(d, PASS);
    await d.click("[data-nav=migrate]");
    await d.click("[data-testid=mig-kind-keepass]");
    await d.type("[data-testid=mig-file]", kdbx);
    await d.type("[data-testid=mig-pass]", "wrong");
    await d.click("[data-testid=mig-preview]");
    await d.waitText("[data-testid=mig-error]", "KeePass のパスワードが違います", 30_000);
    await d.type("[data-testid=mig-pass]", "kp-pass");
    await d.click("[data-testid=mig-preview]");
    await d.waitText("[data-testid=mig-preview-result]", "KeePass: 2件を取り込めます", 30_000);
    await d.waitText("[data-testid=mig-preview-result]", "受付メール");
    await sleep(200);
    await d.screenshot(join(SHOTS, "import-preview-ja.png"));
    await d.click("[data-testid=mig-run]");
    await d.waitText("[data-testid=mig-report]", "追加 2件", 30_000);

    // A sheet of unknown layout: choose the columns, then import.
    await importSheet(d, csv, "予約システム", "追加 1件");

    // The imported logins are in the vault, searchable.
    await d.click("[data-nav=credentials]");
    await d.type("[data-testid=cred-search]", "ｴｷﾃﾝ");
    await d.waitText("[data-testid=cred-list]", "エキテン");

    // Export for a successor; KeePassXC opens it with the passwords intact.
    await d.click("[data-nav=migrate]");
    await d.type("[data-testid=exp-file]", out);
    await d.type("[data-testid=exp-pass]", "後任者-パス");
    await d.type("[data-testid=exp-pass2]", "後任者-パス");
    await d.click("[data-testid=exp-run]");
    await d.waitText("[data-testid=toast]", "3件を", 30_000);
    assert.ok(existsSync(out));
    const listing = kp(["ls", "-R", "-f", out], "後任者-パス\n");
    assert.match(listing, /メール\/受付メール/);
    const path = listing.split("\n").find((l) => l.endsWith("予約システム")).trim();
    assert.match(kp(["show", "-s", out, path], "後任者-パス\n"), /Password: yo,1/);
    await sleep(200);
    await d.screenshot(join(SHOTS, "migrate-ja.png"));

    // 233 logins: the list draws 200, the button (by keyboard) the rest; search finds any.
    await d.click("[data-nav=migrate]");
    await importSheet(d, many, "店舗サイト230", "追加 230件");
    await d.click("[data-nav=credentials]");
    await d.waitText("[data-testid=cred-more]", "さらに33件を表示（残り33件）");
    assert.equal((await d.findAll("[data-cred-item]")).length, 200);
    await d.exec("document.querySelector('[data-testid=cred-more]').scrollIntoView({ block: 'center' })");
    await sleep(200);
    await d.screenshot(join(SHOTS, "credentials-more-ja.png"));
    await d.exec("document.querySelector('[data-testid=cred-more]').focus()");
    await d.chord(Keys.ENTER);
    await d.gone("[data-testid=cred-more]");
    assert.equal((await d.findAll("[data-cred-item]")).length, 233);
    await d.type("[data-testid=cred-search]", "店舗サイト229");
    // The search answers after its debounce: wait for the list to narrow, then look at it.
    for (let i = 0; i < 100 && (await d.findAll("[data-cred-item]")).length !== 1; i++) await sleep(100);
    assert.equal((await d.findAll("[data-cred-item]")).length, 1);
    await d.waitText("[data-testid=cred-list]", "店舗サイト229");
    assert.equal(await d.exec("return document.querySelector('[data-testid=cred-more]')"), null);
  } catch (e) {
    await d.screenshot(join(SHOTS, "migrate-failure.png")).catch(() => {});
    throw e;
  } finally {
    await d.quit();
  }
});
