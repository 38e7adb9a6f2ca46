import { describe, it, expect } from "vitest";
import { groupByCategory, parseTags } from "./group";
import type { CredentialSummary } from "../bindings/CredentialSummary";

const item = (id: string, category: CredentialSummary["category"]): CredentialSummary => ({
  id, category, name: id, url: null, login: null, tags: [], has_totp: false, renewal_date: null,
  last_rotated: "2026-11-22T00:00:00Z", updated_at: "2026-11-22T00:00:00Z",
});

describe("groupByCategory", () => {
  it("keeps the fixed category order and item order, drops empty groups", () => {
    const g = groupByCategory([item("b", "email"), item("a", "website"), item("c", "email")]);
    expect(g.map((x) => x.category)).toEqual(["website", "email"]);
    expect(g[1].items.map((x) => x.id)).toEqual(["b", "c"]);
    expect(groupByCategory([])).toEqual([]);
  });
});

describe("parseTags", () => {
  it("splits on Japanese and Latin commas, trims, dedupes", () => {
    expect(parseTags("口コミ、 予約,#集客，口コミ\n")).toEqual(["口コミ", "予約", "集客"]);
    expect(parseTags("  ")).toEqual([]);
  });
});
