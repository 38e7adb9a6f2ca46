// End-to-end: the posting calendar in the real window. Add a channel, record
// posts, see the lapse on the dashboard and the calendar, clear it with
// "投稿した", plan a post, and read it all in English.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { Driver } from "./webdriver.mjs";
import { firstRun } from "./helpers.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const HOME = process.env.HOME;
const STORE = join(HOME, ".local/share/noren");
const SHOTS = resolve(process.env.NOREN_SCREENSHOTS ?? join(HOME, "screenshots"));
const PASS = "かれんだー-の-あいことば";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The shop-local (Tokyo) day `n` days from now, "YYYY-MM-DD". */
const tokyoDay = (n = 0) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(Date.now() + n * 86_400_000));

/** Sets an <input> the way a date/time picker would (WebDriver cannot type into them portably). */
async function setValue(d, css, value) {
  await d.wait(css);
  await d.exec(
    "const el = document.querySelector(arguments[0]); el.value = arguments[1]; el.dispatchEvent(new Event('input', { bubbles: true }));",
    [css, value],
  );
}

test("channel lapse shows on the dashboard and the calendar, and 投稿した clears it", async () => {
  rmSync(STORE, { recursive: true, force: true });
  rmSync(join(HOME, ".config/noren"), { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  const d = await new Driver().start(APP);
  try {
    await firstRun(d, PASS);
    await d.click("[data-nav=calendar]");
    await d.wait("[data-testid=cal-empty]");

    // Add the blog; a bad feed address is refused in Japanese and nothing is saved.
    await d.click("[data-testid=cal-add]");
    await d.type("[data-testid=ch-name]", "さくら整骨院ブログ");
    await d.type("[data-testid=ch-feed]", "ftp://example.jp/feed");
    await d.click("[data-testid=ch-save]");
    await d.waitText("[data-testid=ch-error]", "フィードのURLが正しくありません");
    await d.type("[data-testid=ch-feed]", "");
    await d.click("[data-testid=ch-rhythm-every]");
    await d.type("[data-testid=ch-rhythm-value]", "3");
    await d.click("[data-testid=ch-save]");
    await d.gone("[data-testid=channel-form]");
    await d.waitText("[data-testid=channel-status]", "まだ投稿なし");

    // Five posts three days apart, the last one 18 days ago.
    for (const n of [-30, -27, -24, -21, -18]) {
      await setValue(d, "[data-testid=past-when]", `${tokyoDay(n)}T10:00`);
      await d.type("[data-testid=past-title]", `施術のお知らせ ${n}`);
      await d.click("[data-testid=past-save]");
      await d.waitText("[data-testid=history]", `施術のお知らせ ${n}`);
    }
    await d.waitText("[data-testid=channel-status]", "長く止まっています");
    const silent = Math.floor((Date.now() - Date.parse(`${tokyoDay(-18)}T10:00:00+09:00`)) / 86_400_000);
    assert.equal(await d.textOf("[data-testid=channel-explain]"), `普段は約3日ごと。最後の投稿から${silent}日`);
    // Today's cell is inside the lapse, and the recorded posts are on the calendar.
    await d.click("[data-testid=cal-all]");
    await d.wait(`td[data-day="${tokyoDay(0)}"][data-lapse="true"]`);
    await d.click("[data-testid=cal-week]");
    await d.wait(`td[data-day="${tokyoDay(0)}"][data-lapse="true"]`);
    await d.click("[data-testid=cal-month]");
    // The month of the last recorded post shows it (and the one before, 3 days earlier, unless across a month).
    if (tokyoDay(-18).slice(0, 7) !== tokyoDay(0).slice(0, 7)) {
      await d.click("[data-testid=cal-prev]");
      await d.waitText("[data-testid=cal-period]", tokyoDay(-18).slice(0, 7));
    }
    let chips = 0;
    for (let i = 0; i < 50 && chips < 1; i++) {
      chips = await d.exec("return document.querySelectorAll('[data-testid=cal-grid] [data-mark=posted]').length");
      if (chips < 1) await sleep(150);
    }
    assert.ok(chips >= 1, `posted chips in the month: ${chips}`);
    await d.click("[data-testid=channel-card] .pick");
    await d.wait("[data-testid=channel-stats]");
    assert.match(await d.textOf("[data-testid=channel-stats]"), /3日/);
    await sleep(300);
    await d.screenshot(join(SHOTS, "calendar-lapse-ja.png"));

    // The dashboard explains the lapse; "投稿した" clears it.
    await d.click("[data-nav=dashboard]");
    await d.waitText("[data-testid=dash-items]", `「さくら整骨院ブログ」の投稿が止まっています。普段は約3日ごと、最後の投稿から${silent}日`);
    await sleep(200);
    await d.screenshot(join(SHOTS, "dashboard-lapse-ja.png"));
    await d.click("[data-testid=dash-posted]");
    await d.wait("[data-testid=dash-empty]");

    // Back on track; plan a post for tomorrow.
    await d.click("[data-nav=calendar]");
    await d.waitText("[data-testid=channel-status]", "順調");
    await d.click("[data-testid=channel-card] .pick");
    await setValue(d, "[data-testid=plan-date]", tokyoDay(1));
    await d.type("[data-testid=plan-title]", "年末年始の営業時間");
    await d.click("[data-testid=plan-save]");
    await d.waitText("[data-testid=channel-detail]", "年末年始の営業時間");
    // Edit the plan's title.
    await d.click("[data-testid=post-edit-open]");
    await d.type("[data-testid=post-edit-title]", "年末年始の営業時間のお知らせ");
    await d.click("[data-testid=post-edit-save]");
    await d.gone("[data-testid=post-edit]");
    await d.waitText("[data-testid=channel-detail]", "年末年始の営業時間のお知らせ");

    // Notification settings: quiet hours, and the reminder timer for when the app is closed.
    await d.click("[data-nav=settings]");
    await d.wait("[data-testid=notify-form]");
    await setValue(d, "[data-testid=quiet-start]", "22:30");
    await d.click("[data-testid=notify-form] button[type=submit]");
    // Saved in the store: visible again after leaving and coming back.
    await d.click("[data-nav=dashboard]");
    await d.click("[data-nav=settings]");
    await d.wait("[data-testid=quiet-start]");
    let quietStart = "";
    for (let i = 0; i < 30 && quietStart !== "22:30"; i++) {
      quietStart = await d.exec("return document.querySelector('[data-testid=quiet-start]').value");
      if (quietStart !== "22:30") await sleep(100);
    }
    assert.equal(quietStart, "22:30");
    await d.waitText("[data-testid=timer-state]", "未登録");
    await d.click("[data-testid=timer-toggle]");
    await d.waitText("[data-testid=timer-state]", "登録済み");
    const unit = readFileSync(join(HOME, ".config/systemd/user/noren-check.service"), "utf8");
    assert.match(unit, /check --notify/);
    assert.ok(existsSync(join(HOME, ".config/noren/calendar.key")));
    await sleep(200);
    await d.screenshot(join(SHOTS, "settings-notify-ja.png"));
    await d.click("[data-testid=timer-toggle]");
    await d.waitText("[data-testid=timer-state]", "未登録");
    assert.ok(!existsSync(join(HOME, ".config/noren/calendar.key")));

    // English.
    await d.click("[data-testid=lang-en]");
    await d.click("[data-nav=calendar]");
    await d.waitText("[data-testid=channel-status]", "On track");
    assert.match(await d.textOf("[data-testid=channel-explain]"), /^Usually every ~3 days\. 0 days since the last post$/);
    await d.click("[data-testid=channel-card] .pick");
    await d.waitText("[data-testid=channel-detail]", "Coming up");
    await sleep(300);
    await d.screenshot(join(SHOTS, "calendar-en.png"));
  } catch (e) {
    await d.screenshot(join(SHOTS, "calendar-failure.png")).catch(() => {});
    throw e;
  } finally {
    await d.quit();
  }
});
