// End-to-end: the owner changes Noren's own passphrase in Settings (someone
// who knew it left). Mistakes are said next to the form and change nothing;
// afterwards the old passphrase is refused and the new one opens the store.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { Driver, Keys } from "./webdriver.mjs";
import { firstRun } from "./helpers.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const HOME = process.env.HOME;
const SHOTS = resolve(process.env.NOREN_SCREENSHOTS ?? join(HOME, "screenshots"));
const OLD = "たなかさん-も-しっている";
const NEW = "あたらしい-あいことば-2026";

test("change the passphrase in Settings", async () => {
  rmSync(join(HOME, ".local/share/noren"), { recursive: true, force: true });
  rmSync(join(HOME, ".config/noren"), { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  const d = await new Driver().start(APP);
  try {
    await firstRun(d, OLD);
    await d.click("[data-nav=settings]");
    await d.wait("[data-testid=pass-form]");

    // A wrong current passphrase: said by name next to the form, nothing changes.
    await d.type("[data-testid=pass-current]", "ちがう-あいことば");
    await d.type("[data-testid=pass-new]", NEW);
    await d.type("[data-testid=pass-again]", NEW);
    await d.click("[data-testid=pass-change]");
    await d.waitText("[data-testid=pass-error]", "合言葉が違います");
    assert.equal(await d.exec("return document.querySelector('[data-testid=pass-current]').getAttribute('aria-invalid')"), "true");

    // The two new entries differ: caught before anything is sent.
    await d.type("[data-testid=pass-current]", OLD);
    await d.type("[data-testid=pass-again]", "x");
    await d.click("[data-testid=pass-change]");
    await d.waitText("[data-testid=pass-error]", "一致しません");
    await d.exec("document.querySelector('[data-testid=pass-form]').scrollIntoView()");
    await new Promise((r) => setTimeout(r, 300)); // let the page paint
    await d.screenshot(join(SHOTS, "settings-passphrase-ja.png"));

    // Fixed with the keyboard: the new passphrase is taken.
    await d.type("[data-testid=pass-again]", NEW);
    await d.chord(Keys.ENTER);
    await d.waitText("[data-testid=toast]", "合言葉を変えました", 60_000);
    assert.equal(await d.exec("return document.querySelector('[data-testid=pass-current]').value"), "", "the fields are cleared");

    // Locked: the old passphrase is refused, the new one opens.
    await d.chord(Keys.CTRL, "l");
    await d.wait("[data-testid=unlock-form]");
    await d.type("[data-testid=unlock-pass]", OLD);
    await d.chord(Keys.ENTER);
    await d.waitText("[data-testid=unlock-error]", "合言葉が違います", 30_000);
    await d.type("[data-testid=unlock-pass]", NEW);
    await d.chord(Keys.ENTER);
    await d.wait("[data-nav=credentials]", 30_000);
  } finally {
    await d.quit();
  }
});
