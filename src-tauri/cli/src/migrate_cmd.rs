//! `import keepass` and `export keepass`: moving logins in from KeePass /
//! KeePassXC and out to a KDBX 4 file a successor can open in KeePassXC.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use noren_core::credential::Credential;
use noren_core::import::{self, OnDuplicate};
use noren_core::{kdbx, Error};
use serde_json::json;

use crate::io::{self, CliError, CliResult};
use crate::open::open_store;

#[derive(Subcommand)]
pub enum ImportCmd {
    /// A KeePass / KeePassXC database (KDBX 3.1 or 4). Its password comes from
    /// $NOREN_IMPORT_PASSPHRASE_FILE, $NOREN_IMPORT_PASSPHRASE or a prompt.
    Keepass {
        file: PathBuf,
        /// A key file, if the database uses one.
        #[arg(long, value_name = "FILE")]
        keyfile: Option<PathBuf>,
        /// The database has only a key file, no password.
        #[arg(long, requires = "keyfile")]
        no_password: bool,
        /// What to do with a login that matches one already stored (same site and login).
        #[arg(long, value_name = "skip|keep-both|update", default_value = "skip")]
        on_duplicate: String,
        /// Only show what would be imported.
        #[arg(long)]
        dry_run: bool,
    },
    /// Bitwarden's unencrypted JSON export: logins, secure notes, cards (as notes); folders as tags.
    Bitwarden {
        file: PathBuf,
        #[arg(long, value_name = "skip|keep-both|update", default_value = "skip")]
        on_duplicate: String,
        #[arg(long)]
        dry_run: bool,
    },
    /// A CSV from Chrome/Edge, Firefox, Bitwarden, KeePassXC or 1Password (detected), or any CSV
    /// with --map name=COLUMN,url=COLUMN,login=COLUMN,password=COLUMN[,notes=…,totp=…,group=…].
    Csv {
        file: PathBuf,
        #[arg(long, value_name = "FIELD=COLUMN,…")]
        map: Option<String>,
        #[arg(long, value_name = "skip|keep-both|update", default_value = "skip")]
        on_duplicate: String,
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
pub enum ExportCmd {
    /// Every login as a KDBX 4 file for KeePassXC. Its password comes from
    /// $NOREN_EXPORT_PASSPHRASE_FILE, $NOREN_EXPORT_PASSPHRASE or a prompt (twice).
    Keepass {
        file: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// PLAINTEXT CSV (name,url,username,password,note, as Chrome reads it). Anyone with the file
    /// has every password: needs --plaintext, and delete the file after use.
    Csv {
        file: PathBuf,
        /// Confirms that you understand the file is not encrypted.
        #[arg(long)]
        plaintext: bool,
        #[arg(long)]
        force: bool,
    },
}

fn on_duplicate(s: &str) -> CliResult<OnDuplicate> {
    match s {
        "skip" => Ok(OnDuplicate::Skip),
        "keep-both" => Ok(OnDuplicate::KeepBoth),
        "update" => Ok(OnDuplicate::Update),
        o => Err(CliError::Usage(format!("--on-duplicate expects skip, keep-both or update, got {o:?}"))),
    }
}

fn read_file(path: &std::path::Path) -> CliResult<Vec<u8>> {
    Ok(noren_core::paths::read_picked_file(path, kdbx::MAX_BYTES)?)
}

fn parse_map(s: &str) -> CliResult<noren_core::import_formats::Mapping> {
    let mut m = noren_core::import_formats::Mapping::default();
    for part in s.split(',') {
        let (k, v) = part.split_once('=').ok_or_else(|| CliError::Usage(format!("--map expects FIELD=COLUMN pairs, got {part:?}")))?;
        let v = Some(v.trim().to_string());
        match k.trim() {
            "name" => m.name = v,
            "url" => m.url = v,
            "login" => m.login = v,
            "password" => m.password = v,
            "notes" => m.notes = v,
            "totp" => m.totp = v,
            "group" => m.group = v,
            o => return Err(CliError::Usage(format!("--map: unknown field {o:?} (name, url, login, password, notes, totp, group)"))),
        }
    }
    Ok(m)
}

pub fn import_cmd(store_dir: Option<PathBuf>, json_out: bool, cmd: ImportCmd, now: DateTime<Utc>) -> CliResult<u8> {
    let (source, cands, skipped, dup, dry_run, store) = match cmd {
        ImportCmd::Keepass { file, keyfile, no_password, on_duplicate: dup, dry_run } => {
            let dup = on_duplicate(&dup)?;
            let bytes = read_file(&file)?;
            let key = keyfile.as_deref().map(read_file).transpose()?;
            // Open the store first: a store in use or a wrong store passphrase fails before the KeePass password is asked.
            let store = open_store(&store_dir)?;
            let pass =
                if no_password { None } else { Some(io::passphrase("NOREN_IMPORT_PASSPHRASE", "KeePass database password: ", false)?) };
            let (c, s) = kdbx::read(&bytes, pass.as_ref(), key.as_deref())?;
            ("KeePass".to_string(), c, s, dup, dry_run, store)
        }
        ImportCmd::Bitwarden { file, on_duplicate: dup, dry_run } => {
            let dup = on_duplicate(&dup)?;
            let (c, s) = noren_core::import_formats::bitwarden_json(&read_file(&file)?)?;
            ("Bitwarden".to_string(), c, s, dup, dry_run, open_store(&store_dir)?)
        }
        ImportCmd::Csv { file, map, on_duplicate: dup, dry_run } => {
            let dup = on_duplicate(&dup)?;
            let map = map.as_deref().map(parse_map).transpose()?;
            let (f, c, s) = noren_core::import_formats::csv(&read_file(&file)?, map.as_ref())?;
            (f, c, s, dup, dry_run, open_store(&store_dir)?)
        }
    };
    let preview = import::preview(&store, &source, &cands, skipped, now)?;
    let report = if dry_run { None } else { Some(import::commit(&store, &cands, dup, now)?) };
    if json_out {
        io::print_json(&json!({ "preview": preview, "report": report, "dry_run": dry_run }))?;
    } else {
        let dups = preview.rows.iter().filter(|r| r.duplicate_of.is_some()).count();
        say!("{}: {} logins readable, {dups} match logins already stored", preview.source, preview.rows.len());
        // Each item once: the commit meets the same entries the preview did.
        for s in &preview.skipped {
            say!("  skipped {}: {}", s.origin, io::one_line(&s.reason));
        }
        for s in &preview.changed {
            say!("  changed {}: {}", s.origin, io::one_line(&s.reason));
        }
        match report {
            None => say!("dry run: nothing imported"),
            Some(r) => say!("imported {}, updated {}, duplicates skipped {}", r.imported, r.updated, r.duplicates_skipped),
        }
    }
    Ok(0)
}

pub fn export_cmd(store_dir: Option<PathBuf>, json_out: bool, cmd: ExportCmd) -> CliResult<u8> {
    let (file, force) = match cmd {
        ExportCmd::Keepass { file, force } => (file, force),
        ExportCmd::Csv { file, plaintext, force } => {
            if !plaintext {
                return Err(CliError::Usage(
                    "export csv writes every password in PLAIN TEXT: add --plaintext to confirm, and delete the file after use".into(),
                ));
            }
            if file.exists() && !force {
                return Err(Error::invalid("file", format!("{} exists (use --force to replace it)", file.display())).into());
            }
            let store = open_store(&store_dir)?;
            let creds: Vec<Credential> = store.all()?;
            let (text, marked) = noren_core::import_formats::to_csv(&creds);
            write_private(&file, text.as_bytes())?;
            esay!("warning: {} holds every password in plain text; delete it as soon as it has been imported elsewhere", file.display());
            if json_out {
                io::print_json(&json!({ "file": file, "entries": creds.len(), "plaintext": true, "formula_passwords_marked": marked }))?;
            } else {
                say!("exported {} logins to {} (PLAIN TEXT)", creds.len(), file.display());
                if marked > 0 {
                    say!("{marked} password(s) that a spreadsheet would run as a formula start with ' in the file: remove it when you use them");
                }
            }
            return Ok(0);
        }
    };
    if file.exists() && !force {
        return Err(Error::invalid("file", format!("{} exists (use --force to replace it)", file.display())).into());
    }
    let store = open_store(&store_dir)?;
    let pass = io::passphrase("NOREN_EXPORT_PASSPHRASE", "Password for the KeePass file: ", true)?;
    let creds: Vec<Credential> = store.all()?;
    let bytes = kdbx::write(&creds, &pass)?;
    write_private(&file, &bytes)?;
    if json_out {
        io::print_json(&json!({ "file": file, "entries": creds.len(), "bytes": bytes.len() }))?;
    } else {
        say!("exported {} logins to {} (KDBX 4; open it in KeePassXC with the password you chose)", creds.len(), file.display());
    }
    Ok(0)
}

/// Writes a file readable by its owner only (`files::write`): a failed export
/// never leaves half a file under the final name.
fn write_private(file: &std::path::Path, bytes: &[u8]) -> CliResult<()> {
    noren_core::files::write(file, bytes, noren_core::files::Existing::Replace)?;
    Ok(())
}
