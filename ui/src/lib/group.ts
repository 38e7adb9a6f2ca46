import type { Category } from "../bindings/Category";
import type { CredentialSummary } from "../bindings/CredentialSummary";

export const CATEGORY_ORDER: Category[] = ["website", "sns", "portal", "email", "domain", "server", "other"];

/** Groups summaries by category in the fixed category order, keeping item order. */
export function groupByCategory(items: CredentialSummary[]): { category: Category; items: CredentialSummary[] }[] {
  return CATEGORY_ORDER.map((category) => ({ category, items: items.filter((i) => i.category === category) })).filter((g) => g.items.length > 0);
}

/** Splits a tag field on Japanese and Latin commas and spaces; drops empties and duplicates. */
export function parseTags(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[,、，\n]+/)) {
    const tag = raw.trim().replace(/^#/, "");
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return out;
}
