// A minimal W3C WebDriver client for tauri-driver (Node 20's fetch; no deps).
import { writeFile } from "node:fs/promises";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
export const Keys = { CTRL: "\uE009", ENTER: "\uE007", ESCAPE: "\uE00C", TAB: "\uE004", NULL: "\uE000" };

export class Driver {
  constructor(base = "http://127.0.0.1:4444") {
    this.base = base;
    this.session = null;
  }

  async req(method, path, body) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value ?? json).slice(0, 400)}`);
    return json.value;
  }

  s(path) {
    return `/session/${this.session}${path}`;
  }

  async start(application) {
    const v = await this.req("POST", "/session", {
      capabilities: { alwaysMatch: { "tauri:options": { application } } },
    });
    this.session = v.sessionId;
    return this;
  }

  async quit() {
    if (this.session) await this.req("DELETE", `/session/${this.session}`).catch(() => {});
    this.session = null;
  }

  async findAll(css) {
    const v = await this.req("POST", this.s("/elements"), { using: "css selector", value: css });
    return v.map((e) => e[ELEMENT]);
  }

  /** Waits until `css` matches a displayed element; returns its id. */
  async wait(css, timeout = 15_000) {
    const end = Date.now() + timeout;
    let last = "";
    while (Date.now() < end) {
      try {
        for (const id of await this.findAll(css)) {
          if (await this.req("GET", this.s(`/element/${id}/displayed`))) return id;
        }
      } catch (e) {
        last = String(e);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`timed out waiting for ${css} ${last}`);
  }

  /** Waits until `css` has text containing `needle`; returns the text. */
  async waitText(css, needle, timeout = 15_000) {
    const end = Date.now() + timeout;
    let text = "";
    while (Date.now() < end) {
      for (const id of await this.findAll(css).catch(() => [])) {
        text = await this.text(id).catch(() => "");
        if (text.includes(needle)) return text;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`timed out waiting for ${JSON.stringify(needle)} in ${css}; last text: ${JSON.stringify(text)}`);
  }

  async gone(css, timeout = 15_000) {
    const end = Date.now() + timeout;
    while (Date.now() < end) {
      if ((await this.findAll(css)).length === 0) return;
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`${css} did not go away`);
  }

  async click(css) {
    const id = await this.wait(css);
    await this.req("POST", this.s(`/element/${id}/click`), {});
  }

  async type(css, text) {
    const id = await this.wait(css);
    if (text === "") {
      // WebDriver's clear fires no input event in WebKit, so the page would not
      // notice: empty the field as a person would (select all, Backspace).
      await this.req("POST", this.s(`/element/${id}/value`), { text: `${Keys.CTRL}a${Keys.NULL}\uE003` });
      return;
    }
    await this.req("POST", this.s(`/element/${id}/clear`), {});
    // WebKitWebDriver drops a literal "\n"; a line break is the Enter key.
    await this.req("POST", this.s(`/element/${id}/value`), { text: text.replaceAll("\n", Keys.ENTER) });
  }


  async text(id) {
    return this.req("GET", this.s(`/element/${id}/text`));
  }

  async textOf(css) {
    return this.text(await this.wait(css));
  }

  async exec(script, args = []) {
    return this.req("POST", this.s("/execute/sync"), { script, args });
  }

  /** Presses a key chord, e.g. chord(Keys.CTRL, "l"). */
  async chord(...keys) {
    const down = keys.map((k) => ({ type: "keyDown", value: k }));
    const up = [...keys].reverse().map((k) => ({ type: "keyUp", value: k }));
    await this.req("POST", this.s("/actions"), { actions: [{ type: "key", id: "kbd", actions: [...down, ...up] }] });
    await this.req("DELETE", this.s("/actions")).catch(() => {});
  }

  async activeTestId() {
    return this.exec("return document.activeElement && document.activeElement.getAttribute('data-testid')");
  }

  /**
   * Saves what the window shows. Noren draws without WebKit's accelerated compositing
   * (issue 22), and in that mode WebKitWebDriver's snapshot waits for the page's next
   * paint: a page that is still never answers. So a 1-pixel mark, all but transparent,
   * changes every 50 ms in a corner while the snapshot is taken, and goes after it.
   */
  async screenshot(path) {
    await this.exec(
      "const el = document.createElement('div'); el.setAttribute('data-e2e-paint', ''); el.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;opacity:0.01;background:#000;z-index:2147483647'; document.body.append(el); let n = 0; el.__tick = setInterval(() => { el.style.opacity = n++ % 2 ? '0.01' : '0.02'; }, 50);",
    );
    try {
      const b64 = await this.req("GET", this.s("/screenshot"));
      await writeFile(path, Buffer.from(b64, "base64"));
    } finally {
      await this.exec("for (const el of document.querySelectorAll('[data-e2e-paint]')) { clearInterval(el.__tick); el.remove(); }").catch(() => {});
    }
  }
}
