//! `sync` commands over `noren_core::sync`: one store on several laptops through a shared folder.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use noren_core::sync::{self, MergeReport, Scope};
use noren_core::SecretString;
use serde_json::json;

use crate::io::{self, CliResult};
use crate::open::open_store;

#[derive(Subcommand)]
pub enum SyncCmd {
    /// Share this store through FOLDER, a folder the shop's sync program (Syncthing, Dropbox,
    /// Google Drive, OneDrive, a NAS share) replicates: this laptop becomes its first member.
    Setup {
        folder: PathBuf,
        /// What the other laptops call this one ("店長のPC").
        #[arg(long)]
        name: String,
    },
    /// Where sharing stands: the folder, the laptops, what waits, what could not be read.
    Status,
    /// Write this laptop's changes into the folder and apply the other laptops'.
    Now,
    /// A one-time invitation code for a new laptop (valid 7 days). Give it in person or by phone.
    Invite {
        /// everything (logins too) or front-desk (customers, inquiries, calendar; no passwords).
        #[arg(long, default_value = "front-desk")]
        scope: String,
    },
    /// Join the shared store in FOLDER with an invitation code ($NOREN_INVITE_CODE or a prompt).
    Join {
        folder: PathBuf,
        /// What the other laptops call this one ("受付").
        #[arg(long)]
        name: String,
    },
    /// Take a laptop out of the shop (by its name or id): new keys for everything it could
    /// open, for the remaining laptops only; nothing it writes afterwards is applied.
    Remove { device: String },
    /// Replace this laptop's batches in the folder by one snapshot each part (done by itself
    /// every 128 batches): fewer files for the sync program; the other laptops end in the same state.
    Compact,
    /// Versions that lost to an edit made on another laptop at the same time (kept, not dropped).
    Conflicts {
        /// Close this conflict (it leaves the due items; the losing version stays stored).
        #[arg(long, value_name = "ID")]
        resolve: Option<String>,
    },
}

fn report_lines(r: &MergeReport) {
    say!("wrote {} change(s) to the shared folder, applied {} from other laptops ({} file(s))", r.published, r.applied, r.files);
    if r.conflicts > 0 {
        say!("{} version(s) lost to a simultaneous edit on another laptop: kept (noren-cli sync conflicts)", r.conflicts);
    }
    if r.waiting > 0 {
        say!("waiting for {} file(s) that cannot be applied yet", r.waiting);
    }
    for p in &r.problems {
        say!("  {}: {} ({})", p.file, p.kind, p.detail);
    }
}

fn report(json_out: bool, r: &MergeReport) -> CliResult<()> {
    if json_out {
        io::print_json(&serde_json::to_value(r).unwrap_or_default())?;
    } else {
        report_lines(r);
    }
    Ok(())
}

pub fn sync_cmd(store_dir: Option<PathBuf>, json_out: bool, cmd: SyncCmd, now: DateTime<Utc>) -> CliResult<u8> {
    let store = open_store(&store_dir)?;
    match cmd {
        SyncCmd::Setup { folder, name } => report(json_out, &sync::setup(&store, &folder, &name, now)?)?,
        SyncCmd::Now => report(json_out, &sync::sync_now(&store, now)?)?,
        SyncCmd::Join { folder, name } => {
            let code = invite_code()?;
            report(json_out, &sync::join(&store, &folder, code.expose(), &name, now)?)?;
        }
        SyncCmd::Status => {
            let s = sync::status(&store)?;
            if json_out {
                io::print_json(&serde_json::to_value(&s).unwrap_or_default())?;
            } else if !s.shared {
                say!("not shared (noren-cli sync setup FOLDER --name NAME, or sync join FOLDER --name NAME)");
            } else {
                say!("folder:   {}{}", s.folder.unwrap_or_default(), if s.reachable { "" } else { " (cannot be reached now)" });
                say!("this:     {} ({})", s.name.unwrap_or_default(), s.scope.map(Scope::as_str).unwrap_or_default());
                say!("pending:  {} change(s) not yet in the folder", s.pending);
                say!("waiting:  {} file(s) from other laptops", s.waiting);
                for d in s.devices.iter().filter(|d| !d.this) {
                    let seen = d.last_seen.map(|t| t.to_rfc3339()).unwrap_or_else(|| "never".into());
                    say!("laptop:   {} ({}, {}) last seen {}", d.name, d.scope.as_str(), d.device, seen);
                }
                if s.conflicts > 0 {
                    say!("conflicts: {} (noren-cli sync conflicts)", s.conflicts);
                }
                for p in &s.problems {
                    say!("  {}: {} ({})", p.file, p.kind, p.detail);
                }
            }
        }
        SyncCmd::Invite { scope } => {
            let inv = sync::invite(&store, scope.parse::<Scope>()?, now)?;
            if json_out {
                io::print_json(&serde_json::to_value(&inv).unwrap_or_default())?;
            } else {
                say!("invitation code (shown once, valid until {}): {}", inv.expires_at.to_rfc3339(), inv.code);
                say!("on the new laptop: noren-cli sync join FOLDER --name NAME, then type the code");
            }
        }
        SyncCmd::Remove { device } => {
            let card = sync::remove(&store, &device, now)?;
            if json_out {
                io::print_json(&json!({ "removed": card.device, "name": card.name }))?;
            } else {
                say!(
                    "took out {} ({}): the other laptops have new keys; change the passwords it knew (noren-cli people depart)",
                    card.name,
                    card.device
                );
            }
        }
        SyncCmd::Compact => {
            let removed = sync::compact(&store)?;
            if json_out {
                io::print_json(&json!({ "removed": removed }))?;
            } else {
                say!("wrote a snapshot; removed {removed} file(s) of this laptop's from the shared folder");
            }
        }
        SyncCmd::Conflicts { resolve } => {
            if let Some(id) = resolve {
                let c = sync::resolve(&store, &id)?;
                if json_out {
                    io::print_json(&json!({ "resolved": c.id }))?;
                } else {
                    say!("closed {}", c.id);
                }
                return Ok(0);
            }
            let list = noren_core::sharing::conflicts(&store)?;
            if json_out {
                io::print_json(&json!({ "conflicts": list }))?;
            } else if list.is_empty() {
                say!("no conflicts");
            } else {
                for c in &list {
                    let what = c.name.as_deref().map_or_else(|| c.record_id.clone(), |n| format!("{n} ({})", c.record_id));
                    say!("{}\t{} {}\tkept {}'s version, {}'s is in the conflict", c.id, c.tree, what, c.winner_name, c.loser_name);
                }
            }
        }
    }
    Ok(0)
}

/// The invitation code from `$NOREN_INVITE_CODE`, else a prompt (not echoed: it opens the shop's keys).
fn invite_code() -> CliResult<SecretString> {
    if let Ok(c) = std::env::var("NOREN_INVITE_CODE") {
        if !c.trim().is_empty() {
            return Ok(SecretString::new(c));
        }
    }
    let c = rpassword::prompt_password("Invitation code: ")
        .map_err(|_| io::CliError::Usage("no invitation code: set $NOREN_INVITE_CODE or run in a terminal".into()))?;
    Ok(SecretString::new(c))
}
