// End-to-end: a bad Google review, answered as the shop should. The complaint
// guidance starts with the 24-hour rule and moving it to the phone; the public
// review reply is signed from the shop profile; what the owner has not written
// yet is asked for before anything is copied; the copy lands on the clipboard.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { Driver } from "./webdriver.mjs";
import { firstRun, setInput, choose, tokyoLocal, freshHome } from "./helpers.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const HOME = process.env.HOME;
const SHOTS = resolve(process.env.NOREN_SCREENSHOTS ?? join(HOME, "screenshots"));
const PASS = "わるい-くちこみ-に-ていねいな-へんしん";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const clipboard = () => execFileSync("xclip", ["-o", "-selection", "clipboard"], { encoding: "utf8", timeout: 5000 });


const reply = (d) => d.exec("return document.querySelector('[data-testid=iq-reply]').value");

test("a bad Google review: 24-hour guidance, a signed public reply, nothing copied half-written", async () => {
  freshHome();
  mkdirSync(SHOTS, { recursive: true });
  const d = await new Driver().start(APP);
  try {
    await firstRun(d, PASS);
    await d.click("[data-nav=settings]");
    await d.type("[data-testid=shop-name]", "さくら整骨院");
    await d.type("[data-testid=shop-signature]", "さくら整骨院 院長 佐藤");
    await d.click("[data-testid=shop-save]");
    await d.waitText("[data-testid=toast]", "営業日を保存しました");

    await d.click("[data-nav=inquiries]");
    await d.click("[data-testid=inq-add]");
    // Errors where the eye is: an emptied received time, then an empty summary,
    // each said below its own field, which gets the focus.
    await setInput(d, "[data-testid=iq-received]", "");
    await d.click("[data-testid=iq-save]");
    await d.waitText("[data-testid=field-error]", "ここを入力してください");
    assert.equal(await d.activeTestId(), "iq-received");
    await setInput(d, "[data-testid=iq-received]", tokyoLocal(-2));
    await d.gone("[data-testid=field-error]");
    await d.type("[data-testid=iq-sender]", "K.T");
    await d.click("[data-testid=iq-save]");
    await d.waitText("[data-testid=field-error]", "要件をひとことで入力してください");
    assert.equal(await d.activeTestId(), "iq-summary");
    await d.type("[data-testid=iq-sender]", "");
    await choose(d, "[data-testid=iq-channel]", "Google口コミ");
    await d.type("[data-testid=iq-sender]", "K.T");
    await setInput(d, "[data-testid=iq-received]", tokyoLocal(-2));
    await setInput(d, "[data-testid=iq-kind]", "complaint");
    await d.type("[data-testid=iq-summary]", "受付の対応が冷たかった（星1）");
    await d.click("[data-testid=iq-save]");
    await d.gone("[data-testid=inq-form]");

    // The guidance begins with the first reply within 24 hours and moving off the public page.
    const guide = await d.textOf("[data-testid=playbook]");
    assert.ok(guide.startsWith("苦情") || guide.includes("24時間以内に最初の返信"), guide);
    assert.ok(guide.indexOf("24時間以内") < guide.indexOf("お礼"), guide);
    assert.ok(guide.includes("DM か電話に移した"), guide);

    await choose(d, "#iq-template", "厳しい口コミへの返信（公開の場）");
    let text = "";
    for (let i = 0; i < 30 && !text.includes("K.T様"); i++) {
      text = await reply(d);
      if (!text.includes("K.T様")) await sleep(100);
    }
    assert.ok(text.endsWith("さくら整骨院 院長 佐藤"), text);
    assert.ok(!text.includes("冷たかった"), "the shop's own summary stays out of a public reply");
    // No phone number saved yet: the reply says so, and copying is refused next to the box.
    assert.ok(text.includes("（お店の電話番号をここに）"), text);
    await d.click("[data-testid=iq-copy]");
    await d.waitText("[data-testid=iq-missing]", "（お店の電話番号をここに）");
    assert.equal(await d.activeTestId(), "iq-reply", "the box is focused on what is missing");
    await sleep(200);
    await d.screenshot(join(SHOTS, "reply-missing-ja.png"));

    // Written in, it copies: exactly the text in the box.
    await d.exec(
      "const el = document.querySelector('[data-testid=iq-reply]'); el.value = el.value.replace('（お店の電話番号をここに）', '03-1234-5678'); el.dispatchEvent(new Event('input', { bubbles: true }));",
    );
    await d.gone("[data-testid=iq-missing]");
    await d.click("[data-testid=iq-copy]");
    await d.waitText("[data-testid=toast]", "返信文をコピーしました");
    const copied = clipboard();
    assert.equal(copied, await reply(d));
    assert.ok(copied.includes("お電話 03-1234-5678 にて"), copied);
    await d.click("[data-testid=iq-replied]");
    await d.waitText("[data-testid=inq-status]", "返信待ち");
  } finally {
    await d.quit();
  }
});

// A LINE message on the Saturday before 勤労感謝の日 (Monday 2026-11-23), with a
// reply within one business day: due Tuesday 18:00, and 今日やること says why.
// (A fixed past date: the deadline has passed on any day this runs.)
test("a LINE message on the Saturday before a holiday: the deadline explains itself", async () => {
  freshHome();
  const d = await new Driver().start(APP);
  try {
    await firstRun(d, PASS);
    await d.click("[data-nav=inquiries]");
    await d.click("[data-testid=inq-add]");
    await d.type("[data-testid=iq-sender]", "佐々木");
    await setInput(d, "[data-testid=iq-received]", "2026-11-21T15:00");
    await setInput(d, "[data-testid=iq-within]", "1bd");
    await d.type("[data-testid=iq-summary]", "来週の予約");
    await d.click("[data-testid=iq-save]");
    await d.gone("[data-testid=inq-form]");
    await d.click("[data-nav=dashboard]");
    await d.waitText("[data-testid=dash-group-late]", "期限を過ぎたもの");
    const why = await d.textOf("[data-kind=reply_overdue] [data-testid=dash-why]");
    assert.equal(why, "11/21(土) 15:00受付、1営業日後の閉店時刻（18:00）まで。お休みの日を飛ばしています: 11/22(日) 定休日、11/23(月) 勤労感謝の日");
    await sleep(200);
    await d.screenshot(join(SHOTS, "dashboard-why-ja.png"));
  } finally {
    await d.quit();
  }
});
