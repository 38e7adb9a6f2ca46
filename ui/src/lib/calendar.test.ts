import { describe, expect, it } from "vitest";
import { addDays, addMonths, daysText, inLapse, monthGrid, postsOn, weekGrid, weekStart } from "./calendar";
import { shopDay as tokyoDay } from "./zone";
import type { Post } from "../bindings/Post";
import type { ChannelView } from "../bindings/ChannelView";

const post = (p: Partial<Post>): Post => ({
  id: "p", channel_id: "c", status: "done", at: "2026-11-22T00:00:00Z", planned_for: null, title: "", url: null, note: "", guid: null, source: "manual", created_at: "2026-11-22T00:00:00Z", ...p,
});

describe("calendar days", () => {
  it("puts instants on the Tokyo day", () => {
    expect(tokyoDay("2026-11-22T14:59:00Z")).toBe("2026-11-22");
    expect(tokyoDay("2026-11-22T15:00:00Z")).toBe("2026-11-23");
  });
  it("does day arithmetic across months and years", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addMonths("2026-12-15", 1)).toBe("2027-01-01");
    expect(weekStart("2026-11-22")).toBe("2026-11-16"); // Sunday → Monday before
  });
  it("builds Monday-first month grids", () => {
    const g = monthGrid("2026-11-10");
    expect(g[0][0]).toBe("2026-10-26");
    expect(g.at(-1)!.at(-1)).toBe("2026-12-06"); // Monday 11-30 starts the last week
    expect(g.flat()).toContain("2026-11-30");
    expect(g.length).toBe(6);
    expect(g.every((w) => w.length === 7)).toBe(true);
    expect(monthGrid("2026-02-01").flat()).toContain("2026-02-28");
    expect(weekGrid("2026-11-22")).toEqual(["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22"]);
  });
  it("marks posts posted, planned or missed", () => {
    const posts = [
      post({ id: "a", at: "2026-11-20T03:00:00Z" }),
      post({ id: "b", status: "planned", planned_for: "2026-11-21", at: "2026-11-20T15:00:00Z" }),
      post({ id: "c", status: "planned", planned_for: "2026-11-25", at: "2026-11-24T15:00:00Z" }),
    ];
    expect(postsOn("2026-11-20", posts, "2026-11-22").map((x) => x.mark)).toEqual(["posted"]);
    expect(postsOn("2026-11-21", posts, "2026-11-22").map((x) => x.mark)).toEqual(["missed"]);
    expect(postsOn("2026-11-25", posts, "2026-11-22").map((x) => x.mark)).toEqual(["planned"]);
  });
  it("shades lapse days only for lapsed, active channels", () => {
    const v = { resting: false, assessment: { status: "lapsed", lapse_at: "2026-11-18T01:00:00Z" } } as unknown as ChannelView;
    expect(inLapse("2026-11-17", v, "2026-11-22")).toBe(false);
    expect(inLapse("2026-11-18", v, "2026-11-22")).toBe(true);
    expect(inLapse("2026-11-23", v, "2026-11-22")).toBe(false);
    expect(inLapse("2026-11-20", { ...v, resting: true }, "2026-11-22")).toBe(false);
    expect(daysText(3.26)).toBe("3.5");
    expect(daysText(14)).toBe("14");
  });
});
