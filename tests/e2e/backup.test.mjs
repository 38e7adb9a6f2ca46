// End-to-end: the backup screen in the real window.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync, readdirSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { Driver, Keys } from "./webdriver.mjs";
import { firstRun } from "./helpers.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const HOME = process.env.HOME;
const STORE = join(HOME, ".local/share/noren");
const SHOTS = resolve(process.env.NOREN_SCREENSHOTS ?? join(HOME, "screenshots"));
const PASS = "ばっくあっぷ-の-あいことば";

test("automatic backup folder, back up now, verify, restore into a new vault", async () => {
  rmSync(STORE, { recursive: true, force: true });
  rmSync(join(HOME, ".config/noren"), { recursive: true, force: true });
  const usb = join(HOME, "usb");
  const restored = join(HOME, "restored-vault");
  rmSync(usb, { recursive: true, force: true });
  rmSync(restored, { recursive: true, force: true });
  mkdirSync(usb, { recursive: true });
  mkdirSync(SHOTS, { recursive: true });

  const d = await new Driver().start(APP);
  try {
    await firstRun(d, PASS);
    await d.click("[data-nav=credentials]");
    await d.click("[data-testid=cred-add]");
    await d.type("[data-testid=f-name]", "ホットペッパー 掲載");
    await d.type("[data-testid=f-password]", "hotpepper-秘密-1");
    await d.click("[data-testid=f-save]");
    await d.waitText("[data-testid=detail-name]", "ホットペッパー 掲載");

    await d.click("[data-nav=backup]");
    await d.waitText("[data-testid=backup-last]", "まだありません");
    // A folder that does not exist is refused with a clear message.
    await d.type("[data-testid=backup-folder]", join(HOME, "no-such-usb"));
    await d.click("[data-testid=backup-save]");
    await d.waitText("[data-testid=backup-error]", "フォルダが見つかりません");
    await d.type("[data-testid=backup-folder]", usb);
    await d.click("[data-testid=backup-save]");
    await d.gone("[data-testid=backup-error]");
    assert.match(await d.textOf("[data-testid=store-public-key]"), /^age1[0-9a-z]{58}$/);
    await d.click("[data-testid=backup-now]");
    await d.waitText("[data-testid=backup-last]", "/", 30_000);
    const snaps = readdirSync(usb).filter((f) => /^noren-\d{8}-\d{6}\.age$/.test(f));
    assert.equal(snaps.length, 1, `one snapshot in ${readdirSync(usb)}`);
    await new Promise((r) => setTimeout(r, 300));
    await d.screenshot(join(SHOTS, "backup-ja.png"));

    // Verify with the current passphrase (empty field) and with a wrong one.
    await d.type("[data-testid=backup-verify-file]", join(usb, snaps[0]));
    await d.type("[data-testid=backup-verify-pass]", "まちがい");
    await d.click("[data-testid=backup-verify]");
    await d.waitText("[data-testid=backup-error]", "合言葉が違います", 30_000);
    // Said where the eye is: in the verify section, not at the top of the page (issue 20).
    await d.waitText("[data-section=verify] [data-testid=backup-error]", "合言葉が違います");
    await d.type("[data-testid=backup-verify-pass]", "");
    await d.click("[data-testid=backup-verify]");
    await d.waitText("[data-testid=backup-verified]", "1件", 30_000);

    // Restore into a new vault and switch to it; the old vault stays.
    await d.type("[data-testid=restore-file]", join(usb, snaps[0]));
    await d.type("[data-testid=restore-into]", restored);
    await d.click("[data-testid=restore]");
    await d.click("[data-testid=confirm-yes]");
    await d.waitText("[data-testid=unlock-form]", restored, 60_000);
    assert.ok(existsSync(join(STORE, "noren.header")), "old store kept");
    await d.type("[data-testid=unlock-pass]", PASS);
    await d.chord(Keys.ENTER);
    await d.wait("[data-nav=credentials]", 30_000);
    await d.click("[data-nav=credentials]");
    await d.waitText("[data-testid=cred-list]", "ホットペッパー 掲載");
    await d.click("[data-nav=settings]");
    await d.waitText("[data-testid=store-dir]", restored);
  } finally {
    await d.quit();
  }
});
