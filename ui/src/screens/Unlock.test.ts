import { describe, it, expect, afterEach } from "vitest";
import { mount, unmount, flushSync, tick } from "svelte";
import { mockIPC, clearMocks } from "@tauri-apps/api/mocks";
import Unlock from "./Unlock.svelte";
import type { AppStatus } from "../bindings/AppStatus";

const status: AppStatus = {
  phase: "locked", demo: false, store_dir: "/home/u/.local/share/noren", version: "0.1.0", rollback: null, shop_zone: "Asia/Tokyo",
  settings: { language: "ja", auto_lock_minutes: 10, start_at_login: false, store_dir: null, guide_dismissed: false },
};

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

async function settle() {
  for (let i = 0; i < 5; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
  }
}

describe("Unlock screen", () => {
  it("shows the localized error for a wrong passphrase, then unlocks", async () => {
    const seen: string[] = [];
    mockIPC((cmd, args) => {
      const pass = (args as { passphrase: string }).passphrase;
      seen.push(pass);
      if (pass !== "right passphrase") throw { code: "wrong_passphrase", message: "wrong passphrase", field: null };
      return { ...status, phase: "unlocked" };
    });
    let done: AppStatus | null = null;
    const app = mount(Unlock, { target: document.body, props: { status, autoLocked: true, onDone: (s: AppStatus) => (done = s) } });
    flushSync();
    expect(document.body.textContent).toContain("自動でロックしました");
    const input = document.querySelector<HTMLInputElement>("[data-testid=unlock-pass]")!;
    const form = document.querySelector<HTMLFormElement>("[data-testid=unlock-form]")!;
    input.value = "wrong";
    input.dispatchEvent(new Event("input"));
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await settle();
    expect(document.querySelector("[data-testid=unlock-error]")?.textContent).toBe("合言葉が違います。もう一度入力してください。");
    expect(input.value).toBe("");
    expect(done).toBeNull();
    input.value = "right passphrase";
    input.dispatchEvent(new Event("input"));
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await settle();
    expect(done).toMatchObject({ phase: "unlocked" });
    expect(seen).toEqual(["wrong", "right passphrase"]);
    unmount(app);
  });
});
