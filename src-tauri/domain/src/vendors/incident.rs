//! The incident log: trouble handled in five calm steps (situation, impact,
//! cause, countermeasure, prevention), with how it was noticed, a timeline,
//! action items that become reminders, and a report (経緯報告書 while it is
//! ongoing, 顛末書 once resolved) for internal or external readers. Vault data.

use noren_base::messages::{text, Lang, Message};
use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use noren_base::error::{Error, Result};
use noren_base::validate::{check_text, opt_text, MAX_NOTES, MAX_SHORT};
use noren_store::store::{new_id, resolve_by, Compartment, Record, Store};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum IncidentStatus {
    /// 対応中
    Open,
    /// 解決済み
    Resolved,
}

/// Impact in numbers. Every figure is optional: unknown is not zero.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Impact {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    #[ts(type = "number | null")]
    pub visits_lost: Option<u64>,
    #[ts(type = "number | null")]
    pub orders_lost: Option<u64>,
    #[ts(type = "number | null")]
    pub sales_lost_yen: Option<u64>,
    /// Who was affected ("予約フォームを使ったお客様 約12名").
    pub affected: String,
}

/// A dated line in the incident's timeline.
pub type IncidentEntry = crate::history::HistoryLine;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionItem {
    pub id: String,
    pub text: String,
    /// Who does it (internal: left out of external reports).
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub done_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Incident {
    pub id: String,
    pub title: String,
    pub status: IncidentStatus,
    pub detected_at: DateTime<Utc>,
    /// How it was noticed ("お客様からの電話で判明").
    #[serde(default)]
    pub detection: String,
    /// Step 1: what broke.
    #[serde(default)]
    pub situation: String,
    /// Where it was checked (Chrome and Safari, PC and phone …).
    #[serde(default)]
    pub checked: String,
    /// Step 2.
    #[serde(default)]
    pub impact: Impact,
    /// Step 3.
    #[serde(default)]
    pub cause: String,
    /// Step 4: the temporary and the permanent fix.
    #[serde(default)]
    pub countermeasure_temp: String,
    #[serde(default)]
    pub countermeasure_perm: String,
    /// Step 5.
    #[serde(default)]
    pub prevention: String,
    #[serde(default)]
    pub timeline: Vec<IncidentEntry>,
    #[serde(default)]
    pub actions: Vec<ActionItem>,
    /// Internal only: who handled it, what it cost, notes.
    #[serde(default)]
    pub handled_by: String,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub cost_yen: Option<u64>,
    #[serde(default)]
    pub internal_note: String,
    #[serde(default)]
    pub vendor_id: Option<String>,
    /// The logins involved (to check, change or hand to the vendor).
    #[serde(default)]
    pub credential_ids: Vec<String>,
    #[serde(default)]
    pub resolved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Record for Incident {
    const TREE: &'static str = "incidents";
    const COMPARTMENT: Compartment = Compartment::Vault;
    const WHAT: &'static str = "incident";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        use noren_base::validate as v;
        v::required("title", &self.title, MAX_SHORT)?;
        v::instant("detected_at", &self.detected_at)?;
        for (field, value) in [
            ("detection", &self.detection),
            ("situation", &self.situation),
            ("checked", &self.checked),
            ("cause", &self.cause),
            ("countermeasure_temp", &self.countermeasure_temp),
            ("countermeasure_perm", &self.countermeasure_perm),
            ("prevention", &self.prevention),
            ("handled_by", &self.handled_by),
            ("internal_note", &self.internal_note),
        ] {
            v::text(field, value)?;
        }
        v::opt_instant("impact", &self.impact.from)?;
        v::opt_instant("impact", &self.impact.to)?;
        v::text("impact", &self.impact.affected)?;
        v::entries("timeline", &self.timeline)?;
        for e in &self.timeline {
            e.validate("timeline")?;
        }
        v::entries("actions", &self.actions)?;
        for a in &self.actions {
            v::id("actions", &a.id)?;
            v::text("actions", &a.text)?;
            v::line("actions", &a.owner, MAX_SHORT)?;
            v::opt_date("actions", &a.due)?;
            v::opt_instant("actions", &a.done_at)?;
        }
        v::opt_id("vendor_id", &self.vendor_id)?;
        v::entries("credential_ids", &self.credential_ids)?;
        for id in &self.credential_ids {
            v::id("credential_ids", id)?;
        }
        v::opt_instant("resolved_at", &self.resolved_at)?;
        v::instant("created_at", &self.created_at)?;
        v::instant("updated_at", &self.updated_at)
    }
}

/// What the user types (patch semantics: `None` keeps, `Some("")` clears).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct IncidentInput {
    pub title: Option<String>,
    pub detected_at: Option<DateTime<Utc>>,
    pub detection: Option<String>,
    pub situation: Option<String>,
    pub checked: Option<String>,
    pub impact: Option<Impact>,
    pub cause: Option<String>,
    pub countermeasure_temp: Option<String>,
    pub countermeasure_perm: Option<String>,
    pub prevention: Option<String>,
    pub handled_by: Option<String>,
    /// A new cost (`None` keeps it).
    #[ts(type = "number | null")]
    pub cost_yen: Option<u64>,
    pub internal_note: Option<String>,
    pub vendor_id: Option<String>,
    /// The logins involved (replaces the list).
    pub credential_ids: Option<Vec<String>>,
}

const MAX_ENTRIES: usize = 2000;
const MAX_ACTIONS: usize = 200;

fn long(field: &'static str, v: &str) -> Result<String> {
    check_text(field, v, MAX_NOTES, true)?;
    Ok(v.trim_end().to_string())
}

impl Incident {
    fn apply(&mut self, input: &IncidentInput, now: DateTime<Utc>) -> Result<()> {
        if let Some(t) = &input.title {
            self.title = opt_text("title", t, MAX_SHORT)?.ok_or_else(|| Error::invalid("title", "must not be empty"))?;
        }
        if let Some(d) = input.detected_at {
            if d > now + chrono::Duration::minutes(5) {
                return Err(Error::invalid("detected_at", "lies in the future"));
            }
            self.detected_at = d;
        }
        let fields: [(&'static str, &Option<String>, &mut String); 9] = [
            ("detection", &input.detection, &mut self.detection),
            ("situation", &input.situation, &mut self.situation),
            ("checked", &input.checked, &mut self.checked),
            ("cause", &input.cause, &mut self.cause),
            ("countermeasure_temp", &input.countermeasure_temp, &mut self.countermeasure_temp),
            ("countermeasure_perm", &input.countermeasure_perm, &mut self.countermeasure_perm),
            ("prevention", &input.prevention, &mut self.prevention),
            ("handled_by", &input.handled_by, &mut self.handled_by),
            ("internal_note", &input.internal_note, &mut self.internal_note),
        ];
        for (field, new, slot) in fields {
            if let Some(v) = new {
                *slot = long(field, v)?;
            }
        }
        if let Some(i) = &input.impact {
            if let (Some(f), Some(t)) = (i.from, i.to) {
                if t < f {
                    return Err(Error::invalid("impact", "the affected period ends before it starts"));
                }
            }
            check_text("impact", &i.affected, MAX_NOTES, true)?;
            self.impact = Impact { affected: i.affected.trim_end().to_string(), ..i.clone() };
        }
        if let Some(c) = input.cost_yen {
            self.cost_yen = Some(c);
        }
        if let Some(v) = &input.vendor_id {
            self.vendor_id = opt_text("vendor_id", v, 64)?;
        }
        if let Some(ids) = &input.credential_ids {
            let mut clean: Vec<String> = Vec::new();
            for id in ids {
                let id = opt_text("credential_ids", id, 64)?.ok_or_else(|| Error::invalid("credential_ids", "an empty login id"))?;
                if !clean.contains(&id) {
                    clean.push(id);
                }
            }
            if clean.len() > 100 {
                return Err(Error::invalid("credential_ids", "at most 100 logins"));
            }
            self.credential_ids = clean;
        }
        if self.resolved_at.is_some_and(|r| r < self.detected_at) {
            return Err(Error::invalid("detected_at", "is after the time it was resolved"));
        }
        self.updated_at = now;
        Ok(())
    }
}

pub fn add(store: &Store, input: &IncidentInput, now: DateTime<Utc>) -> Result<Incident> {
    if input.title.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(Error::invalid("title", "must not be empty"));
    }
    let mut inc = Incident {
        id: new_id()?,
        title: String::new(),
        status: IncidentStatus::Open,
        detected_at: now,
        detection: String::new(),
        situation: String::new(),
        checked: String::new(),
        impact: Impact::default(),
        cause: String::new(),
        countermeasure_temp: String::new(),
        countermeasure_perm: String::new(),
        prevention: String::new(),
        timeline: Vec::new(),
        actions: Vec::new(),
        handled_by: String::new(),
        cost_yen: None,
        internal_note: String::new(),
        vendor_id: None,
        credential_ids: Vec::new(),
        resolved_at: None,
        created_at: now,
        updated_at: now,
    };
    inc.apply(input, now)?;
    inc.timeline.push(IncidentEntry::noted(inc.detected_at, Message::new("tl-incident-detected").with("title", &inc.title)));
    store.put(&inc)?;
    Ok(inc)
}

/// An incident by id or exact title.
pub fn resolve(store: &Store, key: &str) -> Result<Incident> {
    resolve_by(store, key, |i: &Incident, k| i.title == k, |i| format!("{} ({})", i.id, i.detected_at.format("%Y-%m-%d")))
}

fn save(store: &Store, mut inc: Incident, now: DateTime<Utc>) -> Result<Incident> {
    inc.updated_at = now;
    store.put(&inc)?;
    Ok(inc)
}

pub fn edit(store: &Store, key: &str, input: &IncidentInput, now: DateTime<Utc>) -> Result<Incident> {
    let mut inc = resolve(store, key)?;
    inc.apply(input, now)?;
    save(store, inc, now)
}

/// Adds a timeline entry (at `at`, default now); entries stay in time order.
pub fn log(store: &Store, key: &str, text: &str, at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<Incident> {
    let mut inc = resolve(store, key)?;
    let text = opt_text("text", text, MAX_NOTES)?.ok_or_else(|| Error::invalid("text", "must not be empty"))?;
    if inc.timeline.len() >= MAX_ENTRIES {
        return Err(Error::invalid("text", format!("at most {MAX_ENTRIES} timeline entries")));
    }
    let at = at.unwrap_or(now);
    if at > now + chrono::Duration::minutes(5) {
        return Err(Error::invalid("at", "lies in the future"));
    }
    inc.timeline.push(IncidentEntry::said(at, text));
    inc.timeline.sort_by_key(|e| e.at);
    save(store, inc, now)
}

pub fn add_action(
    store: &Store,
    key: &str,
    text: &str,
    owner: &str,
    due: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<(Incident, ActionItem)> {
    let mut inc = resolve(store, key)?;
    let text = opt_text("action", text, MAX_SHORT * 2)?.ok_or_else(|| Error::invalid("action", "describe what must be done"))?;
    let owner = opt_text("owner", owner, MAX_SHORT)?.unwrap_or_default();
    if inc.actions.len() >= MAX_ACTIONS {
        return Err(Error::invalid("action", format!("at most {MAX_ACTIONS} action items")));
    }
    let a = ActionItem { id: new_id()?, text, owner, due, done_at: None };
    inc.actions.push(a.clone());
    Ok((save(store, inc, now)?, a))
}

/// Marks an action done (or not done again with `done = false`).
pub fn set_action_done(store: &Store, action_id: &str, done: bool, now: DateTime<Utc>) -> Result<Incident> {
    let action_id = action_id.trim();
    let mut inc = store
        .all::<Incident>()?
        .into_iter()
        .find(|i| i.actions.iter().any(|a| a.id == action_id))
        .ok_or_else(|| Error::NotFound { what: "action item", key: action_id.to_string() })?;
    let mut text = String::new();
    for a in inc.actions.iter_mut().filter(|a| a.id == action_id) {
        a.done_at = if done { Some(a.done_at.unwrap_or(now)) } else { None };
        text = a.text.clone();
    }
    if done {
        inc.timeline.push(IncidentEntry::noted(now, Message::new("tl-action-done").with("text", text)));
    }
    save(store, inc, now)
}

/// Resolves the incident (with an optional closing line for the timeline).
pub fn close(store: &Store, key: &str, note: Option<&str>, now: DateTime<Utc>) -> Result<Incident> {
    close_at(store, key, note, None, now)
}

/// Resolves the incident at `at` (default now): when it was really over,
/// which is often earlier than when the owner writes it down.
pub fn close_at(store: &Store, key: &str, note: Option<&str>, at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<Incident> {
    let mut inc = resolve(store, key)?;
    if inc.status == IncidentStatus::Resolved {
        return Err(Error::invalid("status", "this incident is already resolved"));
    }
    let note = opt_text("note", note.unwrap_or(""), MAX_NOTES)?;
    let at = at.unwrap_or(now);
    if at > now + chrono::Duration::minutes(5) {
        return Err(Error::invalid("resolved_at", "lies in the future"));
    }
    if at < inc.detected_at {
        return Err(Error::invalid("resolved_at", "is before the incident was detected"));
    }
    inc.status = IncidentStatus::Resolved;
    inc.resolved_at = Some(at);
    let line = match note {
        Some(n) => Message::new("tl-resolved-note").with("note", n),
        None => Message::new("tl-resolved"),
    };
    inc.timeline.push(IncidentEntry::noted(at, line));
    inc.timeline.sort_by_key(|e| e.at);
    save(store, inc, now)
}

pub fn reopen(store: &Store, key: &str, now: DateTime<Utc>) -> Result<Incident> {
    let mut inc = resolve(store, key)?;
    inc.status = IncidentStatus::Open;
    inc.resolved_at = None;
    inc.timeline.push(IncidentEntry::noted(now, Message::new("tl-reopened")));
    save(store, inc, now)
}

pub fn remove(store: &Store, key: &str) -> Result<Incident> {
    let inc = resolve(store, key)?;
    store.remove::<Incident>(&inc.id)?;
    Ok(inc)
}

/// Newest first; open ones before resolved ones.
pub fn list(store: &Store) -> Result<Vec<Incident>> {
    let mut all = store.all::<Incident>()?;
    all.sort_by(|a, b| {
        (a.status == IncidentStatus::Resolved).cmp(&(b.status == IncidentStatus::Resolved)).then(b.detected_at.cmp(&a.detected_at))
    });
    Ok(all)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ReportFormat {
    Md,
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Audience {
    Internal,
    External,
}

impl std::str::FromStr for ReportFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(ReportFormat::Md),
            "html" => Ok(ReportFormat::Html),
            other => Err(Error::invalid("format", format!("{other:?} is not a report format (md, html)"))),
        }
    }
}

impl std::str::FromStr for Audience {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "internal" => Ok(Audience::Internal),
            "external" => Ok(Audience::External),
            other => Err(Error::invalid("audience", format!("{other:?} is not an audience (internal, external)"))),
        }
    }
}

/// The language reports are written in: a Japanese business document (経緯報告書, 顛末書),
/// its every word from the catalogue.
pub const REPORT_LANG: Lang = Lang::Ja;

/// The report's title: 経緯報告書 while ongoing, 顛末書 once resolved.
pub fn report_kind(inc: &Incident) -> String {
    text(REPORT_LANG, if inc.status == IncidentStatus::Open { "report-title-open" } else { "report-title-resolved" })
}

/// One block of a report, independent of the output format.
enum Block {
    Heading(String),
    Para(String),
    /// Label/value rows.
    Rows(Vec<(String, String)>),
    List(Vec<String>),
}

fn or_unknown(s: &str) -> String {
    if s.trim().is_empty() {
        text(REPORT_LANG, "report-not-filled")
    } else {
        s.trim().to_string()
    }
}

/// A count (`report-count`) or an amount (`report-yen`); 不明 when unknown.
fn num(n: Option<u64>, key: &str) -> String {
    n.map(|n| Message::new(key).with("n", n).text(REPORT_LANG)).unwrap_or_else(|| text(REPORT_LANG, "report-unknown"))
}

/// A day of a report (2026年11月05日).
fn report_date(d: chrono::NaiveDate) -> Message {
    Message::new("report-date").with("year", d.format("%Y")).with("month", d.format("%m")).with("day", d.format("%d"))
}

fn blocks(inc: &Incident, audience: Audience, shop: &str, now: DateTime<Utc>, tz: Tz) -> Vec<Block> {
    let m = |key: &str| text(REPORT_LANG, key);
    let t = |d: DateTime<Utc>| {
        let local = d.with_timezone(&tz);
        Message::new("report-datetime")
            .with_message("date", report_date(local.date_naive()))
            .with("time", local.format("%H:%M"))
            .text(REPORT_LANG)
    };
    let internal = audience == Audience::Internal;
    let mut b = Vec::new();
    let status = match inc.status {
        IncidentStatus::Open => m("report-status-open"),
        IncidentStatus::Resolved => {
            Message::new("report-status-resolved").with("at", inc.resolved_at.map(t).unwrap_or_default()).text(REPORT_LANG)
        }
    };
    // When it began is often before it was noticed: then the report says both.
    let began = inc.impact.from.filter(|f| *f < inc.detected_at);
    let mut head = vec![(m("report-subject"), inc.title.clone())];
    match began {
        Some(f) => {
            head.push((m("report-began"), t(f)));
            head.push((m("report-detected"), t(inc.detected_at)));
        }
        None => head.push((m("report-began-detected"), t(inc.detected_at))),
    }
    head.extend([(m("report-state"), status), (m("report-written"), t(now))]);
    if !shop.is_empty() {
        head.push((m("report-reporter"), shop.to_string()));
    }
    if internal {
        head.push((m("report-audience"), m("report-internal")));
    }
    b.push(Block::Rows(head));
    if !internal {
        b.push(Block::Para(m("report-apology")));
    }
    b.push(Block::Heading(m("report-h-situation")));
    b.push(Block::Para(or_unknown(&inc.situation)));
    b.push(Block::Rows(vec![(m("report-detection"), or_unknown(&inc.detection)), (m("report-checked"), or_unknown(&inc.checked))]));
    b.push(Block::Heading(m("report-h-impact")));
    let i = &inc.impact;
    let period = match (i.from, i.to) {
        (Some(f), Some(to)) => Message::new("report-period").with("from", t(f)).with("to", t(to)).text(REPORT_LANG),
        (Some(f), None) => Message::new("report-period-ongoing").with("from", t(f)).text(REPORT_LANG),
        _ => m("report-unknown"),
    };
    let mut rows = vec![
        (m("report-impact-period"), period),
        (m("report-affected"), or_unknown(&i.affected)),
        (m("report-visits"), num(i.visits_lost, "report-count")),
        (m("report-orders"), num(i.orders_lost, "report-count")),
    ];
    if internal {
        rows.push((m("report-sales"), num(i.sales_lost_yen, "report-yen")));
    }
    b.push(Block::Rows(rows));
    b.push(Block::Heading(m("report-h-cause")));
    b.push(Block::Para(or_unknown(&inc.cause)));
    b.push(Block::Heading(m("report-h-measures")));
    b.push(Block::Rows(vec![
        (m("report-temp"), or_unknown(&inc.countermeasure_temp)),
        (m("report-perm"), or_unknown(&inc.countermeasure_perm)),
    ]));
    b.push(Block::Heading(m("report-h-prevention")));
    b.push(Block::Para(or_unknown(&inc.prevention)));
    b.push(Block::Heading(m("report-h-timeline")));
    let mut tl: Vec<&IncidentEntry> = inc.timeline.iter().collect();
    tl.sort_by_key(|e| e.at);
    b.push(Block::List(tl.iter().map(|e| format!("{} {}", t(e.at), e.shown(REPORT_LANG))).collect()));
    b.push(Block::Heading(m("report-h-actions")));
    let mut acts: Vec<&ActionItem> = inc.actions.iter().collect();
    acts.sort_by_key(|a| (a.done_at.is_some(), a.due));
    if acts.is_empty() {
        b.push(Block::Para(m("report-none")));
    } else {
        b.push(Block::List(
            acts.iter()
                .map(|a| {
                    let state = Message::new(if a.done_at.is_some() { "report-action-done" } else { "report-action-open" });
                    let mut line = Message::new("report-action").with_message("state", state).with("text", &a.text);
                    if let Some(d) = a.due {
                        line = Message::new("report-action-due").with_message("line", line).with_message("date", report_date(d));
                    }
                    if internal && !a.owner.is_empty() {
                        line = Message::new("report-action-owner").with_message("line", line).with("owner", &a.owner);
                    }
                    line.text(REPORT_LANG)
                })
                .collect(),
        ));
    }
    if internal {
        b.push(Block::Heading(m("report-h-internal")));
        b.push(Block::Rows(vec![
            (m("report-handled-by"), or_unknown(&inc.handled_by)),
            (m("report-cost"), num(inc.cost_yen, "report-yen")),
            (m("report-internal-note"), or_unknown(&inc.internal_note)),
        ]));
    } else {
        b.push(Block::Para(m("report-closing")));
    }
    b
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn md_escape_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', "<br>")
}

/// The report as Markdown or a self-contained printable HTML page.
pub fn report(inc: &Incident, format: ReportFormat, audience: Audience, shop: &str, now: DateTime<Utc>, tz: Tz) -> String {
    let title = report_kind(inc);
    let blocks = blocks(inc, audience, shop, now, tz);
    let mut out = String::new();
    match format {
        ReportFormat::Md => {
            let _ = writeln!(out, "# {title}\n");
            for b in blocks {
                match b {
                    Block::Heading(h) => {
                        let _ = writeln!(out, "## {h}\n");
                    }
                    Block::Para(p) => {
                        let _ = writeln!(out, "{p}\n");
                    }
                    Block::Rows(rows) => {
                        let _ = writeln!(
                            out,
                            "| {} | {} |\n|---|---|",
                            text(REPORT_LANG, "report-col-item"),
                            text(REPORT_LANG, "report-col-content")
                        );
                        for (k, v) in rows {
                            let _ = writeln!(out, "| {} | {} |", md_escape_cell(&k), md_escape_cell(&v));
                        }
                        out.push('\n');
                    }
                    Block::List(items) => {
                        for i in items {
                            let _ = writeln!(out, "- {}", i.replace('\n', " "));
                        }
                        out.push('\n');
                    }
                }
            }
        }
        ReportFormat::Html => {
            let _ = write!(
                out,
                "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} {}</title><style>\
body{{font-family:'Noto Sans CJK JP','Hiragino Sans',sans-serif;max-width:46em;margin:2em auto;line-height:1.7;color:#222}}\
h1{{text-align:center;letter-spacing:.5em}}h2{{border-bottom:1px solid #888;font-size:1.1em;margin-top:1.6em}}\
table{{border-collapse:collapse;width:100%}}th,td{{border:1px solid #aaa;padding:.3em .6em;text-align:left;vertical-align:top}}\
th{{background:#f3f3f3;width:11em;font-weight:normal}}p{{white-space:pre-wrap}}\
@media print{{body{{margin:0}}}}</style></head><body>\n<h1>{}</h1>\n",
                REPORT_LANG.code(),
                html_escape(&title),
                html_escape(&inc.title),
                html_escape(&title)
            );
            for b in blocks {
                match b {
                    Block::Heading(h) => {
                        let _ = writeln!(out, "<h2>{}</h2>", html_escape(&h));
                    }
                    Block::Para(p) => {
                        let _ = writeln!(out, "<p>{}</p>", html_escape(&p));
                    }
                    Block::Rows(rows) => {
                        out.push_str("<table>\n");
                        for (k, v) in rows {
                            let _ =
                                writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", html_escape(&k), html_escape(&v).replace('\n', "<br>"));
                        }
                        out.push_str("</table>\n");
                    }
                    Block::List(items) => {
                        out.push_str("<ul>\n");
                        for i in items {
                            let _ = writeln!(out, "<li>{}</li>", html_escape(&i));
                        }
                        out.push_str("</ul>\n");
                    }
                }
            }
            out.push_str("</body></html>\n");
        }
    }
    out
}

/// A file name for the report: "2026-11-20_顛末書_予約フォーム停止.md".
pub fn report_file_name(inc: &Incident, format: ReportFormat, audience: Audience, tz: Tz) -> String {
    let date = inc.detected_at.with_timezone(&tz).format("%Y-%m-%d");
    let safe: String = inc.title.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).take(40).collect();
    let who = text(REPORT_LANG, if audience == Audience::Internal { "report-internal" } else { "report-external" });
    let ext = match format {
        ReportFormat::Md => "md",
        ReportFormat::Html => "html",
    };
    format!("{date}_{}_{who}_{safe}.{ext}", report_kind(inc))
}
