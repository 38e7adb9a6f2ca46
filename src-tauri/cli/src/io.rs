//! Passphrases, stdin secrets and output helpers.

use std::io::{BufRead, IsTerminal, Write};

use noren_core::{Error, SecretString};

/// An error as the CLI reports it: a core error, or a usage error (exit 2).
#[derive(Debug)]
pub enum CliError {
    Core(Error),
    Usage(String),
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Core(e) => write!(f, "{e}"),
            CliError::Usage(m) => f.write_str(m),
        }
    }
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        CliError::Core(e)
    }
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Core(Error::WrongPassphrase) => 3,
            CliError::Core(Error::StoreInUse(_)) => 4,
            CliError::Core(Error::WrongFilePassword) => 5,
            CliError::Core(_) => 1,
        }
    }
}

pub type CliResult<T> = Result<T, CliError>;

pub fn one_line(s: &str) -> String {
    s.split(['\n', '\r']).map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

fn first_line_of_file(var: &str, path: &std::ffi::OsStr) -> CliResult<SecretString> {
    let text = zeroize::Zeroizing::new(
        std::fs::read_to_string(path)
            .map_err(|e| Error::io(format!("cannot read ${var} ({})", std::path::Path::new(path).display()), e))?,
    );
    let line = text.lines().next().unwrap_or("");
    if line.is_empty() {
        return Err(Error::invalid("passphrase", format!("the file named by ${var} is empty")).into());
    }
    Ok(SecretString::new(line))
}

/// The passphrase from `$<PREFIX>_FILE`, else `$<PREFIX>`, else a terminal prompt
/// (asked twice when `confirm`).
pub fn passphrase(prefix: &str, prompt: &str, confirm: bool) -> CliResult<SecretString> {
    let file_var = format!("{prefix}_FILE");
    if let Some(p) = std::env::var_os(&file_var).filter(|v| !v.is_empty()) {
        return first_line_of_file(&file_var, &p);
    }
    if let Ok(p) = std::env::var(prefix) {
        if !p.is_empty() {
            return Ok(SecretString::new(p));
        }
    }
    let first = rpassword::prompt_password(prompt)
        .map_err(|_| CliError::Usage(format!("no passphrase: set ${file_var} or ${prefix}, or run in a terminal")))?;
    let first = SecretString::new(first);
    if confirm {
        let again = SecretString::new(rpassword::prompt_password("Repeat: ").map_err(|e| Error::io("terminal", e))?);
        if again != first {
            return Err(Error::invalid("passphrase", "the two entries differ").into());
        }
    }
    Ok(first)
}

/// Reads `n` lines from stdin (password, then TOTP seed), without echo concerns:
/// stdin is a pipe in scripted use.
pub fn stdin_lines(n: usize) -> CliResult<Vec<SecretString>> {
    let stdin = std::io::stdin();
    let mut out = Vec::with_capacity(n);
    let mut lock = stdin.lock();
    for i in 0..n {
        let mut line = zeroize::Zeroizing::new(String::new());
        let read = lock.read_line(&mut line).map_err(|e| Error::io("stdin", e))?;
        if read == 0 {
            return Err(CliError::Usage(format!("expected {n} line(s) on stdin, got {i}")));
        }
        out.push(SecretString::new(line.trim_end_matches(['\n', '\r'])));
    }
    Ok(out)
}

pub fn confirm(question: &str) -> CliResult<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage("refusing to delete without --yes when not run in a terminal".into()));
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).map_err(|e| Error::io("stdin", e))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "はい"))
}

/// The language of the CLI's words for people and of desktop notifications: `$NOREN_LANG`,
/// else `$LANG`; Japanese unless it names English.
pub fn lang() -> noren_core::messages::Lang {
    noren_core::messages::Lang::from_tag(&std::env::var("NOREN_LANG").or_else(|_| std::env::var("LANG")).unwrap_or_default())
}

/// Fields that hold catalogue messages in what the CLI prints. Beside each, the JSON has
/// always had `<field>_ja` and `<field>_en` (due items' `title`/`why`, the audit's
/// `why`/`what`, the departure checklist's `steps`, a vendor call's `cost`): they are
/// rendered from the catalogue.
const RENDERED: [&str; 5] = ["title", "why", "what", "steps", "cost"];

/// Adds `<field>_ja`/`<field>_en` beside every field of `RENDERED` that holds a message
/// (its text; "" for null) or a list of messages (their texts).
fn with_renderings(v: &mut serde_json::Value) {
    use noren_core::messages::{Lang, Message};
    use serde_json::Value;
    match v {
        Value::Array(items) => items.iter_mut().for_each(with_renderings),
        Value::Object(o) => {
            for f in RENDERED {
                let rendered: Option<Box<dyn Fn(Lang) -> Value>> = match o.get(f) {
                    Some(Value::Null) => Some(Box::new(|_| Value::from(""))),
                    Some(m @ Value::Object(_)) => match serde_json::from_value::<Message>(m.clone()) {
                        Ok(m) => Some(Box::new(move |l| Value::from(m.text(l)))),
                        Err(_) => None,
                    },
                    Some(Value::Array(a)) => match serde_json::from_value::<Vec<Message>>(Value::Array(a.clone())) {
                        Ok(ms) => Some(Box::new(move |l| Value::from(ms.iter().map(|m| m.text(l)).collect::<Vec<_>>()))),
                        Err(_) => None,
                    },
                    _ => None,
                };
                if let Some(r) = rendered {
                    for (suffix, lang) in [("ja", Lang::Ja), ("en", Lang::En)] {
                        o.insert(format!("{f}_{suffix}"), r(lang));
                    }
                }
            }
            o.values_mut().for_each(with_renderings);
        }
        _ => {}
    }
}

/// History lines Noren recorded as a catalogue message (`{"text": "", "message": {...}}`) keep
/// the `text` the JSON has always had, rendered in Japanese as it used to be stored.
fn fill_texts(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Array(items) => items.iter_mut().for_each(fill_texts),
        serde_json::Value::Object(o) => {
            let rendered = match (o.get("text"), o.get("message")) {
                (Some(serde_json::Value::String(t)), Some(m)) if t.is_empty() => {
                    serde_json::from_value::<noren_core::messages::Message>(m.clone()).ok().map(|m| m.text(noren_core::messages::Lang::Ja))
                }
                _ => None,
            };
            if let Some(text) = rendered {
                o.insert("text".into(), text.into());
            }
            o.values_mut().for_each(fill_texts);
        }
        _ => {}
    }
}

/// A closed weekday (0 = Monday) as the shop writes it (月, 火, …), from the catalogue.
pub fn weekday_ja(d: u8) -> Option<String> {
    const KEYS: [&str; 7] = ["vnd-day-mon", "vnd-day-tue", "vnd-day-wed", "vnd-day-thu", "vnd-day-fri", "vnd-day-sat", "vnd-day-sun"];
    KEYS.get(d as usize).map(|k| noren_core::messages::text(noren_core::messages::Lang::Ja, k))
}

pub fn print_json(v: &serde_json::Value) -> CliResult<()> {
    let mut v = v.clone();
    fill_texts(&mut v);
    with_renderings(&mut v);
    let s = serde_json::to_string_pretty(&v).map_err(|e| Error::Storage(e.to_string()))?;
    println!("{}", noren_core::validate::printable_json(&s));
    Ok(())
}

/// One line of output for people (see `say!`).
pub fn say_line(s: &str) {
    println!("{}", noren_core::validate::printable(s));
}
