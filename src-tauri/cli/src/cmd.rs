//! Command definitions and handlers. Each handler is a few lines over `noren_core`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};
use noren_core::backup::{self, Protection, Unlock};
use noren_core::credential::{self, Category, CredentialDetail, CredentialInput, CredentialSummary, SearchIndex};
use noren_core::generator::{self, GeneratorSpec};
use noren_core::{Error, SecretString, Store};
use serde_json::json;

use crate::args::parse_now;
use crate::calendar_cmd::{self, CalendarCmd, ChannelCmd, FeedCmd, NotifyCmd, PostCmd, TimerCmd};
use crate::customer_cmd::{self, CustomerCmd, InquiryCmd, ShopArgs};
use crate::handover_cmd::{self, KitCmd, PeopleCmd};
use crate::io::{self, CliError, CliResult};
use crate::migrate_cmd::{self, ExportCmd, ImportCmd};
use crate::open::open_store;
use crate::sync_cmd::{self, SyncCmd};
use crate::vendor_cmd::{self, CertCmd, DomainCmd, IncidentCmd, RenewalCmd, VendorCmd};

#[derive(Parser)]
#[command(
    name = "noren-cli",
    version,
    about = "Noren: logins, customers, posting rhythm and renewals of a small shop, from the command line."
)]
pub struct Cli {
    /// Store directory (default: $NOREN_STORE, else ~/.local/share/noren).
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Print one JSON document on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    /// Take this instant as the present for every dated record and reminder
    /// (RFC 3339; scripts, replays and tests). Default: $NOREN_NOW, else the clock.
    #[arg(long, global = true, value_name = "RFC3339", value_parser = crate::args::parse_now, env = "NOREN_NOW")]
    pub now: Option<DateTime<Utc>>,
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(Subcommand)]
pub enum Cmd {
    /// Create a new store (passphrase from $NOREN_PASSPHRASE_FILE, $NOREN_PASSPHRASE or a prompt).
    Init,
    /// Change the passphrase (new one from $NOREN_NEW_PASSPHRASE_FILE, $NOREN_NEW_PASSPHRASE or a prompt).
    Passwd,
    /// Logins: website/CMS, SNS, portals, email, domain, server.
    #[command(subcommand)]
    Cred(Box<CredCmd>),
    /// Encrypted backups (standard age files).
    #[command(subcommand)]
    Backup(BackupCmd),
    /// Evaluate reminders; exit 10 when anything is due. With only
    /// $NOREN_CALENDAR_KEY_FILE (no passphrase), calendar reminders only.
    Check {
        /// Evaluate as of this instant (RFC 3339, e.g. 2026-12-01T09:00:00+09:00).
        #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
        now: Option<DateTime<Utc>>,
        /// Show desktop notifications for items not yet shown today (quiet hours and snoozes apply).
        #[arg(long)]
        notify: bool,
    },
    /// Blog and SNS channels whose posting rhythm Noren watches.
    #[command(subcommand)]
    Channel(ChannelCmd),
    /// Posts of a channel: log ("投稿した"), plan, list.
    #[command(subcommand)]
    Post(PostCmd),
    /// Read channels' RSS/Atom feeds into their posting history.
    #[command(subcommand)]
    Feed(FeedCmd),
    /// Export the posting calendar.
    #[command(subcommand)]
    Calendar(CalendarCmd),
    /// Desktop notification settings and snoozes.
    #[command(subcommand)]
    Notify(NotifyCmd),
    /// A systemd user timer that notifies while the app is closed.
    #[command(subcommand)]
    Timer(TimerCmd),
    /// Customers: contacts, individual agreements, notes, timeline.
    #[command(subcommand)]
    Customer(Box<CustomerCmd>),
    /// Customer messages with reply deadlines (hours or Japanese business days).
    #[command(subcommand)]
    Inquiry(Box<InquiryCmd>),
    /// Business hours and closed days (for reply deadlines); without flags, shows them.
    Shop(ShopArgs),
    /// Vendors and contracts: who to call, support hours, fees.
    #[command(subcommand)]
    Vendor(Box<VendorCmd>),
    /// Dates that must not lapse: domain, SSL, hosting, contracts, the card that pays.
    #[command(subcommand)]
    Renewal(Box<RenewalCmd>),
    /// Certificate expiry from a TLS handshake.
    #[command(subcommand)]
    Cert(CertCmd),
    /// Domain expiry from RDAP.
    #[command(subcommand)]
    Domain(DomainCmd),
    /// The incident log: five steps, timeline, action items, reports.
    #[command(subcommand)]
    Incident(Box<IncidentCmd>),
    /// People who know the accounts; departure mode.
    #[command(subcommand)]
    People(PeopleCmd),
    /// Account health: weak, reused, old passwords, missing 2FA, risky recovery addresses, recovery loops.
    Audit,
    /// The emergency kit: handover sheet and a recovery key split into shares.
    #[command(subcommand)]
    Kit(KitCmd),
    /// Bring logins in from another password manager.
    #[command(subcommand)]
    Import(ImportCmd),
    /// Take logins out to another password manager (plaintext never touches the disk).
    #[command(subcommand)]
    Export(ExportCmd),
    /// One store on several laptops, through a folder the shop's sync program replicates.
    #[command(subcommand)]
    Sync(SyncCmd),
}

#[derive(Subcommand)]
pub enum BackupCmd {
    /// Write an age-encrypted backup of everything. Without --recipient it is
    /// passphrase-encrypted with the store passphrase or $NOREN_BACKUP_PASSPHRASE_FILE.
    Export {
        file: PathBuf,
        /// age public key (age1…) or ssh public key; repeatable.
        #[arg(long = "recipient", value_name = "KEY")]
        recipients: Vec<String>,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Decrypt and check a backup without touching any store.
    Verify {
        file: PathBuf,
        /// age identity file or ssh private key, for key-encrypted backups.
        #[arg(long, value_name = "FILE")]
        identity: Option<PathBuf>,
    },
    /// Build a new store in DIR from a backup (never overwrites a store).
    Restore {
        file: PathBuf,
        #[arg(long, value_name = "DIR")]
        into: PathBuf,
        #[arg(long, value_name = "FILE")]
        identity: Option<PathBuf>,
    },
    /// Show this store's own age public key; --export writes its private key
    /// as an age identity file (keep it as safe as the passphrase).
    Key {
        #[arg(long, value_name = "FILE")]
        export: Option<PathBuf>,
    },
    /// Snapshot into DIR at most daily and keep the newest N (for cron/timers).
    Auto {
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        #[arg(long)]
        keep: Option<u32>,
        /// Write a snapshot even if the newest is less than a day old.
        #[arg(long)]
        force: bool,
        /// Encrypt snapshots to these public keys (plus this store's own key)
        /// instead of the passphrase; remembered. Repeatable.
        #[arg(long = "recipient", value_name = "KEY")]
        recipients: Vec<String>,
    },
}

#[derive(Subcommand)]
pub enum CredCmd {
    /// Add a login. Password from stdin with --password-stdin, or --generate.
    Add {
        #[command(flatten)]
        fields: CredFields,
        /// Read the password from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
        /// Generate a strong password (printed only with `cred show --reveal`).
        #[arg(long, conflicts_with = "password_stdin")]
        generate: bool,
        /// Read a TOTP secret or otpauth:// URI from stdin (after the password line if both).
        #[arg(long)]
        totp_stdin: bool,
    },
    /// List logins grouped by category.
    List {
        #[arg(long)]
        category: Option<String>,
    },
    /// Show one login; the password only with --reveal.
    Show {
        /// Id or exact name.
        key: String,
        #[arg(long)]
        reveal: bool,
    },
    /// Search names, URLs, logins, notes, tags and fields (never passwords).
    Search { query: Vec<String> },
    /// Change fields of a login (an empty value clears a field).
    Edit {
        key: String,
        #[command(flatten)]
        fields: CredFields,
        #[arg(long)]
        password_stdin: bool,
        #[arg(long)]
        totp_stdin: bool,
    },
    /// Set a new password; the old one is kept in the history.
    Rotate {
        key: String,
        #[arg(long, required_unless_present = "generate")]
        password_stdin: bool,
        #[arg(long, conflicts_with = "password_stdin")]
        generate: bool,
    },
    /// Previous passwords of a login.
    History {
        key: String,
        #[arg(long)]
        reveal: bool,
    },
    /// Make a previous password current again.
    Restore {
        key: String,
        /// History index as shown by `cred history` (0 = oldest).
        #[arg(long)]
        version: usize,
    },
    /// Delete a login (asks for confirmation unless --yes).
    Remove {
        key: String,
        #[arg(long)]
        yes: bool,
    },
    /// Print a generated password.
    Generate {
        #[arg(long, default_value_t = 20)]
        length: usize,
        #[arg(long)]
        no_symbols: bool,
        #[arg(long)]
        no_digits: bool,
        #[arg(long)]
        no_upper: bool,
        /// Pronounceable words instead of characters (number of words).
        #[arg(long, value_name = "N")]
        words: Option<usize>,
        #[arg(long, default_value = "-")]
        separator: String,
    },
    /// Current one-time code of a login with a TOTP secret.
    Totp {
        key: String,
        #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
        now: Option<DateTime<Utc>>,
    },
}

#[derive(Args, Default)]
pub struct CredFields {
    /// website | sns | portal | email | domain | server | other
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub url: Option<String>,
    #[arg(long)]
    pub login: Option<String>,
    #[arg(long = "note", alias = "notes")]
    pub note: Option<String>,
    /// The email address registered with the service (recovery address).
    #[arg(long)]
    pub registered_email: Option<String>,
    #[arg(long)]
    pub recovery_phone: Option<String>,
    /// Who holds the 2FA device.
    #[arg(long = "two-factor-holder")]
    pub two_factor_holder: Option<String>,
    /// A person who knows the password (repeatable; on edit, replaces the list).
    #[arg(long = "known-by", value_name = "NAME")]
    pub known_by: Vec<String>,
    /// The card that pays for it.
    #[arg(long)]
    pub card: Option<String>,
    #[arg(long)]
    pub contract_holder: Option<String>,
    /// Renewal date, YYYY-MM-DD.
    #[arg(long)]
    pub renewal: Option<String>,
    /// Tag (repeatable). On edit, replaces all tags.
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Extra field key=value (repeatable), e.g. imap_host=imap.example.jp.
    #[arg(long = "field", value_name = "KEY=VALUE")]
    pub fields: Vec<String>,
}

impl CredFields {
    fn to_input(&self) -> CliResult<CredentialInput> {
        let mut fields = BTreeMap::new();
        for kv in &self.fields {
            let (k, v) = kv.split_once('=').ok_or_else(|| CliError::Usage(format!("--field expects KEY=VALUE, got {kv:?}")))?;
            fields.insert(k.trim().to_string(), v.to_string());
        }
        Ok(CredentialInput {
            category: self.category.as_deref().map(str::parse::<Category>).transpose()?,
            name: self.name.clone(),
            url: self.url.clone(),
            login: self.login.clone(),
            notes: self.note.clone(),
            registered_email: self.registered_email.clone(),
            recovery_phone: self.recovery_phone.clone(),
            two_factor_holder: self.two_factor_holder.clone(),
            known_by: if self.known_by.is_empty() { None } else { Some(self.known_by.clone()) },
            payment_card: self.card.clone(),
            contract_holder: self.contract_holder.clone(),
            renewal_date: self.renewal.clone(),
            tags: if self.tags.is_empty() { None } else { Some(self.tags.clone()) },
            fields,
            ..Default::default()
        })
    }
}

/// The passphrase that protects a backup: $NOREN_BACKUP_PASSPHRASE_FILE, else
/// the given fallback (the store passphrase), else the usual sources.
fn backup_passphrase(fallback: Option<SecretString>) -> CliResult<SecretString> {
    if std::env::var_os("NOREN_BACKUP_PASSPHRASE_FILE").is_some_and(|v| !v.is_empty()) {
        return io::passphrase("NOREN_BACKUP_PASSPHRASE", "Backup passphrase: ", false);
    }
    match fallback {
        Some(p) => Ok(p),
        None => io::passphrase("NOREN_PASSPHRASE", "Backup passphrase: ", false),
    }
}

fn print_report(json_out: bool, what: &str, r: &backup::Report, extra: serde_json::Value) -> CliResult<()> {
    if json_out {
        let mut v = json!({ "version": r.version, "exported_at": r.exported_at, "counts": r.counts, "bytes": r.bytes });
        if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        return io::print_json(&v);
    }
    say!("{what}: format v{}, exported {}, {} bytes", r.version, r.exported_at.format("%Y-%m-%d %H:%M UTC"), r.bytes);
    for (k, n) in &r.counts {
        say!("  {k}: {n}");
    }
    Ok(())
}

fn backup(store_dir: Option<PathBuf>, json_out: bool, cmd: BackupCmd, now: DateTime<Utc>) -> CliResult<u8> {
    match cmd {
        BackupCmd::Export { file, recipients, force } => {
            if file.exists() && !force {
                return Err(Error::invalid("file", format!("{} exists (use --force to replace it)", file.display())).into());
            }
            let (store, pass) = crate::open::open_store_for_backup(&store_dir)?;
            let protection = if recipients.is_empty() {
                Protection::Passphrase(backup_passphrase(Some(pass))?)
            } else {
                Protection::Recipients(recipients)
            };
            let r = backup::export(&store, &file, &protection, now)?;
            print_report(json_out, "exported", &r, json!({ "file": file }))?;
        }
        BackupCmd::Verify { file, identity } => {
            let unlock = match identity {
                Some(p) => Unlock::IdentityFile(p),
                None => Unlock::Passphrase(backup_passphrase(None)?),
            };
            let r = backup::verify(&file, &unlock)?;
            print_report(json_out, "verified", &r, json!({ "file": file, "ok": true }))?;
        }
        BackupCmd::Restore { file, into, identity } => {
            let (unlock, backup_pass) = match identity {
                Some(p) => (Unlock::IdentityFile(p), None),
                None => {
                    let p = backup_passphrase(None)?;
                    (Unlock::Passphrase(p.clone()), Some(p))
                }
            };
            // The new store's passphrase: the usual sources, else the backup's.
            let new_pass = match io::passphrase("NOREN_PASSPHRASE", "Passphrase for the restored store: ", true) {
                Ok(p) => p,
                Err(e) => backup_pass.ok_or(e)?,
            };
            let r = backup::restore(&file, &unlock, &into, &new_pass, now)?;
            print_report(json_out, &format!("restored into {}", into.display()), &r, json!({ "store": into }))?;
        }
        BackupCmd::Key { export } => {
            let (store, _) = crate::open::open_store_for_backup(&store_dir)?;
            let public = match &export {
                Some(path) => backup::export_store_key(&store, path, now)?,
                None => backup::store_key(&store, now)?.public,
            };
            if json_out {
                io::print_json(&json!({ "public_key": public, "exported": export }))?;
            } else {
                say!("{public}");
                if let Some(p) = export {
                    esay!("private key written to {} (mode 600): keep it as safe as the passphrase", p.display());
                }
            }
        }
        BackupCmd::Auto { dir, keep, force, recipients } => {
            let (store, pass) = crate::open::open_store_for_backup(&store_dir)?;
            let settings = backup::load_settings(&store)?;
            let dir = match dir.or_else(|| settings.auto_dir.as_ref().map(PathBuf::from)) {
                Some(d) => d,
                None => return Err(CliError::Usage("no backup folder: give --dir DIR".into())),
            };
            let keep = keep.unwrap_or(settings.keep);
            let recipients = if recipients.is_empty() { settings.recipients.clone() } else { recipients };
            let settings = if settings.auto_dir.as_deref() != Some(&*dir.display().to_string())
                || settings.keep != keep
                || settings.recipients != recipients
            {
                backup::choose_folder(&store, Some(&dir), keep, recipients)?
            } else {
                settings
            };
            let protection = backup::protection_with_store_key(&store, &settings, Some(&backup_passphrase(Some(pass))?), now)?;
            let r = backup::auto(&store, &dir, keep, &protection, now, force)?;
            if json_out {
                io::print_json(&json!(r))?;
            } else {
                match &r.written {
                    Some(w) => say!("wrote {w}"),
                    None => say!("newest snapshot is less than a day old; nothing written"),
                }
                for f in &r.removed {
                    say!("removed old snapshot {f}");
                }
                say!("{} snapshot(s) kept", r.kept);
            }
        }
    }
    Ok(0)
}

fn read_secrets(input: &mut CredentialInput, password_stdin: bool, totp_stdin: bool) -> CliResult<()> {
    let n = usize::from(password_stdin) + usize::from(totp_stdin);
    if n == 0 {
        return Ok(());
    }
    let mut lines = io::stdin_lines(n)?.into_iter();
    if password_stdin {
        input.password = lines.next();
    }
    if totp_stdin {
        input.totp = lines.next();
    }
    Ok(())
}

fn generated() -> CliResult<SecretString> {
    Ok(generator::generate(&GeneratorSpec::default())?.0)
}

fn detail_json(c: &credential::Credential, reveal: bool) -> serde_json::Value {
    json!({ "credential": CredentialDetail::new(c, reveal) })
}

fn print_summaries(json_out: bool, items: &[&CredentialSummary]) -> CliResult<()> {
    if json_out {
        return io::print_json(&json!({ "credentials": items }));
    }
    let mut last = None;
    for c in items {
        if last != Some(c.category) {
            say!("[{}] {}", c.category, c.category.label(noren_core::messages::Lang::Ja));
            last = Some(c.category);
        }
        say!("  {}  {}  {}  {}", c.id, c.name, c.login.as_deref().unwrap_or("-"), c.url.as_deref().unwrap_or("-"));
    }
    if items.is_empty() {
        say!("(no credentials)");
    }
    Ok(())
}

fn print_detail(c: &credential::Credential, reveal: bool) {
    let d = CredentialDetail::new(c, reveal);
    say!("id:        {}", d.id);
    say!("name:      {}", d.name);
    say!("category:  {} ({})", d.category, d.category.label(noren_core::messages::Lang::Ja));
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    say!("url:       {}", opt(&d.url));
    say!("login:     {}", opt(&d.login));
    let pw = match (&d.password, d.has_password) {
        (Some(p), _) => p.clone(),
        (None, true) => "******** (use --reveal)".into(),
        (None, false) => "-".into(),
    };
    say!("password:  {pw}");
    say!("email:     {}", opt(&d.registered_email));
    say!("phone:     {}", opt(&d.recovery_phone));
    say!("2FA with:  {}", opt(&d.two_factor_holder));
    say!("known by:  {}", if d.known_by.is_empty() { "-".into() } else { d.known_by.join(", ") });
    say!("TOTP:      {}", if d.has_totp { "yes (noren-cli cred totp)" } else { "-" });
    say!("card:      {}", opt(&d.payment_card));
    say!("contract:  {}", opt(&d.contract_holder));
    say!("renewal:   {}", d.renewal_date.map(|x| x.to_string()).unwrap_or_else(|| "-".into()));
    say!("tags:      {}", if d.tags.is_empty() { "-".into() } else { d.tags.join(", ") });
    for (k, v) in &d.fields {
        say!("{k}: {v}");
    }
    say!("rotated:   {}", d.last_rotated.format("%Y-%m-%d %H:%M UTC"));
    say!("history:   {} previous password(s)", d.history_len);
    if !d.notes.is_empty() {
        say!("notes:\n{}", d.notes);
    }
}

pub fn run(cli: Cli) -> CliResult<u8> {
    // The one place the CLI reads the clock; everything below takes `now`.
    let now = cli.now.unwrap_or_else(Utc::now);
    crate::open::set_now(now);
    let json_out = cli.json;
    match cli.cmd {
        Cmd::Init => {
            let mut vault = crate::open::vault(&cli.store)?;
            if Store::exists(vault.dir()) {
                return Err(Error::StoreExists(vault.dir().to_path_buf()).into());
            }
            let pass = io::passphrase("NOREN_PASSPHRASE", "New Noren passphrase: ", true)?;
            vault.setup(&pass, now)?;
            if json_out {
                io::print_json(&json!({ "store": vault.dir(), "created": true }))?;
            } else {
                say!("created store at {}", vault.dir().display());
                say!("Keep the passphrase safe: it cannot be recovered.");
            }
        }
        Cmd::Passwd => {
            let (mut vault, current) = crate::open::unlocked(&cli.store)?;
            let new = io::passphrase("NOREN_NEW_PASSPHRASE", "New passphrase: ", true)?;
            let home = noren_core::paths::config_home(&crate::open::env()).ok();
            let r = vault.change_passphrase(&current, &new, home.as_deref(), now)?;
            if json_out {
                io::print_json(&json!({ "changed": true, "rekeyed": r }))?;
            } else {
                say!("passphrase changed; every record is sealed with new keys, so the old passphrase opens nothing");
                if r.kit_dropped {
                    say!("the emergency kit made before no longer opens the store: make a new one (noren-cli kit export)");
                }
                if r.store_key_rotated {
                    say!("snapshots from now on use a new store key: export it again if you keep a copy (noren-cli backup key --export FILE)");
                }
            }
        }
        Cmd::Backup(b) => return backup(cli.store, json_out, b, now),
        Cmd::Check { now: at, notify } => {
            let mut store = crate::open::open_calendar_store(&cli.store)?.without_snapshot();
            let at = at.unwrap_or(now);
            let settings = crate::open::settings(&store)?;
            let session = store.session();
            let items = session.due_items(at, &settings)?;
            let shown = if notify { calendar_cmd::notify_items(session.store(), &items, at, &settings)? } else { 0 };
            if json_out {
                io::print_json(&json!({ "now": at, "items": items, "notified": shown }))?;
            } else if items.is_empty() {
                say!("nothing due");
            } else {
                // One line per item in Japanese, as it has always printed.
                let lang = noren_core::messages::Lang::Ja;
                for i in &items {
                    say!("{:?}\t{}\t{}", i.severity, i.due_at.with_timezone(&settings.timezone).format("%Y-%m-%d"), i.title.text(lang));
                }
            }
            return Ok(if items.is_empty() { 0 } else { 10 });
        }
        Cmd::Cred(c) => return cred(cli.store, json_out, *c, now),
        Cmd::Channel(c) => return calendar_cmd::channel(cli.store, json_out, c, now),
        Cmd::Post(c) => return calendar_cmd::post(cli.store, json_out, c, now),
        Cmd::Feed(c) => return calendar_cmd::feed_cmd(cli.store, json_out, c, now),
        Cmd::Calendar(c) => return calendar_cmd::calendar_cmd(cli.store, c, now),
        Cmd::Notify(c) => return calendar_cmd::notify_cmd(cli.store, json_out, c, now),
        Cmd::Timer(c) => return calendar_cmd::timer_cmd(cli.store, json_out, c),
        Cmd::Customer(c) => return customer_cmd::customer(cli.store, json_out, *c, now),
        Cmd::Inquiry(c) => return customer_cmd::inquiry_cmd(cli.store, json_out, *c, now),
        Cmd::Shop(a) => return customer_cmd::shop_cmd(cli.store, json_out, a),
        Cmd::Vendor(c) => return vendor_cmd::vendor_cmd(cli.store, json_out, *c, now),
        Cmd::Renewal(c) => return vendor_cmd::renewal_cmd(cli.store, json_out, *c, now),
        Cmd::Cert(c) => return vendor_cmd::cert_cmd(cli.store, json_out, c, now),
        Cmd::Domain(c) => return vendor_cmd::domain_cmd(cli.store, json_out, c, now),
        Cmd::Incident(c) => return vendor_cmd::incident_cmd(cli.store, json_out, *c, now),
        Cmd::People(c) => return handover_cmd::people_cmd(cli.store, json_out, c, now),
        Cmd::Audit => return handover_cmd::audit_cmd(cli.store, json_out, now),
        Cmd::Kit(c) => return handover_cmd::kit_cmd(cli.store, json_out, c, now),
        Cmd::Sync(c) => return sync_cmd::sync_cmd(cli.store, json_out, c, now),
        Cmd::Import(c) => return migrate_cmd::import_cmd(cli.store, json_out, c, now),
        Cmd::Export(c) => return migrate_cmd::export_cmd(cli.store, json_out, c),
    }
    Ok(0)
}

fn cred(store_dir: Option<PathBuf>, json_out: bool, cmd: CredCmd, now: DateTime<Utc>) -> CliResult<u8> {
    // Commands that need no store.
    if let CredCmd::Generate { length, no_symbols, no_digits, no_upper, words, separator } = &cmd {
        let spec = match words {
            Some(count) => GeneratorSpec::Words { count: *count, separator: separator.clone() },
            None => GeneratorSpec::Chars {
                length: *length,
                lower: true,
                upper: !no_upper,
                digits: !no_digits,
                symbols: !no_symbols,
                avoid_ambiguous: true,
            },
        };
        let (pw, bits) = generator::generate(&spec)?;
        if json_out {
            io::print_json(&json!({ "password": pw.expose(), "entropy_bits": (bits * 10.0).round() / 10.0 }))?;
        } else {
            say!("{}", pw.expose());
        }
        return Ok(0);
    }
    // Read secrets from stdin before the (slow) unlock, so a bad pipe fails fast.
    let store = open_store(&store_dir)?;
    match cmd {
        CredCmd::Add { fields, password_stdin, generate, totp_stdin } => {
            let mut input = fields.to_input()?;
            read_secrets(&mut input, password_stdin, totp_stdin)?;
            if generate {
                input.password = Some(generated()?);
            }
            let c = credential::add(&store, &input, now)?;
            if json_out {
                io::print_json(&detail_json(&c, false))?;
            } else {
                say!("added {} ({})", c.name, c.id);
            }
        }
        CredCmd::List { category } => {
            let cat = category.as_deref().map(str::parse::<Category>).transpose()?;
            // The index holds the rows in list order (category, then name).
            let index = SearchIndex::load(&store)?;
            let items: Vec<_> = index.all().filter(|c| cat.is_none_or(|k| c.category == k)).collect();
            print_summaries(json_out, &items)?;
        }
        CredCmd::Show { key, reveal } => {
            let c = credential::resolve(&store, &key)?;
            if json_out {
                io::print_json(&detail_json(&c, reveal))?;
            } else {
                print_detail(&c, reveal);
            }
        }
        CredCmd::Search { query } => {
            let q = query.join(" ");
            if q.chars().count() > 1000 {
                return Err(Error::invalid("query", "too long (at most 1000 characters)").into());
            }
            let index = SearchIndex::load(&store)?;
            let hits = index.search(&q);
            print_summaries(json_out, &hits)?;
        }
        CredCmd::Edit { key, fields, password_stdin, totp_stdin } => {
            let mut input = fields.to_input()?;
            read_secrets(&mut input, password_stdin, totp_stdin)?;
            let c = credential::edit(&store, &key, &input, now)?;
            if json_out {
                io::print_json(&detail_json(&c, false))?;
            } else {
                say!("updated {} ({})", c.name, c.id);
            }
        }
        CredCmd::Rotate { key, password_stdin, generate } => {
            let pw = if generate {
                generated()?
            } else if password_stdin {
                io::stdin_lines(1)?.remove(0)
            } else {
                return Err(CliError::Usage("give --password-stdin or --generate".into()));
            };
            let c = credential::rotate(&store, &key, pw, now)?;
            if json_out {
                io::print_json(&detail_json(&c, false))?;
            } else {
                say!("rotated {} ({}); {} previous password(s) kept", c.name, c.id, c.history.len());
            }
        }
        CredCmd::History { key, reveal } => {
            let c = credential::resolve(&store, &key)?;
            let h = credential::history(&c, reveal);
            if json_out {
                io::print_json(&json!({ "id": c.id, "name": c.name, "history": h }))?;
            } else {
                for e in &h {
                    say!(
                        "{}  set {}  replaced {}  {}",
                        e.index,
                        e.set_at.format("%Y-%m-%d %H:%M"),
                        e.replaced_at.format("%Y-%m-%d %H:%M"),
                        e.password.as_deref().unwrap_or("********")
                    );
                }
                if h.is_empty() {
                    say!("(no previous passwords)");
                }
            }
        }
        CredCmd::Restore { key, version } => {
            let c = credential::restore_version(&store, &key, version, now)?;
            if json_out {
                io::print_json(&detail_json(&c, false))?;
            } else {
                say!("restored password version {version} of {}", c.name);
            }
        }
        CredCmd::Remove { key, yes } => {
            let c = credential::resolve(&store, &key)?;
            if !yes && !io::confirm(&format!("Delete {} ({})?", c.name, c.id))? {
                say!("kept");
                return Ok(0);
            }
            let c = credential::remove(&store, &c.id)?;
            if json_out {
                io::print_json(&json!({ "removed": CredentialSummary::from(&c) }))?;
            } else {
                say!("removed {} ({})", c.name, c.id);
            }
        }
        CredCmd::Totp { key, now: at } => {
            let c = credential::resolve(&store, &key)?;
            let secret = c.totp.as_ref().ok_or_else(|| Error::invalid("totp", format!("{} has no TOTP secret", c.name)))?;
            let (code, left) = noren_core::totp::code_at(secret.expose(), at.unwrap_or(now))?;
            if json_out {
                io::print_json(&json!({ "code": code, "seconds_left": left }))?;
            } else {
                say!("{code}  ({left} s left)");
            }
        }
        CredCmd::Generate { .. } => {}
    }
    Ok(0)
}
