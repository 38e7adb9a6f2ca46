import { format, hasMessage, render, type Lang, type MessageKey } from "./messages";
import type { Message } from "../bindings/Message";
import { shopInstant, shopZone } from "./zone";

/** The current language; components re-render when it changes. */
export const locale = $state<{ lang: Lang }>({ lang: "ja" });

export function setLang(lang: string) {
  locale.lang = lang === "en" ? "en" : "ja";
  document.documentElement.lang = locale.lang;
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return format(locale.lang, key, params) ?? key;
}

/** A message from the back end (a reminder's title, a finding) in the current language. */
export function tm(m: Message): string {
  return render(locale.lang, m);
}

/** The text of a catalogue key the back end names (a template field's label); the key itself if unknown. */
export function tKey(key: string): string {
  return hasMessage(key) ? t(key) : key;
}

/** Localized text for an IPC error. */
export function errorText(err: unknown): string {
  const e = err as { code?: string; message?: string; field?: string | null };
  const code = e?.code ?? "unknown";
  if (code === "invalid_input") {
    const specific = `error-invalid-${e.field ?? ""}` as MessageKey;
    if (hasMessage(specific)) return t(specific);
    const fieldKey = `field-${e.field ?? ""}` as MessageKey;
    const field = hasMessage(fieldKey) ? t(fieldKey) : (e.field ?? "");
    const detail = (e.message ?? "").replace(/^[a-z_]+: /, "");
    return t("error-invalid_input", { field, message: detail });
  }
  const key = `error-${code}` as MessageKey;
  return hasMessage(key) ? t(key) : t("error-unknown");
}

const inShop = (lang: Lang, opts: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(lang === "ja" ? "ja-JP" : "en-GB", { timeZone: shopZone(), ...opts });

/** An instant (RFC 3339, UTC) shown in shop time. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return inShop(locale.lang, { dateStyle: "medium", timeStyle: "short" }).format(d);
}

export function formatDate(isoOrDate: string): string {
  // A day is shown as it is; an instant on its day in the shop.
  const d = new Date(isoOrDate.length === 10 ? shopInstant(isoOrDate) : isoOrDate);
  if (Number.isNaN(d.getTime())) return isoOrDate;
  return inShop(locale.lang, { dateStyle: "medium" }).format(d);
}
