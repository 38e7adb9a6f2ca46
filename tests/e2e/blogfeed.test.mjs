// End-to-end: the owner adds the shop's blog by the address they know (its
// home page). Right after saving, Noren finds the feed the page advertises,
// reads the posts, and keeps the feed address on the channel.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { Driver } from "./webdriver.mjs";
import { firstRun } from "./helpers.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const HOME = process.env.HOME;
const SHOTS = resolve(process.env.NOREN_SCREENSHOTS ?? join(HOME, "screenshots"));
const PASS = "ぶろぐ-を-みつける-てすと";

/** A small blog: the home page advertises /index.xml, which lists two posts of the last days. */
function blog() {
  const day = (n) => new Date(Date.now() - n * 86_400_000).toUTCString();
  const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>さくら整骨院ブログ</title>
    <item><title>年末年始の営業のお知らせ</title><guid>p1</guid><link>/p1/</link><pubDate>${day(3)}</pubDate></item>
    <item><title>肩こり体操</title><guid>p2</guid><link>/p2/</link><pubDate>${day(6)}</pubDate></item></channel></rss>`;
  const page = `<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="/index.xml"></head><body>さくら整骨院</body></html>`;
  const server = createServer((req, res) => {
    if (req.url === "/index.xml") res.writeHead(200, { "Content-Type": "application/rss+xml" }).end(rss);
    else if (req.url === "/") res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(page);
    else res.writeHead(404).end("not found");
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

test("a blog added by its own address has its posts read at once", async () => {
  rmSync(join(HOME, ".local/share/noren"), { recursive: true, force: true });
  rmSync(join(HOME, ".config/noren"), { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  const server = await blog();
  const base = `http://127.0.0.1:${server.address().port}`;
  const d = await new Driver().start(APP);
  try {
    await firstRun(d, PASS);
    await d.click("[data-nav=calendar]");
    await d.click("[data-testid=cal-add]");
    await d.type("[data-testid=ch-name]", "さくら整骨院ブログ");
    await d.type("[data-testid=ch-url]", `${base}/`);
    await d.click("[data-testid=ch-save]");
    await d.gone("[data-testid=channel-form]");
    // No button pressed: the posts are read right after saving.
    await d.waitText("[data-testid=toast]", "新しい投稿 2件", 30_000);
    await d.waitText("[data-testid=history]", "年末年始の営業のお知らせ");
    await new Promise((r) => setTimeout(r, 300));
    await d.screenshot(join(SHOTS, "calendar-blog-found-ja.png"));
    // The feed address found is kept on the channel.
    await d.click("[data-testid=ch-edit]");
    const feed = await d.exec("return document.querySelector('[data-testid=ch-feed]').value");
    assert.equal(feed, `${base}/index.xml`);
  } finally {
    await d.quit();
    server.close();
  }
});
