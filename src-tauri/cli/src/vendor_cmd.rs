//! `vendor`, `renewal`, `cert`, `domain` and `incident` commands over
//! `noren_core::{vendor, renewal, tls_check, incident}`. Renewals live in the
//! calendar compartment (the calendar key file is enough); vendors and
//! incidents are vault data.

use noren_core::messages::Lang;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};
use noren_core::business::ShopHours;
use noren_core::checks;
use noren_core::incident::{self, Audience, Incident, IncidentInput, IncidentStatus, ReportFormat};
use noren_core::renewal::{self, Renewal, RenewalInput, RenewalKind};
use noren_core::vendor::{self, Contract, FeeKind, Vendor, VendorContact, VendorInput, VendorRole};
use noren_core::{credential, Error, Store};
use serde_json::json;

use crate::args::parse_weekdays;
use crate::io::{self, CliError, CliResult};
use crate::open::open_store;
use crate::open::{open_calendar_store, settings};

fn to_json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

fn date(field: &'static str, v: &str) -> CliResult<Option<NaiveDate>> {
    Ok(noren_core::credential::parse_date(field, v)?)
}

// ---------------------------------------------------------------- vendors

#[derive(Subcommand)]
pub enum VendorCmd {
    /// Add a vendor (with a contract when any contract flag is given).
    Add {
        #[command(flatten)]
        fields: VendorFields,
    },
    /// Every vendor, by role.
    List,
    /// One vendor with contacts and contract.
    Show { vendor: String },
    /// Change a vendor; contract flags change only what they name.
    Edit {
        vendor: String,
        #[command(flatten)]
        fields: VendorFields,
        /// Remove the contract.
        #[arg(long)]
        no_contract: bool,
    },
    /// Who to call about an asset ("ホームページ", a domain, a login's name) right now.
    Who {
        asset: Vec<String>,
        /// As of this instant (RFC 3339).
        #[arg(long, value_name = "RFC3339", value_parser = crate::args::parse_now)]
        now: Option<DateTime<Utc>>,
    },
    Remove {
        vendor: String,
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Args, Default)]
pub struct VendorFields {
    #[arg(long)]
    company: Option<String>,
    /// production (制作), maintenance (保守), hosting, registrar, sns (SNS運用代行), other.
    #[arg(long)]
    role: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    email: Option<String>,
    /// Contact form address.
    #[arg(long)]
    form: Option<String>,
    /// A person: "NAME[,PHONE[,EMAIL]]" (repeatable; replaces the list).
    #[arg(long = "contact", value_name = "NAME,PHONE,EMAIL")]
    contacts: Vec<String>,
    /// What they look after (repeatable; replaces the list): "ホームページ", a domain, a login's id.
    #[arg(long = "asset")]
    assets: Vec<String>,
    #[arg(long)]
    note: Option<String>,
    /// Contract: what the fee covers.
    #[arg(long)]
    included: Option<String>,
    /// Contract: what costs extra.
    #[arg(long)]
    extra: Option<String>,
    /// Contract: support hours, e.g. 09:00-18:00.
    #[arg(long, value_name = "HH:MM-HH:MM")]
    hours: Option<String>,
    /// Contract: days without support, e.g. "sat,sun" ("none" for none).
    #[arg(long, value_name = "DAYS")]
    closed_days: Option<String>,
    /// Contract: support on national holidays too.
    #[arg(long)]
    holidays_open: bool,
    /// Contract: emergency support and its surcharge.
    #[arg(long)]
    emergency: Option<String>,
    /// Contract: monthly, yearly, per_incident, hourly, none.
    #[arg(long)]
    fee_kind: Option<String>,
    /// Contract: yen per period.
    #[arg(long)]
    fee: Option<u64>,
    #[arg(long, value_name = "DATE")]
    start: Option<String>,
    #[arg(long, value_name = "DATE")]
    end: Option<String>,
    #[arg(long)]
    auto_renew: Option<bool>,
    /// Days before the end by which a cancellation must be announced.
    #[arg(long)]
    notice_days: Option<u32>,
    /// Promised first response, in business days.
    #[arg(long)]
    response_days: Option<u32>,
}

impl VendorFields {
    fn touches_contract(&self) -> bool {
        self.included.is_some()
            || self.extra.is_some()
            || self.hours.is_some()
            || self.closed_days.is_some()
            || self.holidays_open
            || self.emergency.is_some()
            || self.fee_kind.is_some()
            || self.fee.is_some()
            || self.start.is_some()
            || self.end.is_some()
            || self.auto_renew.is_some()
            || self.notice_days.is_some()
            || self.response_days.is_some()
    }

    fn contract(&self, existing: Option<&Contract>) -> CliResult<Contract> {
        let mut c = existing.cloned().unwrap_or_default();
        if let Some(v) = &self.included {
            c.included = v.clone();
        }
        if let Some(v) = &self.extra {
            c.extra = v.clone();
        }
        if let Some(h) = &self.hours {
            let (o, cl) = h.split_once('-').ok_or_else(|| CliError::Usage(format!("--hours expects HH:MM-HH:MM, got {h:?}")))?;
            c.hours.open = o.trim().into();
            c.hours.close = cl.trim().into();
        }
        if let Some(d) = &self.closed_days {
            c.hours.closed_weekdays = parse_weekdays(d)?;
        }
        if self.holidays_open {
            c.hours.holidays_closed = false;
        }
        if let Some(v) = &self.emergency {
            c.emergency = v.clone();
        }
        if let Some(k) = &self.fee_kind {
            c.fee_kind = k.parse::<FeeKind>()?;
        }
        if let Some(f) = self.fee {
            c.fee_yen = Some(f);
        }
        if let Some(s) = &self.start {
            c.start = date("start", s)?;
        }
        if let Some(e) = &self.end {
            c.end = date("end", e)?;
        }
        if let Some(a) = self.auto_renew {
            c.auto_renew = a;
        }
        if let Some(n) = self.notice_days {
            c.notice_days = Some(n);
        }
        if let Some(n) = self.response_days {
            c.response_days = Some(n);
        }
        Ok(c)
    }

    fn input(&self, existing: Option<&Vendor>) -> CliResult<VendorInput> {
        let contacts = if self.contacts.is_empty() {
            None
        } else {
            Some(
                self.contacts
                    .iter()
                    .map(|c| {
                        let mut parts = c.splitn(3, ',').map(|p| p.trim().to_string());
                        VendorContact {
                            name: parts.next().unwrap_or_default(),
                            phone: parts.next().unwrap_or_default(),
                            email: parts.next().unwrap_or_default(),
                            note: String::new(),
                        }
                    })
                    .collect(),
            )
        };
        let contract = if self.touches_contract() { Some(self.contract(existing.and_then(|v| v.contract.as_ref()))?) } else { None };
        Ok(VendorInput {
            company: self.company.clone(),
            role: self.role.as_deref().map(str::parse::<VendorRole>).transpose()?,
            contacts,
            phone: self.phone.clone(),
            email: self.email.clone(),
            form_url: self.form.clone(),
            assets: if self.assets.is_empty() { None } else { Some(self.assets.clone()) },
            contract,
            no_contract: false,
            note: self.note.clone(),
        })
    }
}

fn hours_text(h: &ShopHours) -> String {
    let closed: Vec<String> = h.closed_weekdays.iter().filter_map(|d| io::weekday_ja(*d)).collect();
    format!(
        "{}–{}, closed {}{}",
        h.open,
        h.close,
        if closed.is_empty() { "never".to_string() } else { closed.join(&noren_core::messages::text(Lang::Ja, "list-separator-days")) },
        if h.holidays_closed { format!(" and {}", noren_core::messages::text(Lang::Ja, "closed-holiday")) } else { String::new() }
    )
}

pub fn vendor_cmd(store_dir: Option<PathBuf>, json_out: bool, cmd: VendorCmd, now: DateTime<Utc>) -> CliResult<u8> {
    let store = open_store(&store_dir)?;
    let tz = settings(&store)?.timezone;
    match cmd {
        VendorCmd::Add { fields } => {
            let v = vendor::add(&store, &fields.input(None)?, now)?;
            if json_out {
                io::print_json(&to_json(&v))?;
            } else {
                say!("added vendor {} ({})", v.company, v.id);
            }
        }
        VendorCmd::Edit { vendor: key, fields, no_contract } => {
            let existing = vendor::resolve(&store, &key)?;
            let mut input = fields.input(Some(&existing))?;
            if no_contract {
                input.no_contract = true;
            }
            let v = vendor::edit(&store, &existing.id, &input, now)?;
            if json_out {
                io::print_json(&to_json(&v))?;
            } else {
                say!("changed vendor {} ({})", v.company, v.id);
            }
        }
        VendorCmd::List => {
            let list = vendor::list(&store)?;
            if json_out {
                io::print_json(&json!({ "vendors": list }))?;
            } else if list.is_empty() {
                say!("no vendors yet");
            } else {
                for v in &list {
                    let end = v.contract.as_ref().and_then(|c| c.end).map(|e| format!("\tcontract until {e}")).unwrap_or_default();
                    say!("{}\t{}\t{}\t{}{end}", v.id, v.role.label(Lang::Ja), v.company, v.phone);
                }
            }
        }
        VendorCmd::Show { vendor: key } => {
            let v = vendor::resolve(&store, &key)?;
            if json_out {
                io::print_json(&to_json(&v))?;
            } else {
                say!("{} ({}) — {}", v.company, v.id, v.role.label(Lang::Ja));
                for (k, val) in [("phone", &v.phone), ("email", &v.email)] {
                    if !val.is_empty() {
                        say!("  {k}: {val}");
                    }
                }
                if let Some(f) = &v.form_url {
                    say!("  form: {f}");
                }
                for p in &v.contacts {
                    say!("  contact: {} {} {}", p.name, p.phone, p.email);
                }
                if !v.assets.is_empty() {
                    say!("  looks after: {}", v.assets.join(", "));
                }
                if let Some(c) = &v.contract {
                    say!("  support: {}", hours_text(&c.hours));
                    say!("  fee: {}", vendor::cost_text(Some(c), Some(true)).text(Lang::Ja));
                    if !c.included.is_empty() {
                        say!("  included: {}", c.included);
                    }
                    if !c.emergency.is_empty() {
                        say!("  emergency: {}", c.emergency);
                    }
                    if let Some(e) = c.end {
                        let notice = c.notice_days.map(|n| format!(", notice {n} days")).unwrap_or_default();
                        say!(
                            "  contract: {} – {e}{}{notice}",
                            c.start.map(|s| s.to_string()).unwrap_or_default(),
                            if c.auto_renew { ", auto-renews" } else { "" }
                        );
                    }
                    if let Some(r) = c.response_days {
                        say!("  first response within {r} business days");
                    }
                }
                if !v.note.is_empty() {
                    say!("  note: {}", v.note);
                }
            }
        }
        VendorCmd::Who { asset, now: at } => {
            let at = at.unwrap_or(now);
            let vendors = vendor::list(&store)?;
            let names: Vec<(String, String)> =
                noren_core::credential::list(&store)?.into_iter().map(|c| (c.id.clone(), c.name.clone())).collect();
            let advice = vendor::who_to_call(&vendors, &asset.join(" "), &names, at, tz);
            if json_out {
                io::print_json(&json!({ "vendors": advice }))?;
            } else if advice.is_empty() {
                say!("no vendor looks after {:?}", asset.join(" "));
            } else {
                for a in &advice {
                    let state = match (a.inside_hours, a.next_open) {
                        (Some(true), _) => "inside support hours now".to_string(),
                        (Some(false), Some(n)) => format!("outside support hours (next: {})", n.with_timezone(&tz).format("%m/%d %H:%M")),
                        (Some(false), None) => "outside support hours".to_string(),
                        (None, _) => "support hours unknown".to_string(),
                    };
                    say!(
                        "{} ({})  {}  — {state}; {}",
                        a.vendor.company,
                        a.vendor.role.label(Lang::Ja),
                        a.vendor.phone,
                        a.cost.text(Lang::En)
                    );
                }
            }
            return Ok(if advice.is_empty() { 1 } else { 0 });
        }
        VendorCmd::Remove { vendor: key, yes } => {
            let v = vendor::resolve(&store, &key)?;
            if !yes && !io::confirm(&format!("Delete vendor {}?", v.company))? {
                return Err(CliError::Usage("not deleted (confirm, or pass --yes)".into()));
            }
            vendor::remove(&store, &v.id, now)?;
            if json_out {
                io::print_json(&json!({ "removed": v.id }))?;
            } else {
                say!("removed vendor {}", v.company);
            }
        }
    }
    Ok(0)
}

// ---------------------------------------------------------------- renewals

#[derive(Subcommand)]
pub enum RenewalCmd {
    /// Add a date that must not lapse.
    Add {
        #[command(flatten)]
        fields: RenewalFields,
    },
    /// Every renewal, soonest first, with card conflicts.
    List,
    Show {
        renewal: String,
    },
    Edit {
        renewal: String,
        #[command(flatten)]
        fields: RenewalFields,
    },
    /// Mark it renewed: the date moves forward by its period (or to --due).
    Done {
        renewal: String,
        #[arg(long, value_name = "DATE")]
        due: Option<String>,
    },
    /// Reminder stages in days before the date, e.g. 90,30,14,7,1 (without a value: show them).
    Stages {
        days: Option<String>,
    },
    Remove {
        renewal: String,
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Args, Default)]
pub struct RenewalFields {
    /// domain, ssl, hosting, contract, card, license, other.
    #[arg(long)]
    kind: Option<String>,
    #[arg(long)]
    name: Option<String>,
    /// YYYY-MM-DD (a card also takes 2027-05 or 05/27).
    #[arg(long, value_name = "DATE")]
    due: Option<String>,
    /// The card (a `card` renewal's name or id) it is charged to; "" for none.
    #[arg(long)]
    card: Option<String>,
    #[arg(long)]
    auto_renew: bool,
    #[arg(long, conflicts_with = "auto_renew")]
    no_auto_renew: bool,
    /// Months "renewed" moves the date (default: 12; ssl 3; card 60).
    #[arg(long)]
    period_months: Option<u32>,
    /// What depends on it (repeatable; replaces the list).
    #[arg(long = "link")]
    links: Vec<String>,
    #[arg(long)]
    note: Option<String>,
}

impl RenewalFields {
    fn input(&self) -> CliResult<RenewalInput> {
        Ok(RenewalInput {
            kind: self.kind.as_deref().map(str::parse::<RenewalKind>).transpose()?,
            name: self.name.clone(),
            due: self.due.clone(),
            auto_renew: if self.auto_renew {
                Some(true)
            } else if self.no_auto_renew {
                Some(false)
            } else {
                None
            },
            card: self.card.clone(),
            links: if self.links.is_empty() { None } else { Some(self.links.clone()) },
            period_months: self.period_months,
            note: self.note.clone(),
            check_target: None,
        })
    }
}

fn renewal_line(r: &Renewal, all: &[Renewal], today: NaiveDate) -> String {
    let left = (r.due - today).num_days();
    let when = if left < 0 { format!("overdue {} days", -left) } else { format!("in {left} days") };
    let card =
        r.card_id.as_deref().and_then(|id| all.iter().find(|c| c.id == id)).map(|c| format!("\tcard {}", c.name)).unwrap_or_default();
    format!("{}\t{}\t{}\t{}\t{when}{}{card}", r.id, r.kind, r.name, r.due, if r.auto_renew { "\tauto" } else { "" })
}

pub fn renewal_cmd(store_dir: Option<PathBuf>, json_out: bool, cmd: RenewalCmd, now: DateTime<Utc>) -> CliResult<u8> {
    let store = open_calendar_store(&store_dir)?;
    let tz = settings(&store)?.timezone;
    let today = now.with_timezone(&tz).date_naive();
    let show = |r: &Renewal, verb: &str| -> CliResult<()> {
        if json_out {
            io::print_json(&to_json(r))
        } else {
            say!("{verb} {} {} ({}), due {}", r.kind, r.name, r.id, r.due);
            Ok(())
        }
    };
    match cmd {
        RenewalCmd::Add { fields } => show(&renewal::add(&store, &fields.input()?, now)?, "added")?,
        RenewalCmd::Edit { renewal: key, fields } => show(&renewal::edit(&store, &key, &fields.input()?, now)?, "changed")?,
        RenewalCmd::Done { renewal: key, due } => show(&renewal::done(&store, &key, due.as_deref(), today, now)?, "renewed")?,
        RenewalCmd::Show { renewal: key } => {
            let r = renewal::resolve(&store, &key)?;
            if json_out {
                io::print_json(&to_json(&r))?;
            } else {
                let all = renewal::list(&store)?;
                say!("{}", renewal_line(&r, &all, today));
                if !r.links.is_empty() {
                    say!("  for: {}", r.links.join(", "));
                }
                if !r.note.is_empty() {
                    say!("  note: {}", r.note);
                }
                if let Some(c) = &r.last_check {
                    say!("  last check {}: {}", c.at.with_timezone(&tz).format("%Y-%m-%d %H:%M"), c.message);
                }
            }
        }
        RenewalCmd::List => {
            let all = renewal::list(&store)?;
            let conflicts = renewal::card_conflicts(&all);
            if json_out {
                io::print_json(&json!({ "renewals": all, "card_conflicts": conflicts }))?;
            } else if all.is_empty() {
                say!("no renewals yet");
            } else {
                all.iter().for_each(|r| say!("{}", renewal_line(r, &all, today)));
                for c in &conflicts {
                    say!("warning: {} ({}) is charged to {}, which expires {}", c.renewal_name, c.due, c.card_name, c.card_expires);
                }
            }
        }
        RenewalCmd::Stages { days } => {
            let mut ns = noren_core::notify::load_settings(&store)?;
            if let Some(d) = days {
                ns.renewal_stages = d
                    .split(',')
                    .map(|x| {
                        x.trim().parse::<i64>().map_err(|_| Error::invalid("renewal_stages", format!("{x:?} is not a number of days")))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                noren_core::notify::save_settings(&store, &ns)?;
                ns = noren_core::notify::load_settings(&store)?;
            }
            if json_out {
                io::print_json(&json!({ "renewal_stages": ns.renewal_stages }))?;
            } else {
                let s: Vec<String> = ns.renewal_stages.iter().map(|d| d.to_string()).collect();
                say!("renewals are announced {} days before, and when overdue", s.join("/"));
            }
        }
        RenewalCmd::Remove { renewal: key, yes } => {
            let r = renewal::resolve(&store, &key)?;
            if !yes && !io::confirm(&format!("Delete renewal {}?", r.name))? {
                return Err(CliError::Usage("not deleted (confirm, or pass --yes)".into()));
            }
            renewal::remove(&store, &r.id, now)?;
            if json_out {
                io::print_json(&json!({ "removed": r.id }))?;
            } else {
                say!("removed renewal {}", r.name);
            }
        }
    }
    Ok(0)
}

// ---------------------------------------------------------------- checks

#[derive(Subcommand)]
pub enum CertCmd {
    /// Read a site's certificate expiry (TLS handshake) and keep it as an `ssl` renewal.
    Check {
        url: String,
        /// Only show it; record nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
pub enum DomainCmd {
    /// A domain's registration expiry from RDAP, kept as a `domain` renewal
    /// ($NOREN_RDAP_BASE overrides the RDAP server). `.jp` has no RDAP.
    Check {
        domain: String,
        #[arg(long)]
        dry_run: bool,
    },
}

pub fn cert_cmd(store_dir: Option<PathBuf>, json_out: bool, cmd: CertCmd, now: DateTime<Utc>) -> CliResult<u8> {
    let CertCmd::Check { url, dry_run } = cmd;
    let target = checks::Target::cert(&url)?;
    let (found, saved, tz) = check(&store_dir, &target, dry_run, now)?;
    let checks::Found::Cert(info) = found else { return Err(Error::Storage("a certificate check found no certificate".into()).into()) };
    if json_out {
        io::print_json(&json!({ "certificate": info, "renewal": saved }))?;
    } else {
        let left = (info.not_after - now).num_days();
        say!(
            "{}: certificate valid until {} ({left} days)",
            target.renewal().1,
            info.not_after.with_timezone(&tz).format("%Y-%m-%d %H:%M")
        );
        if let Some(p) = &info.problem {
            say!("warning: browsers will not trust it: {p}");
        }
        if let Some(r) = &saved {
            say!("kept as ssl renewal {} ({})", r.name, r.id);
        }
    }
    Ok(0)
}

pub fn domain_cmd(store_dir: Option<PathBuf>, json_out: bool, cmd: DomainCmd, now: DateTime<Utc>) -> CliResult<u8> {
    let DomainCmd::Check { domain, dry_run } = cmd;
    let target = checks::Target::domain(&domain);
    let (found, saved, tz) = check(&store_dir, &target, dry_run, now)?;
    let due = found.last_day(tz);
    let name = target.renewal().1;
    if json_out {
        io::print_json(&json!({ "domain": name, "expires": due, "renewal": saved }))?;
    } else {
        say!("{name}: registered until {due}");
        if let Some(r) = &saved {
            say!("kept as domain renewal {} ({})", r.name, r.id);
        }
    }
    Ok(0)
}

/// Runs an internet check (`noren_core::checks`) and, unless `dry_run`, keeps
/// the outcome on its renewal (a failure noted there, then returned).
fn check(
    store_dir: &Option<PathBuf>,
    target: &checks::Target,
    dry_run: bool,
    now: DateTime<Utc>,
) -> CliResult<(checks::Found, Option<Renewal>, chrono_tz::Tz)> {
    let found = checks::run(target, std::env::var("NOREN_RDAP_BASE").ok().as_deref());
    if dry_run {
        let tz = crate::open::tz_override()?.unwrap_or(noren_core::business::DEFAULT_ZONE);
        return Ok((found?, None, tz));
    }
    let store = open_calendar_store(store_dir)?;
    let tz = settings(&store)?.timezone;
    let saved = checks::record(&store, target, &found, tz, now)?;
    Ok((found?, saved, tz))
}

// ---------------------------------------------------------------- incidents

#[derive(Subcommand)]
pub enum IncidentCmd {
    /// Record an incident (detected now unless --detected).
    Add {
        #[arg(long)]
        title: String,
        #[command(flatten)]
        fields: IncidentFields,
    },
    /// Every incident, open ones first.
    List,
    /// One incident: the five steps, timeline, actions.
    Show {
        incident: String,
    },
    /// Fill in or change the five steps and the rest.
    Edit {
        incident: String,
        #[arg(long)]
        title: Option<String>,
        #[command(flatten)]
        fields: IncidentFields,
    },
    /// Add a timestamped line to the timeline.
    Log {
        incident: String,
        text: String,
        /// When it happened (RFC 3339; default now).
        #[arg(long, value_name = "RFC3339", value_parser = crate::args::parse_now)]
        at: Option<DateTime<Utc>>,
    },
    /// Add an action item (a reminder once due), or mark one done with --done ACTION_ID.
    Action {
        incident: String,
        text: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        #[arg(long, value_name = "DATE")]
        due: Option<String>,
        /// Mark this action item done instead.
        #[arg(long, value_name = "ACTION_ID")]
        done: Option<String>,
    },
    /// Mark it resolved (対応中 → 解決済み).
    Close {
        incident: String,
        #[arg(long)]
        note: Option<String>,
        /// When it was really over (RFC 3339; default now).
        #[arg(long, value_name = "RFC3339", value_parser = crate::args::parse_now)]
        at: Option<DateTime<Utc>>,
    },
    Reopen {
        incident: String,
    },
    /// 経緯報告書 (ongoing) or 顛末書 (resolved), for internal or external readers.
    Report {
        incident: String,
        #[arg(long, default_value = "md", value_name = "md|html")]
        format: String,
        #[arg(long, default_value = "internal", value_name = "internal|external")]
        audience: String,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    Remove {
        incident: String,
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Args, Default)]
pub struct IncidentFields {
    /// When it was noticed (RFC 3339).
    #[arg(long, value_name = "RFC3339", value_parser = crate::args::parse_now)]
    detected: Option<DateTime<Utc>>,
    /// How it was noticed.
    #[arg(long)]
    detection: Option<String>,
    /// Step 1: what broke.
    #[arg(long)]
    situation: Option<String>,
    /// Where it was checked (browsers, devices).
    #[arg(long)]
    checked: Option<String>,
    /// Step 2: affected period start / end (RFC 3339).
    #[arg(long, value_name = "RFC3339", value_parser = crate::args::parse_now)]
    impact_from: Option<DateTime<Utc>>,
    #[arg(long, value_name = "RFC3339", value_parser = crate::args::parse_now)]
    impact_to: Option<DateTime<Utc>>,
    #[arg(long)]
    visits_lost: Option<u64>,
    #[arg(long)]
    orders_lost: Option<u64>,
    #[arg(long)]
    sales_lost: Option<u64>,
    /// Who was affected.
    #[arg(long)]
    affected: Option<String>,
    /// Step 3.
    #[arg(long)]
    cause: Option<String>,
    /// Step 4.
    #[arg(long)]
    temporary_fix: Option<String>,
    #[arg(long)]
    permanent_fix: Option<String>,
    /// Step 5.
    #[arg(long)]
    prevention: Option<String>,
    /// Internal: who handled it.
    #[arg(long)]
    handled_by: Option<String>,
    /// Internal: what it cost (yen).
    #[arg(long)]
    cost: Option<u64>,
    /// Internal note.
    #[arg(long)]
    internal_note: Option<String>,
    /// A login involved (name or id; repeatable; replaces the list).
    #[arg(long = "login", value_name = "LOGIN")]
    logins: Vec<String>,
}

impl IncidentFields {
    fn input(&self, store: &Store, title: Option<String>, existing: Option<&Incident>) -> CliResult<IncidentInput> {
        let touches_impact = self.impact_from.is_some()
            || self.impact_to.is_some()
            || self.visits_lost.is_some()
            || self.orders_lost.is_some()
            || self.sales_lost.is_some()
            || self.affected.is_some();
        let impact = touches_impact.then(|| {
            let mut i = existing.map(|e| e.impact.clone()).unwrap_or_default();
            i.from = self.impact_from.or(i.from);
            i.to = self.impact_to.or(i.to);
            i.visits_lost = self.visits_lost.or(i.visits_lost);
            i.orders_lost = self.orders_lost.or(i.orders_lost);
            i.sales_lost_yen = self.sales_lost.or(i.sales_lost_yen);
            if let Some(a) = &self.affected {
                i.affected = a.clone();
            }
            i
        });
        Ok(IncidentInput {
            title,
            detected_at: self.detected,
            detection: self.detection.clone(),
            situation: self.situation.clone(),
            checked: self.checked.clone(),
            impact,
            cause: self.cause.clone(),
            countermeasure_temp: self.temporary_fix.clone(),
            countermeasure_perm: self.permanent_fix.clone(),
            prevention: self.prevention.clone(),
            handled_by: self.handled_by.clone(),
            cost_yen: self.cost,
            internal_note: self.internal_note.clone(),
            vendor_id: None,
            credential_ids: if self.logins.is_empty() {
                None
            } else {
                Some(self.logins.iter().map(|l| Ok(credential::resolve(store, l)?.id)).collect::<CliResult<Vec<_>>>()?)
            },
        })
    }
}

fn status_ja(s: IncidentStatus) -> String {
    noren_core::messages::Message::of_enum("inc-status", &s).text(Lang::Ja)
}

/// The shop's name in reports: $NOREN_SHOP_NAME, else none.
fn reporter() -> String {
    std::env::var("NOREN_SHOP_NAME").ok().map(|s| s.trim().to_string()).unwrap_or_default()
}

pub fn incident_cmd(store_dir: Option<PathBuf>, json_out: bool, cmd: IncidentCmd, now: DateTime<Utc>) -> CliResult<u8> {
    let store = open_store(&store_dir)?;
    let tz = settings(&store)?.timezone;
    let show = |i: &Incident, verb: &str| -> CliResult<()> {
        if json_out {
            io::print_json(&to_json(i))
        } else {
            say!("{verb} incident {} ({})", i.title, i.id);
            Ok(())
        }
    };
    match cmd {
        IncidentCmd::Add { title, fields } => show(&incident::add(&store, &fields.input(&store, Some(title), None)?, now)?, "added")?,
        IncidentCmd::Edit { incident: key, title, fields } => {
            let existing = incident::resolve(&store, &key)?;
            show(&incident::edit(&store, &existing.id, &fields.input(&store, title, Some(&existing))?, now)?, "changed")?
        }
        IncidentCmd::Log { incident: key, text, at } => show(&incident::log(&store, &key, &text, at, now)?, "logged in")?,
        IncidentCmd::Action { incident: key, text, owner, due, done } => match (done, text) {
            (Some(action_id), _) => show(&incident::set_action_done(&store, &action_id, true, now)?, "action done in")?,
            (None, Some(text)) => {
                let due = due.as_deref().map(|d| date("due", d)).transpose()?.flatten();
                let (inc, a) = incident::add_action(&store, &key, &text, owner.as_deref().unwrap_or(""), due, now)?;
                if json_out {
                    io::print_json(&json!({ "incident": inc.id, "action": a }))?;
                } else {
                    say!("added action {} ({}) to {}", a.text, a.id, inc.title);
                }
            }
            (None, None) => return Err(CliError::Usage("incident action needs TEXT, or --done ACTION_ID".into())),
        },
        IncidentCmd::Close { incident: key, note, at } => show(&incident::close_at(&store, &key, note.as_deref(), at, now)?, "resolved")?,
        IncidentCmd::Reopen { incident: key } => show(&incident::reopen(&store, &key, now)?, "reopened")?,
        IncidentCmd::List => {
            let list = incident::list(&store)?;
            if json_out {
                io::print_json(&json!({ "incidents": list }))?;
            } else if list.is_empty() {
                say!("no incidents recorded");
            } else {
                for i in &list {
                    let open = i.actions.iter().filter(|a| a.done_at.is_none()).count();
                    say!(
                        "{}\t{}\t{}\t{}\t{open} open actions",
                        i.id,
                        i.detected_at.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
                        status_ja(i.status),
                        i.title
                    );
                }
            }
        }
        IncidentCmd::Show { incident: key } => {
            let i = incident::resolve(&store, &key)?;
            if json_out {
                io::print_json(&to_json(&i))?;
            } else {
                print!("{}", incident::report(&i, ReportFormat::Md, Audience::Internal, &reporter(), now, tz));
                for a in &i.actions {
                    say!("action {}: {}{}", a.id, a.text, if a.done_at.is_some() { " (done)" } else { "" });
                }
            }
        }
        IncidentCmd::Report { incident: key, format, audience, out } => {
            let i = incident::resolve(&store, &key)?;
            let format: ReportFormat = format.parse()?;
            let audience: Audience = audience.parse()?;
            let text = incident::report(&i, format, audience, &reporter(), now, tz);
            match out {
                None => print!("{text}"),
                Some(path) => {
                    noren_core::backup::write_file_atomically(&path, text.as_bytes())?;
                    if json_out {
                        io::print_json(&json!({ "written": path, "bytes": text.len() }))?;
                    } else {
                        say!("wrote {} to {}", incident::report_kind(&i), path.display());
                    }
                }
            }
        }
        IncidentCmd::Remove { incident: key, yes } => {
            let i = incident::resolve(&store, &key)?;
            if !yes && !io::confirm(&format!("Delete incident {}?", i.title))? {
                return Err(CliError::Usage("not deleted (confirm, or pass --yes)".into()));
            }
            incident::remove(&store, &i.id)?;
            if json_out {
                io::print_json(&json!({ "removed": i.id }))?;
            } else {
                say!("removed incident {}", i.title);
            }
        }
    }
    Ok(0)
}
