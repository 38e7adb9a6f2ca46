// End-to-end: the owner's first week, alone. The guide on 今日やること leads to
// the five kinds of logins (each added in place), then 「人が辞めた・辞める」:
// the departure checklist lists every login not known to be safe, the owner
// answers for the untagged ones, and items tick instead of vanishing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { Driver } from "./webdriver.mjs";
import { firstRun, freshHome } from "./helpers.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const HOME = process.env.HOME;
const SHOTS = resolve(process.env.NOREN_SCREENSHOTS ?? join(HOME, "screenshots"));
const PASS = "はじめて-の-いっしゅうかん";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const value = (d, css) => d.exec("return document.querySelector(arguments[0]).value;", [css]);

/** From the guide: 「追加」 next to a kind opens the form with that kind chosen. */
async function addFromGuide(d, category, name, password, knownBy = "") {
  await d.click("[data-nav=dashboard]");
  await d.click(`[data-testid=guide-add-${category}]`);
  await d.wait("[data-testid=cred-form]");
  assert.equal(await value(d, "[data-testid=f-category]"), category);
  await d.type("[data-testid=f-name]", name);
  await d.type("[data-testid=f-password]", password);
  if (knownBy) await d.type("[data-testid=f-known]", knownBy);
  await d.click("[data-testid=f-save]");
  await d.gone("[data-testid=cred-form]");
}

test("the first-week guide, five logins, and a departure that misses none", async () => {
  freshHome();
  mkdirSync(SHOTS, { recursive: true });
  const d = await new Driver().start(APP);
  try {
    await firstRun(d, PASS);
    await d.click("[data-nav=dashboard]");
    await d.waitText("[data-testid=guide]", "5つ中 0つ 完了");
    const guide = await d.textOf("[data-testid=guide]");
    for (const kind of ["ホームページ・CMS", "SNS", "予約・集客サイト", "メールの設定", "ドメイン・サーバー", "非常用キット"]) {
      assert.ok(guide.includes(kind), `${kind} in ${guide}`);
    }
    await sleep(200);
    await d.screenshot(join(SHOTS, "guide-ja.png"));

    await addFromGuide(d, "website", "WordPress", "Zt6^hN1*qW8%eY3u", "田中");
    await addFromGuide(d, "sns", "Instagram", "Kp3$wQ9!nB7&xR2z");
    await addFromGuide(d, "portal", "ホットペッパー", "Hp5$kR9!wQ3&nB7z");
    await addFromGuide(d, "email", "お店のメール", "Ml4#pW8!qZ2^kT6r");
    await d.click("[data-nav=dashboard]");
    await d.waitText("[data-testid=guide]", "5つ中 0つ 完了");
    await addFromGuide(d, "domain", "salon-example.jp", "Vq8#rT2!mZp9@Lx4wE");
    await d.click("[data-nav=dashboard]");
    await d.waitText("[data-testid=guide]", "5つ中 1つ 完了");
    assert.ok(!(await d.findAll("[data-testid^=guide-add-]")).length, "all five kinds ticked");

    // 田中 quits. Only WordPress names them; the other four are listed for review.
    await d.click("[data-testid=dash-someone-left]");
    await d.wait("[data-testid=ho-name]");
    await d.type("[data-testid=ho-name]", "田中");
    await d.click("[data-testid=ho-add]");
    await d.click("[data-person=田中] [data-testid=ho-depart]");
    await d.click("[data-testid=ho-depart-save]");
    await d.waitText("[data-testid=ho-checklist]", "5件中 0件 完了");
    const list = await d.textOf("[data-testid=ho-checklist]");
    assert.ok(list.includes("田中さんが知っていたか分からないログインが4件"), list);
    // Riskiest first: the domain and the mail before the website and the SNS.
    const at = (name) => list.indexOf(name);
    assert.ok(at("salon-example.jp") < at("お店のメール") && at("お店のメール") < at("WordPress") && at("WordPress") < at("Instagram"), list);
    await sleep(200);
    await d.screenshot(join(SHOTS, "departure-review-ja.png"));

    // The owner's answers: 田中 knew Instagram's password; not the mail's; none of the rest.
    const answer = async (name, button) => {
      await d.exec(
        "const li = [...document.querySelectorAll('[data-testid=ho-item]')].find((x) => x.textContent.includes(arguments[0])); li.querySelector(arguments[1]).click();",
        [name, `[data-testid=${button}]`],
      );
    };
    await answer("Instagram", "ho-knew");
    await d.waitText("[data-testid=ho-checklist]", "3件");
    await answer("お店のメール", "ho-did-not-know");
    await d.waitText("[data-testid=ho-checklist]", "5件中 1件 完了");
    await d.click("[data-testid=ho-clear-rest]");
    await d.waitText("[data-testid=confirm]", "まだ答えていない2件");
    await d.click("[data-testid=confirm-yes]");
    await d.waitText("[data-testid=ho-checklist]", "5件中 3件 完了");
    await d.gone("[data-testid=ho-clear-rest]");
    // The ticked ones stay on the list, marked.
    assert.equal((await d.findAll("[data-testid=ho-item]")).length, 5);
    assert.equal((await d.findAll("[data-testid=ho-item-done]")).length, 3);

    // 今日やること leads on to what is left (WordPress and Instagram need new passwords).
    await d.click("[data-nav=dashboard]");
    await d.waitText("[data-testid=dash-items]", "田中さんの退職に伴う変更: 3/5件完了");

    // The guide can be closed; Settings brings it back.
    await d.click("[data-testid=guide-hide]");
    await d.gone("[data-testid=guide]");
    await d.click("[data-nav=settings]");
    await d.wait("[data-testid=s-guide]");
    assert.equal(await d.exec("return document.querySelector('[data-testid=s-guide]').checked;"), false);
  } finally {
    await d.quit();
  }
});
