// The shop's time zone, in which the window reads and shows every local date
// and time (from the store's shop settings, via the app's status). Instants go
// to the core in UTC; nothing here writes a fixed offset.

export const DEFAULT_ZONE = "Asia/Tokyo";

let zone = DEFAULT_ZONE;
let partsFmt = makeParts(zone);

function makeParts(z: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat("en-US", {
    timeZone: z,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

/** Sets the shop's zone (an IANA name); an unknown or empty one keeps Asia/Tokyo. */
export function setShopZone(z: string | null | undefined): void {
  const next = z && z.trim() ? z.trim() : DEFAULT_ZONE;
  if (next === zone) return;
  try {
    partsFmt = makeParts(next);
    zone = next;
  } catch {
    zone = DEFAULT_ZONE;
    partsFmt = makeParts(zone);
  }
}

export function shopZone(): string {
  return zone;
}

type Parts = { y: number; m: number; d: number; h: number; mi: number; s: number };

// Parts, not format(): how a locale writes a date differs between ICU versions (WebKit vs Node).
function partsOf(d: Date): Parts {
  const get = (type: string) => Number(partsFmt.formatToParts(d).find((p) => p.type === type)?.value ?? "0");
  return { y: get("year"), m: get("month"), d: get("day"), h: get("hour") % 24, mi: get("minute"), s: get("second") };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function toDate(v: string | Date): Date {
  return typeof v === "string" ? new Date(v) : v;
}

/** The shop-local day ("YYYY-MM-DD") of an instant. */
export function shopDay(v: string | Date): string {
  const p = partsOf(toDate(v));
  return `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}`;
}

/** The shop-local "YYYY-MM-DDTHH:MM" of an instant (what a datetime-local field holds). */
export function shopLocal(v: string | Date): string {
  const p = partsOf(toDate(v));
  return `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}`;
}

/** Today in the shop. */
export function shopToday(): string {
  return shopDay(new Date());
}

/** Now in the shop, for a datetime-local field. */
export function shopNow(): string {
  return shopLocal(new Date());
}

/**
 * The instant (RFC 3339, UTC) of a shop-local "YYYY-MM-DD", "YYYY-MM-DDTHH:MM"
 * or "YYYY-MM-DDTHH:MM:SS" (a day means its midnight). A time a clock change
 * skips is read with the offset before it. Anything else is returned as it is,
 * for the core to refuse with its own message.
 */
export function shopInstant(local: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(local.trim());
  if (!m) return local;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const offset = (t: number) => {
    const p = partsOf(new Date(t));
    return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - t;
  };
  let t = wall - offset(wall);
  t = wall - offset(t);
  return new Date(t).toISOString();
}

/** The zones the owner can choose, each named in `lang` ("日本標準時（Asia/Tokyo）"), Asia/Tokyo first. */
export function zoneChoices(lang: "ja" | "en"): { value: string; label: string }[] {
  const supported = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
  const all = supported ? supported("timeZone") : [DEFAULT_ZONE];
  const names = [DEFAULT_ZONE, ...all.filter((z) => z !== DEFAULT_ZONE)];
  const locale = lang === "ja" ? "ja-JP" : "en-GB";
  return names.map((z) => {
    let name = "";
    try {
      name = new Intl.DateTimeFormat(locale, { timeZone: z, timeZoneName: "longGeneric" }).formatToParts(new Date(0)).find((p) => p.type === "timeZoneName")?.value ?? "";
    } catch {
      name = "";
    }
    return { value: z, label: name && name !== z ? (lang === "ja" ? `${name}（${z}）` : `${name} (${z})`) : z };
  });
}
