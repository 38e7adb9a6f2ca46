// End-to-end: the vault locks itself after the configured idle minutes, the
// window shows why, and the passphrase opens it again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { Driver, Keys } from "./webdriver.mjs";
import { firstRun } from "./helpers.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const HOME = process.env.HOME;
const PASS = "じどう-ろっく-の-てすと";

test("auto-lock after 1 idle minute", async () => {
  rmSync(join(HOME, ".local/share/noren"), { recursive: true, force: true });
  rmSync(join(HOME, ".config/noren"), { recursive: true, force: true });
  const d = await new Driver().start(APP);
  try {
    await firstRun(d, PASS);
    await d.click("[data-nav=settings]");
    await d.type("[data-testid=s-minutes]", "1");
    await d.chord(Keys.ENTER);
    await d.waitText("[data-testid=toast]", "設定を保存しました");
    const started = Date.now();
    // No input from here on: the vault must lock within 1 minute (+ the 5 s check interval).
    await d.waitText("[data-testid=unlock-form]", "自動でロックしました", 90_000);
    const waited = (Date.now() - started) / 1000;
    assert.ok(waited >= 50, `locked too early: after ${waited}s`);
    await d.type("[data-testid=unlock-pass]", PASS);
    await d.chord(Keys.ENTER);
    await d.wait("[data-nav=credentials]", 30_000);
  } finally {
    await d.quit();
  }
});
