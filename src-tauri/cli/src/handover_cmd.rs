//! `people`, `audit` and `kit` commands over `noren_core::{people, kit}`.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use noren_core::people::{self, PersonRole};
use noren_core::{credential, departures, kit, paths, renewal};
use serde_json::json;

use crate::io::{self, CliError, CliResult};
use crate::open::open_store;
use crate::open::settings;

#[derive(Subcommand)]
pub enum PeopleCmd {
    /// Add a person (owner, staff, web, vendor, other).
    Add {
        name: String,
        #[arg(long, default_value = "staff")]
        role: String,
        /// Their own email address (a recovery address pointing here is theirs).
        #[arg(long, default_value = "")]
        email: String,
    },
    /// Everyone, with departures and their progress.
    List,
    /// "<NAME> has left": the rotation checklist of everything they knew or control.
    Depart {
        name: String,
        /// The day they left (default: today).
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// They are back: undo the departure.
        #[arg(long)]
        undo: bool,
    },
    /// The rotation checklist of a departed person.
    Checklist { name: String },
    /// For a login nobody is recorded as knowing: did NAME know its password?
    /// --knew adds them to the login's "known by" (it must then be changed).
    Review {
        name: String,
        /// The login (id or exact name).
        #[arg(required_unless_present = "none_of_the_rest")]
        login: Option<String>,
        #[arg(long, conflicts_with = "did_not_know", required_unless_present_any = ["did_not_know", "none_of_the_rest"])]
        knew: bool,
        #[arg(long)]
        did_not_know: bool,
        /// They knew none of the logins still waiting for an answer.
        #[arg(long, conflicts_with_all = ["knew", "did_not_know", "login"])]
        none_of_the_rest: bool,
    },
    /// For one of the shop's laptops on NAME's checklist (a shared store): was it theirs?
    /// --theirs keeps it on the checklist until it is taken out (noren-cli sync remove LAPTOP).
    Laptop {
        name: String,
        /// The laptop, as `noren-cli sync status` names it.
        laptop: String,
        #[arg(long, conflicts_with = "not_theirs", required_unless_present = "not_theirs")]
        theirs: bool,
        #[arg(long)]
        not_theirs: bool,
    },
    Remove {
        name: String,
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand)]
pub enum KitCmd {
    /// Write the handover sheet and N printable key shares (any K open the store) to DIR.
    /// A new kit replaces the previous one: its shares stop working.
    Export {
        #[arg(long)]
        shares: u8,
        #[arg(long)]
        threshold: u8,
        /// Who keeps each share, comma-separated ("店長,税理士,ウェブ工房").
        #[arg(long, value_delimiter = ',')]
        holders: Vec<String>,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Open the store with K shares and set a new passphrase
    /// ($NOREN_NEW_PASSPHRASE_FILE, $NOREN_NEW_PASSPHRASE or a prompt).
    Recover {
        #[arg(required = true, num_args = 1..)]
        shares: Vec<String>,
    },
}

/// An item's box: done, waiting for the owner's answer, or to do.
fn mark(done: bool, needs_review: bool) -> &'static str {
    match (done, needs_review) {
        (true, _) => "x",
        (false, true) => "?",
        (false, false) => " ",
    }
}

fn checklist_lines(d: &people::Departure) {
    say!("{} left on {}: {}/{} done", d.person.name, d.person.departed_on.map(|x| x.to_string()).unwrap_or_default(), d.done, d.total);
    for i in &d.items {
        let mark = mark(i.done, i.needs_review);
        say!("  [{mark}] {} ({})", i.credential_name, i.category.as_str());
        for s in &i.steps {
            say!("      - {}", s.text(noren_core::messages::Lang::En));
        }
    }
    for l in &d.laptops {
        let mark = mark(l.done, l.needs_review);
        say!("  [{mark}] laptop {}", l.name);
        for s in &l.steps {
            say!("      - {}", s.text(noren_core::messages::Lang::En));
        }
    }
}

pub fn people_cmd(store_dir: Option<PathBuf>, json_out: bool, cmd: PeopleCmd, now: DateTime<Utc>) -> CliResult<u8> {
    let store = open_store(&store_dir)?;
    let tz = settings(&store)?.timezone;
    let today = now.with_timezone(&tz).date_naive();
    match cmd {
        PeopleCmd::Add { name, role, email } => {
            let p = people::add(&store, &name, role.parse::<PersonRole>()?, &email, now)?;
            if json_out {
                io::print_json(&serde_json::to_value(&p).unwrap_or_default())?;
            } else {
                say!("added {} ({})", p.name, p.id);
            }
        }
        PeopleCmd::List => {
            let list = people::list(&store)?;
            let deps = departures::all(&store, tz)?;
            if json_out {
                io::print_json(&json!({ "people": list, "departures": deps }))?;
            } else if list.is_empty() {
                say!("no people yet (noren-cli people add NAME)");
            } else {
                for p in &list {
                    let state = match deps.iter().find(|d| d.person.id == p.id) {
                        Some(d) => format!(
                            "left {} — {}/{} accounts made safe",
                            p.departed_on.map(|x| x.to_string()).unwrap_or_default(),
                            d.done,
                            d.total
                        ),
                        None => "active".into(),
                    };
                    say!("{}\t{}\t{:?}\t{state}", p.id, p.name, p.role);
                }
            }
        }
        PeopleCmd::Depart { name, on, undo } => {
            let on = if undo {
                None
            } else {
                Some(match on {
                    Some(d) => noren_core::credential::parse_date("on", &d)?.unwrap_or(today),
                    None => today,
                })
            };
            let p = people::depart(&store, &name, on, now)?;
            let d = departures::of(&store, &p, tz)?;
            if json_out {
                io::print_json(&json!({ "person": p, "departure": d }))?;
            } else if let Some(d) = &d {
                checklist_lines(d);
            } else {
                say!("{} is active again", p.name);
            }
        }
        PeopleCmd::Checklist { name } => {
            let p = people::resolve(&store, &name)?;
            let d = departures::of(&store, &p, tz)?
                .ok_or_else(|| CliError::Usage(format!("{} has not left (noren-cli people depart {})", p.name, p.name)))?;
            if json_out {
                io::print_json(&serde_json::to_value(&d).unwrap_or_default())?;
            } else {
                checklist_lines(&d);
            }
            return Ok(if d.done == d.total { 0 } else { 10 });
        }
        PeopleCmd::Review { name, login, knew, did_not_know: _, none_of_the_rest } => {
            let p = match (none_of_the_rest, login) {
                (true, _) => people::clear_unreviewed(&store, &name, tz)?.0,
                (false, Some(login)) => people::review(&store, &name, &login, knew, now)?,
                (false, None) => return Err(CliError::Usage("name the login, or pass --none-of-the-rest".into())),
            };
            let d = departures::of(&store, &p, tz)?;
            if json_out {
                io::print_json(&json!({ "person": p, "departure": d }))?;
            } else if let Some(d) = &d {
                checklist_lines(d);
            }
        }
        PeopleCmd::Laptop { name, laptop, theirs, not_theirs: _ } => {
            let p = departures::review_laptop(&store, &name, &laptop, theirs)?;
            let d = departures::of(&store, &p, tz)?;
            if json_out {
                io::print_json(&json!({ "person": p, "departure": d }))?;
            } else if let Some(d) = &d {
                checklist_lines(d);
            } else {
                say!("noted for {}", p.name);
            }
        }
        PeopleCmd::Remove { name, yes } => {
            let p = people::resolve(&store, &name)?;
            if !yes && !io::confirm(&format!("Remove {}?", p.name))? {
                return Err(CliError::Usage("not removed (confirm, or pass --yes)".into()));
            }
            people::remove(&store, &p.id)?;
            say!("removed {}", p.name);
        }
    }
    Ok(0)
}

pub fn audit_cmd(store_dir: Option<PathBuf>, json_out: bool, now: DateTime<Utc>) -> CliResult<u8> {
    let store = open_store(&store_dir)?;
    let s = settings(&store)?;
    let findings = people::audit(&credential::list(&store)?, &people::list(&store)?, &renewal::list(&store)?, now, s.rotation_days);
    if json_out {
        io::print_json(&json!({ "findings": findings }))?;
    } else if findings.is_empty() {
        say!("no findings: every account looks healthy");
    } else {
        // The CLI's words for people here are English, as they have been.
        let lang = noren_core::messages::Lang::En;
        for f in &findings {
            say!("{:?}\t{}\t{}\n    {}\n    → {}", f.kind, f.name, f.record_id, f.why.text(lang), f.what.text(lang));
        }
    }
    Ok(if findings.is_empty() { 0 } else { 10 })
}

pub fn kit_cmd(store_dir: Option<PathBuf>, json_out: bool, cmd: KitCmd, now: DateTime<Utc>) -> CliResult<u8> {
    match cmd {
        KitCmd::Export { shares, threshold, holders, out } => {
            let mut store = open_store(&store_dir)?;
            let tz = settings(&store)?.timezone;
            let holders: Vec<String> = holders.into_iter().map(|h| h.trim().to_string()).filter(|h| !h.is_empty()).collect();
            let files = kit::export(&mut store, shares, threshold, &holders, &out, now, tz)?;
            noren_core::rekeyed::follow(&store, noren_core::paths::config_home(&crate::open::env()).ok().as_deref(), now)?;
            if json_out {
                io::print_json(&serde_json::to_value(&files).unwrap_or_default())?;
            } else {
                say!("handover sheet: {}", files.sheet);
                for f in &files.shares {
                    say!("key share:      {f}");
                }
                say!("Print them, give one share to each holder, then delete the share files. Any {threshold} of {shares} open the store.");
            }
        }
        KitCmd::Recover { shares } => {
            let dir = paths::resolve_store_dir(store_dir, &crate::open::env())?;
            let new = io::passphrase("NOREN_NEW_PASSPHRASE", "New passphrase: ", true)?;
            let store = kit::recover(&dir, &shares, &new)?;
            if json_out {
                io::print_json(&json!({ "recovered": store.dir() }))?;
            } else {
                say!("recovered: the store opens with the new passphrase; the old one no longer works");
            }
        }
    }
    Ok(0)
}
