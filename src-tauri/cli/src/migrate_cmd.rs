//! `import keepass` and `export keepass`: moving logins in from KeePass /
//! KeePassXC and out to a KDBX 4 file a successor can open in KeePassXC.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use noren_core::credential::Credential;
use noren_core::import::{self, OnDuplicate};
use noren_core::{kdbx, Error};
use serde_json::json;

use crate::cmd::open_store;
use crate::io::{self, CliError, CliResult};

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
}

fn on_duplicate(s: &str) -> CliResult<OnDuplicate> {
    match s {
        "skip" => Ok(OnDuplicate::Skip),
        "keep-both" => Ok(OnDuplicate::KeepBoth),
        "update" => Ok(OnDuplicate::Update),
        o => Err(CliError::Usage(format!("--on-duplicate expects skip, keep-both or update, got {o:?}"))),
    }
}

fn read_file(path: &PathBuf) -> CliResult<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    if meta.len() as usize > kdbx::MAX_BYTES {
        return Err(Error::invalid("file", "larger than 64 MiB").into());
    }
    Ok(std::fs::read(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?)
}

pub fn import_cmd(store_dir: Option<PathBuf>, json_out: bool, cmd: ImportCmd, now: DateTime<Utc>) -> CliResult<u8> {
    let ImportCmd::Keepass { file, keyfile, no_password, on_duplicate: dup, dry_run } = cmd;
    let dup = on_duplicate(&dup)?;
    let bytes = read_file(&file)?;
    let key = keyfile.as_ref().map(read_file).transpose()?;
    // Open the store first: a store in use or a wrong store passphrase fails before the KeePass password is asked.
    let store = open_store(&store_dir)?;
    let pass = if no_password { None } else { Some(io::passphrase("NOREN_IMPORT_PASSPHRASE", "KeePass database password: ", false)?) };
    let (cands, skipped) = kdbx::read(&bytes, pass.as_ref(), key.as_deref())?;
    let preview = import::preview(&store, "KeePass", &cands, skipped)?;
    let report = if dry_run { None } else { Some(import::commit(&store, &cands, dup, now)?) };
    if json_out {
        io::print_json(&json!({ "preview": preview, "report": report, "dry_run": dry_run }))?;
    } else {
        let dups = preview.rows.iter().filter(|r| r.duplicate_of.is_some()).count();
        println!("{} logins readable, {dups} match logins already stored", preview.rows.len());
        for s in &preview.skipped {
            println!("  skipped {}: {}", s.origin, io::one_line(&s.reason));
        }
        match report {
            None => println!("dry run: nothing imported"),
            Some(r) => {
                for s in &r.skipped {
                    println!("  skipped {}: {}", s.origin, io::one_line(&s.reason));
                }
                println!("imported {}, updated {}, duplicates skipped {}", r.imported, r.updated, r.duplicates_skipped);
            }
        }
    }
    Ok(0)
}

pub fn export_cmd(store_dir: Option<PathBuf>, json_out: bool, cmd: ExportCmd) -> CliResult<u8> {
    let ExportCmd::Keepass { file, force } = cmd;
    if file.exists() && !force {
        return Err(Error::invalid("file", format!("{} exists (use --force to replace it)", file.display())).into());
    }
    let store = open_store(&store_dir)?;
    let pass = io::passphrase("NOREN_EXPORT_PASSPHRASE", "Password for the KeePass file: ", true)?;
    let creds: Vec<Credential> = store.all()?;
    let bytes = kdbx::write(&creds, &pass)?;
    // Temp file then rename: a failed export never leaves half a file under the final name.
    let tmp = file.with_extension("kdbx.tmp");
    std::fs::write(&tmp, &bytes).and_then(|_| std::fs::rename(&tmp, &file)).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(format!("cannot write {}", file.display()), e)
    })?;
    if json_out {
        io::print_json(&json!({ "file": file, "entries": creds.len(), "bytes": bytes.len() }))?;
    } else {
        println!("exported {} logins to {} (KDBX 4; open it in KeePassXC with the password you chose)", creds.len(), file.display());
    }
    Ok(0)
}
