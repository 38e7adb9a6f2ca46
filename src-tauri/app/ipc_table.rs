//! The window's command table, generated from the commands themselves: every
//! `#[tauri::command]` in `ipc/` registered with `generate_handler!` (lib.rs) becomes
//! a typed function in `ui/src/bindings/commands.ts` (its name, its arguments
//! by name and type, its result), written by `cargo test` beside the ts-rs
//! bindings, so that `api.ts` holds no hand-written command name or argument
//! list and CI fails when the table is stale (the bindings check).
//!
//! Types map as serde sends them: strings, numbers and booleans; `Option<T>`
//! as `T | null`; `Vec<T>` as `T[]`; instants and dates as strings; every
//! other type by its name, which must be a ts-rs binding.

/// One command: its name, its arguments (Rust name, Rust type) and its result type.
#[derive(Debug, PartialEq, Eq)]
pub struct Command {
    pub name: String,
    pub args: Vec<(String, String)>,
    pub result: String,
}

/// Parameters the shell fills in itself; not sent by the page.
const INJECTED: [&str; 4] = ["State<", "AppHandle", "Window", "WebviewWindow"];

/// The commands defined in `source` (the command files) and registered in
/// `handler` (the text holding `generate_handler!`), in the handler's order.
pub fn commands(source: &str, handler: &str) -> Result<Vec<Command>, String> {
    let registered = registered(handler)?;
    let mut found = std::collections::BTreeMap::new();
    let mut rest = source;
    while let Some(i) = rest.find("#[tauri::command]") {
        rest = &rest[i + "#[tauri::command]".len()..];
        let f = rest.find("fn ").ok_or("a command without fn")?;
        let after = &rest[f + 3..];
        let open = after.find('(').ok_or("a command without arguments")?;
        let name = after[..open].trim().to_string();
        let close = matching(after, open).ok_or_else(|| format!("{name}: unbalanced arguments"))?;
        let params = &after[open + 1..close];
        let tail = &after[close + 1..];
        let body = tail.find('{').ok_or_else(|| format!("{name}: no body"))?;
        let ret = tail[..body].trim();
        let result = match ret.strip_prefix("->") {
            Some(r) => {
                let r = r.trim();
                r.strip_prefix("IpcResult<").and_then(|x| x.strip_suffix('>')).unwrap_or(r).trim().to_string()
            }
            None => "()".to_string(),
        };
        let mut args = Vec::new();
        for p in split_top(params, ',') {
            let p = p.trim();
            if p.is_empty() {
                continue;
            }
            let (n, t) = p.split_once(':').ok_or_else(|| format!("{name}: argument {p:?}"))?;
            let t = t.trim();
            if INJECTED.iter().any(|x| t.starts_with(x)) {
                continue;
            }
            args.push((n.trim().to_string(), t.to_string()));
        }
        found.insert(name.clone(), Command { name, args, result });
    }
    let mut out = Vec::new();
    for n in registered {
        out.push(found.remove(&n).ok_or_else(|| format!("{n} is registered but no #[tauri::command] fn {n} was found"))?);
    }
    if let Some(n) = found.keys().next() {
        return Err(format!("#[tauri::command] {n} is not registered in generate_handler!"));
    }
    Ok(out)
}

fn registered(source: &str) -> Result<Vec<String>, String> {
    let i = source.find("generate_handler![").ok_or("no generate_handler!")?;
    let list = &source[i + "generate_handler![".len()..];
    let end = list.find(']').ok_or("generate_handler! is not closed")?;
    // `ipc::calendar::cal_overview` is registered as `cal_overview`.
    Ok(list[..end].split(',').map(|s| s.trim().rsplit("::").next().unwrap_or("").to_string()).filter(|s| !s.is_empty()).collect())
}

/// The index of the `)` closing the `(` at `open`.
fn matching(s: &str, open: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in s.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits at `sep` outside of `<>`, `()` and `[]`.
fn split_top(s: &str, sep: char) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0i32, 0, Vec::new());
    for (i, c) in s.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            c if c == sep && depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// The TypeScript of a Rust type, and the named types it uses.
pub fn ts(rust: &str, named: &mut std::collections::BTreeSet<String>) -> Result<String, String> {
    let t = rust.trim().trim_start_matches('&').trim_start_matches("'_ ").trim();
    if let Some(inner) = generic(t, "Option") {
        return Ok(format!("{} | null", ts(inner, named)?));
    }
    if let Some(inner) = generic(t, "Vec") {
        let inner = ts(inner, named)?;
        return Ok(if inner.contains(' ') { format!("({inner})[]") } else { format!("{inner}[]") });
    }
    Ok(match head(t) {
        "()" => "void".into(),
        "String" | "str" | "PathBuf" | "NaiveDate" | "NaiveTime" | "DateTime" => "string".into(),
        "bool" => "boolean".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" | "f32" | "f64" => "number".into(),
        name if name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && name.chars().all(|c| c.is_ascii_alphanumeric()) => {
            named.insert(name.to_string());
            name.to_string()
        }
        other => return Err(format!("no TypeScript for the Rust type {other:?} ({rust})")),
    })
}

/// The last path segment of a type's name (`chrono::DateTime<chrono::Utc>` → `DateTime`).
fn head(t: &str) -> &str {
    let name = t.split('<').next().unwrap_or(t);
    name.rsplit("::").next().unwrap_or(name).trim()
}

/// `T` of `Outer<T>` (with or without a path before `Outer`).
fn generic<'a>(t: &'a str, outer: &str) -> Option<&'a str> {
    let lt = t.find('<')?;
    (head(t) == outer).then(|| t[lt + 1..].strip_suffix('>')).flatten()
}

/// snake_case → camelCase.
pub fn camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in s.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The words TypeScript does not take as a parameter name.
const RESERVED: [&str; 8] = ["new", "default", "delete", "in", "function", "class", "var", "for"];

/// `commands.ts`: the typed functions over a `call` the page provides.
pub fn typescript(commands: &[Command]) -> Result<(String, std::collections::BTreeSet<String>), String> {
    let mut named = std::collections::BTreeSet::new();
    let mut body = String::new();
    for c in commands {
        let mut params = Vec::new();
        let mut keys = Vec::new();
        for (n, t) in &c.args {
            let key = camel(n);
            let var = if RESERVED.contains(&key.as_str()) { format!("{key}_") } else { key.clone() };
            params.push(format!("{var}: {}", ts(t, &mut named)?));
            keys.push(if var == key { key } else { format!("{key}: {var}") });
        }
        let result = ts(&c.result, &mut named)?;
        let args = if keys.is_empty() { String::new() } else { format!(", {{ {} }}", keys.join(", ")) };
        body.push_str(&format!("    {}: ({}) => call<{result}>(\"{}\"{args}),\n", camel(&c.name), params.join(", "), c.name));
    }
    let mut out =
        String::from("// Generated from the #[tauri::command]s in src-tauri/app/ipc/ by `cargo test` (app/ipc_table.rs). Do not edit.\n");
    for n in &named {
        out.push_str(&format!("import type {{ {n} }} from \"./{n}\";\n"));
    }
    out.push_str("\n/** Sends one command; rejects with `{code, message, field}`. */\n");
    out.push_str("export type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;\n\n");
    out.push_str("/** Every command of the window, typed as the Rust side declares it. */\n");
    out.push_str("export function commands(call: Call) {\n  return {\n");
    out.push_str(&body);
    out.push_str("  };\n}\n");
    Ok((out, named))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn parses_commands_and_maps_types() {
        let src = r#"
#[tauri::command]
fn cred_add(app: State<'_, App>, input: CredentialInput) -> IpcResult<CredentialDetail> { x }
#[tauri::command]
async fn cal_feed_sync(handle: AppHandle, channel_id: Option<String>) -> IpcResult<Vec<calendar::SyncOutcome>> { x }
#[tauri::command]
fn change_passphrase(
    app: State<'_, App>,
    current: String,
    new: String,
) -> IpcResult<noren_core::rekeyed::Rekeyed> { x }
#[tauri::command]
fn ui_ready() {}
fn main() { tauri::generate_handler![cred_add, cal_feed_sync, change_passphrase, ui_ready] }
"#;
        let cmds = commands(src, src).unwrap();
        assert_eq!(cmds.len(), 4);
        assert_eq!(cmds[1].args, vec![("channel_id".to_string(), "Option<String>".to_string())]);
        let (ts, named) = typescript(&cmds).unwrap();
        assert!(ts.contains("credAdd: (input: CredentialInput) => call<CredentialDetail>(\"cred_add\", { input }),"), "{ts}");
        assert!(ts.contains("calFeedSync: (channelId: string | null) => call<SyncOutcome[]>(\"cal_feed_sync\", { channelId }),"), "{ts}");
        assert!(
            ts.contains(
                "changePassphrase: (current: string, new_: string) => call<Rekeyed>(\"change_passphrase\", { current, new: new_ }),"
            ),
            "{ts}"
        );
        assert!(ts.contains("uiReady: () => call<void>(\"ui_ready\"),"), "{ts}");
        assert_eq!(named.into_iter().collect::<Vec<_>>(), ["CredentialDetail", "CredentialInput", "Rekeyed", "SyncOutcome"]);
        // A command not registered, or registered and missing, is an error, not a silent gap.
        assert!(commands(src, &src.replace("ui_ready]", "]")).unwrap_err().contains("ui_ready is not registered"));
        assert!(commands(src, &src.replace("ui_ready]", "ui_ready, gone]")).unwrap_err().contains("gone is registered"));
        // Registered by path, as commands in modules are.
        assert_eq!(commands(src, &src.replace("[cred_add,", "[ipc::credentials::cred_add,")).unwrap().len(), 4);
        let mut n = std::collections::BTreeSet::new();
        assert_eq!(super::ts("Vec<Option<u8>>", &mut n).unwrap(), "(number | null)[]");
        assert_eq!(super::ts("chrono::DateTime<chrono::Utc>", &mut n).unwrap(), "string");
        assert!(super::ts("(String, u8)", &mut n).is_err(), "what has no mapping is refused");
    }

    /// Writes ui/src/bindings/commands.ts from the commands (where ts-rs writes the
    /// other bindings: $TS_RS_EXPORT_DIR) and checks that every named type it
    /// uses is a binding.
    #[test]
    fn export_bindings_command_table() {
        // Every command file; a file left out here leaves its commands unfound (an error).
        let src = [
            include_str!("ipc/session.rs"),
            include_str!("ipc/credentials.rs"),
            include_str!("ipc/backup.rs"),
            include_str!("ipc/calendar.rs"),
            include_str!("ipc/customers.rs"),
            include_str!("ipc/vendors.rs"),
            include_str!("ipc/handover.rs"),
            include_str!("ipc/migrate.rs"),
            include_str!("ipc/files.rs"),
            include_str!("ipc/sharing.rs"),
        ]
        .concat();
        let cmds = commands(&src, include_str!("lib.rs")).unwrap();
        let (ts, named) = typescript(&cmds).unwrap();
        let dir = std::path::PathBuf::from(std::env::var("TS_RS_EXPORT_DIR").unwrap_or_else(|_| "../../ui/src/bindings".into()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("commands.ts"), ts).unwrap();
        let bindings = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings");
        for n in named {
            assert!(bindings.join(format!("{n}.ts")).exists(), "{n} is used by a command but has no ts-rs binding (#[ts(export)])");
        }
    }
}
