import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_ZONE, setShopZone, shopDay, shopInstant, shopLocal, shopZone } from "./zone";

afterEach(() => setShopZone(DEFAULT_ZONE));

describe("the shop's time zone", () => {
  it("is Asia/Tokyo until the store says otherwise, and refuses unknown names", () => {
    expect(shopZone()).toBe("Asia/Tokyo");
    setShopZone("Not/AZone");
    expect(shopZone()).toBe("Asia/Tokyo");
    setShopZone("");
    expect(shopZone()).toBe("Asia/Tokyo");
  });

  it("builds instants in the shop's zone, not at +09:00", () => {
    expect(shopInstant("2026-11-21T15:00")).toBe("2026-11-21T06:00:00.000Z");
    expect(shopInstant("2026-11-21")).toBe("2026-11-20T15:00:00.000Z");
    setShopZone("Europe/Berlin");
    // Winter (+01:00) and summer (+02:00) in the same zone.
    expect(shopInstant("2026-12-01T09:30")).toBe("2026-12-01T08:30:00.000Z");
    expect(shopInstant("2026-07-01T09:30:15")).toBe("2026-07-01T07:30:15.000Z");
    // The hour a spring clock change skips is read with the offset before it.
    expect(shopInstant("2026-03-29T02:30")).toBe("2026-03-29T01:30:00.000Z");
    expect(shopInstant("not a date")).toBe("not a date");
  });

  it("reads instants back as the shop's day and wall-clock time", () => {
    expect(shopDay("2026-11-22T16:30:00Z")).toBe("2026-11-23");
    expect(shopLocal("2026-11-22T16:30:00Z")).toBe("2026-11-23T01:30");
    setShopZone("America/New_York");
    expect(shopDay("2026-11-22T16:30:00Z")).toBe("2026-11-22");
    expect(shopLocal("2026-11-23T04:59:00Z")).toBe("2026-11-22T23:59");
    // Midnight is 00, never 24.
    expect(shopLocal("2026-11-23T05:00:00Z")).toBe("2026-11-23T00:00");
    for (const local of ["2026-01-15T00:00", "2026-06-30T23:45", "2026-11-01T01:30"]) {
      expect(shopLocal(shopInstant(local))).toBe(local);
    }
  });
});
