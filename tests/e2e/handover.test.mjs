// End-to-end: handover in the real window. Record who knows which password,
// mark the web person as departed, work through the rotation checklist (the
// dashboard shows the progress until done), see the audit, make the emergency
// kit and look at its print preview, then lose the passphrase and open the
// store with two of the three printed keys.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { Driver } from "./webdriver.mjs";
import { firstRun, setInput } from "./helpers.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const HOME = process.env.HOME;
const STORE = join(HOME, ".local/share/noren");
const SHOTS = resolve(process.env.NOREN_SCREENSHOTS ?? join(HOME, "screenshots"));
const PASS = "ひきつぎ-の-あいことば";
const NEW_PASS = "あたらしい-あいことば-2026";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function addCredential(d, category, name, password, knownBy) {
  await d.click("[data-nav=credentials]");
  await d.click("[data-testid=cred-add]");
  await setInput(d, "[data-testid=f-category]", category);
  await d.type("[data-testid=f-name]", name);
  await d.type("[data-testid=f-password]", password);
  await d.type("[data-testid=f-known]", knownBy);
  await d.click("[data-testid=f-save]");
  await d.gone("[data-testid=cred-form]");
}

/** Opens checklist item `n` of the departed person and gives it a new password. */
async function rotateItem(d, n, password) {
  await d.click("[data-nav=handover]");
  await d.wait("[data-testid=ho-checklist]");
  await d.exec("document.querySelectorAll('[data-testid=ho-item]:not(.done) [data-testid=ho-open]')[arguments[0]].click()", [n]);
  await d.click("[data-testid=edit]");
  await d.type("[data-testid=f-password]", password);
  await d.click("[data-testid=f-save]");
  await d.gone("[data-testid=cred-form]");
}

test("departure checklist, audit, emergency kit print preview and recovery with 2 of 3 keys", async () => {
  rmSync(STORE, { recursive: true, force: true });
  rmSync(join(HOME, ".config/noren"), { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  const d = await new Driver().start(APP);
  try {
    await firstRun(d, PASS);
    await addCredential(d, "domain", "salon-example.jp", "Vq8#rT2!mZp9@Lx4wE", "田中");
    await addCredential(d, "sns", "Instagram", "Kp3$wQ9!nB7&xR2z", "田中、佐藤");
    await addCredential(d, "website", "WordPress", "Zt6^hN1*qW8%eY3u", "佐藤");

    // People.
    await d.click("[data-nav=handover]");
    for (const name of ["田中", "佐藤"]) {
      await d.type("[data-testid=ho-name]", name);
      await d.click("[data-testid=ho-add]");
      await d.waitText("[data-testid=ho-people]", name);
    }

    // 田中 leaves today: a checklist of the two accounts they knew, domain first.
    await d.click("[data-person=田中] [data-testid=ho-depart]");
    await d.click("[data-testid=ho-depart-save]");
    await d.waitText("[data-testid=ho-checklist]", "2件中 0件 完了");
    const list = await d.textOf("[data-testid=ho-checklist]");
    assert.ok(list.indexOf("salon-example.jp") < list.indexOf("Instagram"), list);
    assert.ok(!list.includes("WordPress"), "佐藤's account is not 田中's to rotate");
    await sleep(200);
    await d.screenshot(join(SHOTS, "handover-ja.png"));

    await d.click("[data-nav=dashboard]");
    await d.waitText("[data-testid=dash-items]", "田中さんの退職に伴う変更: 0/2件完了（次は「salon-example.jp」）");

    // Work through it: each new password ticks an item.
    await rotateItem(d, 0, "New-Domain-Pass-2026!x");
    await d.click("[data-nav=handover]");
    await d.waitText("[data-testid=ho-checklist]", "2件中 1件 完了");
    await rotateItem(d, 0, "New-Insta-Pass-2026!y");
    await d.click("[data-nav=handover]");
    await d.waitText("[data-testid=ho-checklist]", "2件中 2件 完了");
    await d.click("[data-nav=dashboard]");
    await d.wait("[data-testid=dash-empty]");

    // The audit explains itself.
    await d.click("[data-nav=handover]");
    await d.waitText("[data-testid=ho-findings]", "2段階認証");

    // The emergency kit: 3 keys, any 2 open the store; print preview.
    await setInput(d, "[data-testid=ho-shares]", "3");
    await setInput(d, "[data-testid=ho-threshold]", "2");
    await d.type("[data-testid=ho-holders]", "店長、税理士、ウェブ工房");
    await d.click("[data-testid=ho-make]");
    await d.click("[data-testid=confirm-yes]");
    await d.waitText("[data-testid=ho-preview]", "Noren 引き継ぎシート");
    const shares = await d.exec(
      "return [...document.querySelectorAll('[data-testid=ho-share] .code')].map((e) => e.textContent.trim())",
    );
    assert.equal(shares.length, 3);
    assert.ok(shares.every((s) => s.startsWith("NOREN-KIT1-")));
    assert.equal(await d.exec("return document.querySelectorAll('[data-testid=ho-share] svg').length"), 3, "a QR code per key");
    const preview = await d.textOf("[data-testid=ho-preview]");
    assert.ok(preview.includes("税理士") && preview.includes("salon-example.jp"));
    assert.ok(!preview.includes("New-Domain-Pass") && !preview.includes(PASS), "no secret on the sheet");
    // The print stylesheet shows only the kit.
    const printOnly = await d.exec(
      "return [...document.styleSheets].some((s) => [...s.cssRules].some((r) => r.media && r.media.mediaText === 'print'))",
    );
    assert.ok(printOnly);
    await sleep(200);
    await d.screenshot(join(SHOTS, "kit-preview-ja.png"));

    // The passphrase is lost: lock, then open with keys 3 and 1 and a new passphrase.
    await d.click("[data-testid=lock]");
    await d.wait("[data-testid=unlock-form]");
    await d.click("[data-testid=unlock-recover-open]");
    await d.type("[data-testid=recover-shares]", `${shares[2]}`);
    await d.type("[data-testid=recover-pass]", NEW_PASS);
    await d.type("[data-testid=recover-again]", NEW_PASS);
    await d.click("[data-testid=recover-submit]");
    await d.waitText("[data-testid=unlock-error]", "鍵を確認してください");
    await d.type("[data-testid=recover-shares]", `${shares[2]}\n${shares[0]}`);
    await d.click("[data-testid=recover-submit]");
    await d.wait("[data-nav=settings]");
    await d.click("[data-testid=lock]");
    await d.type("[data-testid=unlock-pass]", PASS);
    await d.click("[data-testid=unlock-submit]");
    await d.waitText("[data-testid=unlock-error]", "合言葉が違います");
    await d.type("[data-testid=unlock-pass]", NEW_PASS);
    await d.click("[data-testid=unlock-submit]");
    await d.wait("[data-nav=settings]");

    // English.
    await d.click("[data-nav=settings]");
    await d.click("[data-testid=lang-en]");
    await d.click("[data-nav=handover]");
    await d.waitText("[data-testid=ho-checklist]", "Progress: 2 of 2 done");
    await sleep(200);
    await d.screenshot(join(SHOTS, "handover-en.png"));
  } finally {
    await d.quit();
  }
});
