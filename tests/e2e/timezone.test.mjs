// End-to-end: a shop outside Japan. Its time zone is chosen in Settings, kept
// in the store, and the window reads and shows every time in it: an inquiry
// received at 15:00 shop time with a 24-hour reply rule is due at 15:00 the
// next day, shop time (a window that built instants at +09:00 said 07:00).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { Driver } from "./webdriver.mjs";
import { firstRun, setInput, freshHome, choose } from "./helpers.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const SHOTS = resolve(process.env.NOREN_SCREENSHOTS ?? join(process.env.HOME, "screenshots"));
const PASS = "ベルリン-の-おみせ-も-おなじ-あんしん";

test("the shop's time zone: chosen once, every time read and shown in it", async () => {
  freshHome();
  mkdirSync(SHOTS, { recursive: true });
  const d = await new Driver().start(APP);
  try {
    await firstRun(d, PASS);
    await d.click("[data-nav=settings]");
    await d.wait("[data-testid=shop-zone]");
    assert.equal(await d.exec("return document.querySelector('[data-testid=shop-zone]').value"), "Asia/Tokyo", "Japan by default");
    await choose(d, "[data-testid=shop-zone]", "Europe/Berlin", "value");
    await d.click("[data-testid=shop-save]");
    await d.waitText("[data-testid=toast]", "営業日を保存しました");
    await d.exec("document.querySelector('[data-testid=shop-zone]').scrollIntoView({ block: 'center' })");
    await d.screenshot(join(SHOTS, "settings-timezone.png"));

    await d.click("[data-nav=inquiries]");
    await d.click("[data-testid=inq-add]");
    await setInput(d, "[data-testid=iq-received]", "2026-11-20T15:00");
    await d.type("[data-testid=iq-sender]", "M. Weber");
    await d.type("[data-testid=iq-summary]", "予約の確認");
    await choose(d, "[data-testid=iq-within]", "24h", "value");
    await d.click("[data-testid=iq-save]");
    await d.waitText("body", "2026/11/21 15:00");
    const page = await d.exec("return document.body.innerText");
    assert.ok(!page.includes("2026/11/21 07:00"), "not read at +09:00");
    await d.screenshot(join(SHOTS, "inquiry-in-berlin.png"));

    // Kept in the store: after a lock and unlock the window still reads Berlin time.
    await d.click("[data-testid=lock]");
    await d.wait("[data-testid=unlock-pass]");
    await d.type("[data-testid=unlock-pass]", PASS);
    await d.click("[data-testid=unlock-submit]");
    await d.wait("[data-nav=inquiries]", 30_000);
    await d.click("[data-nav=inquiries]");
    await d.waitText("body", "2026/11/21 15:00");
  } finally {
    await d.quit();
  }
});
