//! What the reminder engine reads of the large collections, in a form small
//! enough to keep sealed next to each collection's pack (`store::Derived`):
//! a first `check` in a fresh process decodes these instead of reading 10,000
//! credentials, 50,000 posts and 20,000 inquiries in full.
//!
//! - `Accounts`: per credential, the rotation, renewal and departure facts
//!   (no password, no secret of any kind).
//! - `Timelines`: per channel, the instants of its done posts and its planned
//!   posts in full (the lapse and missed-plan reminders).
//! - `OpenInquiries`: the inquiries that can still raise a reminder (open, or
//!   done with a follow-up not yet made), in full.
//! - `CustomerNames`: id and name of every customer, to name an inquiry.
//!
//! Each is derived from exactly the records of one write generation, so the
//! engine gives the same answer from these as from the records themselves
//! (tests/reminder_facts.rs compares the two).

use chrono::{DateTime, NaiveDate, Utc};
use zeroize::Zeroizing;

use crate::calendar::{Post, PostStatus};
use crate::credential::{Category, Credential};
use crate::customer::Customer;
use crate::inquiry::{Inquiry, InquiryStatus};
use crate::store::Derived;
use crate::wire::{Reader, Writer};

/// Version of the encodings below; another version is not decoded.
const FORMAT: u8 = 1;

/// What the reminders and the departure checklists read of a credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountFacts {
    pub id: String,
    pub name: String,
    pub category: Category,
    /// A password is stored (only those are due for rotation).
    pub has_password: bool,
    /// When the current password was set.
    pub last_rotated: DateTime<Utc>,
    pub renewal_date: Option<NaiveDate>,
    /// People who know the password.
    pub known_by: Vec<String>,
    pub two_factor_holder: Option<String>,
    pub registered_email: Option<String>,
}

impl From<&Credential> for AccountFacts {
    fn from(c: &Credential) -> Self {
        AccountFacts {
            id: c.id.clone(),
            name: c.name.clone(),
            category: c.category,
            has_password: !c.password.is_empty(),
            last_rotated: c.last_rotated,
            renewal_date: c.renewal_date,
            known_by: c.known_by.clone(),
            two_factor_holder: c.two_factor_holder.clone(),
            registered_email: c.registered_email.clone(),
        }
    }
}

/// Every credential's facts, in id order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Accounts(pub Vec<AccountFacts>);

impl Derived for Accounts {
    type Of = Credential;
    const NAME: &'static str = "due";

    fn derive(list: &[Credential]) -> Self {
        Accounts(list.iter().map(AccountFacts::from).collect())
    }

    fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::with_capacity(FORMAT, self.0.len() * 96);
        w.len(self.0.len());
        for a in &self.0 {
            w.str(&a.id);
            w.str(&a.name);
            w.byte(Category::ALL.iter().position(|c| *c == a.category).unwrap_or(0) as u8);
            w.bool(a.has_password);
            w.time(a.last_rotated);
            w.opt_date(a.renewal_date);
            w.strs(&a.known_by);
            w.opt_str(a.two_factor_holder.as_deref());
            w.opt_str(a.registered_email.as_deref());
        }
        w.0
    }

    fn decode(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader::new(bytes, FORMAT)?;
        let n = r.count(40)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(AccountFacts {
                id: r.string()?,
                name: r.string()?,
                category: *Category::ALL.get(usize::from(r.byte()?))?,
                has_password: r.bool()?,
                last_rotated: r.time()?,
                renewal_date: r.opt_date()?,
                known_by: r.strings()?,
                two_factor_holder: r.opt_string()?,
                registered_email: r.opt_string()?,
            });
        }
        r.is_empty().then_some(Accounts(out))
    }
}

/// One channel's posts as its rhythm and the calendar read them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    pub channel_id: String,
    /// When each done post was published, oldest first.
    pub done: Vec<DateTime<Utc>>,
    /// Planned posts, by planned day, then instant, then id.
    pub planned: Vec<Post>,
}

/// Every channel's timeline, by channel id (channels without posts have none).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timelines(pub Vec<Timeline>);

impl Timelines {
    /// Groups posts (in any order) by channel.
    pub fn new<'a>(posts: impl IntoIterator<Item = &'a Post>) -> Self {
        let mut map: std::collections::HashMap<&str, Timeline> = std::collections::HashMap::new();
        for p in posts {
            let t = map.entry(p.channel_id.as_str()).or_insert_with(|| Timeline { channel_id: p.channel_id.clone(), ..Default::default() });
            match p.status {
                PostStatus::Done => t.done.push(p.at),
                PostStatus::Planned => t.planned.push(p.clone()),
            }
        }
        let mut list: Vec<Timeline> = map.into_values().collect();
        for t in &mut list {
            t.done.sort_unstable();
            t.planned.sort_by(|a, b| (a.planned_for, a.at, &a.id).cmp(&(b.planned_for, b.at, &b.id)));
        }
        list.sort_unstable_by(|a, b| a.channel_id.cmp(&b.channel_id));
        Timelines(list)
    }

    /// The timeline of one channel (empty when it has no post).
    pub fn of<'a>(list: &'a [Timeline], channel_id: &str) -> Option<&'a Timeline> {
        list.binary_search_by(|t| t.channel_id.as_str().cmp(channel_id)).ok().map(|i| &list[i])
    }
}

impl Derived for Timelines {
    type Of = Post;
    const NAME: &'static str = "due";

    fn derive(list: &[Post]) -> Self {
        Timelines::new(list)
    }

    fn encode(&self) -> Zeroizing<Vec<u8>> {
        let size: usize = self.0.iter().map(|t| 64 + t.done.len() * 16 + t.planned.len() * 256).sum();
        let mut w = Writer::with_capacity(FORMAT, size);
        w.len(self.0.len());
        for t in &self.0 {
            w.str(&t.channel_id);
            w.len(t.done.len());
            for at in &t.done {
                w.time(*at);
            }
            // Planned posts are few: kept whole, as the store writes records.
            w.str(&serde_json::to_string(&t.planned).unwrap_or_default());
        }
        w.0
    }

    fn decode(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader::new(bytes, FORMAT)?;
        let n = r.count(24)?;
        let mut out: Vec<Timeline> = Vec::with_capacity(n);
        for _ in 0..n {
            let channel_id = r.string()?;
            let count = r.count(16)?;
            let done = (0..count).map(|_| r.time()).collect::<Option<Vec<_>>>()?;
            let planned: Vec<Post> = serde_json::from_str(r.str()?).ok()?;
            // Written in order; anything else is damage (lookups rely on it).
            let ordered = out.last().is_none_or(|last| last.channel_id < channel_id) && done.is_sorted();
            if !ordered || planned.iter().any(|p| p.channel_id != channel_id || p.status != PostStatus::Planned) {
                return None;
            }
            out.push(Timeline { channel_id, done, planned });
        }
        r.is_empty().then_some(Timelines(out))
    }
}

/// Whether an inquiry can raise a reminder on some day: open, or done with a
/// follow-up not yet made (whatever its date). Answered, waiting and spam
/// inquiries never do.
pub fn may_fall_due(inq: &Inquiry) -> bool {
    match inq.status {
        InquiryStatus::Open => true,
        InquiryStatus::Done => inq.follow_up.is_some() && !inq.follow_up_done,
        InquiryStatus::Waiting | InquiryStatus::Spam => false,
    }
}

/// The inquiries that may fall due, whole, in id order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OpenInquiries(pub Vec<Inquiry>);

impl Derived for OpenInquiries {
    type Of = Inquiry;
    const NAME: &'static str = "due";

    fn derive(list: &[Inquiry]) -> Self {
        OpenInquiries(list.iter().filter(|i| may_fall_due(i)).cloned().collect())
    }

    fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::with_capacity(FORMAT, self.0.len() * 512);
        w.str(&serde_json::to_string(&self.0).unwrap_or_default());
        w.0
    }

    fn decode(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader::new(bytes, FORMAT)?;
        let list: Vec<Inquiry> = serde_json::from_str(r.str()?).ok()?;
        (r.is_empty() && list.iter().all(may_fall_due)).then_some(OpenInquiries(list))
    }
}

/// A customer's id and name, to name their inquiries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerName {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerNames(pub Vec<CustomerName>);

impl Derived for CustomerNames {
    type Of = Customer;
    const NAME: &'static str = "due";

    fn derive(list: &[Customer]) -> Self {
        CustomerNames(list.iter().map(|c| CustomerName { id: c.id.clone(), name: c.name.clone() }).collect())
    }

    fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::with_capacity(FORMAT, self.0.len() * 64);
        w.len(self.0.len());
        for c in &self.0 {
            w.str(&c.id);
            w.str(&c.name);
        }
        w.0
    }

    fn decode(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader::new(bytes, FORMAT)?;
        let n = r.count(16)?;
        let list = (0..n).map(|_| Some(CustomerName { id: r.string()?, name: r.string()? })).collect::<Option<Vec<_>>>()?;
        r.is_empty().then_some(CustomerNames(list))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::PostSource;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn post(id: &str, ch: &str, status: PostStatus, at: &str) -> Post {
        let at = t(at);
        Post {
            id: id.into(),
            channel_id: ch.into(),
            status,
            at,
            planned_for: (status == PostStatus::Planned).then(|| at.date_naive()),
            title: format!("題 {id}"),
            url: None,
            note: "一行目\n\"二行目\"".into(),
            guid: None,
            source: PostSource::Manual,
            created_at: at,
        }
    }

    fn timelines() -> Timelines {
        Timelines::new(&[
            post("p3", "b", PostStatus::Done, "2026-11-03T00:00:00.5Z"),
            post("p1", "b", PostStatus::Done, "2026-11-01T00:00:00Z"),
            post("p9", "a", PostStatus::Planned, "2026-11-30T15:00:00Z"),
            post("p2", "b", PostStatus::Planned, "2026-11-20T15:00:00Z"),
            post("p8", "a", PostStatus::Planned, "2026-11-30T15:00:00Z"),
        ])
    }

    #[test]
    fn timelines_group_by_channel_in_order() {
        let tl = timelines();
        assert_eq!(tl.0.iter().map(|t| t.channel_id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        let b = Timelines::of(&tl.0, "b").unwrap();
        assert_eq!(b.done, [t("2026-11-01T00:00:00Z"), t("2026-11-03T00:00:00.5Z")]);
        assert_eq!(b.planned.len(), 1);
        let a = Timelines::of(&tl.0, "a").unwrap();
        assert!(a.done.is_empty());
        assert_eq!(a.planned.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["p8", "p9"], "same day and instant: by id");
        assert!(Timelines::of(&tl.0, "c").is_none());
    }

    /// Reads back exactly; refuses damage without panicking.
    fn refuses_damage<D: Derived + PartialEq + std::fmt::Debug>(v: &D) {
        let bytes = v.encode();
        assert_eq!(D::decode(&bytes).as_ref(), Some(v));
        crate::wire::assert_refuses_damage(&bytes, |b| D::decode(b).is_some());
    }

    #[test]
    fn each_fact_reads_back_exactly_and_refuses_damage() {
        let input = crate::credential::CredentialInput {
            category: Some(Category::Domain),
            name: Some("salon.example.jp".into()),
            password: Some(crate::SecretString::new("never-in-the-facts")),
            renewal_date: Some("2027-03-31".into()),
            two_factor_holder: Some("店のiPhone".into()),
            ..Default::default()
        };
        let mut c = crate::credential::build(&input, t("2026-11-01T00:00:00Z")).unwrap();
        c.known_by = vec!["田中".into(), "佐藤".into()];
        let accounts = Accounts::derive(&[c]);
        assert!(accounts.0[0].has_password);
        assert!(!String::from_utf8_lossy(&accounts.encode()).contains("never-in-the-facts"));
        refuses_damage(&accounts);
        refuses_damage(&timelines());
        refuses_damage(&CustomerNames(vec![CustomerName { id: "c1".into(), name: "山田 花子".into() }]));
        let now = t("2026-11-20T00:00:00Z");
        let inquiry = |id: &str, status, follow_up: Option<NaiveDate>, follow_up_done| {
            let mut i: Inquiry = serde_json::from_value(serde_json::json!({
                "id": id, "channel": "line", "received_at": now, "summary": "予約", "kind": "booking",
                "status": status, "policy": {"hours": 24}, "due_at": now, "created_at": now, "updated_at": now,
            }))
            .unwrap();
            i.follow_up = follow_up;
            i.follow_up_done = follow_up_done;
            i
        };
        let day = NaiveDate::from_ymd_opt(2026, 12, 1);
        let all = [
            inquiry("open", "open", None, false),
            inquiry("answered", "done", None, false),
            inquiry("follow", "done", day, false),
            inquiry("followed", "done", day, true),
            inquiry("waiting", "waiting", day, false),
            inquiry("spam", "spam", None, false),
        ];
        let open = OpenInquiries::derive(&all);
        assert_eq!(open.0.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["open", "follow"]);
        refuses_damage(&open);
    }
}
