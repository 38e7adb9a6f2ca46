import { describe, it, expect, afterEach } from "vitest";
import { LANGS, format, hasMessage, render, variables } from "./messages";
import { t, setLang, errorText, formatDate, formatDateTime, locale } from "./i18n.svelte";

afterEach(() => setLang("ja"));

describe("messages", () => {
  // The catalogue is src-tauri/locales/{ja,en}.ftl, read by the window and by Rust alike.
  it("English has every Japanese key and no empty text", () => {
    const ja = [...variables("ja").keys()].sort();
    expect([...variables("en").keys()].sort()).toEqual(ja);
    expect(ja.length).toBeGreaterThan(800);
    for (const lang of LANGS) {
      for (const k of ja) expect(format(lang, k)?.trim(), `${lang}:${k}`).not.toBe("");
    }
  });

  it("placeholders match between languages", () => {
    const ja = variables("ja");
    const en = variables("en");
    // Named with the reason in noren-base's messages tests too: English names the skipped days only.
    const englishLeavesOut: Record<string, string> = { "due-why-closed-day": "reason" };
    for (const [k, v] of ja) expect(en.get(k), k).toEqual(v.filter((x) => x !== englishLeavesOut[k]));
  });

  it("every key the window can name is in the catalogue (MessageKey is generated from it)", () => {
    const ja = variables("ja");
    for (const k of ja.keys()) expect(hasMessage(k), k).toBe(true);
    expect(hasMessage("no-such-key")).toBe(false);
  });

  it("renders a back-end message with nested messages and lists in the current language", () => {
    const m = { key: "error-invalid_input", params: { field: [{ key: "field-url" }, { key: "field-name" }], message: "x" } };
    expect(render("ja", m)).toBe(`${format("ja", "field-url")}、${format("ja", "field-name")}の入力を確認してください：x`);
    expect(render("en", m)).toContain(`${format("en", "field-url")}, ${format("en", "field-name")}`);
    expect(render("en", { key: "no-such-key" })).toBe("no-such-key");
  });

  it("shows a template's own placeholders literally (Fluent escapes them)", () => {
    expect(format("ja", "inq-templateHint")).toContain("{name}（お名前）{shop}（店名）");
    expect(format("en", "inq-templateHint")).toContain("{summary} (subject)");
  });
});

describe("t and errors", () => {
  it("interpolates and switches language", () => {
    expect(t("cred-copied", { s: 20 })).toContain("20秒後");
    setLang("en");
    expect(locale.lang).toBe("en");
    expect(t("cred-copied", { s: 20 })).toBe("Copied. The clipboard is cleared in 20 seconds.");
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
      expect(ja).not.toBe(t("error-unknown"));
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
