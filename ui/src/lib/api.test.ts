import { describe, it, expect, afterEach } from "vitest";
import { mockIPC, clearMocks } from "@tauri-apps/api/mocks";
import { api } from "./api";

afterEach(() => clearMocks());

describe("api", () => {
  it("passes arguments by name and returns results", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "cred_search") return [{ id: "x1", name: "エキテン" }];
      if (cmd === "cred_copy") return 20;
    });
    const r = await api.search("ｴｷﾃﾝ");
    expect(r[0].name).toBe("エキテン");
    expect(await api.copy("x1", "password")).toBe(20);
    expect(calls).toEqual([
      ["cred_search", { query: "ｴｷﾃﾝ" }],
      ["cred_copy", { id: "x1", what: "password" }],
    ]);
  });

  it("rejects with the backend's {code, message}", async () => {
    mockIPC(() => {
      throw { code: "wrong_passphrase", message: "wrong passphrase", field: null };
    });
    await expect(api.unlock("nope")).rejects.toMatchObject({ code: "wrong_passphrase" });
  });

  it("normalizes non-structured failures to code internal", async () => {
    mockIPC(() => {
      throw "boom";
    });
    await expect(api.status()).rejects.toMatchObject({ code: "internal", message: "boom" });
  });
});

describe("the generated command table", () => {
  it("sends the names the Rust side declares, even where a name is a reserved word", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return null;
    });
    await api.changePassphrase("old one", "new one");
    await api.backupConfigure(null, 14, []);
    await api.incidentLog("i1", "電話した");
    expect(calls).toEqual([
      ["change_passphrase", { current: "old one", new: "new one" }],
      ["backup_configure", { autoDir: null, keep: 14, recipients: [] }],
      ["inc_log", { id: "i1", text: "電話した", at: null }],
    ]);
  });
});
