//! The reminder engine reads the large collections through their sealed facts
//! (`reminder_facts`) when those are current. These tests hold it to giving
//! the same answer as an evaluation over every record, to reading the facts
//! (not the records) on a cold start, and to never using facts older than the
//! records.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use noren_core::calendar::{self, Channel, ChannelKind, Post, PostInput, PostSource, PostStatus};
use noren_core::credential::{self, Category, Credential, CredentialInput};
use noren_core::customer::{self, Customer, CustomerInput};
use noren_core::inquiry::{Inquiry, InquiryKind, InquiryStatus, ReplyPolicy};
use noren_core::people::{self, Person, PersonRole};
use noren_core::reminder_facts::{Accounts, CustomerNames, OpenInquiries, Timelines};
use noren_core::reminders::{self, Inputs, Settings};
use noren_core::session::Session;
use noren_core::{Error, SecretString, Store};

use common::{raw_db, utc, FAST, PASS};

struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn open(dir: &Path) -> Store {
    Store::open(dir, &SecretString::new(PASS)).unwrap()
}

/// A shop with more than enough records of each kind for packs (200), in
/// every state the reminders distinguish.
fn fill(store: &Store, seed: u64, now: DateTime<Utc>) {
    let mut rng = Rng(seed);
    let staff = ["田中", "佐藤", "鈴木"];
    let creds: Vec<Credential> = (0..260)
        .map(|i| {
            let input = CredentialInput {
                category: Some(Category::ALL[i % Category::ALL.len()]),
                name: Some(format!("サービス {i}")),
                password: Some(SecretString::new(format!("pw-{i}-secret"))),
                ..Default::default()
            };
            let mut c = credential::build(&input, now).unwrap();
            if rng.next(5) == 0 {
                c.password = SecretString::new("");
            }
            c.last_rotated = now - Duration::days(rng.next(800) as i64) - Duration::seconds(rng.next(86_400) as i64);
            if rng.next(3) == 0 {
                c.renewal_date = NaiveDate::from_ymd_opt(2026, 9, 1).map(|d| d + Duration::days(rng.next(240) as i64));
            }
            if rng.next(4) == 0 {
                c.known_by = vec![staff[rng.next(3) as usize].to_string()];
            }
            if rng.next(6) == 0 {
                c.two_factor_holder = Some(staff[rng.next(3) as usize].to_string());
            }
            if rng.next(6) == 0 {
                c.registered_email = Some(format!("{}@example.jp", ["tanaka", "shop", "sato"][rng.next(3) as usize]));
            }
            c
        })
        .collect();
    store.put_many(&creds).unwrap();
    for (name, email) in [("田中", "tanaka@example.jp"), ("佐藤", "sato@example.jp")] {
        people::add(store, name, PersonRole::Staff, email, now - Duration::days(900)).unwrap();
    }
    people::depart(store, "田中", NaiveDate::from_ymd_opt(2026, 10, 31), now - Duration::days(20)).unwrap();

    let customers: Vec<Customer> =
        (0..220).map(|i| customer::build(&CustomerInput { name: Some(format!("顧客 {i}")), ..Default::default() }, now).unwrap()).collect();
    store.put_many(&customers).unwrap();
    let statuses = [InquiryStatus::Open, InquiryStatus::Done, InquiryStatus::Waiting, InquiryStatus::Spam];
    let inquiries: Vec<Inquiry> = (0..400)
        .map(|i| {
            let received = now - Duration::minutes(rng.next(60 * 24 * 10) as i64);
            let status = statuses[rng.next(4) as usize];
            let follow_up = (rng.next(3) == 0).then(|| NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() + Duration::days(rng.next(60) as i64));
            Inquiry {
                id: format!("inq{i:05}"),
                // Some from unknown senders, some from customers not (or no longer) in the store.
                customer_id: match rng.next(5) {
                    0 => None,
                    1 => Some("cust-gone".into()),
                    _ => Some(customers[rng.next(220) as usize].id.clone()),
                },
                sender: format!("送信者 {i}"),
                channel: noren_core::customer::ContactKind::Line,
                received_at: received,
                summary: format!("お問い合わせ {i}"),
                message: "本文".into(),
                kind: InquiryKind::Booking,
                status,
                policy: ReplyPolicy::Hours(24),
                due_at: received + Duration::hours(rng.next(72) as i64),
                replies: Vec::new(),
                follow_up,
                follow_up_done: rng.next(2) == 0,
                playbook: Default::default(),
                exception: None,
                closed_at: None,
                created_at: received,
                updated_at: received,
            }
        })
        .collect();
    store.put_many(&inquiries).unwrap();

    let channels: Vec<Channel> = (0..12)
        .map(|i| Channel {
            id: format!("ch{i:02}"),
            kind: [ChannelKind::Blog, ChannelKind::Instagram, ChannelKind::Gbp, ChannelKind::X][i % 4],
            name: format!("チャンネル {i}"),
            url: None,
            feed_url: None,
            target_days: (i % 3 == 0).then_some(3.0),
            owner: None,
            paused: i == 5,
            quiet_periods: Vec::new(),
            created_at: now,
            updated_at: now,
            last_sync: None,
        })
        .collect();
    store.put_many(&channels).unwrap();
    let posts: Vec<Post> = (0..600)
        .map(|i| {
            // Channel 11 gets no post at all; posts of a removed channel stay behind.
            let ch = match rng.next(12) {
                11 => "ch-removed".to_string(),
                c => format!("ch{c:02}"),
            };
            let planned = rng.next(8) == 0;
            let at = now - Duration::hours(rng.next(24 * 120) as i64) + Duration::days(if planned { 20 } else { 0 });
            Post {
                id: format!("post{:05}", 600 - i),
                channel_id: ch,
                status: if planned { PostStatus::Planned } else { PostStatus::Done },
                at,
                planned_for: planned.then(|| at.date_naive()),
                title: if rng.next(2) == 0 { format!("記事 {i}") } else { String::new() },
                url: None,
                note: format!("メモ {i}\n二行目"),
                guid: None,
                source: PostSource::Manual,
                created_at: at,
            }
        })
        .collect();
    store.put_many(&posts).unwrap();
    // Full reads write each collection's pack with its facts.
    read_everything(store);
}

fn read_everything(store: &Store) {
    store.all::<Credential>().unwrap();
    store.all::<Customer>().unwrap();
    store.all::<Inquiry>().unwrap();
    store.all::<Post>().unwrap();
}

/// The engine over every record, as it ran before the facts existed.
fn from_records(store: &Store, now: DateTime<Utc>) -> serde_json::Value {
    let creds = store.all::<Credential>().unwrap();
    let posts = store.all::<Post>().unwrap();
    let channels = store.all::<Channel>().unwrap();
    let customers = store.all::<Customer>().unwrap();
    let inquiries = store.all::<Inquiry>().unwrap();
    let people = store.all::<Person>().unwrap();
    let renewals = store.all().unwrap();
    let incidents = store.all().unwrap();
    let accounts: Vec<_> = creds.iter().map(Into::into).collect();
    let names: Vec<_> =
        customers.iter().map(|c| noren_core::reminder_facts::CustomerName { id: c.id.clone(), name: c.name.clone() }).collect();
    // As the session does: the shop's days explain reply deadlines.
    let shop = noren_core::business::load(store).ok();
    let items = reminders::due_items(
        &Inputs {
            credentials: &accounts,
            backup: None,
            channels: &channels,
            timelines: &Timelines::new(&posts).0,
            customers: &names,
            inquiries: &inquiries,
            renewals: &renewals,
            incidents: &incidents,
            people: &people,
            shop: shop.as_ref(),
            conflicts: &[],
        },
        now,
        &Settings::default(),
    );
    serde_json::to_value(items).unwrap()
}

/// A credential whose password is over a year old.
fn due_for_rotation(name: &str, now: DateTime<Utc>) -> Credential {
    let input = CredentialInput {
        category: Some(Category::Sns),
        name: Some(name.into()),
        password: Some(SecretString::new("rotate-me-secret")),
        ..Default::default()
    };
    let mut c = credential::build(&input, now).unwrap();
    c.last_rotated = now - Duration::days(400);
    c
}

fn from_session(session: &mut Session, now: DateTime<Utc>) -> serde_json::Value {
    serde_json::to_value(session.due_items(now, &Settings::default()).unwrap()).unwrap()
}

fn instants() -> Vec<DateTime<Utc>> {
    let base = utc("2026-11-20T03:00:00Z");
    vec![base, base + Duration::hours(5), base + Duration::days(3), base + Duration::days(30), base - Duration::days(15)]
}

#[test]
fn the_facts_give_the_engine_the_same_answer_as_every_record() {
    for seed in [7, 1234, 987_654_321] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("s");
        let now = utc("2026-11-20T03:00:00Z");
        {
            let s = Store::init_with(&dir, &SecretString::new(PASS), FAST, chrono::Utc::now()).unwrap();
            fill(&s, seed, now);
        }
        let mut kinds = std::collections::BTreeSet::new();
        for at in instants() {
            let want = from_records(&open(&dir), at);
            // A fresh process: nothing cached, every fact read from its sealed copy.
            let mut session = Session::new(open(&dir));
            let got = from_session(&mut session, at);
            assert_eq!(got, want, "seed {seed}, now {at}");
            for i in got.as_array().unwrap() {
                kinds.insert(i["kind"].as_str().unwrap().to_string());
            }
            // And again in the same session, and with the records cached.
            assert_eq!(from_session(&mut session, at), want);
            read_everything(session.store());
            assert_eq!(from_session(&mut session, at), want);
        }
        // The data exercises every kind the facts feed.
        for k in [
            "password_rotation",
            "renewal_approaching",
            "handover_rotation",
            "posting_lapse",
            "planned_post_missed",
            "reply_overdue",
            "follow_up_due",
        ] {
            assert!(kinds.contains(k), "seed {seed}: no {k} in {kinds:?}");
        }
    }
}

/// Damages one stored record of `tree` and removes the collection's pack, so
/// that only its facts can answer without an error.
fn damage_records(db: &sled::Db, tree: &str) {
    let t = db.open_tree(tree).unwrap();
    let (k, mut v) = t.iter().next().unwrap().map(|(k, v)| (k, v.to_vec())).unwrap();
    let last = v.len() - 1;
    v[last] ^= 1;
    t.insert(k, v).unwrap();
    db.open_tree("~packs").unwrap().remove(tree).unwrap();
}

#[test]
fn a_cold_check_reads_the_facts_not_the_records() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let now = utc("2026-11-20T03:00:00Z");
    {
        let s = Store::init_with(&dir, &SecretString::new(PASS), FAST, chrono::Utc::now()).unwrap();
        fill(&s, 42, now);
    }
    let want = from_records(&open(&dir), now);
    {
        let db = raw_db(&dir);
        let packs = db.open_tree("~packs").unwrap();
        for name in ["credentials#due", "customers#due", "inquiries#due", "posts#due", "credentials#index"] {
            let sealed = packs.get(name).unwrap().unwrap_or_else(|| panic!("{name} was written"));
            // Sealed: no name, title or summary is readable in it.
            for plain in ["サービス 1", "顧客 1", "お問い合わせ", "記事", "ch01"] {
                assert!(!sealed.windows(plain.len()).any(|w| w == plain.as_bytes()), "{plain} in {name}");
            }
        }
        for tree in ["credentials", "customers", "inquiries", "posts"] {
            damage_records(&db, tree);
        }
        db.flush().unwrap();
    }
    // Every collection the check needs in full is damaged: it answers from the facts.
    let mut session = Session::new(open(&dir));
    assert_eq!(from_session(&mut session, now), want);
    // Once a write moves the posts on, their facts are gone and the damage surfaces.
    calendar::log_post(session.store(), "ch01", &PostInput { at: Some(now), ..Default::default() }, now).unwrap();
    assert!(session.due_items(now, &Settings::default()).is_err(), "stale facts must not answer");
}

#[test]
fn old_facts_put_back_are_never_used() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let now = utc("2026-11-20T03:00:00Z");
    {
        let s = Store::init_with(&dir, &SecretString::new(PASS), FAST, chrono::Utc::now()).unwrap();
        fill(&s, 99, now);
    }
    let saved: Vec<(String, sled::IVec)> = {
        let db = raw_db(&dir);
        let packs = db.open_tree("~packs").unwrap();
        ["credentials#due", "customers#due", "inquiries#due", "posts#due"]
            .iter()
            .map(|n| (n.to_string(), packs.get(n).unwrap().unwrap()))
            .collect()
    };
    {
        // New records in each collection change what is due.
        let s = open(&dir);
        s.put(&due_for_rotation("新しいアカウント", now)).unwrap();
        let cust = customer::build(&CustomerInput { name: Some("新しいお客様".into()), ..Default::default() }, now).unwrap();
        s.put(&cust).unwrap();
        let mut inq = s.all::<Inquiry>().unwrap()[0].clone();
        inq.id = "inq-new".into();
        inq.customer_id = Some(cust.id.clone());
        inq.status = InquiryStatus::Open;
        inq.due_at = now - Duration::hours(1);
        s.put(&inq).unwrap();
        let mut p = s.all::<Post>().unwrap()[0].clone();
        p.id = "post-planned-new".into();
        p.channel_id = "ch02".into();
        p.status = PostStatus::Planned;
        p.at = now - Duration::days(3);
        p.planned_for = Some(p.at.date_naive());
        s.put(&p).unwrap();
        read_everything(&s);
    }
    {
        // Someone (or a partial restore) puts the old facts back.
        let db = raw_db(&dir);
        let packs = db.open_tree("~packs").unwrap();
        for (n, v) in &saved {
            packs.insert(n.as_str(), v.clone()).unwrap();
        }
        db.flush().unwrap();
    }
    let got = from_session(&mut Session::new(open(&dir)), now);
    assert_eq!(got, from_records(&open(&dir), now));
    let text = got.to_string();
    for new in ["新しいアカウント", "新しいお客様", "post-planned-new", "inq-new"] {
        assert!(text.contains(new), "{new} missing: the old facts were used");
    }
}

#[test]
fn while_the_vault_is_locked_only_calendar_facts_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let now = utc("2026-11-20T03:00:00Z");
    {
        let s = Store::init_with(&dir, &SecretString::new(PASS), FAST, chrono::Utc::now()).unwrap();
        fill(&s, 5, now);
    }
    let mut store = open(&dir);
    // Kept in memory while unlocked, never served once the vault locks.
    assert_eq!(store.derived_shared::<Accounts>().unwrap().0.len(), 260);
    store.lock_vault();
    assert!(matches!(store.derived_shared::<Accounts>(), Err(Error::Locked)));
    assert!(matches!(store.derived::<Accounts>(), Err(Error::Locked)));
    assert!(matches!(store.derived::<CustomerNames>(), Err(Error::Locked)));
    assert!(matches!(store.derived::<OpenInquiries>(), Err(Error::Locked)));
    assert!(store.derived::<Timelines>().is_ok());
    let items = Session::new(store).due_items(now, &Settings::default()).unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| matches!(i.record.collection.as_str(), "channels" | "posts" | "renewals" | "backup")), "{items:?}");
}

#[test]
fn facts_kept_in_memory_follow_every_write() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let now = utc("2026-11-20T03:00:00Z");
    {
        let s = Store::init_with(&dir, &SecretString::new(PASS), FAST, chrono::Utc::now()).unwrap();
        fill(&s, 11, now);
    }
    let mut session = Session::new(open(&dir));
    let before = from_session(&mut session, now).to_string();
    assert!(!before.contains("書き込み直後"));
    let c = due_for_rotation("書き込み直後", now);
    session.store().put(&c).unwrap();
    assert!(from_session(&mut session, now).to_string().contains("書き込み直後"), "the new credential is due for rotation");
    assert!(session.store().remove::<Credential>(&c.id).unwrap());
    assert_eq!(from_session(&mut session, now).to_string(), before);
}

#[test]
fn a_store_written_before_the_facts_gets_them_on_its_first_check() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let now = utc("2026-11-20T03:00:00Z");
    {
        let s = Store::init_with(&dir, &SecretString::new(PASS), FAST, chrono::Utc::now()).unwrap();
        fill(&s, 3, now);
    }
    let facts = ["credentials#due", "customers#due", "inquiries#due", "posts#due"];
    {
        // As an earlier version left it: packs, but no facts beside them.
        let db = raw_db(&dir);
        let packs = db.open_tree("~packs").unwrap();
        for name in facts {
            packs.remove(name).unwrap().expect("written with the pack");
        }
        db.flush().unwrap();
    }
    let want = from_records(&open(&dir), now);
    assert_eq!(from_session(&mut Session::new(open(&dir)), now), want);
    {
        let db = raw_db(&dir);
        let packs = db.open_tree("~packs").unwrap();
        for name in facts {
            assert!(packs.get(name).unwrap().is_some(), "{name} sealed by the first check");
        }
        for tree in ["credentials", "customers", "inquiries", "posts"] {
            damage_records(&db, tree);
        }
        db.flush().unwrap();
    }
    // The next start reads those facts, not the (damaged) records.
    assert_eq!(from_session(&mut Session::new(open(&dir)), now), want);
}
