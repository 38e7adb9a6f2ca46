//! `customer`, `inquiry`, `shop` and `template` commands over
//! `noren_core::{customer, inquiry, business, customer_import}` (vault data:
//! the passphrase is needed).

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use noren_core::business::{self, ShopHours};
use noren_core::customer::{self, Agreement, Contact, ContactKind, Customer, CustomerInput};
use noren_core::customer_import;
use noren_core::inquiry::{self, ExceptionDecision, ExceptionTag, Inquiry, InquiryInput, InquiryStatus, PlaybookStep};
use noren_core::Error;
use serde_json::json;

use crate::args::parse_weekdays;
use crate::io::{self, CliError, CliResult};
use crate::open::open_store;
use crate::open::settings;

#[derive(Subcommand)]
pub enum CustomerCmd {
    /// Add a customer.
    Add {
        #[command(flatten)]
        fields: CustomerFields,
    },
    /// Every customer, in 五十音 order.
    List,
    /// One customer: contacts, agreements, timeline.
    Show { customer: String },
    /// Search name, furigana, email, phone, LINE, tags, notes, agreements.
    Search { query: Vec<String> },
    /// Change a customer. Contact flags replace that kind of contact; --agreement adds one.
    Edit {
        customer: String,
        #[command(flatten)]
        fields: CustomerFields,
        /// Add a line to the customer's timeline.
        #[arg(long)]
        log: Option<String>,
    },
    /// Import customers from a CSV file (UTF-8 or Shift_JIS, header row).
    Import {
        file: PathBuf,
        /// Only show what would be imported.
        #[arg(long)]
        dry_run: bool,
        /// Also import rows that look like customers already in the store.
        #[arg(long)]
        keep_duplicates: bool,
    },
    Remove {
        customer: String,
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Args, Default)]
pub struct CustomerFields {
    #[arg(long)]
    pub name: Option<String>,
    /// Furigana (ふりがな), for sorting and search.
    #[arg(long)]
    pub kana: Option<String>,
    /// LINE display name or ID.
    #[arg(long)]
    pub line: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub instagram: Option<String>,
    #[arg(long)]
    pub facebook: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
    /// An individual agreement, e.g. "毎月第2土曜に予約確保" (repeatable).
    #[arg(long = "agreement")]
    pub agreements: Vec<String>,
    /// Tag (repeatable). On edit, replaces all tags.
    #[arg(long = "tag")]
    pub tags: Vec<String>,
}

impl CustomerFields {
    fn input(&self, existing: Option<&Customer>) -> CustomerInput {
        let given: Vec<(ContactKind, &Option<String>)> = vec![
            (ContactKind::Line, &self.line),
            (ContactKind::Email, &self.email),
            (ContactKind::Phone, &self.phone),
            (ContactKind::Instagram, &self.instagram),
            (ContactKind::Facebook, &self.facebook),
        ];
        let contacts = if given.iter().any(|(_, v)| v.is_some()) {
            let mut list: Vec<Contact> = existing.map(|c| c.contacts.clone()).unwrap_or_default();
            for (kind, v) in given {
                if let Some(v) = v {
                    list.retain(|c| c.kind != kind);
                    list.push(Contact { kind, value: v.clone(), note: String::new() });
                }
            }
            Some(list)
        } else {
            None
        };
        let agreements = if self.agreements.is_empty() {
            None
        } else {
            let mut list: Vec<Agreement> = existing.map(|c| c.agreements.clone()).unwrap_or_default();
            list.extend(self.agreements.iter().map(|t| Agreement { text: t.clone(), since: None, until: None }));
            Some(list)
        };
        CustomerInput {
            name: self.name.clone(),
            kana: self.kana.clone(),
            contacts,
            notes: self.note.clone(),
            agreements,
            tags: if self.tags.is_empty() { None } else { Some(self.tags.clone()) },
            log: None,
        }
    }
}

fn customer_line(c: &Customer) -> String {
    let contacts: Vec<String> = c.contacts.iter().map(|x| format!("{}:{}", x.kind, x.value)).collect();
    format!("{}\t{}\t{}\t{}", c.id, c.name, c.kana, contacts.join(" "))
}

fn to_json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

pub fn customer(store_dir: Option<PathBuf>, json_out: bool, cmd: CustomerCmd, now: DateTime<Utc>) -> CliResult<u8> {
    let store = open_store(&store_dir)?;
    match cmd {
        CustomerCmd::Add { fields } => {
            let c = customer::add(&store, &fields.input(None), now)?;
            if json_out {
                io::print_json(&to_json(&c))?;
            } else {
                say!("added customer {} ({})", c.name, c.id);
            }
        }
        CustomerCmd::Edit { customer: key, fields, log } => {
            let existing = customer::resolve(&store, &key)?;
            let mut input = fields.input(Some(&existing));
            input.log = log;
            let c = customer::edit(&store, &existing.id, &input, now)?;
            if json_out {
                io::print_json(&to_json(&c))?;
            } else {
                say!("changed customer {} ({})", c.name, c.id);
            }
        }
        CustomerCmd::List => {
            let list = customer::list(&store)?;
            if json_out {
                io::print_json(&json!({ "customers": list }))?;
            } else if list.is_empty() {
                say!("no customers yet");
            } else {
                list.iter().for_each(|c| say!("{}", customer_line(c)));
            }
        }
        CustomerCmd::Search { query } => {
            let hits = customer::search(&store, &query.join(" "))?;
            if json_out {
                io::print_json(&json!({ "customers": hits }))?;
            } else if hits.is_empty() {
                say!("no match");
            } else {
                hits.iter().for_each(|c| say!("{}", customer_line(c)));
            }
        }
        CustomerCmd::Show { customer: key } => {
            let c = customer::resolve(&store, &key)?;
            if json_out {
                io::print_json(&to_json(&c))?;
            } else {
                let tz = settings(&store)?.timezone;
                say!("{} ({}){}", c.name, c.id, if c.kana.is_empty() { String::new() } else { format!(" {}", c.kana) });
                for x in &c.contacts {
                    say!("  {}: {}", x.kind, x.value);
                }
                for a in &c.agreements {
                    let since = a.since.map(|d| format!(" (since {d})")).unwrap_or_default();
                    say!("  agreement: {}{since}", a.text);
                }
                if !c.tags.is_empty() {
                    say!("  tags: {}", c.tags.join(", "));
                }
                if !c.notes.is_empty() {
                    say!("  notes: {}", c.notes.replace('\n', "\n         "));
                }
                for t in &c.timeline {
                    say!("  {}  {}", t.at.with_timezone(&tz).format("%Y-%m-%d %H:%M"), t.text);
                }
            }
        }
        CustomerCmd::Import { file, dry_run, keep_duplicates } => {
            let bytes = noren_core::paths::read_picked_file(&file, customer_import::MAX_BYTES)?;
            let preview = customer_import::preview(&store, &bytes, now)?;
            let imported = if dry_run { 0 } else { customer_import::import(&store, &preview, keep_duplicates, now)? };
            let duplicates = preview.rows.iter().filter(|r| r.duplicate).count();
            if json_out {
                io::print_json(&json!({
                    "encoding": preview.encoding, "rows": preview.rows, "skipped": preview.skipped,
                    "ignored_columns": preview.ignored_columns, "imported": imported, "dry_run": dry_run,
                }))?;
            } else {
                say!("{}: {} rows readable, {duplicates} look like existing customers", preview.encoding, preview.rows.len());
                for s in &preview.skipped {
                    say!("  skipped line {}: {}", s.line, s.reason);
                }
                if !preview.ignored_columns.is_empty() {
                    say!("  columns not used: {}", preview.ignored_columns.join(", "));
                }
                if dry_run {
                    say!("dry run: nothing imported");
                } else {
                    say!("imported {imported} customers");
                }
            }
        }
        CustomerCmd::Remove { customer: key, yes } => {
            let c = customer::resolve(&store, &key)?;
            if !yes && !io::confirm(&format!("Delete customer {}?", c.name))? {
                return Err(CliError::Usage("not deleted (confirm, or pass --yes)".into()));
            }
            customer::remove(&store, &c.id)?;
            if json_out {
                io::print_json(&json!({ "removed": c.id }))?;
            } else {
                say!("removed customer {}", c.name);
            }
        }
    }
    Ok(0)
}

#[derive(Subcommand)]
pub enum InquiryCmd {
    /// Log a message that needs a reply.
    Add {
        /// line, email, phone, instagram, facebook or other.
        #[arg(long)]
        channel: String,
        /// A known customer (id or exact name).
        #[arg(long)]
        customer: Option<String>,
        /// Who sent it, when not a known customer.
        #[arg(long = "from")]
        sender: Option<String>,
        /// When it came in (RFC 3339; default now).
        #[arg(long, value_name = "RFC3339", value_parser = crate::args::parse_now)]
        received: Option<DateTime<Utc>>,
        #[arg(long)]
        summary: String,
        #[arg(long)]
        message: Option<String>,
        /// question, booking, complaint or other.
        #[arg(long, default_value = "question")]
        kind: String,
        /// 24h, 48h, … or 1bd, 2bd, … (Japanese business days); default from `shop`.
        #[arg(long, value_name = "24h|Nbd")]
        reply_within: Option<String>,
    },
    /// Record a reply; --interim --by DATE promises a full reply by then (moves the deadline).
    Reply {
        id: String,
        #[arg(long, default_value = "")]
        text: String,
        #[arg(long, requires = "by")]
        interim: bool,
        /// YYYY-MM-DD (closing time that day) or RFC 3339.
        #[arg(long, requires = "interim")]
        by: Option<String>,
    },
    /// Mark as done (対応済み), optionally with a follow-up date.
    Close {
        id: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        follow_up: Option<String>,
    },
    /// The follow-up has been made.
    FollowedUp {
        id: String,
    },
    Spam {
        id: String,
    },
    /// Tick complaint playbook steps: first-reply-within-24h, thank, apologise-own-fault, concrete-remedy, no-jokes, move-to-private, follow-up.
    Playbook {
        id: String,
        #[arg(long = "step")]
        steps: Vec<String>,
    },
    /// Record not replying: --tag troll|discriminatory|false-claims --decision hide|report|disengage.
    Exception {
        id: String,
        #[arg(long)]
        tag: String,
        #[arg(long)]
        decision: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Open ones first (oldest deadline first), then the rest.
    List {
        /// Only those that need a reply.
        #[arg(long)]
        open: bool,
    },
    Show {
        id: String,
    },
    /// A saved reply (定型文) filled in for this inquiry.
    Template {
        id: String,
        template: String,
    },
    /// The saved replies (定型文): built-in ones and the shop's own.
    Templates,
    /// Save a reply template; placeholders {name} {shop} {date} {summary}. With --id, replaces that one.
    TemplateSave {
        #[arg(long)]
        name: String,
        #[arg(long)]
        body: String,
        #[arg(long, default_value = "")]
        id: String,
    },
}

fn parse_step(s: &str) -> CliResult<PlaybookStep> {
    Ok(match s.trim() {
        "first-reply-within-24h" | "reply-within-24h" => PlaybookStep::FirstReplyWithin24h,
        "thank" => PlaybookStep::Thank,
        "apologise-own-fault" | "apologize-own-fault" => PlaybookStep::ApologiseOwnFault,
        "concrete-remedy" => PlaybookStep::ConcreteRemedy,
        "no-jokes" => PlaybookStep::NoJokes,
        "move-to-private" => PlaybookStep::MoveToPrivate,
        "follow-up" => PlaybookStep::FollowUp,
        o => return Err(Error::invalid("step", format!("{o:?} is not a playbook step")).into()),
    })
}

fn status_ja(s: InquiryStatus) -> String {
    noren_core::messages::Message::of_enum("inq-status", &s).text(noren_core::messages::Lang::Ja)
}

pub fn inquiry_cmd(store_dir: Option<PathBuf>, json_out: bool, cmd: InquiryCmd, now: DateTime<Utc>) -> CliResult<u8> {
    let store = open_store(&store_dir)?;
    let tz = settings(&store)?.timezone;
    let out = |i: &Inquiry, verb: &str| -> CliResult<()> {
        if json_out {
            io::print_json(&to_json(i))
        } else {
            say!("{verb} inquiry {} [{}] due {}", i.id, status_ja(i.status), i.due_at.with_timezone(&tz).format("%Y-%m-%d %H:%M"));
            Ok(())
        }
    };
    match cmd {
        InquiryCmd::Add { channel, customer, sender, received, summary, message, kind, reply_within } => {
            let input = InquiryInput {
                customer,
                sender,
                channel: Some(channel.parse()?),
                received_at: received,
                summary: Some(summary),
                message,
                kind: Some(kind.parse()?),
                reply_within,
            };
            let i = noren_core::inquiries::add(&store, &input, Some(tz), now)?;
            out(&i, "logged")?;
        }
        InquiryCmd::Reply { id, text, interim, by } => {
            let promised = match (interim, by) {
                (true, Some(b)) => Some(match noren_core::credential::parse_date("by", &b) {
                    Ok(Some(d)) => noren_core::inquiries::promised_by(&store, d, Some(tz))?,
                    _ => crate::args::parse_now(&b).map_err(CliError::Usage)?,
                }),
                _ => None,
            };
            let i = inquiry::reply(&store, &id, &text, promised, now)?;
            out(&i, if promised.is_some() { "interim reply on" } else { "replied to" })?;
        }
        InquiryCmd::Close { id, follow_up } => {
            let f = follow_up.as_deref().map(|d| noren_core::credential::parse_date("follow_up", d)).transpose()?.flatten();
            let i = inquiry::close(&store, &id, f, now, tz)?;
            out(&i, "closed")?;
        }
        InquiryCmd::FollowedUp { id } => out(&inquiry::follow_up_done(&store, &id, now)?, "followed up")?,
        InquiryCmd::Spam { id } => out(&inquiry::mark_spam(&store, &id, now)?, "marked spam")?,
        InquiryCmd::Playbook { id, steps } => {
            let steps = steps.iter().map(|s| parse_step(s)).collect::<CliResult<Vec<_>>>()?;
            out(&inquiry::set_playbook(&store, &id, &steps, now)?, "playbook saved for")?;
        }
        InquiryCmd::Exception { id, tag, decision, note } => {
            let tag = match tag.as_str() {
                "troll" => ExceptionTag::Troll,
                "discriminatory" => ExceptionTag::Discriminatory,
                "false-claims" => ExceptionTag::FalseClaims,
                o => return Err(Error::invalid("tag", format!("{o:?} is not troll, discriminatory or false-claims")).into()),
            };
            let decision = match decision.as_str() {
                "hide" => ExceptionDecision::Hide,
                "report" => ExceptionDecision::Report,
                "disengage" => ExceptionDecision::Disengage,
                o => return Err(Error::invalid("decision", format!("{o:?} is not hide, report or disengage")).into()),
            };
            out(&inquiry::set_exception(&store, &id, tag, decision, &note, now)?, "recorded decision on")?;
        }
        InquiryCmd::List { open } => {
            let list = inquiry::list(&store, open)?;
            let customers = store.all::<Customer>()?;
            let names = inquiry::Names::new(&customers);
            if json_out {
                let items: Vec<serde_json::Value> = list
                    .iter()
                    .map(|i| {
                        let mut v = to_json(i);
                        if let Some(o) = v.as_object_mut() {
                            o.insert("who".into(), json!(names.who(i)));
                            o.insert("overdue".into(), json!(i.status == InquiryStatus::Open && now >= i.due_at));
                        }
                        v
                    })
                    .collect();
                io::print_json(&json!({ "inquiries": items }))?;
            } else if list.is_empty() {
                say!("no inquiries");
            } else {
                for i in &list {
                    let late = if i.status == InquiryStatus::Open && now >= i.due_at { " OVERDUE" } else { "" };
                    say!(
                        "{}\t{}{late}\t{}\t{}\t{}\t{}",
                        i.id,
                        status_ja(i.status),
                        i.due_at.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
                        i.channel,
                        names.who(i),
                        i.summary
                    );
                }
            }
        }
        InquiryCmd::Show { id } => {
            let i = inquiry::get(&store, &id)?;
            if json_out {
                io::print_json(&to_json(&i))?;
            } else {
                let customers = store.all::<Customer>()?;
                say!("{} [{}] {} from {} via {}", i.id, status_ja(i.status), i.summary, inquiry::who(&i, &customers), i.channel);
                say!(
                    "  received {}, reply due {}",
                    i.received_at.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
                    i.due_at.with_timezone(&tz).format("%Y-%m-%d %H:%M")
                );
                if !i.message.is_empty() {
                    say!("  {}", i.message.replace('\n', "\n  "));
                }
                for r in &i.replies {
                    let p = r
                        .promised_by
                        .map(|p| format!(" (promised a reply by {})", p.with_timezone(&tz).format("%Y-%m-%d %H:%M")))
                        .unwrap_or_default();
                    say!("  reply {}{p}: {}", r.at.with_timezone(&tz).format("%Y-%m-%d %H:%M"), r.text);
                }
                if let Some(f) = i.follow_up {
                    say!("  follow-up {f}{}", if i.follow_up_done { " (done)" } else { "" });
                }
            }
        }
        InquiryCmd::Templates => {
            let list = inquiry::templates(&store)?;
            if json_out {
                io::print_json(&json!({ "templates": list }))?;
            } else {
                for t in &list {
                    say!("{}\t{}", t.id, t.name);
                }
            }
        }
        InquiryCmd::TemplateSave { name, body, id } => {
            let t = inquiry::save_template(&store, &inquiry::Template { id, name, body })?;
            if json_out {
                io::print_json(&to_json(&t))?;
            } else {
                say!("saved template {} ({})", t.name, t.id);
            }
        }
        InquiryCmd::Template { id, template } => {
            let (t, text) = inquiry::fill(&store, &id, &template, shop_name().as_deref(), tz)?;
            if json_out {
                io::print_json(&json!({ "template": t.id, "text": text }))?;
            } else {
                say!("{text}");
            }
        }
    }
    Ok(0)
}

/// The shop's name for templates when $NOREN_SHOP_NAME is set (else the
/// name saved with `shop --name`, else 当店).
fn shop_name() -> Option<String> {
    std::env::var("NOREN_SHOP_NAME").ok().filter(|s| !s.trim().is_empty())
}

#[derive(Args)]
pub struct ShopArgs {
    /// Opening time, HH:MM.
    #[arg(long)]
    pub open: Option<String>,
    /// Closing time, HH:MM (business-day deadlines end then).
    #[arg(long)]
    pub close: Option<String>,
    /// Closed weekdays, e.g. "sat,sun" or "wed" ("none" for none).
    #[arg(long, value_name = "DAYS")]
    pub closed_days: Option<String>,
    /// Yearly closed period MM-DD:MM-DD, e.g. 12-29:01-03 (repeatable; replaces the list).
    #[arg(long = "closed-period")]
    pub closed_periods: Vec<String>,
    /// Default reply deadline for new inquiries (24h, 1bd, …).
    #[arg(long, value_name = "24h|Nbd")]
    pub reply_within: Option<String>,
    /// The shop's name as replies sign it (saved replies' {shop}).
    #[arg(long)]
    pub name: Option<String>,
    /// The shop's phone number (saved replies' {phone}).
    #[arg(long)]
    pub phone: Option<String>,
    /// The closing lines of replies (saved replies' {signature}; default: the name).
    #[arg(long)]
    pub signature: Option<String>,
    /// The shop's time zone (IANA name, e.g. Asia/Tokyo; "" for the default, Asia/Tokyo):
    /// every local date and time is read and shown in it. `$NOREN_TZ` overrides it for one run.
    #[arg(long)]
    pub timezone: Option<String>,
}

pub fn shop_cmd(store_dir: Option<PathBuf>, json_out: bool, args: ShopArgs) -> CliResult<u8> {
    let store = open_store(&store_dir)?;
    let mut h: ShopHours = business::load(&store)?;
    let mut changed = false;
    if let Some(o) = args.open {
        h.open = o;
        changed = true;
    }
    if let Some(c) = args.close {
        h.close = c;
        changed = true;
    }
    if let Some(days) = args.closed_days {
        h.closed_weekdays = parse_weekdays(&days)?;
        changed = true;
    }
    if !args.closed_periods.is_empty() {
        h.closed_periods = args
            .closed_periods
            .iter()
            .map(|p| {
                let (f, t) = p.split_once(':').ok_or_else(|| CliError::Usage(format!("--closed-period expects MM-DD:MM-DD, got {p:?}")))?;
                Ok(business::ClosedPeriod { from: f.trim().into(), to: t.trim().into(), note: String::new() })
            })
            .collect::<CliResult<Vec<_>>>()?;
        changed = true;
    }
    if let Some(r) = args.reply_within {
        h.default_reply = r;
        changed = true;
    }
    if let Some(n) = args.name {
        h.name = n.trim().to_string();
        changed = true;
    }
    if let Some(p) = args.phone {
        h.phone = p.trim().to_string();
        changed = true;
    }
    if let Some(s) = args.signature {
        h.signature = s.trim().to_string();
        changed = true;
    }
    if let Some(z) = args.timezone {
        h.timezone = z.trim().to_string();
        changed = true;
    }
    if changed {
        business::save(&store, &h)?;
        h = business::load(&store)?;
    }
    if json_out {
        io::print_json(&to_json(&h))?;
    } else {
        let closed: Vec<String> = h.closed_weekdays.iter().filter_map(|d| io::weekday_ja(*d)).collect();
        let periods: Vec<String> = h.closed_periods.iter().map(|p| format!("{}〜{}", p.from, p.to)).collect();
        say!(
            "open {}–{}; closed weekdays: {}; closed periods: {}; holidays closed: {}; default reply within {}; time zone {}",
            h.open,
            h.close,
            if closed.is_empty() { "none".to_string() } else { closed.join("") },
            if periods.is_empty() { "none".to_string() } else { periods.join(", ") },
            h.holidays_closed,
            h.default_reply,
            h.zone()
        );
    }
    Ok(0)
}
