// End-to-end: customers and inquiries in the real window. Add a customer with
// an agreement, log a LINE inquiry, see it overdue on the dashboard, reply,
// close with a follow-up; import customers from CSV; read it in English.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Driver } from "./webdriver.mjs";
import { firstRun, choose, tokyoLocal } from "./helpers.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const HOME = process.env.HOME;
const STORE = join(HOME, ".local/share/noren");
const SHOTS = resolve(process.env.NOREN_SCREENSHOTS ?? join(HOME, "screenshots"));
const PASS = "おきゃくさま-の-あいことば";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const tokyoDay = (days) => new Date(Date.now() + 9 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

async function setValue(d, css, value) {
  await d.wait(css);
  await d.exec(
    "const el = document.querySelector(arguments[0]); el.value = arguments[1]; el.dispatchEvent(new Event('input', { bubbles: true })); el.dispatchEvent(new Event('change', { bubbles: true }));",
    [css, value],
  );
}


test("customer with agreement, overdue LINE inquiry on the dashboard, reply and close; CSV import", async () => {
  rmSync(STORE, { recursive: true, force: true });
  rmSync(join(HOME, ".config/noren"), { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  const d = await new Driver().start(APP);
  try {
    await firstRun(d, PASS);

    // The shop's name, saved once, signs the replies.
    await d.click("[data-nav=settings]");
    await d.type("[data-testid=shop-name]", "さくら整骨院");
    await d.click("[data-testid=shop-save]");
    await d.waitText("[data-testid=toast]", "営業日を保存しました");

    // A customer with an individual agreement.
    await d.click("[data-nav=customers]");
    await d.click("[data-testid=cust-add]");
    await d.type("[data-testid=cu-name]", "山田 花子");
    await d.type("[data-testid=cu-kana]", "やまだ はなこ");
    await d.type("[data-testid=cu-contact-value]", "はなこ🌸");
    await d.click("[data-testid=cu-agreement-add]");
    await d.type("[data-testid=cu-agreement]", "毎月第2土曜 10時に予約確保");
    await d.click("[data-testid=cu-save]");
    await d.gone("[data-testid=customer-form]");
    await d.waitText("[data-testid=cust-agreements]", "毎月第2土曜 10時に予約確保");
    await d.waitText("[data-testid=cust-timeline]", "約束を追加");

    // A LINE message received 26 hours ago with the default 24-hour deadline.
    await d.click("[data-nav=inquiries]");
    await d.click("[data-testid=inq-add]");
    await choose(d, "[data-testid=iq-customer]", "山田 花子");
    await setValue(d, "[data-testid=iq-received]", tokyoLocal(-26));
    await d.type("[data-testid=iq-summary]", "予約の変更");
    await d.click("[data-testid=iq-save]");
    await d.gone("[data-testid=inq-form]");
    await d.waitText("[data-testid=inq-status]", "期限切れ");

    // The dashboard shows it as overdue.
    await d.click("[data-nav=dashboard]");
    await d.waitText("[data-testid=dash-items]", "返信期限を過ぎています: 山田 花子（LINE）「予約の変更」");
    await sleep(200);
    await d.screenshot(join(SHOTS, "dashboard-reply-ja.png"));

    // Open it from the dashboard, reply, close with a follow-up tomorrow.
    await d.click("[data-kind=reply_overdue] button:not(.primary)");
    await d.waitText("[data-testid=inq-detail]", "予約の変更");
    await sleep(200);
    await d.screenshot(join(SHOTS, "inquiry-ja.png"));
    // A saved reply fills in the customer's name; the summary is the shop's own note
    // and never enters a reply (issue 20).
    await choose(d, "#iq-template", "お問い合わせへのお礼");
    let draft = "";
    for (let i = 0; i < 30 && !draft.includes("山田 花子様"); i++) {
      draft = await d.exec("return document.querySelector('[data-testid=iq-reply]').value");
      if (!draft.includes("山田 花子様")) await sleep(100);
    }
    assert.match(draft, /^山田 花子様\n/);
    assert.ok(!draft.includes("予約の変更"), draft);
    assert.match(draft, /さくら整骨院です/, "signed with the shop's name");
    await d.type("[data-testid=iq-reply]", "再来週の同じ時間でお取りしました");
    await d.click("[data-testid=iq-replied]");
    await d.waitText("[data-testid=inq-status]", "返信待ち");
    await setValue(d, "[data-testid=iq-follow-up]", tokyoDay(1));
    await d.click("[data-testid=iq-close]");
    await d.waitText("[data-testid=inq-status]", "対応済み");
    await d.waitText("[data-testid=iq-follow-up-date]", tokyoDay(1));
    await d.click("[data-nav=dashboard]");
    await d.wait("[data-testid=dash-empty]");

    // The customer's history tells the story.
    await d.click("[data-nav=customers]");
    await d.click("[data-testid=cust-item]");
    await d.waitText("[data-testid=cust-timeline]", "対応済み: 予約の変更");
    await sleep(200);
    await d.screenshot(join(SHOTS, "customer-ja.png"));

    // CSV import (UTF-8 with BOM, a quoted newline, a row without a name): preview, then import.
    const csv = join(HOME, "顧客名簿.csv");
    writeFileSync(csv, "\uFEFF名前,ふりがな,電話,メモ\n佐藤 一郎,さとう いちろう,03-1234-5678,\"紹介\n（山田さん）\"\n,,090-0000-0000,\n");
    await d.click("[data-testid=imp-open]");
    await d.type("[data-testid=imp-file]", csv);
    await d.click("[data-testid=imp-preview]");
    await d.waitText("[data-testid=imp-summary]", "1件を取り込めます（UTF-8 (BOM)）");
    // The quoted newline makes Sato's row lines 2–3, so the nameless row is line 4.
    await d.waitText("[data-testid=imp-skipped]", "4行目: 名前がありません");
    await sleep(200);
    await d.screenshot(join(SHOTS, "customers-import-ja.png"));
    await d.click("[data-testid=imp-run]");
    await d.waitText("[data-testid=cust-list]", "佐藤 一郎");
    await d.type("[data-testid=cust-search]", "ｻﾄｳ");
    await d.waitText("[data-testid=cust-list]", "佐藤 一郎");
    assert.ok(!(await d.textOf("[data-testid=cust-list]")).includes("山田"));

    // Business days: a summer closed period; an impossible date is refused in Japanese.
    await d.click("[data-nav=settings]");
    await d.wait("[data-testid=shop-form]");
    await d.click("[data-testid=shop-period-add]");
    await d.exec("const f = document.querySelectorAll('[data-testid=shop-period-from]'); const t = document.querySelectorAll('[data-testid=shop-period-to]'); for (const [el, v] of [[f[f.length - 1], '08-13'], [t[t.length - 1], '02-30']]) { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); }");
    await d.click("[data-testid=shop-save]");
    await d.waitText("[data-testid=toast]", "休業期間の入力を確認してください");
    await d.exec("const t = document.querySelectorAll('[data-testid=shop-period-to]'); const el = t[t.length - 1]; el.value = '08-16'; el.dispatchEvent(new Event('input', { bubbles: true }));");
    await d.click("[data-testid=shop-save]");
    await d.waitText("[data-testid=toast]", "営業日を保存しました");

    // English.
    await d.click("[data-testid=lang-en]");
    await d.click("[data-nav=inquiries]");
    await d.click("[data-testid=inq-item]");
    await d.waitText("[data-testid=inq-status]", "Done");
    await sleep(200);
    await d.screenshot(join(SHOTS, "inquiry-en.png"));
  } catch (e) {
    await d.screenshot(join(SHOTS, "customers-failure.png")).catch(() => {});
    throw e;
  } finally {
    await d.quit();
  }
});
