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

/// Renders the catalogue messages in what the CLI prints, in one walk: beside every field
/// of `RENDERED` holding a message (or null, or a list of messages) its `<field>_ja` and
/// `<field>_en`; a history line Noren recorded as a message (`{"text": "", "message": …}`)
/// gets back the `text` the JSON has always had, in Japanese as it used to be stored.
fn render_messages(v: &mut serde_json::Value) {
    use noren_core::messages::{Lang, Message};
    use serde_json::Value;
    /// The text of a message, or of a list of messages, in `lang`; "" for null.
    fn shown(v: &Value, lang: Lang) -> Option<Value> {
        match v {
            Value::Null => Some(Value::from("")),
            Value::Object(_) => serde_json::from_value::<Message>(v.clone()).ok().map(|m| Value::from(m.text(lang))),
            Value::Array(_) => serde_json::from_value::<Vec<Message>>(v.clone())
                .ok()
                .map(|ms| Value::from(ms.iter().map(|m| m.text(lang)).collect::<Vec<_>>())),
            _ => None,
        }
    }
    match v {
        Value::Array(items) => items.iter_mut().for_each(render_messages),
        Value::Object(o) => {
            for f in RENDERED {
                for (suffix, lang) in [("ja", Lang::Ja), ("en", Lang::En)] {
                    if let Some(text) = o.get(f).and_then(|x| shown(x, lang)) {
                        o.insert(format!("{f}_{suffix}"), text);
                    }
                }
            }
            if o.get("text").is_some_and(|t| t.as_str() == Some("")) {
                if let Some(text) = o.get("message").filter(|m| m.is_object()).and_then(|m| shown(m, Lang::Ja)) {
                    o.insert("text".into(), text);
                }
            }
            o.values_mut().for_each(render_messages);
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
    render_messages(&mut v);
    let s = serde_json::to_string_pretty(&v).map_err(|e| Error::Storage(e.to_string()))?;
    println!("{}", noren_core::validate::printable_json(&s));
    Ok(())
}

/// One line of output for people (see `say!`).
pub fn say_line(s: &str) {
    println!("{}", noren_core::validate::printable(s));
}
