//! Customers and inquiries through a real store: search, reply deadlines on
//! Japanese business days, reminder items, interim replies, follow-ups, the
//! complaint playbook, and CSV import (UTF-8, BOM, Shift_JIS).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Duration, NaiveDate, Utc};
use noren_core::business::ShopHours;
use noren_core::crypto::KdfParams;
use noren_core::customer::{self, Agreement, Contact, ContactKind, CustomerInput};
use noren_core::customer_import;
use noren_core::inquiry::{self, ExceptionDecision, ExceptionTag, InquiryInput, InquiryKind, InquiryStatus, PlaybookStep};
use noren_core::reminder_facts::CustomerNames;
use noren_core::reminders::{self, DueItem, Inputs, Kind, Settings, Severity};
use noren_core::store::Derived;
use noren_core::{Error, SecretString, Store};

const FAST: KdfParams = KdfParams { m_kib: 256, t: 1, p: 1 };
const TZ: chrono_tz::Tz = chrono_tz::Asia::Tokyo;

fn store(dir: &tempfile::TempDir) -> Store {
    Store::init_with(&dir.path().join("s"), &SecretString::from("correct horse battery".to_string()), FAST, chrono::Utc::now()).unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn yamada(st: &Store) -> String {
    let input = CustomerInput {
        name: Some("山田 花子".into()),
        kana: Some("やまだ はなこ".into()),
        contacts: Some(vec![
            Contact { kind: ContactKind::Line, value: "はなこ🌸".into(), note: String::new() },
            Contact { kind: ContactKind::Phone, value: "090-1234-5678".into(), note: String::new() },
            Contact { kind: ContactKind::Email, value: "hanako@example.jp".into(), note: String::new() },
        ]),
        agreements: Some(vec![Agreement {
            text: "毎月第2土曜 10時に予約確保".into(),
            since: NaiveDate::from_ymd_opt(2026, 4, 1),
            until: None,
        }]),
        tags: Some(vec!["常連".into()]),
        ..Default::default()
    };
    customer::add(st, &input, utc("2026-11-01T00:00:00Z")).unwrap().id
}

fn due(st: &Store, now: DateTime<Utc>) -> Vec<DueItem> {
    // All inquiries, not only those `OpenInquiries` keeps: the engine skips the others itself.
    let customers = CustomerNames::derive(&st.all().unwrap());
    let inquiries = st.all().unwrap();
    reminders::due_items(&Inputs { customers: &customers.0, inquiries: &inquiries, ..Default::default() }, now, &Settings::default())
}

fn line_inquiry(st: &Store, received: &str, within: &str) -> inquiry::Inquiry {
    let input = InquiryInput {
        customer: Some("山田 花子".into()),
        channel: Some(ContactKind::Line),
        received_at: Some(utc(received)),
        summary: Some("予約の変更".into()),
        message: Some("来週の予約を\n再来週に変えられますか？".into()),
        reply_within: Some(within.into()),
        ..Default::default()
    };
    inquiry::add(st, &input, &ShopHours::default(), TZ, utc(received) + Duration::minutes(1)).unwrap()
}

#[test]
fn customers_are_found_by_name_kana_phone_email_and_tag() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let id = yamada(&st);
    let other = CustomerInput { name: Some("佐藤 一郎".into()), kana: Some("さとう いちろう".into()), ..Default::default() };
    customer::add(&st, &other, utc("2026-11-01T00:00:00Z")).unwrap();
    for q in ["山田", "ヤマダ", "やまだ", "ﾊﾅｺ", "09012345678", "090-1234", "HANAKO@EXAMPLE.JP", "常連", "第2土曜"] {
        let hits = customer::search(&st, q).unwrap();
        assert_eq!(hits.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), vec![id.as_str()], "{q}");
    }
    // 五十音順: さとう before やまだ.
    let names: Vec<String> = customer::list(&st).unwrap().into_iter().map(|c| c.name).collect();
    assert_eq!(names, vec!["佐藤 一郎", "山田 花子"]);
    // The agreement went into the timeline.
    let c = customer::resolve(&st, "山田 花子").unwrap();
    assert!(c.timeline.iter().any(|t| t.shown(noren_core::messages::Lang::Ja).contains("第2土曜")));
}

#[test]
fn bad_customer_input_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let now = utc("2026-11-01T00:00:00Z");
    let bad = |input: CustomerInput, field: &str| match customer::add(&st, &input, now) {
        Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field),
        other => panic!("{other:?}"),
    };
    bad(CustomerInput { name: Some("  ".into()), ..Default::default() }, "name");
    bad(CustomerInput { name: Some("x".repeat(5000)), ..Default::default() }, "name");
    let mail = Contact { kind: ContactKind::Email, value: "not-an-address".into(), note: String::new() };
    bad(CustomerInput { name: Some("a".into()), contacts: Some(vec![mail]), ..Default::default() }, "contacts");
    let backwards = Agreement { text: "x".into(), since: NaiveDate::from_ymd_opt(2026, 5, 1), until: NaiveDate::from_ymd_opt(2026, 4, 1) };
    bad(CustomerInput { name: Some("a".into()), agreements: Some(vec![backwards]), ..Default::default() }, "agreements");
    assert_eq!(st.count::<noren_core::customer::Customer>().unwrap(), 0);
}

#[test]
fn business_day_deadlines_skip_weekends_holidays_and_closed_days() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    yamada(&st);
    // Friday 2026-11-20, 1 business day → Tuesday 11-24 (Monday 11-23 is 勤労感謝の日).
    let a = line_inquiry(&st, "2026-11-20T15:00:00+09:00", "1bd");
    assert_eq!(a.due_at, utc("2026-11-24T18:00:00+09:00"));
    // 24 hours is 24 hours, holiday or not: Sunday 11-22 10:00 → Monday (holiday) 11-23 10:00.
    let b = line_inquiry(&st, "2026-11-22T10:00:00+09:00", "24h");
    assert_eq!(b.due_at, utc("2026-11-23T10:00:00+09:00"));
    // The shop closes on Wednesdays and 12/29–1/3, open on weekends.
    let shop = ShopHours { closed_weekdays: vec![2], ..ShopHours::default() };
    let input = |received: &str| InquiryInput {
        sender: Some("unknown@example.jp".into()),
        channel: Some(ContactKind::Email),
        received_at: Some(utc(received)),
        summary: Some("営業時間".into()),
        reply_within: Some("2bd".into()),
        ..Default::default()
    };
    let c = inquiry::add(&st, &input("2026-12-01T09:00:00+09:00"), &shop, TZ, utc("2026-12-01T09:00:00+09:00")).unwrap();
    assert_eq!(c.due_at, utc("2026-12-04T18:00:00+09:00"), "Tue + 2bd skipping Wed = Fri");
    let d = inquiry::add(&st, &input("2026-12-27T09:00:00+09:00"), &shop, TZ, utc("2026-12-27T09:00:00+09:00")).unwrap();
    assert_eq!(d.due_at, utc("2027-01-04T18:00:00+09:00"), "Sun 12-27 + 2bd: Mon 12-28, then closed to 1-3, Mon 1-4");
}

#[test]
fn reply_reminders_escalate_and_clear() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    yamada(&st);
    let inq = line_inquiry(&st, "2026-11-24T10:00:00+09:00", "24h"); // due 11-25 10:00
    let kinds = |now: &str| due(&st, utc(now)).into_iter().map(|i| (i.kind, i.severity)).collect::<Vec<_>>();
    // Due tomorrow: already on today's list (issue 20), below today's work.
    assert_eq!(kinds("2026-11-24T12:00:00+09:00"), vec![(Kind::ReplyDueTomorrow, Severity::Info)]);
    assert_eq!(
        due(&st, utc("2026-11-24T12:00:00+09:00"))[0].title.text(noren_core::messages::Lang::Ja),
        "明日10:00までに返信: 山田 花子（LINE）「予約の変更」"
    );
    assert_eq!(kinds("2026-11-25T07:00:00+09:00"), vec![(Kind::ReplyDueToday, Severity::Info)]);
    assert_eq!(kinds("2026-11-25T08:30:00+09:00"), vec![(Kind::ReplyDueSoon, Severity::Warning)]);
    let over = due(&st, utc("2026-11-25T10:01:00+09:00"));
    assert_eq!((over[0].kind, over[0].severity), (Kind::ReplyOverdue, Severity::Urgent));
    assert_eq!(over[0].title.text(noren_core::messages::Lang::Ja), "返信期限を過ぎています: 山田 花子（LINE）「予約の変更」");
    // An interim reply moves the deadline; on the promised day it says so.
    let by = utc("2026-11-27T18:00:00+09:00");
    let r = inquiry::reply(&st, &inq.id, "確認して27日までにご連絡します", Some(by), utc("2026-11-25T10:05:00+09:00")).unwrap();
    assert_eq!((r.due_at, r.status), (by, InquiryStatus::Open));
    assert_eq!(kinds("2026-11-26T12:00:00+09:00"), vec![(Kind::ReplyDueTomorrow, Severity::Info)], "the promised reply is due tomorrow");
    assert!(kinds("2026-11-25T12:00:00+09:00").is_empty(), "two days ahead: not yet");
    assert_eq!(kinds("2026-11-27T09:00:00+09:00"), vec![(Kind::PromiseDue, Severity::Warning)]);
    assert_eq!(kinds("2026-11-27T18:30:00+09:00"), vec![(Kind::ReplyOverdue, Severity::Urgent)]);
    // The real reply: waiting for the customer, nothing due.
    inquiry::reply(&st, &inq.id, "再来週の同じ時間でお取りしました", None, utc("2026-11-27T12:00:00+09:00")).unwrap();
    assert!(kinds("2026-11-28T12:00:00+09:00").is_empty());
    // Closed with a follow-up on 12-05: due that day.
    let closed = inquiry::close(&st, &inq.id, NaiveDate::from_ymd_opt(2026, 12, 5), utc("2026-11-28T12:00:00+09:00"), TZ).unwrap();
    assert_eq!(closed.status, InquiryStatus::Done);
    assert!(kinds("2026-12-04T12:00:00+09:00").is_empty());
    assert_eq!(kinds("2026-12-05T09:00:00+09:00"), vec![(Kind::FollowUpDue, Severity::Warning)]);
    inquiry::follow_up_done(&st, &inq.id, utc("2026-12-05T10:00:00+09:00")).unwrap();
    assert!(kinds("2026-12-06T09:00:00+09:00").is_empty());
    // The customer's timeline tells the story.
    let c = customer::resolve(&st, "山田 花子").unwrap();
    let story: Vec<String> = c.timeline.iter().map(|t| t.shown(noren_core::messages::Lang::Ja)).collect();
    assert!(
        story.iter().any(|t| t.starts_with("問い合わせ"))
            && story.iter().any(|t| t.starts_with("途中経過"))
            && story.iter().any(|t| t.starts_with("対応済み"))
    );
    // A promise in the past and a follow-up in the past are refused.
    let other = line_inquiry(&st, "2026-11-28T10:00:00+09:00", "24h");
    assert!(inquiry::reply(&st, &other.id, "", Some(utc("2026-11-01T00:00:00Z")), utc("2026-11-28T11:00:00+09:00")).is_err());
    assert!(inquiry::close(&st, &other.id, NaiveDate::from_ymd_opt(2026, 1, 1), utc("2026-11-28T11:00:00+09:00"), TZ).is_err());
}

#[test]
fn complaint_playbook_and_exceptions() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    yamada(&st);
    let input = InquiryInput {
        sender: Some("匿名の口コミ".into()),
        channel: Some(ContactKind::Other),
        received_at: Some(utc("2026-11-24T10:00:00+09:00")),
        summary: Some("待ち時間が長い".into()),
        kind: Some(InquiryKind::Complaint),
        ..Default::default()
    };
    let shop = ShopHours::default();
    let a = inquiry::add(&st, &input, &shop, TZ, utc("2026-11-24T10:01:00+09:00")).unwrap();
    let ticked =
        inquiry::set_playbook(&st, &a.id, &[PlaybookStep::Thank, PlaybookStep::ConcreteRemedy], utc("2026-11-24T11:00:00+09:00")).unwrap();
    assert_eq!(ticked.playbook.len(), 2);
    // A troll: decide to disengage; closed, no reminders.
    let b = inquiry::add(
        &st,
        &InquiryInput { summary: Some("根拠のない中傷".into()), ..input.clone() },
        &shop,
        TZ,
        utc("2026-11-24T10:01:00+09:00"),
    )
    .unwrap();
    let x = inquiry::set_exception(
        &st,
        &b.id,
        ExceptionTag::Troll,
        ExceptionDecision::Disengage,
        "返信しない",
        utc("2026-11-24T12:00:00+09:00"),
    )
    .unwrap();
    assert_eq!(x.status, InquiryStatus::Done);
    let items = due(&st, utc("2026-11-26T12:00:00+09:00"));
    assert_eq!(items.len(), 1, "only the real complaint is overdue: {items:?}");
    assert_eq!(items[0].record.id, a.id);
    // The playbook is for complaints only.
    let q = line_inquiry(&st, "2026-11-24T10:00:00+09:00", "24h");
    assert!(inquiry::set_playbook(&st, &q.id, &[PlaybookStep::Thank], utc("2026-11-24T11:00:00+09:00")).is_err());
}

#[test]
fn bad_inquiry_input_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let shop = ShopHours::default();
    let now = utc("2026-11-24T10:00:00+09:00");
    let base = InquiryInput { sender: Some("x".into()), channel: Some(ContactKind::Line), summary: Some("s".into()), ..Default::default() };
    for (input, field) in [
        (InquiryInput { channel: None, ..base.clone() }, "channel"),
        (InquiryInput { summary: Some(" ".into()), ..base.clone() }, "summary"),
        (InquiryInput { sender: None, ..base.clone() }, "sender"),
        (InquiryInput { reply_within: Some("3d".into()), ..base.clone() }, "reply_within"),
        (InquiryInput { received_at: Some(now + Duration::days(2)), ..base.clone() }, "received_at"),
    ] {
        match inquiry::add(&st, &input, &shop, TZ, now) {
            Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    assert!(matches!(
        inquiry::add(&st, &InquiryInput { customer: Some("誰".into()), ..base }, &shop, TZ, now),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(st.count::<noren_core::inquiry::Inquiry>().unwrap(), 0);
}

const CSV: &str = "氏名,フリガナ,電話番号,メールアドレス,LINE,備考,タグ,誕生日\n\
山田 花子,ヤマダ ハナコ,090-1234-5678,hanako@example.jp,はなこ,\"肩こり。\n月1回来院\",常連、紹介,1990-01-01\n\
,ナナシ,03-0000-0000,,,,,\n\
佐藤 一郎,サトウ イチロウ,,not-an-email,,,,\n\
\"鈴木, 次郎\",スズキ ジロウ,080-0000-1111,,,,,\n";

#[test]
fn csv_import_utf8_bom_and_shift_jis() {
    let now = utc("2026-11-24T10:00:00+09:00");
    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend_from_slice(CSV.as_bytes());
    let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(CSV);
    assert!(!bad);
    for (bytes, encoding) in [(CSV.as_bytes().to_vec(), "UTF-8"), (with_bom, "UTF-8 (BOM)"), (sjis.into_owned(), "Shift_JIS")] {
        let tmp = tempfile::tempdir().unwrap();
        let st = store(&tmp);
        let p = customer_import::preview(&st, &bytes, now).unwrap();
        assert_eq!(p.encoding, encoding);
        assert_eq!(p.ignored_columns, vec!["誕生日"]);
        assert_eq!(p.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), vec!["山田 花子", "鈴木, 次郎"]);
        assert_eq!(p.rows[0].line, 2);
        let reasons: Vec<(usize, &str)> = p.skipped.iter().map(|s| (s.line, s.reason.as_str())).collect();
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert_eq!(reasons[0], (4, "no name"));
        assert!(reasons[1].0 == 5 && reasons[1].1.contains("email"), "{reasons:?}");
        assert_eq!(st.count::<noren_core::customer::Customer>().unwrap(), 0, "preview writes nothing");
        assert_eq!(customer_import::import(&st, &p, false, now).unwrap(), 2);
        let c = customer::resolve(&st, "山田 花子").unwrap();
        assert_eq!(c.notes, "肩こり。\n月1回来院", "quoted newline kept");
        assert_eq!(c.tags, vec!["常連", "紹介"]);
        assert_eq!(c.contacts.len(), 3);
        // The same file again: both rows are duplicates now.
        let again = customer_import::preview(&st, &bytes, now).unwrap();
        assert!(again.rows.iter().all(|r| r.duplicate));
        assert_eq!(customer_import::import(&st, &again, false, now).unwrap(), 0);
    }
}

#[test]
fn csv_import_refuses_unreadable_files() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let now = utc("2026-11-24T10:00:00+09:00");
    assert!(customer_import::preview(&st, b"phone,email\n090,a@b.jp\n", now).is_err(), "no name column");
    assert!(customer_import::preview(&st, &[0xff, 0xfe, 0x00, 0x81, 0x20], now).is_err(), "binary");
    assert!(customer_import::preview(&st, &[0xEF, 0xBB, 0xBF, 0xff, 0xff], now).is_err(), "broken UTF-8 after BOM");
    assert!(customer_import::preview(&st, b"", now).is_err(), "empty");
}

/// An SNS complaint with a 24-hour deadline is on today's list the moment it
/// is logged, above the ordinary reminders (issue 20).
#[test]
fn a_complaint_due_tomorrow_is_on_todays_list_and_high() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let input = InquiryInput {
        sender: Some("@angry_customer".into()),
        channel: Some(ContactKind::Instagram),
        received_at: Some(utc("2026-11-24T19:00:00+09:00")),
        summary: Some("施術後に痛みが出た".into()),
        kind: Some(inquiry::InquiryKind::Complaint),
        reply_within: Some("24h".into()),
        ..Default::default()
    };
    inquiry::add(&st, &input, &ShopHours::default(), TZ, utc("2026-11-24T19:05:00+09:00")).unwrap();
    let items = due(&st, utc("2026-11-24T19:10:00+09:00"));
    assert_eq!((items[0].kind, items[0].severity), (Kind::ReplyDueTomorrow, Severity::Warning), "{items:?}");
    assert!(
        items[0].title.text(noren_core::messages::Lang::Ja).starts_with("明日19:00までに返信"),
        "{}",
        items[0].title.text(noren_core::messages::Lang::Ja)
    );
}

/// 今日やること explains a deadline the owner would not guess: a LINE message
/// on a Saturday with one business day is due on Tuesday because Sunday is a
/// closed day and Monday 11/23 is 勤労感謝の日.
#[test]
fn a_reply_deadline_says_which_closed_days_it_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    yamada(&st);
    let inq = line_inquiry(&st, "2026-11-21T15:00:00+09:00", "1bd");
    assert_eq!(inq.due_at, utc("2026-11-24T18:00:00+09:00"));
    let shop = ShopHours::default();
    let why = reminders::deadline_why(&inq, &shop, TZ);
    let (ja, en) = (why.text(noren_core::messages::Lang::Ja), why.text(noren_core::messages::Lang::En));
    assert_eq!(
        ja,
        "11/21(土) 15:00受付、1営業日後の閉店時刻（18:00）まで。お休みの日を飛ばしています: 11/22(日) 定休日、11/23(月) 勤労感謝の日"
    );
    assert!(en.contains("Sun 22 Nov, Mon 23 Nov"), "{en}");
    // On today's list (Monday, the holiday: due tomorrow), the item carries it.
    let customers = CustomerNames::derive(&st.all().unwrap());
    let inquiries = st.all().unwrap();
    let inputs = Inputs { customers: &customers.0, inquiries: &inquiries, shop: Some(&shop), ..Default::default() };
    let items = reminders::due_items(&inputs, utc("2026-11-23T10:00:00+09:00"), &Settings::default());
    let item = items.iter().find(|i| i.kind == Kind::ReplyDueTomorrow).unwrap();
    assert!(
        item.why.as_ref().unwrap().text(noren_core::messages::Lang::Ja).ends_with("11/23(月) 勤労感謝の日"),
        "{}",
        item.why.as_ref().unwrap().text(noren_core::messages::Lang::Ja)
    );
    // Wall-clock hours skip nothing, and say so plainly.
    let fast = line_inquiry(&st, "2026-11-21T15:00:00+09:00", "24h");
    assert_eq!(reminders::deadline_why(&fast, &shop, TZ).text(noren_core::messages::Lang::Ja), "11/21(土) 15:00受付、24時間以内に返信");
}

/// An inquiry from a known customer and the line on the customer's timeline
/// are one write (both or neither), for every step of the inquiry: the
/// invariant "multi-record writes are one batch".
#[test]
fn an_inquiry_and_its_customer_timeline_are_one_write() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(&dir);
    let cid = yamada(&st);
    let now = utc("2026-11-20T06:00:00Z");
    let input = InquiryInput {
        channel: Some(ContactKind::Line),
        customer: Some(cid.clone()),
        summary: Some("予約の変更".into()),
        ..Default::default()
    };
    let before = st.writes().1;
    let inq = inquiry::add(&st, &input, &ShopHours::default(), TZ, now).unwrap();
    assert_eq!(st.writes().1, before + 1, "the inquiry and the timeline line: one write");
    inquiry::reply(&st, &inq.id, "変更しました", None, now).unwrap();
    inquiry::close(&st, &inq.id, None, now, TZ).unwrap();
    assert_eq!(st.writes().1, before + 3, "each step one write");
    let texts: Vec<String> =
        customer::resolve(&st, &cid).unwrap().timeline.into_iter().map(|t| t.shown(noren_core::messages::Lang::Ja)).collect();
    assert!(texts.iter().any(|t| t.starts_with("問い合わせ")) && texts.iter().any(|t| t.starts_with("対応済み")), "{texts:?}");
}

/// The lines Noren writes into a customer's history are stored as a catalogue key and its
/// values, not as Japanese prose, and read in either language; a line written before the
/// catalogue (Japanese text) still reads as it was.
#[test]
fn timeline_lines_are_stored_without_ui_text_and_read_in_either_language() {
    use noren_core::messages::Lang;
    let dir = tempfile::tempdir().unwrap();
    let st = store(&dir);
    let cid = yamada(&st);
    let input = InquiryInput {
        channel: Some(ContactKind::Line),
        customer: Some(cid.clone()),
        summary: Some("予約の変更".into()),
        ..Default::default()
    };
    inquiry::add(&st, &input, &ShopHours::default(), TZ, utc("2026-11-20T06:00:00Z")).unwrap();
    let c = customer::resolve(&st, &cid).unwrap();
    let line = c.timeline.iter().find(|t| t.message.as_ref().is_some_and(|m| m.key == "tl-inquiry")).unwrap();
    let stored = serde_json::to_string(line).unwrap();
    assert!(!stored.contains("問い合わせ"), "no UI text in the record: {stored}");
    assert!(line.text.is_empty());
    assert_eq!(line.shown(Lang::Ja), "問い合わせ（LINE）: 予約の変更");
    assert_eq!(line.shown(Lang::En), "Inquiry (LINE): 予約の変更");
    let old: customer::TimelineEntry = serde_json::from_str(r#"{"at":"2026-01-01T00:00:00Z","text":"問い合わせ（電話）: 相談"}"#).unwrap();
    assert_eq!((old.shown(Lang::En).as_str(), old.message.is_none()), ("問い合わせ（電話）: 相談", true));
}
