//! The derived facts of every area read back exactly and refuse damage.

use chrono::{DateTime, NaiveDate, Utc};

use crate::credentials::credential::Category;
use crate::credentials::facts::*;
use crate::customers::facts::*;
use crate::customers::inquiry::Inquiry;
use crate::posting::calendar::{Post, PostSource, PostStatus};
use crate::posting::facts::*;
use noren_store::store::Derived;

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
    noren_store::wire::assert_refuses_damage(&bytes, |b| D::decode(b).is_some());
}

#[test]
fn each_fact_reads_back_exactly_and_refuses_damage() {
    let input = crate::credentials::credential::CredentialInput {
        category: Some(Category::Domain),
        name: Some("salon.example.jp".into()),
        password: Some(noren_base::SecretString::new("never-in-the-facts")),
        renewal_date: Some("2027-03-31".into()),
        two_factor_holder: Some("店のiPhone".into()),
        ..Default::default()
    };
    let mut c = crate::credentials::credential::build(&input, t("2026-11-01T00:00:00Z")).unwrap();
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
