// End-to-end: sharing the store with another laptop (Settings → 共有). The other laptop is
// noren-cli on a store of its own; the "sync program" is the folder both use.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { Driver, Keys } from "./webdriver.mjs";
import { firstRun, freshHome } from "./helpers.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const CLI = resolve(process.env.NOREN_CLI ?? "target/debug/noren-cli");
const HOME = process.env.HOME;
const SHOTS = resolve(process.env.NOREN_SCREENSHOTS ?? join(HOME, "screenshots"));
const PASS = "きょうゆう-の-あいことば";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The front desk's laptop: noren-cli on its own store. */
function frontDesk(store, args, env = {}) {
  const vars = { ...process.env, NOREN_PASSPHRASE: "front desk passphrase", ...env };
  // The same clock as the window's: both date their changes now.
  delete vars.NOREN_NOW;
  return execFileSync(CLI, ["--store", store, ...args], { encoding: "utf8", timeout: 60_000, env: vars });
}

test("share the store through a folder, invite the front desk, receive its customer", async () => {
  freshHome();
  const folder = join(HOME, "Sync", "noren");
  const desk = join(HOME, "front-desk-store");
  rmSync(join(HOME, "Sync"), { recursive: true, force: true });
  rmSync(desk, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  mkdirSync(SHOTS, { recursive: true });
  frontDesk(desk, ["init"]);

  const d = await new Driver().start(APP);
  try {
    await firstRun(d, PASS);
    await d.click("[data-nav=customers]");
    await d.click("[data-testid=cust-add]");
    await d.type("[data-testid=cu-name]", "山田 花子");
    await d.click("[data-testid=cu-save]");
    await d.gone("[data-testid=customer-form]");
    await d.waitText("[data-testid=cust-list]", "山田 花子");

    await d.click("[data-nav=settings]");
    await d.wait("[data-testid=sharing]");
    // A folder that is not there is refused next to the form, in Japanese.
    await d.type("[data-testid=share-folder]", join(HOME, "no-such-folder"));
    await d.type("[data-testid=share-name]", "店長のPC");
    await d.chord(Keys.ENTER);
    await d.waitText("[data-share=start] [data-testid=share-error]", "共有フォルダが見つかりません");
    await d.type("[data-testid=share-folder]", folder);
    await d.click("[data-testid=share-start]");
    await d.waitText("[data-testid=share-state]", "最新です", 30_000);
    await d.waitText("[data-testid=share-devices]", "店長のPC");
    await d.waitText("[data-testid=share-badge]", "共有: 最新", 70_000);

    // Invite the front desk: the code is shown once.
    await d.click("[data-testid=share-scope-front-desk]");
    await d.click("[data-testid=share-invite]");
    await d.wait("[data-testid=share-invite-code]", 30_000);
    const code = (await d.textOf("[data-testid=share-invite-code]")).trim();
    assert.match(code, /^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/);
    await d.exec("document.querySelector('[data-testid=share-invite-code]').scrollIntoView({ block: 'end' });");
    await sleep(300);
    await d.screenshot(join(SHOTS, "sharing-ja.png"));

    // The front desk joins with it, gets the customer, and adds one of its own.
    const joined = JSON.parse(frontDesk(desk, ["sync", "join", folder, "--name", "受付", "--json"], { NOREN_INVITE_CODE: code }));
    assert.equal(joined.applied, 1);
    assert.match(frontDesk(desk, ["customer", "list"]), /山田 花子/);
    frontDesk(desk, ["customer", "add", "--name", "佐藤 一郎"]);

    // Merged here: now (the button) — the reminder loop would within a minute.
    await d.click("[data-testid=share-now]");
    await d.waitText("[data-testid=share-devices]", "受付", 30_000);
    await d.click("[data-nav=customers]");
    await d.waitText("[data-testid=cust-list]", "佐藤 一郎", 30_000);

    // A login edited here and on the web person's laptop at once: the later edit stays, this
    // laptop's version is kept, 今日やること asks to look, and 「確認した」 closes it.
    const web = join(HOME, "web-store");
    rmSync(web, { recursive: true, force: true });
    frontDesk(web, ["init"]);
    await d.click("[data-nav=credentials]");
    await d.click("[data-testid=cred-add]");
    await d.type("[data-testid=f-name]", "Instagram");
    await d.type("[data-testid=f-password]", "insta-秘密-7");
    await d.click("[data-testid=f-save]");
    await d.waitText("[data-testid=detail-name]", "Instagram");
    await d.click("[data-nav=settings]");
    await d.click("[data-testid=share-scope-everything]");
    await d.click("[data-testid=share-invite]");
    await d.waitText("[data-testid=share-invite-code]", "-", 30_000);
    const webCode = (await d.textOf("[data-testid=share-invite-code]")).trim();
    assert.notEqual(webCode, code, "a new code each time");
    frontDesk(web, ["sync", "join", folder, "--name", "ウェブ担当"], { NOREN_INVITE_CODE: webCode });
    await d.click("[data-nav=credentials]");
    await d.click("[data-cred-item]");
    await d.waitText("[data-testid=detail-name]", "Instagram");
    await d.click("[data-testid=edit]");
    await d.type("[data-testid=f-notes]", "二段階認証は店長のスマホ");
    await d.click("[data-testid=f-save]");
    await d.gone("[data-testid=cred-form]");
    await sleep(1100);
    frontDesk(web, ["cred", "edit", "Instagram", "--note", "二段階認証は受付のスマホ"]);
    await d.click("[data-nav=settings]");
    await d.click("[data-testid=share-now]");
    await d.waitText("[data-testid=share-conflicts]", "2台で同時に編集された 1件", 30_000);
    // Named as the owner knows them: the login, and which laptop's version was kept.
    await d.waitText("[data-testid=share-conflict]", "ログイン情報「Instagram」: 「ウェブ担当」の版を残し、「店長のPC」の版も保存してあります");
    await d.screenshot(join(SHOTS, "sharing-conflict-ja.png"));
    await d.click("[data-nav=dashboard]");
    await d.waitText("[data-testid=dash-items]", "「Instagram」が2台のパソコンで同時に編集されました", 30_000);
    await d.click("[data-nav=settings]");
    await d.click("[data-testid=share-resolve]");
    await d.gone("[data-testid=share-conflicts]");
    await d.click("[data-nav=dashboard]");
    await sleep(500);
    assert.ok(!(await d.textOf("[data-testid=dash-items]").catch(() => "")).includes("同時に編集"), "closed");

    // The front desk's laptop leaves the shop: taken out here, after a confirmation.
    await d.click("[data-nav=settings]");
    await d.waitText("[data-testid=share-devices]", "受付");
    const rows = await d.exec("return [...document.querySelectorAll('[data-testid=share-devices] li')].map((li) => li.textContent);");
    const deskRow = rows.findIndex((r) => r.includes("受付用"));
    assert.ok(deskRow > 0, `${rows}`);
    await d.exec("document.querySelectorAll('[data-testid=share-devices] li')[arguments[0]].querySelector('[data-testid=share-remove]').click();", [deskRow]);
    await d.wait("[data-testid=confirm-yes]");
    await d.screenshot(join(SHOTS, "sharing-remove-ja.png"));
    await d.click("[data-testid=confirm-yes]");
    await d.waitText("[data-testid=toast]", "「受付」を外しました");
    assert.ok(!(await d.textOf("[data-testid=share-devices]")).includes("受付用"), "no longer listed");
    const after = JSON.parse(frontDesk(desk, ["sync", "now", "--json"]));
    assert.ok(after.problems.some((p) => p.kind === "removed"), JSON.stringify(after));

    // In English too, and at 1024×700.
    await d.click("[data-nav=settings]");
    await d.click("[data-testid=lang-en]");
    await d.waitText("[data-testid=sharing]", "The shop's laptops");
    await d.waitText("[data-testid=share-devices]", "Take this laptop out");
    await d.req("POST", d.s("/window/rect"), { width: 1024, height: 700 });
    await sleep(800);
    await d.exec("document.querySelector('[data-testid=sharing]').scrollIntoView();");
    await sleep(300);
    await d.screenshot(join(SHOTS, "sharing-en-1024.png"));
    await d.click("[data-testid=lang-ja]");
    await d.waitText("[data-testid=sharing]", "このお店のパソコン");
    // With the sharing line the sidebar still shows every screen and the lock button at 1024×700.
    await sleep(500);
    const bottom = await d.exec("return [document.querySelector('[data-testid=lock]').getBoundingClientRect().bottom, window.innerHeight];");
    assert.ok(bottom[0] <= bottom[1], `lock button at ${bottom[0]} of ${bottom[1]}`);
    await d.screenshot(join(SHOTS, "sharing-ja-1024.png"));

    // At 1024×700 still: the web person leaves: their departure checklist asks about the shop's laptops (the front
    // desk's, already out and nobody's, is not asked about); theirs is taken out from there.
    await d.click("[data-nav=handover]");
    await d.type("[data-testid=ho-name]", "鈴木");
    await d.click("[data-testid=ho-add]");
    await d.click("[data-person=鈴木] [data-testid=ho-depart]");
    await d.click("[data-testid=ho-depart-save]");
    await d.waitText("[data-person=鈴木] [data-testid=ho-laptop]", "「ウェブ担当」は鈴木さんのパソコンでしたか？", 30_000);
    const asked = await d.exec("return [...document.querySelectorAll('[data-person=鈴木] [data-testid=ho-laptop]')].map((li) => li.dataset.laptop);");
    assert.deepEqual(asked, ["ウェブ担当"]);
    await d.exec("document.querySelector('[data-person=鈴木] [data-testid=ho-laptop]').scrollIntoView({ block: 'center' });");
    await sleep(300);
    await d.screenshot(join(SHOTS, "departure-laptop-ja.png"));
    await d.click("[data-person=鈴木] [data-testid=ho-laptop-theirs]");
    await d.waitText("[data-testid=confirm]", "「ウェブ担当」を共有から外します");
    await d.click("[data-testid=confirm-yes]");
    await d.waitText("[data-testid=toast]", "「ウェブ担当」を外しました");
    await d.waitText("[data-person=鈴木] [data-testid=ho-laptop-done]", "共有から外しました", 30_000);
    const gone = JSON.parse(frontDesk(web, ["sync", "now", "--json"]));
    assert.ok(gone.problems.some((p) => p.kind === "removed"), JSON.stringify(gone));
  } finally {
    await d.quit();
  }
});
