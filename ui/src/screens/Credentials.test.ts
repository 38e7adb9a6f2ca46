import { describe, it, expect, afterEach } from "vitest";
import { mount, unmount, tick } from "svelte";
import { mockIPC, clearMocks } from "@tauri-apps/api/mocks";
import Credentials from "./Credentials.svelte";
import type { CredentialSummary } from "../bindings/CredentialSummary";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

async function settle() {
  for (let i = 0; i < 8; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 30));
  }
}

const login = (i: number): CredentialSummary => ({
  id: `id-${i}`, category: "website", name: `サービス ${i}`, url: null, login: `user${i}@example.jp`, tags: [],
  has_totp: false, renewal_date: null, last_rotated: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z",
});

describe("Credentials list", () => {
  it("draws a long list a page at a time, and a new search starts again at the first page", async () => {
    let all = Array.from({ length: 450 }, (_, i) => login(i));
    mockIPC((cmd) => (cmd === "cred_search" ? all : cmd === "categories" ? [] : null));
    const app = mount(Credentials, { target: document.body, props: {} });
    await settle();
    const rows = () => document.querySelectorAll("[data-cred-item]").length;
    const more = () => document.querySelector<HTMLButtonElement>("[data-testid=cred-more]");
    expect(document.body.textContent).toContain("450件");
    expect(rows()).toBe(200);
    expect(more()?.textContent).toContain("さらに200件を表示（残り250件）");
    more()!.click();
    await settle();
    expect(rows()).toBe(400);
    expect(more()?.textContent).toContain("さらに50件を表示（残り50件）");
    more()!.click();
    await settle();
    expect(rows()).toBe(450);
    expect(more()).toBeNull();
    // Another search: its first page only.
    all = all.slice(0, 300);
    const box = document.querySelector<HTMLInputElement>("[data-testid=cred-search]")!;
    box.value = "サービス";
    box.dispatchEvent(new Event("input"));
    await settle();
    expect(rows()).toBe(200);
    expect(more()?.textContent).toContain("残り100件");
    unmount(app);
  });
});
