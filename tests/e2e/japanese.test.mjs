// End-to-end: the Japanese window shows no raw identifier and no English
// sentence. Every screen of the demo shop is walked in Japanese; what is
// visible (not hidden, not inside an input) is checked for snake_case codes,
// bare lowercase codes (line, email, cms, plan …) and English sentences.
// Addresses, file names, keys and product names (LINE, Instagram, WordPress)
// are what they are and pass.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { Driver } from "./webdriver.mjs";
import { freshHome, SCREENS } from "./helpers.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const HOME = process.env.HOME;
const SHOTS = resolve(process.env.NOREN_SCREENSHOTS ?? join(HOME, "screenshots"));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));


/** The visible text of the page, a line per text node, without what the user typed or data shown as data. */
const VISIBLE = `
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest("code, pre, .pub, [data-raw], script, style, option")) continue;
    const st = getComputedStyle(el);
    if (st.display === "none" || st.visibility === "hidden" || !el.getClientRects().length) continue;
    const text = n.textContent.trim();
    if (text) out.push(text);
  }
  // A drop-down's choices are read when it opens.
  for (const sel of document.querySelectorAll("select")) {
    if (!sel.getClientRects().length || sel.closest("[data-raw]")) continue;
    for (const o of sel.options) if (o.text.trim()) out.push(o.text.trim());
  }
  for (const el of document.querySelectorAll("input[placeholder], textarea[placeholder]")) {
    if (el.getClientRects().length) out.push(el.getAttribute("placeholder"));
  }
  return out;`;

/** What a Japanese owner should not meet; `line` is one visible text. */
function offences(line) {
  // Addresses, paths, file names, keys: data, not words.
  const words = line.replace(/(https?:\/\/|file:\/\/|~\/|\/)[^\s　、。）)」]*/g, " ").replace(/[\w.+-]+@[\w.-]+/g, " ")
    .replace(/(?:[\w-]+\.)*[\w-]*\.(jp|com|net|org|age|kdbx|csv|ics|html|md|txt|json)\b/gi, " ")
    // Template placeholders are explained where they are shown.
    .replace(/\{[a-z_]+\}/g, " ").replace(/\bage1[0-9a-z]+\b/g, " ")
    // Handles (@sakura_seikotsu) and file extensions named as such (（.kdbx）) are data too.
    .replace(/@[\w.]+/g, " ").replace(/(^|[\s（(])\.[a-z0-9]+\b/g, " ");
  const found = [];
  for (const m of words.matchAll(/\b[a-z]+(?:_[a-z0-9]+)+\b/g)) found.push(`snake_case ${m[0]}`);
  for (const m of words.matchAll(/(?<![A-Za-z0-9-])[a-z]{2,}(?![A-Za-z0-9-])/g)) found.push(`lowercase ${m[0]}`);
  for (const m of words.matchAll(/\b[A-Za-z][a-z]+(?: [a-z]+){3,}/g)) found.push(`English ${m[0]}`);
  // Stored codes such as a reply rule (24h, 1bd).
  for (const m of words.matchAll(/(?<![\w.])\d+(?:h|bd)\b/g)) found.push(`code ${m[0]}`);
  return found.map((f) => `${f} in 「${line.slice(0, 80)}」`);
}

test("no raw identifier or English in the Japanese window (demo shop, every screen)", async () => {
  freshHome();
  mkdirSync(SHOTS, { recursive: true });
  const d = await new Driver().start(APP);
  try {
    await d.click("[data-testid=open-demo]");
    await d.wait("[data-nav=settings]", 30_000);
    const bad = [];
    const check = async (where) => {
      await sleep(900);
      for (const line of await d.exec(VISIBLE)) bad.push(...offences(line).map((o) => `${where}: ${o}`));
    };
    const clickIf = (css) => d.exec("const el = document.querySelector(arguments[0]); if (el) el.click(); return !!el;", [css]);
    for (const s of SCREENS) {
      await d.click(`[data-nav=${s}]`);
      await check(s);
    }
    // The screens behind a click: a record's detail and each form.
    const deeper = [
      ["credentials", "[data-cred-item]", "login detail"],
      ["credentials", "[data-testid=cred-add]", "login form"],
      ["inquiries", "[data-testid=inq-item]", "inquiry"],
      ["inquiries", "[data-testid=inq-add]", "inquiry form"],
      ["customers", "[data-testid=cust-item]", "customer"],
      ["calendar", "[data-testid=cal-add]", "channel form"],
      ["incidents", "[data-testid=inc-item]", "incident"],
      ["incidents", "[data-testid=inc-preview]", "report"],
      ["vendors", "[data-testid=vnd-list] button", "vendor"],
      ["renewals", "[data-testid=ren-add]", "renewal form"],
      ["handover", "[data-testid=ho-sheet]", "handover sheet"],
    ];
    // The demo has no incident or vendor yet: one of each, so their screens are walked too.
    await d.click("[data-nav=incidents]");
    await d.click("[data-testid=inc-add]");
    await d.type("[data-testid=inc-new-title]", "ホームページが表示されない");
    await d.click("[data-testid=inc-new-save]");
    await d.wait("[data-testid=inc-detail]");
    await d.click("[data-nav=vendors]");
    await d.click("[data-testid=vnd-add]");
    await d.type("[data-testid=vnd-company]", "ウェブ工房");
    await d.click("[data-testid=vnd-save]");
    await d.gone("[data-testid=vnd-form]");
    for (const [s, css, what] of deeper) {
      if (what !== "report") await d.click(`[data-nav=${s}]`);
      await sleep(600);
      if (await clickIf(css)) await check(`${s} (${what})`);
      else bad.push(`${s}: no ${css} to open`);
    }
    // Every kind of login shows its own fields.
    await d.click("[data-nav=credentials]");
    await d.click("[data-testid=cred-add]");
    const cats = await d.exec("return [...document.querySelectorAll('[data-testid=f-category] option')].map((o) => o.value);");
    for (const c of cats) {
      await d.exec("const el = document.querySelector('[data-testid=f-category]'); el.value = arguments[0]; el.dispatchEvent(new Event('change', { bubbles: true }));", [c]);
      await check(`login form (${c})`);
    }
    const unique = [...new Set(bad)];
    assert.deepEqual(unique, [], `\n${unique.join("\n")}`);
  } finally {
    await d.quit();
  }
});
