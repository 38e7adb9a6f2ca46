// End-to-end: the platform's own file and folder chooser (GTK), driven like a
// person would with xdotool: it is an X window of its own, out of WebDriver's reach.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync, readdirSync, writeFileSync, readFileSync, existsSync, chmodSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { Driver } from "./webdriver.mjs";
import { firstRun, freshHome } from "./helpers.mjs";

const APP = resolve(process.env.NOREN_APP ?? "target/debug/noren");
const HOME = process.env.HOME;
const SHOTS = resolve(process.env.NOREN_SCREENSHOTS ?? join(HOME, "screenshots"));
const PASS = "だいあろぐ-の-あいことば";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const xdotool = (...args) => execFileSync("xdotool", args, { encoding: "utf8", timeout: 10_000 }).trim();

/** The chooser's X window, found by its title; bounded wait. */
async function chooser(title, timeout = 20_000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    try {
      const ids = xdotool("search", "--onlyvisible", "--name", title).split("\n").filter(Boolean);
      if (ids.length) return ids[ids.length - 1];
    } catch {
      // not there yet: xdotool exits 1 when nothing matches
    }
    await sleep(200);
  }
  throw new Error(`no chooser titled ${title}`);
}

/** Gone from the screen (GTK may unmap the chooser before destroying it). */
async function closed(win, timeout = 15_000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    let visible = [];
    try {
      visible = xdotool("search", "--onlyvisible", "--name", ".").split("\n");
    } catch {
      // nothing visible at all
    }
    if (!visible.includes(win)) return;
    await sleep(200);
  }
  execFileSync("import", ["-window", "root", join(HOME, "dialog-stuck.png")]);
  throw new Error("the chooser did not close");
}

/** Keys go where the pointer is (Xvfb has no window manager): over the chooser. */
async function point(win) {
  xdotool("mousemove", "--window", win, "500", "300");
  await sleep(400);
}

/**
 * As a person does in GTK's chooser: Ctrl+L, paste the path, Enter. Pasted,
 * not typed: GTK completes a name while it is typed and a late completion can
 * land after the last key ("restoredestored"); a pasted path arrives whole.
 */
async function answer(win, path) {
  await point(win);
  // xclip stays behind to serve the clipboard: its output must not hold us.
  execFileSync("xclip", ["-selection", "clipboard"], { input: path, timeout: 5000, stdio: ["pipe", "ignore", "ignore"] });
  // The clipboard holds it before the paste (xclip takes it over in the background).
  for (let i = 0; i < 50; i++) {
    const now = execFileSync("xclip", ["-o", "-selection", "clipboard"], { encoding: "utf8", timeout: 5000 });
    if (now === path) break;
    await sleep(100);
  }
  xdotool("key", "--clearmodifiers", "ctrl+l");
  await sleep(300);
  xdotool("key", "--clearmodifiers", "ctrl+a");
  xdotool("key", "--clearmodifiers", "ctrl+v");
  await sleep(600);
  // GTK may have completed the name (a trailing "/", selected): Delete drops
  // a selected completion and nothing else, the caret being at the end.
  xdotool("key", "Delete");
  await sleep(200);
  // What the chooser shows just before Enter, to read when a run fails.
  execFileSync("import", ["-window", "root", join(HOME, "dialog-answer.png")]);
  xdotool("key", "Return");
  await closed(win);
}

test("backup folder, backup file and restore folder chosen in the platform's chooser", async () => {
  freshHome();
  const usb = join(HOME, "USB メモリ");
  const restored = join(HOME, "restored");
  for (const d of [usb, restored]) rmSync(d, { recursive: true, force: true });
  mkdirSync(usb, { recursive: true });
  mkdirSync(restored, { recursive: true });
  mkdirSync(SHOTS, { recursive: true });
  // 「フォルダを開く」 runs xdg-open from the PATH (scripts/e2e.sh puts ~/bin first):
  // a stand-in records what it was asked to open.
  const opened = join(HOME, "xdg-open.log");
  rmSync(opened, { force: true });
  mkdirSync(join(HOME, "bin"), { recursive: true });
  writeFileSync(join(HOME, "bin/xdg-open"), `#!/bin/sh\nprintf '%s\\n' "$@" >> '${opened}'\n`);
  chmodSync(join(HOME, "bin/xdg-open"), 0o755);

  const d = await new Driver().start(APP);
  try {
    await firstRun(d, PASS);
    await d.click("[data-nav=credentials]");
    await d.click("[data-testid=cred-add]");
    await d.type("[data-testid=f-name]", "Instagram");
    await d.type("[data-testid=f-password]", "insta-秘密-1");
    await d.click("[data-testid=f-save]");
    await d.waitText("[data-testid=detail-name]", "Instagram");

    // The page itself holds no dialog permission: only Noren's own command opens one.
    const refused = await d.exec(
      "return window.__TAURI_INTERNALS__.invoke('plugin:dialog|open', { options: {} }).then(() => 'opened', (e) => 'refused: ' + e);",
    );
    assert.match(refused, /^refused: .*not allowed/, refused);

    await d.click("[data-nav=backup]");
    // Cancelling leaves the field as it was.
    await d.click("[data-testid=backup-folder-pick]");
    let win = await chooser("バックアップを入れるフォルダを選ぶ");
    await sleep(500);
    // The whole X screen: the chooser is not part of the page.
    execFileSync("import", ["-window", "root", join(SHOTS, "dialog-folder.png")]);
    await point(win);
    xdotool("key", "Escape");
    await closed(win);
    assert.equal(await d.exec("return document.querySelector('[data-testid=backup-folder]').value;"), "");

    // The folder chosen in the chooser fills the field; the backup goes there.
    await d.click("[data-testid=backup-folder-pick]");
    win = await chooser("バックアップを入れるフォルダを選ぶ");
    await answer(win, usb);
    await d.wait("[data-testid=backup-folder]");
    const chosen = await d.exec("return document.querySelector('[data-testid=backup-folder]').value;");
    assert.equal(chosen, usb);
    await d.click("[data-testid=backup-save]");
    await d.gone("[data-testid=backup-error]");
    await d.click("[data-testid=backup-now]");
    await d.waitText("[data-testid=backup-last]", "/", 30_000);
    const snaps = readdirSync(usb).filter((f) => /^noren-\d{8}-\d{6}\.age$/.test(f));
    assert.equal(snaps.length, 1, `one snapshot in ${readdirSync(usb)}`);
    // 「フォルダを開く」 opens the folder the snapshot went into, never the file.
    await d.click("[data-testid=backup-show]");
    for (let i = 0; i < 50 && !existsSync(opened); i++) await sleep(100);
    assert.equal(readFileSync(opened, "utf8").trim(), usb);

    // The backup file to check, picked in the open-file chooser.
    await d.click("[data-testid=backup-verify-file-pick]");
    win = await chooser("バックアップファイルを選ぶ");
    await answer(win, join(usb, snaps[0]));
    await d.click("[data-testid=backup-verify]");
    await d.waitText("[data-testid=backup-verified]", "1件", 30_000);

    // Restore: the file by typing `~/…` (expanded), the empty folder in the chooser.
    await d.type("[data-testid=restore-file]", `~/USB メモリ/${snaps[0]}`);
    await d.click("[data-testid=restore-into-pick]");
    win = await chooser("復元先のフォルダ（空のフォルダ）を選ぶ");
    await answer(win, restored);
    assert.equal(await d.exec("return document.querySelector('[data-testid=restore-into]').value;"), restored);
    await d.screenshot(join(SHOTS, "dialog-chosen-ja.png"));
    await d.click("[data-testid=restore]");
    await d.click("[data-testid=confirm-yes]");
    await d.waitText("[data-testid=unlock-form]", restored, 60_000);
    assert.ok(existsSync(join(restored, "noren.header")), "restored into the chosen folder");
  } finally {
    await d.quit();
  }
});
