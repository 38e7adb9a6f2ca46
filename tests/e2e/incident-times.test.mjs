// End-to-end: an incident told as it happened. Noticed at 09:10 (recorded
// later), a call logged at 09:30, over at 11:35; the report names 発生 and
// 検知 apart and agrees with the affected period; the incident links to the
// vendor to call and the login involved.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { Driver } from "./webdriver.mjs";
import { firstRun, setInput, tokyoDay, freshHome } from "./helpers.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const HOME = process.env.HOME;
const SHOTS = resolve(process.env.NOREN_SCREENSHOTS ?? join(HOME, "screenshots"));
const PASS = "けいい-を-ただしく-のこす-あいことば";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("an incident with its real times, the vendor to call and the login involved", async () => {
  freshHome();
  mkdirSync(SHOTS, { recursive: true });
  // Yesterday in shop time: every time below is in the past whenever the test runs.
  const day = tokyoDay(-1);
  const d = await new Driver().start(APP);
  try {
    await firstRun(d, PASS);
    await d.click("[data-nav=credentials]");
    await d.click("[data-testid=cred-add]");
    await d.type("[data-testid=f-name]", "WordPress 管理画面");
    await d.type("[data-testid=f-password]", "Zt6^hN1*qW8%eY3u");
    await d.click("[data-testid=f-save]");
    await d.gone("[data-testid=cred-form]");
    await d.click("[data-nav=vendors]");
    await d.click("[data-testid=vnd-add]");
    await d.type("[data-testid=vnd-company]", "ウェブ工房");
    await d.type("[data-testid=vnd-phone]", "03-1111-2222");
    await d.click("[data-testid=vnd-save]");
    await d.gone("[data-testid=vnd-form]");

    await d.click("[data-nav=incidents]");
    await d.click("[data-testid=inc-add]");
    await d.type("[data-testid=inc-new-title]", "予約フォームが送信できない");
    await setInput(d, "[data-testid=inc-new-detected]", `${day}T09:10`);
    await d.click("[data-testid=inc-new-save]");
    await d.wait("[data-testid=inc-detail]");
    await d.waitText("[data-testid=inc-timeline]", " 9:10 発生・検知");

    // Who to call, and the login involved: chosen once, shown with the incident.
    await setInput(d, "[data-testid=inc-vendor]", await d.exec("return [...document.querySelector('[data-testid=inc-vendor]').options].find((o) => o.text === 'ウェブ工房').value;"));
    await d.waitText("[data-testid=inc-vendor-call]", "03-1111-2222");
    await setInput(d, "[data-testid=inc-login-add]", await d.exec("return [...document.querySelector('[data-testid=inc-login-add]').options].find((o) => o.text === 'WordPress 管理画面').value;"));
    await d.waitText("[data-testid=inc-links]", "WordPress 管理画面");

    // The call at 09:30, typed in afterwards; the affected period 07:00–11:30.
    await setInput(d, "[data-testid=inc-log-at]", `${day}T09:30`);
    await d.type("[data-testid=inc-log-text]", "ウェブ工房に電話、折り返し待ち");
    await d.click("[data-testid=inc-log-text] ~ button");
    await d.waitText("[data-testid=inc-timeline]", "ウェブ工房に電話");
    await d.exec(
      "const f = [...document.querySelectorAll('[data-testid=inc-steps] input[type=datetime-local]')]; const set = (el, v) => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); }; set(f[0], arguments[0]); set(f[1], arguments[1]);",
      [`${day}T07:00`, `${day}T11:30`],
    );
    await d.click("[data-testid=inc-save]");
    await d.waitText("[data-testid=toast]", "保存しました");

    // Over at 11:35.
    await setInput(d, "[data-testid=inc-close-at]", `${day}T11:35`);
    await d.click("[data-testid=inc-close]");
    await d.waitText("[data-testid=inc-timeline]", "解決");
    const times = await d.exec("return [...document.querySelectorAll('[data-testid=inc-timeline] li')].map((li) => li.textContent);");
    assert.ok(times[0].includes("9:10") && times[1].includes("9:30") && times[times.length - 1].includes("11:35"), JSON.stringify(times));

    await d.click("[data-testid=inc-preview]");
    await d.waitText("[data-testid=inc-report]", "検知日時");
    const report = await d.textOf("[data-testid=inc-report]");
    assert.ok(/発生日時\s*\d{4}年\d{2}月\d{2}日 07:00/.test(report), report);
    assert.ok(/検知日時\s*\d{4}年\d{2}月\d{2}日 09:10/.test(report), report);
    assert.ok(/解決済み（\d{4}年\d{2}月\d{2}日 11:35）/.test(report), report);
    assert.ok(!report.includes("発生・検知日時"), report);
    await d.exec("document.querySelector('[data-testid=inc-links]').scrollIntoView({ block: 'start' });");
    await sleep(200);
    await d.screenshot(join(SHOTS, "incident-times-ja.png"));
  } finally {
    await d.quit();
  }
});
