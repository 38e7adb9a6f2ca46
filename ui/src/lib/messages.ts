// Every text of the window comes from the one catalogue that the CLI, notifications, the tray and
// reports read too: src-tauri/locales/{ja,en}.ftl (Fluent). Japanese is the reference; English has
// every key with the same variables (tests check, here and in Rust). `MessageKey` is generated from
// ja.ftl during `cargo test`; CI fails when it is stale.
import { FluentBundle, FluentResource } from "@fluent/bundle";
import jaText from "../../../src-tauri/locales/ja.ftl?raw";
import enText from "../../../src-tauri/locales/en.ftl?raw";
import type { MessageKey } from "../bindings/messages";
import type { Message } from "../bindings/Message";
import type { Arg } from "../bindings/Arg";

export type { MessageKey };
export type Lang = "ja" | "en";
export const LANGS: readonly Lang[] = ["ja", "en"];

/** The catalogue's source text per language, as shipped. */
export const sources: Record<Lang, string> = { ja: jaText, en: enText };

function bundle(lang: Lang): FluentBundle {
  // No bidi isolation marks around values: every text is left-to-right and is compared in tests.
  const b = new FluentBundle(lang, { useIsolating: false });
  b.addResource(new FluentResource(sources[lang]));
  return b;
}

// Parsed when first needed: the window starts with its own language's only (the other is
// parsed when the owner switches, or for a key the first lacks).
const bundles: Partial<Record<Lang, FluentBundle>> = {};
const catalogue = (lang: Lang): FluentBundle => (bundles[lang] ??= bundle(lang));

/** Whether a key built at run time (e.g. `error-${code}`) names a message. */
export function hasMessage(key: string): key is MessageKey {
  return catalogue("ja").hasMessage(key);
}

/** The text of `key` in `lang` with `params` filled in; Japanese when `lang` lacks it; null when neither has it. */
export function format(lang: Lang, key: string, params: Record<string, string | number> = {}, numbers = false): string | null {
  // The window's values are passed as text: numbers are shown as the caller wrote them (no digit
  // grouping). A back-end message's numbers stay numbers, for the messages that select on them.
  const args = numbers ? params : Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
  for (const l of lang === "ja" ? (["ja"] as const) : ([lang, "ja"] as const)) {
    const b = catalogue(l);
    const m = b.getMessage(key);
    // Collecting errors keeps a missing parameter from throwing: it shows as {$name}.
    if (m?.value) return b.formatPattern(m.value, args, []);
  }
  return null;
}

/** A message from the back end (a key and its parameters, no prose) in `lang`; nested messages in the same language. */
export function render(lang: Lang, m: Message): string {
  const arg = (a: Arg): string | number =>
    typeof a === "string" || typeof a === "number"
      ? a
      : Array.isArray(a)
        ? a.map((x) => render(lang, x)).join(format(lang, "list-separator") ?? ", ")
        : render(lang, a);
  const params = Object.fromEntries(Object.entries(m.params ?? {}).map(([k, a]) => [k, arg(a as Arg)]));
  return format(lang, m.key, params, true) ?? m.key;
}

/** Every key of a language with the variables its text uses, from the parsed catalogue. */
export function variables(lang: Lang): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (node: unknown, acc: Set<string>) => {
    if (Array.isArray(node)) node.forEach((n) => walk(n, acc));
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (o.type === "var" && typeof o.name === "string") acc.add(o.name);
      Object.values(o).forEach((v) => walk(v, acc));
    }
  };
  for (const entry of new FluentResource(sources[lang]).body) {
    const acc = new Set<string>();
    walk(entry.value, acc);
    out.set(entry.id, [...acc].sort());
  }
  return out;
}
