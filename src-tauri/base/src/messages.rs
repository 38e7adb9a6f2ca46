//! The one message catalogue: every text Noren shows — the window, notifications, the
//! tray, the CLI, reports — comes from `src-tauri/locales/{ja,en}.ftl` (Fluent), the same
//! files the window reads. Japanese is the reference and the default; English has every
//! key with the same variables (the tests below).
//!
//! Layers below the front ends produce a [`Message`] (a key and its parameters, no prose);
//! a front end renders it in the user's language with [`Message::text`].

use std::collections::BTreeMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const JA: &str = include_str!("../../locales/ja.ftl");
const EN: &str = include_str!("../../locales/en.ftl");

/// A language of the catalogue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The language a setting or `$LANG` names ("en_US.UTF-8" → En); Japanese for anything else.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Ja
        }
    }

    fn source(self) -> &'static str {
        match self {
            Lang::Ja => JA,
            Lang::En => EN,
        }
    }
}

/// A text to show, not yet in any language: a catalogue key and its parameters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Message {
    pub key: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[ts(optional, as = "Option<BTreeMap<String, Arg>>")]
    pub params: BTreeMap<String, Arg>,
}

/// A parameter: the user's own text (a name, a date), another message shown in the same
/// language, or a list of messages joined the language's way (`list-separator`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(untagged)]
#[ts(export)]
pub enum Arg {
    Text(String),
    /// A number a message selects on (a weekday, a month, a count for plurals).
    Number(#[ts(type = "number")] i64),
    Message(Message),
    List(Vec<Message>),
}

impl Message {
    pub fn new(key: impl Into<String>) -> Self {
        Message { key: key.into(), params: BTreeMap::new() }
    }

    /// With a text parameter (anything displayable: a name, a number, a date).
    #[must_use]
    pub fn with(mut self, name: &str, value: impl std::fmt::Display) -> Self {
        self.params.insert(name.to_string(), Arg::Text(value.to_string()));
        self
    }

    /// With a number the message may select on (`{ $month -> [1] Jan … }`) or show as it is.
    #[must_use]
    pub fn with_number(mut self, name: &str, value: i64) -> Self {
        self.params.insert(name.to_string(), Arg::Number(value));
        self
    }

    /// The message naming an enum's value: `prefix-<serialized name>` (`contact-line`), the
    /// same key the window builds from the value it receives.
    pub fn of_enum<T: Serialize>(prefix: &str, value: &T) -> Self {
        let name = serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        Message::new(format!("{prefix}-{name}"))
    }

    /// With a parameter that is itself a message, shown in the same language.
    #[must_use]
    pub fn with_message(mut self, name: &str, value: Message) -> Self {
        self.params.insert(name.to_string(), Arg::Message(value));
        self
    }

    /// With a list of messages, joined with the language's separator.
    #[must_use]
    pub fn with_list(mut self, name: &str, values: Vec<Message>) -> Self {
        self.params.insert(name.to_string(), Arg::List(values));
        self
    }

    /// The text in `lang` (Japanese where `lang` lacks the key; the key itself where both do,
    /// which the tests keep from happening).
    pub fn text(&self, lang: Lang) -> String {
        let mut args = FluentArgs::new();
        for (name, arg) in &self.params {
            let value = match arg {
                Arg::Text(s) => FluentValue::from(s.clone()),
                Arg::Number(n) => FluentValue::from(*n),
                Arg::Message(m) => FluentValue::from(m.text(lang)),
                Arg::List(items) => {
                    let sep = text(lang, "list-separator");
                    FluentValue::from(items.iter().map(|m| m.text(lang)).collect::<Vec<_>>().join(&sep))
                }
            };
            args.set(name.clone(), value);
        }
        format(lang, &self.key, Some(&args)).unwrap_or_else(|| self.key.clone())
    }
}

/// The text of a key without parameters.
pub fn text(lang: Lang, key: &str) -> String {
    format(lang, key, None).unwrap_or_else(|| key.to_string())
}

/// Whether the catalogue has `key` (keys built at run time, e.g. from an enum's name).
pub fn has(key: &str) -> bool {
    bundle(Lang::Ja).has_message(key)
}

fn format(lang: Lang, key: &str, args: Option<&FluentArgs>) -> Option<String> {
    for l in [lang, Lang::Ja] {
        let b = bundle(l);
        if let Some(pattern) = b.get_message(key).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            return Some(b.format_pattern(pattern, args, &mut errors).into_owned());
        }
    }
    None
}

type Bundle = FluentBundle<FluentResource>;

fn bundle(lang: Lang) -> &'static Bundle {
    static JA_BUNDLE: OnceLock<Bundle> = OnceLock::new();
    static EN_BUNDLE: OnceLock<Bundle> = OnceLock::new();
    let cell = match lang {
        Lang::Ja => &JA_BUNDLE,
        Lang::En => &EN_BUNDLE,
    };
    cell.get_or_init(|| build(lang))
}

fn build(lang: Lang) -> Bundle {
    let locale = lang.code().parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![locale]);
    // Every text is shown left to right and compared in tests: no bidi isolation marks.
    b.set_use_isolating(false);
    // A syntax error drops only the broken entry (tests keep the files free of them).
    let resource = FluentResource::try_new(lang.source().to_string()).unwrap_or_else(|(partial, _)| partial);
    // Adding to a fresh bundle can only fail on a key written twice; the first one stays.
    let _ = b.add_resource(resource);
    b
}

/// The catalogue's keys with the variables each uses, in file order (for tests and generators).
pub fn keys(lang: Lang) -> Result<Vec<(String, Vec<String>)>, String> {
    use fluent_syntax::ast;
    let resource =
        FluentResource::try_new(lang.source().to_string()).map_err(|(_, e)| format!("{}.ftl does not parse: {e:?}", lang.code()))?;
    fn vars(p: &ast::Pattern<&str>, out: &mut Vec<String>) {
        for el in &p.elements {
            if let ast::PatternElement::Placeable { expression } = el {
                expr(expression, out);
            }
        }
    }
    fn expr(e: &ast::Expression<&str>, out: &mut Vec<String>) {
        match e {
            ast::Expression::Inline(i) => inline(i, out),
            ast::Expression::Select { selector, variants } => {
                inline(selector, out);
                for v in variants {
                    vars(&v.value, out);
                }
            }
        }
    }
    fn inline(i: &ast::InlineExpression<&str>, out: &mut Vec<String>) {
        match i {
            ast::InlineExpression::VariableReference { id } => out.push(id.name.to_string()),
            ast::InlineExpression::Placeable { expression } => expr(expression, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for entry in resource.entries() {
        match entry {
            ast::Entry::Message(m) => {
                let mut v = Vec::new();
                if let Some(p) = &m.value {
                    vars(p, &mut v);
                }
                v.sort();
                v.dedup();
                out.push((m.id.name.to_string(), v));
            }
            ast::Entry::Junk { content } => return Err(format!("{}.ftl: not a message: {content}", lang.code())),
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Keys whose English text leaves out one of Japanese's variables, and why.
    pub const ENGLISH_LEAVES_OUT: [(&str, &str, &str); 1] =
        [("due-why-closed-day", "reason", "English names the skipped days only (the reason is 定休日 or a Japanese holiday's name)")];

    #[test]
    fn both_languages_have_the_same_keys_and_variables_and_no_empty_text() {
        let ja = keys(Lang::Ja).unwrap();
        let en = keys(Lang::En).unwrap();
        assert!(ja.len() > 800, "{}", ja.len());
        let ja_map: BTreeMap<_, _> = ja.iter().cloned().collect();
        let en_map: BTreeMap<_, _> = en.iter().cloned().collect();
        assert_eq!(ja_map.len(), ja.len(), "a key is written twice in ja.ftl");
        assert_eq!(en_map.len(), en.len(), "a key is written twice in en.ftl");
        let only_ja: Vec<_> = ja_map.keys().filter(|k| !en_map.contains_key(*k)).collect();
        let only_en: Vec<_> = en_map.keys().filter(|k| !ja_map.contains_key(*k)).collect();
        assert!(only_ja.is_empty() && only_en.is_empty(), "only in ja: {only_ja:?}; only in en: {only_en:?}");
        for (k, v) in &ja_map {
            if let Some(why) = ENGLISH_LEAVES_OUT.iter().find(|(key, _, _)| key == k) {
                // Named here, with the reason: English uses a subset of Japanese's variables.
                let mut fewer = v.clone();
                fewer.retain(|x| x != why.1);
                assert_eq!(&en_map[k], &fewer, "{k}: {}", why.2);
            } else {
                assert_eq!(&en_map[k], v, "variables of {k} differ");
            }
        }
        for lang in Lang::ALL {
            for (k, _) in &ja {
                assert!(!text(lang, k).trim().is_empty(), "{}:{k} is empty", lang.code());
            }
        }
    }

    #[test]
    fn renders_parameters_nested_messages_and_lists_in_the_language_asked() {
        let m = Message::new("cred-copied").with("s", 20);
        assert_eq!(m.text(Lang::En), "Copied. The clipboard is cleared in 20 seconds.");
        assert!(m.text(Lang::Ja).contains("20秒後"));
        // No bidi isolation marks, no digit grouping of text parameters.
        assert!(!Message::new("cred-copied").with("s", 12345).text(Lang::En).contains(['\u{2068}', ',']));
        let nested = Message::new("error-invalid_input").with_message("field", Message::new("field-url")).with("message", "x");
        assert!(nested.text(Lang::Ja).contains(&text(Lang::Ja, "field-url")));
        assert!(nested.text(Lang::En).contains(&text(Lang::En, "field-url")));
        let list = Message::new("error-invalid_input")
            .with_list("field", vec![Message::new("field-url"), Message::new("field-name")])
            .with("message", "x");
        let en = list.text(Lang::En);
        assert!(
            en.contains(&format!("{}{}{}", text(Lang::En, "field-url"), text(Lang::En, "list-separator"), text(Lang::En, "field-name"))),
            "{en}"
        );
        // An unknown key shows itself rather than nothing, and never panics.
        assert_eq!(Message::new("no-such-key").text(Lang::En), "no-such-key");
        assert!(has("cred-copied") && !has("no-such-key"));
        assert_eq!(Lang::from_tag("en_GB.UTF-8"), Lang::En);
        assert_eq!(Lang::from_tag("fr"), Lang::Ja);
    }

    #[test]
    fn crosses_ipc_as_key_and_params() {
        let m = Message::new("a").with("n", 3).with_message("m", Message::new("b"));
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json, serde_json::json!({"key": "a", "params": {"n": "3", "m": {"key": "b"}}}));
        assert_eq!(serde_json::from_value::<Message>(json).unwrap(), m);
    }

    /// Every crate's Rust code, each file's path under src-tauri/ and its code before its unit
    /// tests (test folders, test-only files, fuzz targets, examples and build output aside).
    fn rust_code() -> Vec<(String, String)> {
        fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<(String, String)>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if p.is_dir() && !matches!(name, "tests" | "target" | "fuzz" | "examples") {
                    walk(root, &p, out);
                } else if name.ends_with(".rs") && !name.ends_with("_tests.rs") {
                    let src = std::fs::read_to_string(&p).unwrap();
                    let code = src.split("#[cfg(test)]").next().unwrap_or("").to_string();
                    out.push((p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"), code));
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut out = Vec::new();
        walk(&root, &root, &mut out);
        assert!(out.len() > 50, "{}", out.len());
        out
    }

    /// Every key the Rust sources name literally (`"due-…"`, `"notify-…"`, …: a lowercase id
    /// with a hyphen, in code outside tests) is in the catalogue.
    #[test]
    fn every_key_named_in_rust_is_in_the_catalogue() {
        let prefixes =
            ["due-", "tl-", "finding-", "step-", "notify-", "closed-", "holiday-", "date-", "tray-", "cli-", "kit-", "cat-", "list-"];
        let mut named = 0;
        for (f, code) in rust_code() {
            for lit in code.split('"').skip(1).step_by(2) {
                let key_like = lit.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if key_like && prefixes.iter().any(|p| lit.starts_with(p) && lit.len() > p.len()) {
                    named += 1;
                    assert!(has(lit), "{f}: \"{lit}\" is not in the catalogue");
                }
            }
        }
        assert!(named > 40, "{named}");
    }

    /// Files whose Japanese is not text the owner is shown by the program but data, each with why.
    /// Everything else keeps its Japanese in the catalogue (this test fails on a new literal).
    const JAPANESE_DATA: [(&str, &str); 14] = [
        ("core/src/demo.rs", "the demo shop's sample records"),
        ("domain/src/customers/holidays.rs", "the official names of Japan's national holidays (keys: holiday_key)"),
        (
            "domain/src/customers/inquiry.rs",
            "the default reply templates and what fills them: the reply's language, the customer's, not the window's",
        ),
        ("domain/src/customers/business.rs", "the default closed period's note (年末年始), the owner's editable data"),
        ("domain/src/posting/calendar.rs", "rhythms as people type them (週3回, 3日ごと)"),
        (
            "domain/src/vendors/vendor.rs",
            "role names read from input (保守); the notice line earlier versions wrote into a renewal's note, recognised to clear it",
        ),
        ("adapters/src/import.rs", "column and folder names read from imported files"),
        ("adapters/src/import_formats.rs", "column names read from imported files"),
        ("adapters/src/customer_import.rs", "column names read from customer CSV files"),
        ("adapters/src/kdbx.rs", "field and folder names of the KeePass files Noren writes and reads back"),
        ("base/src/validate.rs", "era names read in dates (令和9年3月31日)"),
        ("cli/src/io.rs", "はい typed at a prompt"),
        ("adapters/src/tls_check.rs", "a registrar's brand name (お名前.com) in an English hint"),
        ("adapters/src/sync/folder.rs", "the names Japanese sync programs give conflict copies (競合コピー)"),
    ];

    /// No Japanese in Rust code outside the catalogue and the data files named above.
    #[test]
    fn no_japanese_in_rust_code_outside_the_catalogue() {
        let japanese = |c: char| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}');
        let mut stray = Vec::new();
        for (rel, code) in rust_code() {
            if JAPANESE_DATA.iter().any(|(file, _)| rel == *file) {
                continue;
            }
            for (n, line) in code.lines().enumerate() {
                let t = line.trim_start();
                // Comments and doc comments may quote what a text says.
                if t.starts_with("//") || t.starts_with("#[arg") || t.starts_with("#[command") {
                    continue;
                }
                let code_part = t.split(" //").next().unwrap_or(t);
                if code_part.chars().any(japanese) {
                    stray.push(format!("{rel}:{}: {}", n + 1, t));
                }
            }
        }
        assert!(
            stray.is_empty(),
            "Japanese outside the catalogue (move it to locales/*.ftl or name the file as data):\n{}",
            stray.join("\n")
        );
    }

    /// Writes ui/src/bindings/messages.ts: the window's `MessageKey` type, one member per key
    /// of ja.ftl (the bindings check fails when it is stale).
    #[test]
    fn export_bindings_message_keys() {
        let keys = keys(Lang::Ja).unwrap();
        let mut ts = String::from(
            "// Generated from src-tauri/locales/ja.ftl by `cargo test` (noren-base messages). Do not edit.\n\nexport type MessageKey =\n",
        );
        for (k, _) in &keys {
            ts.push_str(&format!("  | \"{k}\"\n"));
        }
        ts.push_str(";\n");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings");
        std::fs::write(dir.join("messages.ts"), ts).unwrap();
    }
}
