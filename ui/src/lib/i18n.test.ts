import { describe, it, expect, afterEach } from "vitest";
import { messages } from "./messages";
import { t, setLang, errorText, formatDate, formatDateTime, locale } from "./i18n.svelte";

afterEach(() => setLang("ja"));

describe("messages", () => {
  it("English has every Japanese key and no empty text", () => {
    const ja = Object.keys(messages.ja).sort();
    expect(Object.keys(messages.en).sort()).toEqual(ja);
    for (const lang of ["ja", "en"] as const) {
      for (const [k, v] of Object.entries(messages[lang])) expect(v.trim(), `${lang}:${k}`).not.toBe("");
    }
  });

  it("placeholders match between languages", () => {
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
    for (const k of Object.keys(messages.ja) as (keyof typeof messages.ja)[]) expect(ph(messages.en[k]), k).toBe(ph(messages.ja[k]));
  });
});

describe("t and errors", () => {
  it("interpolates and switches language", () => {
    expect(t("cred.copied", { s: 20 })).toContain("20秒後");
    setLang("en");
    expect(locale.lang).toBe("en");
    expect(t("cred.copied", { s: 20 })).toBe("Copied. The clipboard is cleared in 20 seconds.");
    setLang("fr");
    expect(locale.lang).toBe("ja");
  });

  it("maps every backend error code to text in both languages", () => {
    const codes = ["wrong_passphrase", "wrong_file_password", "store_in_use", "store_not_found", "store_exists", "unsupported_format", "locked", "not_found", "ambiguous", "tampered", "corrupt", "storage", "io", "disk_full", "read_only", "clipboard", "internal"];
    for (const code of codes) {
      setLang("ja");
      const ja = errorText({ code, message: "x" });
      setLang("en");
      const en = errorText({ code, message: "x" });
      expect(ja).not.toBe(t("error.unknown"));
      expect(en).not.toBe(ja);
    }
    setLang("ja");
    expect(errorText({ code: "wrong_passphrase", message: "" })).toBe("合言葉が違います。もう一度入力してください。");
    expect(errorText({ code: "something_new", message: "" })).toBe("問題が起きました。");
    expect(errorText(undefined)).toBe("問題が起きました。");
  });

  it("explains invalid input per field, in the user's language", () => {
    const text = errorText({ code: "invalid_input", message: "url: not a valid web address", field: "url" });
    expect(text).toContain("https://");
    expect(text).not.toContain("not a valid");
    setLang("en");
    expect(errorText({ code: "invalid_input", message: "x", field: "auto_dir" })).toContain("USB stick");
    setLang("ja");
    // A field without its own message still names the field.
    expect(errorText({ code: "invalid_input", message: "tags: too long", field: "tags" })).toBe("タグの入力を確認してください：too long");
  });
});

describe("dates in shop time (Asia/Tokyo)", () => {
  it("shows a UTC instant on the Tokyo date", () => {
    // 2026-11-22T16:30Z is 2026-11-23 01:30 in Tokyo.
    expect(formatDateTime("2026-11-22T16:30:00Z")).toContain("2026/11/23");
    expect(formatDate("2027-03-31")).toBe("2027/03/31");
    expect(formatDate("garbage")).toBe("garbage");
  });
});
