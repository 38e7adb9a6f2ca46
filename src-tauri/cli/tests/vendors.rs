//! Vendors, renewals and incidents from the command line: the contract flags
//! of issue 8, --json with ids, `check --now` stages (exit 10), reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::Env;

fn keys(v: &serde_json::Value) -> Vec<String> {
    v["items"].as_array().unwrap().iter().map(|i| i["key"].as_str().unwrap().to_string()).collect()
}

#[test]
fn renewal_stages_cards_and_rolling_forward_with_now() {
    let e = Env::new();
    let card = e.json(&["renewal", "add", "--kind", "card", "--name", "会社のVisa", "--due", "05/27"]);
    assert_eq!(card["due"], "2027-05-31");
    let dom = e.json(&[
        "renewal",
        "add",
        "--kind",
        "domain",
        "--name",
        "salon-example.com",
        "--due",
        "2027-03-31",
        "--card",
        "会社のVisa",
        "--auto-renew",
    ]);
    let dom_id = dom["id"].as_str().unwrap().to_string();
    assert_eq!(dom["auto_renew"], true);
    assert_eq!(dom["card_id"], card["id"]);

    // Nothing on 2026-12-01; the 30-day stage on 2027-03-01 (exit 10).
    let o = e.run(&["check", "--now", "2026-12-01T09:00:00+09:00", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    let o = e.run(&["check", "--now", "2027-03-01T09:00:00+09:00", "--json"]);
    assert_eq!(o.status.code(), Some(10));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(keys(&v).contains(&format!("renewal:{dom_id}:30")), "{v}");

    // A hosting renewal after the card's expiry is flagged.
    e.json(&["renewal", "add", "--kind", "hosting", "--name", "サーバー", "--due", "2027-09-30", "--card", "会社のVisa"]);
    let list = e.json(&["renewal", "list"]);
    assert_eq!(list["card_conflicts"].as_array().unwrap().len(), 1);
    assert_eq!(list["card_conflicts"][0]["renewal_name"], "サーバー");
    let v = e.json(&["check", "--now", "2027-04-01T09:00:00+09:00"]);
    assert!(v["items"].as_array().unwrap().iter().any(|i| i["kind"] == "card_expiry"), "{v}");

    // Renewed rolls a year forward.
    let r = e.json(&["renewal", "done", &dom_id]);
    assert_eq!(r["due"], "2028-03-31");
    // Wrong dates are usage-level input errors with the format named; nothing is written.
    let o = e.run(&["renewal", "add", "--kind", "ssl", "--name", "x", "--due", "31/03/2027"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("YYYY-MM-DD"));
    let o = e.run(&["renewal", "add", "--kind", "boat", "--name", "x", "--due", "2027-03-31"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(e.json(&["renewal", "list"])["renewals"].as_array().unwrap().len(), 3);
    // Configurable stages.
    assert_eq!(e.json(&["renewal", "stages", "60,7"])["renewal_stages"], serde_json::json!([60, 7]));
}

#[test]
fn vendor_contract_and_who_to_call() {
    let e = Env::new();
    let v = e.json(&[
        "vendor",
        "add",
        "--company",
        "ウェブ工房",
        "--role",
        "maintenance",
        "--phone",
        "03-1234-5678",
        "--asset",
        "ホームページ",
        "--asset",
        "salon-example.com",
        "--contact",
        "田中,090-0000-1111,tanaka@webkobo.example",
        "--fee-kind",
        "monthly",
        "--fee",
        "11000",
        "--hours",
        "10:00-17:00",
        "--closed-days",
        "sat,sun",
        "--emergency",
        "緊急対応 +22,000円",
        "--start",
        "2026-04-01",
        "--end",
        "2027-03-31",
        "--notice-days",
        "30",
    ]);
    assert_eq!(v["contract"]["hours"]["open"], "10:00");
    assert_eq!(v["contacts"][0]["email"], "tanaka@webkobo.example");
    // The contract end became a renewal (readable with the calendar key alone).
    let list = e.json(&["renewal", "list"]);
    assert_eq!(list["renewals"][0]["kind"], "contract");
    assert_eq!(list["renewals"][0]["due"], "2027-03-31");

    let who = e.json(&["vendor", "who", "ホームページ", "--now", "2026-11-24T10:30:00+09:00"]);
    assert_eq!(who["vendors"][0]["inside_hours"], true);
    // The cost in both languages, as the JSON has always had it.
    assert!(!who["vendors"][0]["cost_ja"].as_str().unwrap().is_empty() && !who["vendors"][0]["cost_en"].as_str().unwrap().is_empty());
    // 勤労感謝の日 (Mon 2026-11-23): closed, next opening Tuesday 10:00 JST.
    let who = e.json(&["vendor", "who", "ホームページ", "--now", "2026-11-23T12:00:00+09:00"]);
    assert_eq!(who["vendors"][0]["inside_hours"], false);
    assert_eq!(who["vendors"][0]["next_open"], "2026-11-24T01:00:00Z");
    let o = e.run(&["vendor", "who", "instagram"]);
    assert_eq!(o.status.code(), Some(1), "nobody looks after it");
    let o = e.run(&["vendor", "add", "--company", "x", "--fee-kind", "weekly"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("fee kind"));
    let o = e.run(&["vendor", "edit", "ウェブ工房", "--no-contract"]);
    assert!(o.status.success());
    assert!(e.json(&["renewal", "list"])["renewals"].as_array().unwrap().is_empty());
}

#[test]
fn incident_log_actions_close_and_reports() {
    let e = Env::new();
    let i = e.json(&[
        "incident",
        "add",
        "--title",
        "予約フォームが送信できない",
        "--detected",
        "2026-11-20T09:30:00+09:00",
        "--situation",
        "送信ボタンでエラー",
    ]);
    let id = i["id"].as_str().unwrap().to_string();
    let list = e.json(&["incident", "list"]);
    assert_eq!(list["incidents"][0]["id"], id.as_str());
    e.json(&[
        "incident",
        "edit",
        &id,
        "--cause",
        "プラグイン更新",
        "--prevention",
        "更新前に確認",
        "--cost",
        "22000",
        "--handled-by",
        "田中",
    ]);
    e.json(&["incident", "log", &id, "ウェブ工房に電話", "--at", "2026-11-20T09:45:00+09:00"]);
    let a = e.json(&["incident", "action", &id, "お客様にお詫びの連絡", "--owner", "山田", "--due", "2026-11-21"]);
    let action_id = a["action"]["id"].as_str().unwrap().to_string();

    let o = e.run(&["check", "--now", "2026-11-22T09:00:00+09:00", "--json"]);
    assert_eq!(o.status.code(), Some(10));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(keys(&v).contains(&format!("action:{action_id}:late")), "{v}");

    let out = e.dir.join("report.html");
    let o = e.run(&["incident", "report", &id, "--format", "html", "--audience", "external", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<h1>経緯報告書</h1>"));
    assert!(!html.contains("田中") && !html.contains("22000") && !html.contains("山田"), "{html}");
    let md = e.run(&["incident", "report", &id, "--audience", "internal"]);
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.contains("担当 山田") && md.contains("22000円"));
    assert!(md.find("3. 原因").unwrap() < md.find("5. 再発防止策").unwrap());

    e.json(&["incident", "action", &id, "--done", &action_id]);
    assert_eq!(e.run(&["check", "--now", "2026-11-22T09:00:00+09:00"]).status.code(), Some(0));
    let c = e.json(&["incident", "close", &id, "--note", "全件連絡済み"]);
    assert_eq!(c["status"], "resolved");
    let md = String::from_utf8(e.run(&["incident", "report", &id]).stdout).unwrap();
    assert!(md.starts_with("# 顛末書"));
    let o = e.run(&["incident", "report", &id, "--format", "pdf"]);
    assert_eq!(o.status.code(), Some(1));
    let o = e.run(&["incident", "add", "--title", ""]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn cert_check_errors_without_network() {
    let e = Env::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let o = e.run(&["cert", "check", &format!("https://127.0.0.1:{port}")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot reach"));
    let o = e.run(&["cert", "check", "http://salon-example.com"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("https://"));
    let o = e.run(&["domain", "check", "salon-example.jp"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains(".jp"));
    assert!(e.json(&["renewal", "list"])["renewals"].as_array().unwrap().is_empty(), "failed first checks create nothing");
}

/// Every command that writes a dated record dates it by `--now`/`NOREN_NOW`
/// (the tests' fixed clock here), never by the machine's clock.
#[test]
fn dated_records_take_the_clock_from_now() {
    let e = Env::new();
    let at = common::clock();
    let date = |v: &serde_json::Value, field: &str| -> chrono::DateTime<chrono::Utc> {
        let s = v[field].as_str().unwrap_or_else(|| panic!("no {field} in {v}"));
        chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    };
    let cred = e.json(&["cred", "add", "--category", "website", "--name", "ホームページ"]);
    assert_eq!(date(&cred["credential"], "created_at"), at);
    assert_eq!(date(&cred["credential"], "last_rotated"), at);
    assert_eq!(date(&e.json(&["customer", "add", "--name", "山田 花子"]), "created_at"), at);
    let inq = e.json(&["inquiry", "add", "--channel", "line", "--from", "佐藤", "--summary", "予約の変更"]);
    assert_eq!(date(&inq, "received_at"), at);
    e.json(&["channel", "add", "--kind", "blog", "--name", "院長ブログ"]);
    assert_eq!(date(&e.json(&["post", "log", "院長ブログ"]), "at"), at);
    assert_eq!(
        date(&e.json(&["renewal", "add", "--kind", "domain", "--name", "salon-example.com", "--due", "2027-03-31"]), "created_at"),
        at
    );
    assert_eq!(date(&e.json(&["vendor", "add", "--company", "ウェブ工房"]), "created_at"), at);
    assert_eq!(date(&e.json(&["people", "add", "田中"]), "created_at"), at);
    let inc = e.json(&["incident", "add", "--title", "サイトが表示されない"]);
    assert_eq!(date(&inc, "created_at"), at);
    let usb = e.dir.join("usb");
    std::fs::create_dir(&usb).unwrap();
    let b = e.json(&["backup", "auto", "--dir", usb.to_str().unwrap()]);
    assert!(b["written"].as_str().unwrap().ends_with("noren-20261122-010000.age"), "{b}");
    // A `--now` on the command wins over NOREN_NOW, before or after the command's name.
    let later = e.json(&["--now", "2027-01-05T09:00:00+09:00", "people", "add", "佐藤"]);
    assert_eq!(later["created_at"], "2027-01-05T00:00:00Z");
    let later = e.json(&["customer", "add", "--name", "鈴木", "--now", "2027-01-06T09:00:00+09:00"]);
    assert_eq!(later["created_at"], "2027-01-06T00:00:00Z");
}

/// Dates as an owner writes them (slashes, 年月日, the Japanese era) are
/// taken wherever a date is typed; a date that does not exist is refused by name.
#[test]
fn dates_in_japanese_forms_are_taken() {
    let e = Env::new();
    let r = e.json(&["renewal", "add", "--kind", "domain", "--name", "salon-example.com", "--due", "令和9年3月31日"]);
    assert_eq!(r["due"], "2027-03-31", "{r}");
    let r = e.json(&["renewal", "add", "--kind", "domain", "--name", "salon-example.jp", "--due", "2027/4/1"]);
    assert_eq!(r["due"], "2027-04-01", "{r}");
    let c = e.json(&["cred", "add", "--category", "domain", "--name", "お名前.com", "--renewal", "R9.2.19"]);
    assert_eq!(c["credential"]["renewal_date"], "2027-02-19", "{c}");
    let o = e.run(&["renewal", "add", "--kind", "domain", "--name", "x.example.jp", "--due", "2027/2/30"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("2027/2/30") && err.contains("令和9年3月31日"), "{err}");
}
