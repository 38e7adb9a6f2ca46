// End-to-end: the store's database files are damaged (a disk that lost its
// writes). Unlocking says so and offers the newest automatic snapshot; one
// click puts it in place, keeps the damaged files aside, and opens the vault.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Driver } from "./webdriver.mjs";
import { firstRun } from "./helpers.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const HOME = process.env.HOME;
const STORE = join(HOME, ".local/share/noren");
const SHOTS = resolve(process.env.NOREN_SCREENSHOTS ?? join(HOME, "screenshots"));
const PASS = "こわれた-ときの-あいことば";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("damaged database: unlock offers the newest snapshot and restores it", async () => {
  rmSync(STORE, { recursive: true, force: true });
  rmSync(join(HOME, ".config/noren"), { recursive: true, force: true });
  const usb = join(HOME, "usb-recovery");
  rmSync(usb, { recursive: true, force: true });
  mkdirSync(usb, { recursive: true });
  mkdirSync(SHOTS, { recursive: true });

  let d = await new Driver().start(APP);
  try {
    await firstRun(d, PASS);
    await d.click("[data-nav=credentials]");
    await d.click("[data-testid=cred-add]");
    await d.type("[data-testid=f-name]", "予約システム");
    await d.type("[data-testid=f-password]", "yoyaku-秘密-7");
    await d.click("[data-testid=f-save]");
    await d.waitText("[data-testid=detail-name]", "予約システム");
    await d.click("[data-nav=backup]");
    await d.type("[data-testid=backup-folder]", usb);
    await d.click("[data-testid=backup-save]");
    await d.click("[data-testid=backup-now]");
    await d.waitText("[data-testid=backup-last]", "20");
  } finally {
    await d.quit();
  }
  await sleep(500);
  assert.equal(readdirSync(usb).filter((f) => f.endsWith(".age")).length >= 1, true);

  // The disk lost the database's writes: every sled file becomes garbage.
  for (const f of readdirSync(join(STORE, "db"))) {
    const p = join(STORE, "db", f);
    if (statSync(p).isFile()) writeFileSync(p, Buffer.alloc(4096, 0xa5));
  }

  d = await new Driver().start(APP);
  try {
    await d.wait("[data-testid=unlock-form]");
    await d.type("[data-testid=unlock-pass]", PASS);
    await d.click("[data-testid=unlock-submit]");
    await d.waitText("[data-testid=unlock-error]", "壊れています");
    await d.wait("[data-testid=damaged]");
    await sleep(200);
    await d.screenshot(join(SHOTS, "unlock-damaged-ja.png"));
    await d.click("[data-testid=recover-snapshot]");
    await d.wait("[data-nav=settings]", 30_000);
    await d.waitText("[data-testid=toast]", "復元しました");
    await d.click("[data-nav=credentials]");
    await d.waitText("[data-testid=cred-list]", "予約システム");
    const aside = readdirSync(dirname(STORE)).filter((n) => n.startsWith("noren.damaged-"));
    assert.equal(aside.length, 1, "the damaged store is kept aside");
  } finally {
    await d.quit();
  }
});
