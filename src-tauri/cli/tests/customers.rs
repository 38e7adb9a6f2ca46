//! Customers and inquiries from the command line: the contract flags, --json,
//! exit codes (10 when a reply is due), CSV import with Shift_JIS.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::Env;

#[test]
fn customer_inquiry_reply_close_follow_up() {
    let e = Env::new();
    let c = e.json(&[
        "customer",
        "add",
        "--name",
        "山田 花子",
        "--kana",
        "やまだ はなこ",
        "--line",
        "はなこ",
        "--phone",
        "090-1234-5678",
        "--agreement",
        "毎月第2土曜に予約確保",
    ]);
    assert_eq!(c["agreements"][0]["text"], "毎月第2土曜に予約確保");
    assert_eq!(e.json(&["customer", "search", "ﾔﾏﾀﾞ"])["customers"].as_array().unwrap().len(), 1);
    let i = e.json(&[
        "inquiry",
        "add",
        "--channel",
        "line",
        "--customer",
        "山田 花子",
        "--received",
        "2026-11-20T15:00:00+09:00",
        "--summary",
        "予約の変更",
        "--reply-within",
        "1bd",
    ]);
    let id = i["id"].as_str().unwrap().to_string();
    assert_eq!(i["due_at"], "2026-11-24T09:00:00Z", "Tuesday 18:00 JST");
    // Saved replies: a built-in one and the shop's own, filled in for this inquiry.
    let t = e.json(&["inquiry", "template-save", "--name", "営業時間", "--body", "{name}様、{summary}の件は{date}までにご連絡します。"]);
    let filled = e.json(&["inquiry", "template", &id, t["id"].as_str().unwrap()]);
    assert_eq!(filled["text"], "山田 花子様、予約の変更の件は11月24日までにご連絡します。");
    // Six built-in replies (LINE and public review replies since issue 20) and the shop's own.
    assert_eq!(e.json(&["inquiry", "templates"])["templates"].as_array().unwrap().len(), 7);
    // Sunday: two days ahead, nothing due → exit 0. Monday (a holiday): due
    // tomorrow, already on the list (issue 20) → exit 10. Tuesday 18:30 → overdue, exit 10.
    assert_eq!(e.run(&["check", "--now", "2026-11-22T12:00:00+09:00"]).status.code(), Some(0));
    let monday = e.run(&["check", "--now", "2026-11-23T12:00:00+09:00"]);
    assert_eq!(monday.status.code(), Some(10));
    assert!(String::from_utf8_lossy(&monday.stdout).contains("明日18:00までに返信: 山田 花子"));
    let o = e.run(&["check", "--now", "2026-11-24T18:30:00+09:00"]);
    assert_eq!(o.status.code(), Some(10));
    assert!(String::from_utf8_lossy(&o.stdout).contains("返信期限を過ぎています: 山田 花子"));
    let list = e.json(&["inquiry", "list", "--open"]);
    assert_eq!(list["inquiries"][0]["who"], "山田 花子");
    // Interim reply moves the deadline; the real reply and close with a follow-up.
    let r = e.json(&["inquiry", "reply", &id, "--interim", "--by", "2099-01-05", "--text", "確認中です"]);
    assert_eq!(r["due_at"], "2099-01-05T09:00:00Z");
    e.json(&["inquiry", "reply", &id, "--text", "変更しました"]);
    let closed = e.json(&["inquiry", "close", &id, "--follow-up", "2099-02-01"]);
    assert_eq!(closed["status"], "done");
    assert_eq!(e.json(&["inquiry", "list", "--open"])["inquiries"].as_array().unwrap().len(), 0);
    let o = e.run(&["check", "--now", "2099-02-01T09:00:00+09:00"]);
    assert_eq!(o.status.code(), Some(10));
    assert!(String::from_utf8_lossy(&o.stdout).contains("フォローアップ"));
    // The timeline holds the story, in order.
    let shown = e.json(&["customer", "show", "山田"]);
    let texts: Vec<&str> = shown["timeline"].as_array().unwrap().iter().map(|t| t["text"].as_str().unwrap()).collect();
    assert!(texts.iter().any(|t| t.starts_with("問い合わせ")) && texts.last().unwrap().starts_with("対応済み"), "{texts:?}");
}

#[test]
fn bad_input_is_one_error_line() {
    let e = Env::new();
    for (args, code, needle) in [
        (vec!["inquiry", "add", "--channel", "fax", "--from", "x", "--summary", "y"], 1, "not a channel"),
        (vec!["inquiry", "add", "--channel", "line", "--summary", "y"], 1, "sender"),
        (vec!["inquiry", "add", "--channel", "line", "--from", "x", "--summary", "y", "--reply-within", "soon"], 1, "reply deadline"),
        (vec!["inquiry", "add", "--channel", "line", "--from", "x", "--summary", "y", "--received", "2026/11/20"], 2, "RFC 3339"),
        (vec!["inquiry", "reply", "nope"], 1, "not found"),
        (vec!["customer", "add", "--name", "a", "--email", "not-mail"], 1, "email"),
        (vec!["shop", "--closed-days", "someday"], 1, "weekday"),
        (vec!["shop", "--close", "07:00"], 1, "close"),
    ] {
        let o = e.run(&args);
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.starts_with("error: ") && err.lines().count() == 1 && err.contains(needle), "{args:?}: {err}");
    }
    assert_eq!(e.json(&["customer", "list"])["customers"].as_array().unwrap().len(), 0);
    assert_eq!(e.json(&["inquiry", "list"])["inquiries"].as_array().unwrap().len(), 0);
}

#[test]
fn csv_import_shift_jis_dry_run_then_import() {
    let e = Env::new();
    let csv = "お名前,ふりがな,電話,メール,メモ\n山田 花子,やまだ はなこ,090-1234-5678,hanako@example.jp,\"初回\n紹介あり\"\n,,03-0000-0000,,\n佐藤 一郎,さとう いちろう,,bad,\n";
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(csv);
    let file = e.dir.join("顧客.csv");
    std::fs::write(&file, &sjis).unwrap();
    let f = file.to_str().unwrap();
    let dry = e.json(&["customer", "import", f, "--dry-run"]);
    assert_eq!(dry["encoding"], "Shift_JIS");
    assert_eq!(dry["rows"].as_array().unwrap().len(), 1);
    assert_eq!(dry["skipped"].as_array().unwrap().len(), 2);
    assert_eq!(dry["imported"], 0);
    assert_eq!(e.json(&["customer", "list"])["customers"].as_array().unwrap().len(), 0);
    let done = e.json(&["customer", "import", f]);
    assert_eq!(done["imported"], 1);
    let c = e.json(&["customer", "show", "山田 花子"]);
    assert_eq!(c["notes"], "初回\n紹介あり");
    // Importing again finds the duplicate and adds nothing.
    assert_eq!(e.json(&["customer", "import", f])["imported"], 0);
    let o = e.run(&["customer", "import", e.dir.join("missing.csv").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
}

/// The shop's name is saved once (`shop --name`) and signs every saved reply;
/// the built-in booking reply leaves the appointment for the owner to write
/// instead of printing the reply deadline, and the apology quotes no internal note.
#[test]
fn replies_are_signed_with_the_shop_name_and_invent_nothing() {
    let e = Env::new();
    e.json(&["customer", "add", "--name", "山田 花子"]);
    let i = e.json(&[
        "inquiry",
        "add",
        "--customer",
        "山田 花子",
        "--channel",
        "line",
        "--summary",
        "院長の対応が雑だと不満",
        "--kind",
        "complaint",
    ]);
    let id = i["id"].as_str().unwrap();
    assert!(e.json(&["inquiry", "template", id, "builtin-thanks"])["text"].as_str().unwrap().contains("当店です"));
    assert_eq!(e.json(&["shop", "--name", "さくら整骨院"])["name"], "さくら整骨院");
    let thanks = e.json(&["inquiry", "template", id, "builtin-thanks"]);
    assert!(thanks["text"].as_str().unwrap().contains("さくら整骨院です"), "{thanks}");
    let booking = e.json(&["inquiry", "template", id, "ご予約の確認"])["text"].as_str().unwrap().to_string();
    assert!(booking.contains("（ご予約の日時をここに）にお待ちしております") && !booking.contains("月"), "{booking}");
    let apology = e.json(&["inquiry", "template", id, "builtin-apology"])["text"].as_str().unwrap().to_string();
    assert!(!apology.contains("院長の対応が雑"), "the shop's own note stays out of a public reply: {apology}");
    assert!(apology.ends_with("さくら整骨院"), "{apology}");
}

/// The shop's time zone is a setting of the store (`shop --timezone`), read by
/// every command; `$NOREN_TZ` still overrides it for one run.
#[test]
fn the_shop_time_zone_is_a_setting_and_noren_tz_overrides_it_for_one_run() {
    let e = Env::new();
    assert_eq!(e.json(&["shop"])["timezone"], "", "no zone set: Asia/Tokyo");
    let bad = e.run(&["shop", "--timezone", "Mars/Olympus"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("timezone"), "{}", String::from_utf8_lossy(&bad.stderr));
    assert_eq!(e.json(&["shop", "--timezone", "Europe/Berlin"])["timezone"], "Europe/Berlin");
    let shop = String::from_utf8_lossy(&e.run(&["shop"]).stdout).to_string();
    assert!(shop.contains("time zone Europe/Berlin"), "{shop}");
    let add = |vars: &[(&str, &str)]| {
        let o = e.run_with(
            &[
                "inquiry",
                "add",
                "--channel",
                "email",
                "--from",
                "a@example.jp",
                "--received",
                "2026-11-20T14:00:00Z",
                "--summary",
                "予約",
                "--reply-within",
                "1bd",
                "--json",
            ],
            vars,
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["due_at"].as_str().unwrap().to_string()
    };
    // Friday 15:00 in Berlin; Monday 23rd is a national holiday (closed): Tuesday 18:00 in Berlin.
    assert_eq!(add(&[]), "2026-11-24T17:00:00Z");
    // The same instant is Friday 23:00 in Tokyo: Tuesday 18:00 in Tokyo.
    assert_eq!(add(&[("NOREN_TZ", "Asia/Tokyo")]), "2026-11-24T09:00:00Z");
    // Clearing the setting goes back to Asia/Tokyo.
    assert_eq!(e.json(&["shop", "--timezone", ""])["timezone"], "");
    assert_eq!(add(&[]), "2026-11-24T09:00:00Z");
}
