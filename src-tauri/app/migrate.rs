//! Import (KeePass, Bitwarden, CSV) and KeePass export as the app offers them.
//! Thin: the work is in `noren_core::{import, import_formats, kdbx}`.

use chrono::Utc;
use noren_core::credential::Credential;
use noren_core::import::{self, Candidate, ImportPreview, ImportReport, OnDuplicate, SkippedItem};
use noren_core::import_formats::{self, Mapping};
use noren_core::{kdbx, Error, SecretString};
use serde::Deserialize;
use ts_rs::TS;

use crate::core::{AppCore, IpcResult};

/// What the import wizard sends: where from, and how to open it.
#[derive(Clone, Debug, Deserialize, TS)]
#[ts(export)]
pub struct ImportSource {
    /// "keepass", "bitwarden" or "csv".
    pub kind: String,
    pub file: String,
    /// KeePass database password.
    #[serde(default)]
    pub password: Option<String>,
    /// KeePass key file.
    #[serde(default)]
    pub keyfile: Option<String>,
    /// Column mapping for a CSV of unknown layout.
    #[serde(default)]
    pub mapping: Option<Mapping>,
}

fn read(path: &str, limit: usize) -> IpcResult<Vec<u8>> {
    let path = crate::typed(path).ok_or_else(|| Error::invalid("file", "choose a file"))?;
    Ok(noren_core::paths::read_picked_file(&path, limit)?)
}

fn parse(src: &ImportSource) -> IpcResult<(String, Vec<Candidate>, Vec<SkippedItem>)> {
    match src.kind.as_str() {
        "keepass" => {
            let bytes = read(&src.file, kdbx::MAX_BYTES)?;
            let key = src.keyfile.as_deref().filter(|k| !k.trim().is_empty()).map(|k| read(k, 1024 * 1024)).transpose()?;
            let pass = src.password.as_deref().filter(|p| !p.is_empty()).map(SecretString::new);
            if pass.is_none() && key.is_none() {
                return Err(Error::invalid("password", "enter the KeePass database password").into());
            }
            let (c, s) = kdbx::read(&bytes, pass.as_ref(), key.as_deref())?;
            Ok(("KeePass".into(), c, s))
        }
        "bitwarden" => {
            let (c, s) = import_formats::bitwarden_json(&read(&src.file, import_formats::MAX_BYTES)?)?;
            Ok(("Bitwarden".into(), c, s))
        }
        "csv" => Ok(import_formats::csv(&read(&src.file, import_formats::MAX_BYTES)?, src.mapping.as_ref())?),
        other => Err(Error::invalid("kind", format!("{other:?} is not an import source")).into()),
    }
}

pub fn preview(c: &mut AppCore, src: &ImportSource) -> IpcResult<ImportPreview> {
    let (source, cands, skipped) = parse(src)?;
    Ok(import::preview(c.store_unlocked()?, &source, &cands, skipped, Utc::now())?)
}

pub fn run(c: &mut AppCore, src: &ImportSource, on_duplicate: OnDuplicate) -> IpcResult<ImportReport> {
    let (_, cands, skipped) = parse(src)?;
    let mut r = import::commit(c.store_unlocked()?, &cands, on_duplicate, Utc::now())?;
    r.skipped.splice(0..0, skipped);
    c.reload_index();
    Ok(r)
}

/// The header row of a CSV, for the mapping step.
pub fn csv_headers(file: &str) -> IpcResult<Vec<String>> {
    Ok(import_formats::csv_headers(&read(file, import_formats::MAX_BYTES)?)?)
}

/// Writes every login to a KDBX 4 file; returns how many.
pub fn export_keepass(c: &mut AppCore, file: &str, password: &str) -> IpcResult<usize> {
    let Some(path) = crate::typed(file) else {
        return Err(Error::invalid("file", "choose where to save the file").into());
    };
    if path.exists() {
        return Err(Error::invalid("file", format!("{} exists; choose another name", path.display())).into());
    }
    let creds: Vec<Credential> = c.store_unlocked()?.all()?;
    let bytes = kdbx::write(&creds, &SecretString::new(password))?;
    noren_core::files::write(&path, &bytes, noren_core::files::Existing::Keep)?;
    Ok(creds.len())
}
