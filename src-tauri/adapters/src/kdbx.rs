//! KeePass / KeePassXC databases (KDBX 3.1 and 4) in, KDBX 4 out, through the
//! `keepass` crate. Groups become a category (by name) and stay as tags.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use keepass::config::{DatabaseConfig, KdfConfig};
use keepass::db::{Entry, Group, History, Value};
use keepass::{Database, DatabaseKey};

use crate::import::{guess_category, Candidate, SkippedItem};
use noren_base::error::{Error, Result};
use noren_base::secret::{with_secrets_exposed, SecretString};
use noren_domain::credentials::credential::{Category, Credential, CredentialInput};

/// Largest KDBX file read (a shop's vault is far smaller).
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

const STANDARD: [&str; 6] = ["Title", "UserName", "Password", "URL", "Notes", "otp"];

fn utc(t: Option<&NaiveDateTime>) -> Option<DateTime<Utc>> {
    t.map(|t| t.and_utc())
}

fn open(bytes: &[u8], password: Option<&SecretString>, keyfile: Option<&[u8]>) -> Result<Database> {
    if bytes.len() > MAX_BYTES {
        return Err(Error::invalid("file", "larger than 64 MiB"));
    }
    let mut key = DatabaseKey::new();
    if let Some(p) = password {
        key = key.with_password(p.expose());
    }
    if let Some(k) = keyfile {
        key = key.with_keyfile(&mut &k[..]).map_err(|e| Error::invalid("keyfile", format!("cannot read the key file: {e}")))?;
    }
    // Every length the keepass crate would read unchecked is checked first;
    // a panic that still slips through is the last fence's, never the owner's.
    crate::kdbx_check::check(bytes)?;
    let parsed = noren_base::fence::quietly(|| Database::parse(bytes, key))
        .map_err(|_| Error::invalid("file", "not a readable KeePass database: the file is damaged"))?;
    parsed.map_err(|e| {
        use keepass::error::{CryptographyError, DatabaseIntegrityError, DatabaseKeyError, DatabaseOpenError};
        match e {
            DatabaseOpenError::Key(DatabaseKeyError::IncorrectKey) => Error::WrongFilePassword,
            // KDBX 3.1 has no header MAC: a wrong key shows as bad padding of the decrypted payload.
            DatabaseOpenError::DatabaseIntegrity(DatabaseIntegrityError::Cryptography(CryptographyError::Unpadding(_))) => {
                Error::WrongFilePassword
            }
            DatabaseOpenError::Key(other) => Error::invalid("keyfile", other.to_string()),
            other => Error::invalid("file", format!("not a readable KeePass database: {other}")),
        }
    })
}

fn entry_candidate(e: &Entry, path: &[String]) -> Candidate {
    let title = e.get_title().unwrap_or("").trim().to_string();
    let url = e.get_url().unwrap_or("").trim().to_string();
    let name = if title.is_empty() {
        url::Url::parse(&url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default()
    } else {
        title.clone()
    };
    let mut fields = BTreeMap::new();
    for (k, v) in &e.fields {
        if STANDARD.contains(&k.as_str()) || k.starts_with("KPH:") || k.starts_with("TimeOtp-") || k.starts_with("HmacOtp-") {
            continue;
        }
        let text = match v {
            Value::Unprotected(s) => s.clone(),
            Value::Protected(p) => String::from_utf8_lossy(p.unsecure()).into_owned(),
            _ => continue,
        };
        if !text.trim().is_empty() {
            fields.insert(k.clone(), text);
        }
    }
    let mut tags: Vec<String> = e.tags.clone();
    if !path.is_empty() {
        tags.push(path.join("/"));
    }
    let origin = if path.is_empty() { name.clone() } else { format!("{}/{}", path.join("/"), name) };
    let opt = |s: Option<&str>| s.map(str::to_string).filter(|s| !s.trim().is_empty());
    let input = CredentialInput {
        category: Some(guess_category(path, &title, &url)),
        name: Some(name),
        url: opt(Some(&url)),
        login: opt(e.get_username()),
        password: e.get_password().filter(|p| !p.is_empty()).map(SecretString::new),
        totp: e.get_raw_otp_value().filter(|s| !s.trim().is_empty()).map(SecretString::new),
        notes: opt(e.get("Notes")),
        tags: Some(tags),
        fields,
        ..Default::default()
    };
    // History: each older version whose password differs from the next one.
    let mut history = Vec::new();
    if let Some(h) = &e.history {
        let mut versions: Vec<(String, Option<DateTime<Utc>>)> =
            h.get_entries().iter().map(|v| (v.get_password().unwrap_or("").to_string(), utc(v.times.get_last_modification()))).collect();
        versions.sort_by_key(|(_, t)| *t);
        let current = e.get_password().unwrap_or("").to_string();
        let modified = utc(e.times.get_last_modification());
        for i in 0..versions.len() {
            let (pw, set) = &versions[i];
            let (next_pw, next_t) = versions.get(i + 1).map(|(p, t)| (p.clone(), *t)).unwrap_or((current.clone(), modified));
            if !pw.is_empty() && *pw != next_pw {
                if let (Some(s), Some(r)) = (*set, next_t) {
                    history.push((SecretString::new(pw.clone()), s, r));
                }
            }
        }
    }
    Candidate {
        input,
        history,
        created: utc(e.times.get("CreationTime")),
        modified: utc(e.times.get_last_modification()),
        origin,
        notes: Vec::new(),
    }
}

fn walk(g: &Group, path: &mut Vec<String>, out: &mut Vec<Candidate>, skipped: &mut Vec<SkippedItem>, is_root: bool) {
    if !is_root {
        path.push(g.name.clone());
    }
    let in_trash = path.iter().any(|p| p == "Recycle Bin" || p == "ごみ箱" || p == "ゴミ箱");
    if in_trash {
        skipped.push(SkippedItem {
            origin: path.join("/"),
            code: "recycle_bin".into(),
            field: None,
            reason: "entries in the recycle bin are not imported".into(),
        });
    } else {
        for e in &g.entries {
            out.push(entry_candidate(e, path));
        }
        for sub in &g.groups {
            walk(sub, path, out, skipped, false);
        }
    }
    if !is_root {
        path.pop();
    }
}

/// Reads every entry of a KDBX file (password and/or key file).
pub fn read(bytes: &[u8], password: Option<&SecretString>, keyfile: Option<&[u8]>) -> Result<(Vec<Candidate>, Vec<SkippedItem>)> {
    let db = open(bytes, password, keyfile)?;
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    walk(&db.root, &mut Vec::new(), &mut out, &mut skipped, true);
    Ok((out, skipped))
}

fn naive(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}

fn entry_from(c: &Credential) -> Entry {
    let mut e = Entry::new();
    let mut put = |k: &str, v: Value| {
        e.fields.insert(k.to_string(), v);
    };
    put("Title", Value::Unprotected(c.name.clone()));
    put("UserName", Value::Unprotected(c.login.clone().unwrap_or_default()));
    put("Password", Value::Protected(c.password.expose().into()));
    put("URL", Value::Unprotected(c.url.clone().unwrap_or_default()));
    put("Notes", Value::Unprotected(c.notes.clone()));
    if let Some(t) = &c.totp {
        let uri = if t.expose().starts_with("otpauth://") {
            t.expose().to_string()
        } else {
            format!("otpauth://totp/{}?secret={}", url::form_urlencoded::byte_serialize(c.name.as_bytes()).collect::<String>(), t.expose())
        };
        put("otp", Value::Protected(uri.as_str().into()));
    }
    let extra: [(&str, &Option<String>); 5] = [
        ("登録メール", &c.registered_email),
        ("復旧用電話", &c.recovery_phone),
        ("2段階認証の端末", &c.two_factor_holder),
        ("支払いカード", &c.payment_card),
        ("契約者", &c.contract_holder),
    ];
    for (k, v) in extra {
        if let Some(v) = v {
            put(k, Value::Unprotected(v.clone()));
        }
    }
    if let Some(d) = c.renewal_date {
        put("更新日", Value::Unprotected(d.to_string()));
    }
    for (k, v) in &c.fields {
        if !STANDARD.contains(&k.as_str()) {
            put(k, Value::Unprotected(v.clone()));
        }
    }
    e.tags = c.tags.clone();
    e.times.times.insert("CreationTime".into(), naive(c.created_at));
    e.times.times.insert("LastModificationTime".into(), naive(c.updated_at));
    if !c.history.is_empty() {
        let mut h = History::default();
        for v in c.history.iter().rev() {
            let mut old = Entry::new();
            old.uuid = e.uuid;
            old.fields = e.fields.clone();
            old.fields.insert("Password".into(), Value::Protected(v.password.expose().into()));
            old.times.times.insert("LastModificationTime".into(), naive(v.set_at));
            h.add_entry(old);
        }
        e.history = Some(h);
    }
    e
}

/// Writes credentials as a KDBX 4 file (Argon2id 64 MiB, one group per category).
pub fn write(creds: &[Credential], password: &SecretString) -> Result<Vec<u8>> {
    write_with_argon2(creds, password, 64 * 1024 * 1024, 10)
}

/// `write` with a cheaper key derivation, for tests that open a file many times.
#[doc(hidden)]
pub fn write_with_argon2(creds: &[Credential], password: &SecretString, memory: u64, iterations: u64) -> Result<Vec<u8>> {
    if password.is_empty() {
        return Err(Error::invalid("passphrase", "choose a password for the KeePass file"));
    }
    let mut config = DatabaseConfig::default();
    if let KdfConfig::Argon2 { version, .. } = config.kdf_config {
        config.kdf_config = KdfConfig::Argon2id { iterations, memory, parallelism: 2, version };
    }
    let mut db = Database::new(config);
    db.root.name = "Noren".into();
    db.meta.database_name = Some("Noren".into());
    for cat in Category::ALL {
        let mut g = Group::new(&cat.label(noren_base::messages::Lang::Ja));
        let mut mine: Vec<&Credential> = creds.iter().filter(|c| c.category == cat).collect();
        mine.sort_by(|a, b| a.name.cmp(&b.name));
        for c in mine {
            g.entries.push(with_secrets_exposed(|| entry_from(c)));
        }
        if !g.entries.is_empty() {
            db.root.groups.push(g);
        }
    }
    let mut out = Vec::new();
    db.save(&mut out, DatabaseKey::new().with_password(password.expose()))
        .map_err(|e| Error::Storage(format!("cannot write the KeePass file: {e}")))?;
    Ok(out)
}
