import { describe, it, expect } from "vitest";

// Every text the window shows comes from the catalogue (src-tauri/locales/*.ftl) through t():
// no words written into a component's markup, attributes or scripts.
const components = import.meta.glob("../**/*.svelte", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const scripts = import.meta.glob(["../**/*.ts", "!../**/*.test.ts", "!../bindings/**"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;

/** Drops `{…}` expressions (balanced, strings inside skipped). */
function withoutExpressions(s: string): string {
  let out = "";
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (depth > 0) {
      if (quote) {
        if (c === "\\") i++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'" || c === "`") quote = c;
      else if (c === "{") depth++;
      else if (c === "}") depth--;
      continue;
    }
    if (c === "{") depth = 1;
    else out += c;
  }
  return out;
}

/** Words a person would read, left in a component once code is taken out. */
export function strayText(source: string): string[] {
  let s = source.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<style[\s\S]*?<\/style>/g, "").replace(/<!--[\s\S]*?-->/g, "");
  s = withoutExpressions(s);
  // Commands and file names are shown as typed, in every language.
  s = s.replace(/<code>[\s\S]*?<\/code>/g, "");
  const found: string[] = [];
  // Attributes a person reads.
  for (const m of s.matchAll(/\s(placeholder|title|aria-label|alt|label)="([^"]*)"/g)) if (/\p{L}/u.test(m[2])) found.push(`${m[1]}="${m[2]}"`);
  const text = s.replace(/<[^>]*>/g, " ");
  for (const run of text.split(/\s+/)) if (/\p{L}/u.test(run)) found.push(run);
  return found;
}

/** Japanese written into code instead of the catalogue. */
export function strayJapanese(source: string): string[] {
  // A line marked "(typed, not shown)" parses what a person types (e.g. 円 after a number).
  const code = source.replace(/^.*\(typed, not shown\).*$/gm, "").replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "").replace(/<!--[\s\S]*?-->/g, "");
  return [...code.matchAll(/[^\s"'`]*[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}][^\s"'`]*/gu)].map((m) => m[0]);
}

describe("no UI text outside the catalogue", () => {
  it("the scanner sees words in markup, attributes and scripts, and not in expressions", () => {
    expect(strayText('<p>{t("a")}</p><button title="Delete">✓</button>')).toEqual(['title="Delete"']);
    expect(strayText("<p>保存しました</p>")).toEqual(["保存しました"]);
    expect(strayText('<p>{x ? "}" : t("b")} — {n}</p>')).toEqual([]);
    expect(strayJapanese('const m = "保存"; // コメント')).toEqual(['保存']);
  });

  it("components carry no words of their own", () => {
    expect(Object.keys(components).length).toBeGreaterThan(15);
    const stray = Object.entries(components).flatMap(([file, src]) => [...strayText(src), ...strayJapanese(src)].map((w) => `${file}: ${w}`));
    expect(stray).toEqual([]);
  });

  it("scripts carry no Japanese of their own", () => {
    const stray = Object.entries(scripts).flatMap(([file, src]) => strayJapanese(src).map((w) => `${file}: ${w}`));
    expect(stray).toEqual([]);
  });
});
