// Steps several end-to-end tests share.
import { rmSync } from "node:fs";
import { join } from "node:path";

/** Every screen of the side navigation, in its order. */
export const SCREENS = ["dashboard", "inquiries", "customers", "calendar", "incidents", "renewals", "vendors", "handover", "credentials", "migrate", "backup", "settings"];

/** A first start: no store and no app settings in the test's private home. */
export function freshHome() {
  rmSync(join(process.env.HOME, ".local/share/noren"), { recursive: true, force: true });
  rmSync(join(process.env.HOME, ".config/noren"), { recursive: true, force: true });
}

/** First-run setup with `pass`; resolves once the unlocked window shows its navigation. */
export async function firstRun(d, pass) {
  await d.wait("[data-testid=setup-form]");
  await d.type("[data-testid=setup-pass]", pass);
  await d.type("[data-testid=setup-again]", pass);
  await d.click("[data-testid=setup-understood]");
  await d.click("[data-testid=setup-create]");
  await d.wait("[data-nav=settings]", 30_000);
}

/** Sets an input's value by script (date, time and select inputs ignore typed keys in WebKitWebDriver). */
export async function setInput(d, css, value) {
  await d.wait(css);
  await d.exec(
    "const el = document.querySelector(arguments[0]); el.value = arguments[1]; el.dispatchEvent(new Event('input', { bubbles: true })); el.dispatchEvent(new Event('change', { bubbles: true }));",
    [css, value],
  );
}

/** Shop-local (Tokyo) date `days` from today: "YYYY-MM-DD". */
export const tokyoDay = (days) => new Date(Date.now() + 9 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

/** Shop-local (Tokyo) wall time `hours` from now, for datetime-local inputs: "YYYY-MM-DDTHH:MM". */
export const tokyoLocal = (hours) => new Date(Date.now() + (9 + hours) * 3600_000).toISOString().slice(0, 16);

/** Chooses an <option> by its visible text (`by: "value"`: by its value), as the owner would: a change event follows. */
export async function choose(d, css, text, by = "text") {
  await d.wait(css);
  const ok = await d.exec(
    "const el = document.querySelector(arguments[0]); const o = [...el.options].find((o) => o[arguments[2]] === arguments[1]); if (!o) return false; el.value = o.value; el.dispatchEvent(new Event('change', { bubbles: true })); return true;",
    [css, text, by],
  );
  if (!ok) throw new Error(`no option ${text} in ${css}`);
}
