//! Inquiries: a message from a customer (or an unknown sender) on some
//! channel, with a reply deadline (hours, or Japanese business days), interim
//! replies that move it, a follow-up after resolution, and for complaints a
//! guided playbook. Vault data.

use noren_base::messages::Message;
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::customers::business::ShopHours;
use crate::customers::customer::{self, ContactKind, Customer, TimelineEntry};
use noren_base::error::{Error, Result};
use noren_base::validate::{check_text, opt_text, MAX_NOTES, MAX_SHORT};
use noren_store::store::{new_id, Compartment, Record, Store};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum InquiryKind {
    Question,
    Booking,
    Complaint,
    Other,
}

impl std::str::FromStr for InquiryKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "question" => Ok(InquiryKind::Question),
            "booking" => Ok(InquiryKind::Booking),
            "complaint" => Ok(InquiryKind::Complaint),
            "other" => Ok(InquiryKind::Other),
            o => Err(Error::invalid("kind", format!("{o:?} is not a kind (question, booking, complaint, other)"))),
        }
    }
}

/// 要対応 / 返信待ち / 対応済み / spam.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum InquiryStatus {
    /// 要対応: we owe a reply.
    Open,
    /// 返信待ち: we replied; waiting for the customer.
    Waiting,
    /// 対応済み.
    Done,
    Spam,
}

pub use crate::customers::business::ReplyPolicy;

/// A reply we sent (or promised).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Reply {
    #[serde(deserialize_with = "noren_base::utc::de")]
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub text: String,
    /// "We will reply by …": the deadline moved to `promised_by`.
    #[serde(default, deserialize_with = "noren_base::utc::de_opt")]
    pub promised_by: Option<DateTime<Utc>>,
}

/// The complaint playbook's steps, ticked while replying.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PlaybookStep {
    /// A first reply within 24 hours, even before the answer is known.
    FirstReplyWithin24h,
    /// Thank them for telling us.
    Thank,
    /// Apologise only for what was our fault.
    ApologiseOwnFault,
    /// A concrete remedy with a date.
    ConcreteRemedy,
    /// No jokes, no excuses.
    NoJokes,
    /// One public answer, then on to a DM or the phone.
    MoveToPrivate,
    /// Follow up later.
    FollowUp,
}

impl PlaybookStep {
    pub const ALL: [PlaybookStep; 7] = [
        PlaybookStep::FirstReplyWithin24h,
        PlaybookStep::Thank,
        PlaybookStep::ApologiseOwnFault,
        PlaybookStep::ConcreteRemedy,
        PlaybookStep::NoJokes,
        PlaybookStep::MoveToPrivate,
        PlaybookStep::FollowUp,
    ];
}

/// A complaint that is not answered but handled otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExceptionTag {
    Troll,
    Discriminatory,
    FalseClaims,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExceptionDecision {
    Hide,
    Report,
    Disengage,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Exception {
    pub tag: ExceptionTag,
    pub decision: ExceptionDecision,
    #[serde(default)]
    pub note: String,
    #[serde(deserialize_with = "noren_base::utc::de")]
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Inquiry {
    pub id: String,
    #[serde(default)]
    pub customer_id: Option<String>,
    /// Who wrote, when not a known customer (a LINE name, an address).
    #[serde(default)]
    pub sender: String,
    pub channel: ContactKind,
    #[serde(deserialize_with = "noren_base::utc::de")]
    pub received_at: DateTime<Utc>,
    pub summary: String,
    #[serde(default)]
    pub message: String,
    pub kind: InquiryKind,
    pub status: InquiryStatus,
    pub policy: ReplyPolicy,
    /// When the reply is due (moved by interim replies).
    #[serde(deserialize_with = "noren_base::utc::de")]
    pub due_at: DateTime<Utc>,
    #[serde(default)]
    pub replies: Vec<Reply>,
    #[serde(default)]
    pub follow_up: Option<NaiveDate>,
    #[serde(default)]
    pub follow_up_done: bool,
    #[serde(default)]
    pub playbook: BTreeSet<PlaybookStep>,
    #[serde(default)]
    pub exception: Option<Exception>,
    #[serde(default, deserialize_with = "noren_base::utc::de_opt")]
    pub closed_at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "noren_base::utc::de")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "noren_base::utc::de")]
    pub updated_at: DateTime<Utc>,
}

impl Inquiry {
    /// `Invalid` unless every field is as Noren stores it (what `Record::validate` checks).
    pub fn check_fields(&self) -> Result<()> {
        use noren_base::validate as v;
        v::opt_id("customer_id", &self.customer_id)?;
        v::line("sender", &self.sender, MAX_SHORT)?;
        v::instant("received_at", &self.received_at)?;
        v::line("summary", &self.summary, MAX_SHORT)?;
        v::text("message", &self.message)?;
        v::instant("due_at", &self.due_at)?;
        v::entries("replies", &self.replies)?;
        for r in &self.replies {
            v::instant("replies", &r.at)?;
            v::text("replies", &r.text)?;
            v::opt_instant("replies", &r.promised_by)?;
        }
        v::opt_date("follow_up", &self.follow_up)?;
        if let Some(e) = &self.exception {
            v::text("exception", &e.note)?;
            v::instant("exception", &e.at)?;
        }
        v::opt_instant("closed_at", &self.closed_at)?;
        v::instant("created_at", &self.created_at)?;
        v::instant("updated_at", &self.updated_at)
    }
}

impl Inquiry {
    /// The latest interim promise still pending, if any.
    pub fn promise(&self) -> Option<DateTime<Utc>> {
        if self.status != InquiryStatus::Open {
            return None;
        }
        self.replies.iter().rev().find_map(|r| r.promised_by)
    }
}

/// What the user types to log an inquiry.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct InquiryInput {
    /// Id or exact name of a known customer.
    pub customer: Option<String>,
    pub sender: Option<String>,
    pub channel: Option<ContactKind>,
    pub received_at: Option<DateTime<Utc>>,
    pub summary: Option<String>,
    pub message: Option<String>,
    pub kind: Option<InquiryKind>,
    /// "24h" or "Nbd"; the shop's default when empty.
    pub reply_within: Option<String>,
}

/// Writes the inquiry and, when it is from a known customer, `text` on the
/// customer's timeline at `at`: one write, both or neither (`Store::put_pair`).
fn put_logged(store: &Store, inq: &Inquiry, at: DateTime<Utc>, line: &str) -> Result<()> {
    let line = Message::new(line).with("summary", &inq.summary).with_message("channel", Message::of_enum("contact", &inq.channel));
    let customer = match &inq.customer_id {
        Some(id) => store.get::<Customer>(id)?,
        None => None,
    };
    match customer {
        Some(mut c) => {
            c.timeline.push(TimelineEntry::noted(at, line));
            c.timeline.sort_by_key(|t| t.at);
            store.put_pair(inq, &c)
        }
        None => store.put(inq),
    }
}

pub fn add(store: &Store, input: &InquiryInput, shop: &ShopHours, tz: Tz, now: DateTime<Utc>) -> Result<Inquiry> {
    let channel = input.channel.ok_or_else(|| Error::invalid("channel", "choose where the message came in"))?;
    let summary = opt_text("summary", input.summary.as_deref().unwrap_or(""), MAX_SHORT)?
        .ok_or_else(|| Error::invalid("summary", "say in a few words what it is about"))?;
    let message = input.message.clone().unwrap_or_default();
    check_text("message", &message, MAX_NOTES, true)?;
    let received_at = input.received_at.unwrap_or(now);
    if received_at > now + Duration::minutes(5) {
        return Err(Error::invalid("received_at", "cannot be in the future"));
    }
    let customer_id = match input.customer.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(k) => Some(customer::resolve(store, k)?.id),
        None => None,
    };
    let sender = opt_text("sender", input.sender.as_deref().unwrap_or(""), MAX_SHORT)?.unwrap_or_default();
    if customer_id.is_none() && sender.is_empty() {
        return Err(Error::invalid("sender", "choose a customer or write who sent it"));
    }
    let policy = match input.reply_within.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(p) => ReplyPolicy::parse(p)?,
        None => ReplyPolicy::parse(&shop.default_reply)?,
    };
    let inq = Inquiry {
        id: new_id()?,
        customer_id,
        sender,
        channel,
        received_at,
        summary,
        message: message.trim_end().to_string(),
        kind: input.kind.unwrap_or(InquiryKind::Question),
        status: InquiryStatus::Open,
        policy,
        due_at: policy.due(received_at, shop, tz),
        replies: Vec::new(),
        follow_up: None,
        follow_up_done: false,
        playbook: BTreeSet::new(),
        exception: None,
        closed_at: None,
        created_at: now,
        updated_at: now,
    };
    put_logged(store, &inq, received_at, "tl-inquiry")?;
    Ok(inq)
}

pub fn get(store: &Store, id: &str) -> Result<Inquiry> {
    store.get::<Inquiry>(id.trim())?.ok_or_else(|| Error::NotFound { what: "inquiry", key: id.trim().to_string() })
}

/// Records a reply. With `promised_by`, an interim reply ("we will reply by …")
/// that moves the deadline; otherwise the inquiry waits for the customer.
pub fn reply(store: &Store, id: &str, text: &str, promised_by: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<Inquiry> {
    let mut inq = get(store, id)?;
    check_text("text", text, MAX_NOTES, true)?;
    if matches!(inq.status, InquiryStatus::Done | InquiryStatus::Spam) {
        return Err(Error::invalid("status", "this inquiry is already closed"));
    }
    if let Some(p) = promised_by {
        if p <= now {
            return Err(Error::invalid("by", "the promised reply date must be in the future"));
        }
        inq.due_at = p;
        inq.status = InquiryStatus::Open;
    } else {
        inq.status = InquiryStatus::Waiting;
    }
    inq.replies.push(Reply { at: now, text: text.trim_end().to_string(), promised_by });
    inq.updated_at = now;
    put_logged(store, &inq, now, if promised_by.is_some() { "tl-interim-reply" } else { "tl-reply" })?;
    Ok(inq)
}

/// Closes an inquiry (対応済み), optionally with a follow-up date.
pub fn close(store: &Store, id: &str, follow_up: Option<NaiveDate>, now: DateTime<Utc>, tz: Tz) -> Result<Inquiry> {
    let mut inq = get(store, id)?;
    if let Some(f) = follow_up {
        if f < now.with_timezone(&tz).date_naive() {
            return Err(Error::invalid("follow_up", "the follow-up date is in the past"));
        }
    }
    inq.status = InquiryStatus::Done;
    inq.follow_up = follow_up;
    inq.follow_up_done = false;
    inq.closed_at = Some(now);
    inq.updated_at = now;
    put_logged(store, &inq, now, "tl-closed")?;
    Ok(inq)
}

pub fn follow_up_done(store: &Store, id: &str, now: DateTime<Utc>) -> Result<Inquiry> {
    let mut inq = get(store, id)?;
    if inq.follow_up.is_none() {
        return Err(Error::invalid("follow_up", "no follow-up is planned for this inquiry"));
    }
    inq.follow_up_done = true;
    inq.updated_at = now;
    put_logged(store, &inq, now, "tl-followed-up")?;
    Ok(inq)
}

pub fn mark_spam(store: &Store, id: &str, now: DateTime<Utc>) -> Result<Inquiry> {
    let mut inq = get(store, id)?;
    inq.status = InquiryStatus::Spam;
    inq.closed_at = Some(now);
    inq.updated_at = now;
    store.put(&inq)?;
    Ok(inq)
}

/// Ticks (or unticks) playbook steps of a complaint.
pub fn set_playbook(store: &Store, id: &str, steps: &[PlaybookStep], now: DateTime<Utc>) -> Result<Inquiry> {
    let mut inq = get(store, id)?;
    if inq.kind != InquiryKind::Complaint {
        return Err(Error::invalid("kind", "the playbook is for complaints"));
    }
    inq.playbook = steps.iter().copied().collect();
    inq.updated_at = now;
    store.put(&inq)?;
    Ok(inq)
}

/// Records the decision not to reply (troll, discriminatory, false claims): closes it.
pub fn set_exception(
    store: &Store,
    id: &str,
    tag: ExceptionTag,
    decision: ExceptionDecision,
    note: &str,
    now: DateTime<Utc>,
) -> Result<Inquiry> {
    let mut inq = get(store, id)?;
    check_text("note", note, MAX_NOTES, true)?;
    inq.exception = Some(Exception { tag, decision, note: note.trim().to_string(), at: now });
    inq.status = InquiryStatus::Done;
    inq.closed_at = Some(now);
    inq.updated_at = now;
    put_logged(store, &inq, now, "tl-no-reply")?;
    Ok(inq)
}

/// Inquiries, open ones first (oldest deadline first), then the rest newest first.
pub fn list(store: &Store, open_only: bool) -> Result<Vec<Inquiry>> {
    let mut v: Vec<Inquiry> = store.all::<Inquiry>()?.into_iter().filter(|i| !open_only || i.status == InquiryStatus::Open).collect();
    v.sort_by(|a, b| {
        let ao = a.status == InquiryStatus::Open;
        let bo = b.status == InquiryStatus::Open;
        bo.cmp(&ao).then_with(|| if ao { a.due_at.cmp(&b.due_at) } else { b.received_at.cmp(&a.received_at) }).then(a.id.cmp(&b.id))
    });
    Ok(v)
}

/// Who an inquiry is from, for one inquiry (lists use `Names`).
pub fn who(inq: &Inquiry, customers: &[Customer]) -> String {
    let name = inq.customer_id.as_ref().and_then(|id| customers.iter().find(|c| &c.id == id)).map(|c| c.name.as_str());
    who_named(inq, name)
}

fn who_named(inq: &Inquiry, customer_name: Option<&str>) -> String {
    match customer_name {
        Some(n) => n.to_string(),
        None if inq.sender.is_empty() => "?".into(),
        None => inq.sender.clone(),
    }
}

/// Customer names by id, for naming many inquiries without a scan each.
pub struct Names<'a>(HashMap<&'a str, &'a str>);

impl<'a> Names<'a> {
    pub fn new(customers: &'a [Customer]) -> Self {
        Self::from_pairs(customers.iter().map(|c| (c.id.as_str(), c.name.as_str())))
    }

    /// From (id, name) pairs.
    pub fn from_pairs(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        Names(pairs.collect())
    }

    /// The customer's name, else the sender, else "?".
    pub fn who(&self, inq: &Inquiry) -> String {
        who_named(inq, inq.customer_id.as_deref().and_then(|id| self.0.get(id).copied()))
    }
}

/// A saved reply (定型文) with placeholders {name} {shop} {date} {summary}
/// {phone} {signature}. What only the owner can say is written as
/// （…をここに）: the window asks for it before the reply is copied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Template {
    pub id: String,
    pub name: String,
    pub body: String,
}

impl Record for Template {
    const TREE: &'static str = "templates";
    const COMPARTMENT: Compartment = Compartment::Vault;
    const WHAT: &'static str = "template";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        use noren_base::validate as v;
        v::required("name", &self.name, 200)?;
        v::text("body", &self.body)
    }
}

fn builtin() -> Vec<Template> {
    let t = |id: &str, name: &str, body: &str| Template { id: id.into(), name: name.into(), body: body.into() };
    vec![
        t(
            "builtin-thanks",
            "お問い合わせへのお礼",
            "{name}様\n\nお問い合わせいただきありがとうございます。{shop}です。\nお問い合わせの件を確認し、{date}までにご連絡いたします。\n今しばらくお待ちください。",
        ),
        // The appointment is not the reply deadline: the owner writes it in.
        t(
            "builtin-booking",
            "ご予約の確認",
            "{name}様\n\nご予約ありがとうございます。{shop}です。\n（ご予約の日時をここに）にお待ちしております。\nご都合が変わった場合は、お気軽にご連絡ください。",
        ),
        // The inquiry's summary is the shop's own note: no reply quotes it.
        t(
            "builtin-apology",
            "お詫び（苦情への返信）",
            "{name}様\n\nこのたびはご不便をおかけし、申し訳ございません。\nご指摘いただきありがとうございます。\nご指摘の件について、{date}までに次のとおり対応いたします。\n\n（具体的な対応をここに）\n\n今後ともよろしくお願いいたします。\n{signature}",
        ),
        // LINE: short, no heading, the way people write there.
        t(
            "builtin-line",
            "LINE での返信",
            "{name}様\nメッセージありがとうございます。{shop}です。\n（お返事の内容をここに）\nどうぞよろしくお願いいたします。",
        ),
        // Public review replies (Google口コミ, ホットペッパー口コミ): everyone reads them;
        // no visit details, and a bad review moves to the phone.
        t(
            "builtin-review-thanks",
            "口コミへのお礼（Google・ホットペッパー）",
            "{name}様\n\nこのたびは口コミをお寄せいただき、ありがとうございます。\n（うれしかった点に触れる一言をここに）\nまたのご来店を、スタッフ一同お待ちしております。\n{signature}",
        ),
        t(
            "builtin-review-apology",
            "厳しい口コミへの返信（公開の場）",
            "{name}様\n\nご来店いただき、ありがとうございました。ご期待に沿えず、申し訳ございません。\nいただいたご意見はスタッフ全員で共有し、改善に努めます。\nよろしければ、お電話 {phone} にて詳しいお話をうかがえますと幸いです。\n{signature}",
        ),
    ]
}

/// The shop's templates (built-ins until the shop saves its own with the same id).
pub fn templates(store: &Store) -> Result<Vec<Template>> {
    let mut saved = store.all::<Template>()?;
    let mut out: Vec<Template> = builtin().into_iter().filter(|b| !saved.iter().any(|s| s.id == b.id)).collect();
    saved.sort_by(|a, b| a.name.cmp(&b.name));
    out.extend(saved);
    Ok(out)
}

pub fn save_template(store: &Store, t: &Template) -> Result<Template> {
    let name = opt_text("name", &t.name, 200)?.ok_or_else(|| Error::invalid("name", "must not be empty"))?;
    check_text("body", &t.body, MAX_NOTES, true)?;
    let id = if t.id.trim().is_empty() { new_id()? } else { t.id.trim().to_string() };
    let t = Template { id, name, body: t.body.clone() };
    store.put(&t)?;
    Ok(t)
}

/// The shop's side of a reply: who signs it.
#[derive(Clone, Debug, Default)]
pub struct Signer {
    pub shop: String,
    pub phone: String,
    pub signature: String,
}

/// Fills a template's placeholders. A phone number not set stays a
/// （…をここに） marker to fill in; the signature defaults to the shop's name.
pub fn render(body: &str, name: &str, signer: &Signer, date: &str, summary: &str) -> String {
    let phone = if signer.phone.trim().is_empty() { "（お店の電話番号をここに）" } else { signer.phone.trim() };
    let signature = if signer.signature.trim().is_empty() { signer.shop.as_str() } else { signer.signature.trim() };
    body.replace("{name}", name)
        .replace("{shop}", &signer.shop)
        .replace("{date}", date)
        .replace("{summary}", summary)
        .replace("{phone}", phone)
        .replace("{signature}", signature)
}

/// The （…をここに） markers a filled reply still holds: what the owner must write in.
pub fn unfilled(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    // Each closing bracket with the nearest opening one before it: the innermost pair.
    while let Some(close) = text[from..].find('）').map(|i| from + i) {
        if let Some(open) = text[from..close].rfind('（').map(|i| from + i) {
            let inner = &text[open + '（'.len_utf8()..close];
            if inner.ends_with("ここに") {
                out.push(text[open..close + '）'.len_utf8()].to_string());
            }
        }
        from = close + '）'.len_utf8();
    }
    out
}

/// A template (by id or name) filled in for an inquiry: {name} the customer,
/// {shop} the shop's name (`shop_name` when given, else the shop settings'
/// name, else 当店), {date} the reply deadline as 11月24日, {summary}. The
/// window and the CLI both call this.
pub fn fill(store: &Store, inquiry_id: &str, template: &str, shop_name: Option<&str>, tz: Tz) -> Result<(Template, String)> {
    let i = get(store, inquiry_id)?;
    let t = templates(store)?
        .into_iter()
        .find(|t| t.id == template || t.name == template)
        .ok_or_else(|| Error::NotFound { what: "template", key: template.to_string() })?;
    let customers = store.all::<Customer>()?;
    let profile = crate::customers::business::load(store)?;
    let shop = [shop_name.unwrap_or(""), profile.name.as_str()].into_iter().map(str::trim).find(|s| !s.is_empty()).unwrap_or("当店");
    let date = i.due_at.with_timezone(&tz).format("%-m月%-d日").to_string();
    let signer = Signer { shop: shop.to_string(), phone: profile.phone, signature: profile.signature };
    let text = render(&t.body, &who(&i, &customers), &signer, &date, &i.summary);
    Ok((t, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_parse() {
        assert_eq!(ReplyPolicy::parse("24h").unwrap(), ReplyPolicy::Hours(24));
        assert_eq!(ReplyPolicy::parse("1bd").unwrap(), ReplyPolicy::BusinessDays(1));
        for bad in ["", "0h", "1d", "tomorrow", "99bd", "-1h"] {
            assert!(ReplyPolicy::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn built_in_replies_quote_no_internal_note_and_invent_no_date() {
        let all = builtin();
        let apology = &all.iter().find(|t| t.id == "builtin-apology").unwrap().body;
        assert!(!apology.contains("{summary}"), "the summary is the shop's own note");
        let booking = &all.iter().find(|t| t.id == "builtin-booking").unwrap().body;
        assert!(!booking.contains("{date}"), "the reply deadline is not the appointment");
        assert!(booking.contains("（ご予約の日時をここに）"));
    }

    #[test]
    fn templates_fill_placeholders() {
        let b = &builtin()[0].body;
        let signer = Signer { shop: "さくら整骨院".into(), ..Default::default() };
        let s = render(b, "山田", &signer, "11月24日", "予約の変更");
        // The summary is the shop's own note: no built-in reply quotes it (issue 20).
        assert!(s.starts_with("山田様") && !s.contains("予約の変更") && s.contains("11月24日までに") && !s.contains('{'));
    }

    #[test]
    fn every_built_in_reply_is_signed_and_says_what_is_left_to_write() {
        let bare = Signer { shop: "さくら整骨院".into(), ..Default::default() };
        let full = Signer {
            shop: "さくら整骨院".into(), phone: "03-1234-5678".into(), signature: "さくら整骨院 院長 佐藤".into()
        };
        for t in builtin() {
            let s = render(&t.body, "山田", &bare, "11月24日", "社内メモ");
            assert!(!s.contains('{'), "{}: {s}", t.name);
            assert!(s.contains("さくら整骨院"), "{} is signed: {s}", t.name);
            assert!(!s.contains("社内メモ"), "{} quotes no internal note", t.name);
            let signed = render(&t.body, "山田", &full, "11月24日", "x");
            if t.body.contains("{signature}") {
                assert!(signed.contains("院長 佐藤"), "{}", t.name);
            }
        }
        let review = builtin().into_iter().find(|t| t.id == "builtin-review-apology").unwrap().body;
        // No phone number saved: the owner is asked for it, nothing is invented.
        assert_eq!(unfilled(&render(&review, "山田", &bare, "", "")), vec!["（お店の電話番号をここに）".to_string()]);
        assert!(render(&review, "山田", &full, "", "").contains("お電話 03-1234-5678 にて"));
        assert!(unfilled(&render(&review, "山田", &full, "", "")).is_empty());
        let line = builtin().into_iter().find(|t| t.id == "builtin-line").unwrap().body;
        assert_eq!(unfilled(&render(&line, "山田", &bare, "", "")), vec!["（お返事の内容をここに）".to_string()]);
        // Only markers asking for text count; an ordinary parenthesis does not.
        assert!(unfilled("お電話（平日のみ）でどうぞ").is_empty());
        assert_eq!(unfilled("（日時をここに）と（内容をここに）"), vec!["（日時をここに）", "（内容をここに）"]);
        assert!(unfilled("（閉じない").is_empty());
        assert_eq!(unfilled("お電話（（番号をここに））"), vec!["（番号をここに）"]);
    }
}
