// End-to-end: layouts that hold with Japanese text at 1280×800 and 1024×700.
// Every screen of the demo shop (and the forms behind it) is measured: no
// short label or button may wrap a character or two per line (「表/示」, 鍵の/数),
// and nothing may push the page sideways (tables scroll inside their box).
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

/** Short texts broken over lines, and a page wider than the window. */
const CRUSHED = `
  const bad = [];
  const doc = document.scrollingElement;
  if (doc.scrollWidth > doc.clientWidth + 2) bad.push("the page scrolls sideways: " + doc.scrollWidth + " > " + doc.clientWidth);
  for (const el of document.querySelectorAll("button, label, th, td, h1, h2, h3, .badge, legend, summary, dt, nav a")) {
    if (!el.getClientRects().length) continue;
    const text = (el.innerText || "").trim();
    if (text.length < 2 || text.length > 14 || text.includes("\\n")) continue;
    // Lines the text really takes: the distinct tops of its boxes.
    if (el.clientWidth < 4) continue; // screen-reader-only text
    const tops = new Set();
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const r = document.createRange();
      r.selectNodeContents(n);
      for (const b of r.getClientRects()) if (b.width > 0) tops.add(Math.round(b.top / 4));
    }
    const lines = tops.size;
    // Crushed: a short word broken at all, or a short phrase over three lines or more.
    if ((lines >= 2 && text.length <= 6) || lines >= 3) bad.push("「" + text + "」 on " + lines + " lines (" + el.tagName.toLowerCase() + ", " + Math.round(el.clientWidth) + "px wide)");
  }
  return bad;`;

test("no crushed labels or sideways pages at 1280×800 and 1024×700", async () => {
  freshHome();
  mkdirSync(join(SHOTS, "1024x700"), { recursive: true });
  const d = await new Driver().start(APP);
  try {
    await d.click("[data-testid=open-demo]");
    await d.wait("[data-nav=settings]", 30_000);
    const bad = [];
    for (const [w, h] of [[1280, 800], [1024, 700]]) {
      await d.req("POST", d.s("/window/rect"), { width: w, height: h });
      await sleep(800);
      const size = await d.exec("return [window.innerWidth, window.innerHeight];");
      assert.ok(Math.abs(size[0] - w) < 40, `window resized to ${w}: ${size}`);
      for (const s of SCREENS) {
        await d.click(`[data-nav=${s}]`);
        await sleep(900);
        for (const b of await d.exec(CRUSHED)) bad.push(`${w}×${h} ${s}: ${b}`);
        if (w === 1024) await d.screenshot(join(SHOTS, "1024x700", `${s}.png`));
      }
      // The import preview: its columns must not be crushed to a character.
      await d.click("[data-nav=credentials]");
      await d.click("[data-testid=cred-add]");
      await sleep(600);
      for (const b of await d.exec(CRUSHED)) bad.push(`${w}×${h} login form: ${b}`);
    }
    const unique = [...new Set(bad)];
    assert.deepEqual(unique, [], `\n${unique.join("\n")}`);
  } finally {
    await d.quit();
  }
});
