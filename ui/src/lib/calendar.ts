// Pure date helpers for the posting calendar. Days are shop-local "YYYY-MM-DD" (lib/zone.ts).
import type { ChannelView } from "../bindings/ChannelView";
import type { Post } from "../bindings/Post";
import { shopDay } from "./zone";

/** Adds days to a "YYYY-MM-DD" day (calendar arithmetic, no time zone involved). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(day: string): number {
  const [y, m, d] = day.split("-").map(Number);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

export function weekStart(day: string): string {
  return addDays(day, -weekday(day));
}

/** Weeks (Monday first) covering the month of `day`; each week is 7 days. */
export function monthGrid(day: string): string[][] {
  const first = `${day.slice(0, 7)}-01`;
  const month = day.slice(0, 7);
  const weeks: string[][] = [];
  let cur = weekStart(first);
  while (cur.slice(0, 7) <= month || weeks.length === 0) {
    const week = Array.from({ length: 7 }, (_, i) => addDays(cur, i));
    weeks.push(week);
    cur = addDays(cur, 7);
    if (cur.slice(0, 7) > month) break;
  }
  return weeks;
}

export function weekGrid(day: string): string[] {
  const s = weekStart(day);
  return Array.from({ length: 7 }, (_, i) => addDays(s, i));
}

/** Shifts a day by whole months, clamping to the month's last day. */
export function addMonths(day: string, n: number): string {
  const [y, m] = day.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1 + n, 1));
  return t.toISOString().slice(0, 10);
}

export type Mark = "posted" | "planned" | "missed";

/** The posts of one day with their mark: done → posted; planned before `today` → missed; else planned. */
export function postsOn(day: string, posts: Post[], today: string): { post: Post; mark: Mark }[] {
  const out: { post: Post; mark: Mark }[] = [];
  for (const p of posts) {
    const d = p.status === "planned" ? (p.planned_for ?? shopDay(p.at)) : shopDay(p.at);
    if (d !== day) continue;
    out.push({ post: p, mark: p.status === "done" ? "posted" : d < today ? "missed" : "planned" });
  }
  return out;
}

/** Whether `day` lies in a lapse of the channel: from the day the lapse began through today. */
export function inLapse(day: string, v: ChannelView, today: string): boolean {
  const s = v.assessment.status;
  if (v.resting || (s !== "lapsed" && s !== "serious") || !v.assessment.lapse_at) return false;
  return day >= shopDay(v.assessment.lapse_at) && day <= today;
}

/** Days rounded to a half for sentences ("3", "3.5"). */
export function daysText(d: number): string {
  const r = Math.round(d * 2) / 2;
  return Number.isInteger(r) ? String(r) : r.toFixed(1);
}
