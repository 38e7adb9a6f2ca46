//! Vendors, renewals and incidents through a real store: reminder stages at a
//! fixed `now`, card-expiry conflicts, rolling forward, contract mirrors, the
//! certificate check against a local TLS server (certificate made by openssl),
//! RDAP from a local server, incident reports and action-item reminders.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{Duration, NaiveDate, Utc};
use noren_core::incident::{self, Audience, Impact, IncidentInput, ReportFormat};
use noren_core::reminders::{self, DueItem, Inputs, Kind, Settings, Severity};
use noren_core::renewal::{self, RenewalInput, RenewalKind};
use noren_core::session::Session;
use noren_core::tls_check;
use noren_core::vendor::{self, Contract, FeeKind, VendorInput, VendorRole};
use noren_core::Store;

mod common;
use common::{ok, serve, utc};

const TZ: chrono_tz::Tz = chrono_tz::Asia::Tokyo;

fn store(dir: &tempfile::TempDir) -> Store {
    common::new_store(dir.path())
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn renewal(st: &Store, kind: RenewalKind, name: &str, due: &str, card: Option<&str>) -> renewal::Renewal {
    let input = RenewalInput {
        kind: Some(kind),
        name: Some(name.into()),
        due: Some(due.into()),
        card: card.map(String::from),
        ..Default::default()
    };
    renewal::add(st, &input, utc("2026-11-22T00:00:00Z")).unwrap()
}

fn items(st: &Store, now: &str) -> Vec<DueItem> {
    let renewals = renewal::list(st).unwrap();
    let incidents = incident::list(st).unwrap();
    reminders::due_items(&Inputs { renewals: &renewals, incidents: &incidents, ..Default::default() }, utc(now), &Settings::default())
}

#[test]
fn renewal_stages_follow_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(&dir);
    let r = renewal(&st, RenewalKind::Domain, "salon-example.com", "2027-03-31", None);
    assert!(items(&st, "2026-12-01T09:00:00+09:00").is_empty(), "120 days ahead: nothing yet");
    let at90 = items(&st, "2027-01-01T09:00:00+09:00");
    assert_eq!(at90.len(), 1);
    assert_eq!(at90[0].key, format!("renewal:{}:90", r.id));
    assert_eq!(at90[0].severity, Severity::Info);
    let at30 = items(&st, "2027-03-01T09:00:00+09:00");
    assert_eq!(at30[0].key, format!("renewal:{}:30", r.id));
    assert_eq!(at30[0].severity, Severity::Warning);
    assert!(
        at30[0].title.text(noren_core::messages::Lang::Ja).contains("あと30日"),
        "{}",
        at30[0].title.text(noren_core::messages::Lang::Ja)
    );
    assert_eq!(items(&st, "2027-03-24T09:00:00+09:00")[0].key, format!("renewal:{}:7", r.id));
    // 2027-03-31T16:00Z is already 04-01 in Tokyo: overdue.
    let late = items(&st, "2027-03-31T16:00:00Z");
    assert_eq!(late[0].key, format!("renewal:{}:0", r.id));
    assert_eq!(late[0].severity, Severity::Urgent);
    assert!(late[0].title.text(noren_core::messages::Lang::Ja).contains("過ぎています"));

    // Configurable stages, stored with the notification settings and used by the session.
    let mut ns = noren_core::notify::load_settings(&st).unwrap();
    ns.renewal_stages = vec![7, 60];
    noren_core::notify::save_settings(&st, &ns).unwrap();
    assert_eq!(noren_core::notify::load_settings(&st).unwrap().renewal_stages, vec![60, 7]);
    let mut session = Session::new(st);
    let got = session.due_items(utc("2027-03-01T09:00:00+09:00"), &Settings::default()).unwrap();
    assert_eq!(got[0].key, format!("renewal:{}:60", r.id));
    ns.renewal_stages = vec![0];
    assert!(noren_core::notify::save_settings(session.store(), &ns).is_err());
}

#[test]
fn renewed_rolls_forward_and_late_renewals_catch_up() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(&dir);
    let now = utc("2027-03-20T00:00:00Z");
    renewal(&st, RenewalKind::Domain, "salon-example.com", "2027-03-31", None);
    let r = renewal::done(&st, "salon-example.com", None, d("2027-03-20"), now).unwrap();
    assert_eq!(r.due, d("2028-03-31"));
    assert_eq!(r.last_renewed, Some(d("2027-03-20")));
    // SSL defaults to 3 months; renewed long after it lapsed, it lands after today.
    renewal(&st, RenewalKind::Ssl, "www.salon-example.com", "2026-01-15", None);
    let s = renewal::done(&st, "www.salon-example.com", None, d("2027-03-20"), now).unwrap();
    assert_eq!(s.due, d("2027-04-15"));
    // An explicit new date must move forward.
    assert!(renewal::done(&st, "www.salon-example.com", Some("2027-01-01"), d("2027-03-20"), now).is_err());
    let s = renewal::done(&st, "www.salon-example.com", Some("2027-07-01"), d("2027-03-20"), now).unwrap();
    assert_eq!(s.due, d("2027-07-01"));
    // Bad input is refused with the field named.
    let e = renewal::add(
        &st,
        &RenewalInput { kind: Some(RenewalKind::Hosting), name: Some("x".into()), due: Some("31.03.2027".into()), ..Default::default() },
        now,
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    assert!(e.to_string().contains("YYYY-MM-DD"));
    let e = renewal::add(
        &st,
        &RenewalInput { kind: Some(RenewalKind::Hosting), name: Some("  ".into()), due: Some("2027-01-01".into()), ..Default::default() },
        now,
    )
    .unwrap_err();
    assert!(e.to_string().contains("name"));
}

#[test]
fn a_card_expiring_before_a_renewal_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(&dir);
    let card = renewal(&st, RenewalKind::Card, "会社のVisa", "2027-05", None);
    assert_eq!(card.due, d("2027-05-31"));
    let dom = renewal(&st, RenewalKind::Domain, "salon-example.com", "2027-08-01", Some("会社のVisa"));
    let srv = renewal(&st, RenewalKind::Hosting, "レンタルサーバー", "2027-04-30", Some(&card.id));
    assert_eq!(dom.card_id.as_deref(), Some(card.id.as_str()));
    // A non-card cannot pay.
    let e = renewal::edit(
        &st,
        &srv.id,
        &RenewalInput { card: Some("salon-example.com".into()), ..Default::default() },
        utc("2026-11-22T00:00:00Z"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("not a card"), "{e}");

    let conflicts = renewal::card_conflicts(&renewal::list(&st).unwrap());
    assert_eq!(conflicts.len(), 1, "the server renews before the card expires; the domain after");
    assert_eq!(conflicts[0].renewal_id, dom.id);
    // Announced once the card is within the first stage (90 days) of expiring.
    let early = items(&st, "2026-12-01T09:00:00+09:00");
    assert!(early.iter().all(|i| i.kind != Kind::CardExpiry));
    let later = items(&st, "2027-03-15T09:00:00+09:00");
    let flag: Vec<_> = later.iter().filter(|i| i.kind == Kind::CardExpiry).collect();
    assert_eq!(flag.len(), 1);
    assert_eq!(flag[0].record.id, dom.id);
    assert!(
        flag[0].title.text(noren_core::messages::Lang::Ja).contains("会社のVisa"),
        "{}",
        flag[0].title.text(noren_core::messages::Lang::Ja)
    );

    // The new card arrives: its expiry moves and the conflict is gone.
    renewal::done(&st, "会社のVisa", Some("2031-05"), d("2027-03-15"), utc("2027-03-15T00:00:00Z")).unwrap();
    assert!(renewal::card_conflicts(&renewal::list(&st).unwrap()).is_empty());
    // Removing a card leaves the renewals charged to nothing.
    renewal::remove(&st, "会社のVisa", utc("2027-03-15T00:00:00Z")).unwrap();
    assert!(renewal::list(&st).unwrap().iter().all(|r| r.card_id.is_none()));
}

fn contract() -> Contract {
    Contract {
        included: "月1回の更新作業、障害の一次対応".into(),
        extra: "デザイン変更は別途見積もり".into(),
        emergency: "夜間・休日の緊急対応 +22,000円".into(),
        fee_kind: FeeKind::Monthly,
        fee_yen: Some(11000),
        start: Some(d("2026-04-01")),
        end: Some(d("2027-03-31")),
        auto_renew: true,
        notice_days: Some(30),
        response_days: Some(3),
        ..Contract::default()
    }
}

#[test]
fn vendors_mirror_their_contract_end_as_a_renewal_and_answer_who_to_call() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(&dir);
    let now = utc("2026-11-20T10:00:00+09:00");
    let input = VendorInput {
        company: Some("ウェブ工房".into()),
        role: Some(VendorRole::Maintenance),
        phone: Some("03-1234-5678".into()),
        assets: Some(vec!["ホームページ".into(), "salon-example.com".into()]),
        contract: Some(contract()),
        ..Default::default()
    };
    let v = vendor::add(&st, &input, now).unwrap();
    let mirror = vendor::contract_renewal(&st, &v.id).unwrap().unwrap();
    assert_eq!(mirror.kind, RenewalKind::Contract);
    assert_eq!(mirror.due, d("2027-03-31"));
    assert!(mirror.auto_renew);
    // The notice period is kept as a catalogue message beside the owner's note, not in it.
    assert!(mirror.notice.as_ref().unwrap().text(noren_core::messages::Lang::Ja).contains("30日前"));
    assert_eq!(mirror.notice.as_ref().unwrap().text(noren_core::messages::Lang::En), "Notice 30 days before the end");
    assert!(mirror.note.is_empty());
    // The owner's own note on it survives the vendor's next save; the line earlier versions
    // wrote there is cleared.
    let mut noted = mirror.clone();
    noted.note = "更新前に見積もりを取る".into();
    st.put(&noted).unwrap();
    vendor::edit(&st, &v.id, &VendorInput { phone: Some("03-1234-0000".into()), ..Default::default() }, now).unwrap();
    assert_eq!(vendor::contract_renewal(&st, &v.id).unwrap().unwrap().note, "更新前に見積もりを取る");
    noted.note = "解約・変更の連絡は終了の30日前まで / Notice 30 days before the end".into();
    st.put(&noted).unwrap();
    vendor::edit(&st, &v.id, &VendorInput { phone: Some("03-1234-5678".into()), ..Default::default() }, now).unwrap();
    assert!(vendor::contract_renewal(&st, &v.id).unwrap().unwrap().note.is_empty());
    // Moving the end moves the renewal; dropping the contract drops it.
    let mut c = contract();
    c.end = Some(d("2027-09-30"));
    vendor::edit(&st, &v.id, &VendorInput { contract: Some(c), ..Default::default() }, now).unwrap();
    assert_eq!(vendor::contract_renewal(&st, &v.id).unwrap().unwrap().due, d("2027-09-30"));
    assert_eq!(renewal::list(&st).unwrap().len(), 1);

    let all = vendor::list(&st).unwrap();
    let a = vendor::who_to_call(&all, "ホームページ", &[], now, TZ);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].inside_hours, Some(true));
    assert!(a[0].cost.text(noren_core::messages::Lang::Ja).contains("月額11,000円"));
    // Saturday: outside hours, with the emergency terms and the next opening (Monday 09:00).
    let sat = vendor::who_to_call(&all, "salon-example.com", &[], utc("2026-11-28T11:00:00+09:00"), TZ);
    assert_eq!(sat[0].inside_hours, Some(false));
    assert_eq!(sat[0].next_open, Some(utc("2026-11-30T09:00:00+09:00")));
    assert!(sat[0].cost.text(noren_core::messages::Lang::Ja).contains("緊急対応"));

    // Backups carry vendors and renewals (and check them on restore).
    let doc = noren_core::backup::document(&st, now).unwrap();
    assert_eq!((doc.counts["vendors"], doc.counts["renewals"], doc.counts["incidents"]), (1, 1, 0));
    assert_eq!(doc.vendors[0].contract.as_ref().unwrap().fee_yen, Some(11000));

    vendor::edit(&st, &v.id, &VendorInput { no_contract: true, ..Default::default() }, now).unwrap();
    assert!(renewal::list(&st).unwrap().is_empty());
    // Bad input: an end before the start, an email without @, an empty company.
    let mut bad = contract();
    bad.end = Some(d("2026-01-01"));
    assert!(vendor::edit(&st, &v.id, &VendorInput { contract: Some(bad), ..Default::default() }, now).is_err());
    assert!(vendor::edit(&st, &v.id, &VendorInput { email: Some("webkobo".into()), ..Default::default() }, now).is_err());
    assert!(vendor::add(&st, &VendorInput { company: Some(" ".into()), ..Default::default() }, now).is_err());
    vendor::remove(&st, "ウェブ工房", now).unwrap();
    assert!(vendor::list(&st).unwrap().is_empty());
}

/// A self-signed certificate valid for `days`, made by the openssl command.
fn openssl_cert(dir: &Path, days: u32) -> (Vec<u8>, Vec<u8>) {
    let out = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"])
        .args(["-keyout", "k.pem", "-out", "c.pem", "-days", &days.to_string(), "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .current_dir(dir)
        .output()
        .expect("openssl is installed (scripts/bootstrap.sh)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (std::fs::read(dir.join("c.pem")).unwrap(), std::fs::read(dir.join("k.pem")).unwrap())
}

/// A TLS server on 127.0.0.1 presenting `cert`; returns its port.
fn tls_server(cert_pem: &[u8], key_pem: &[u8]) -> u16 {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert_pem).map(|c| c.unwrap()).collect();
    let key = PrivateKeyDer::from_pem_slice(key_pem).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in listener.incoming() {
            let Ok(mut s) = s else { continue };
            let config = config.clone();
            std::thread::spawn(move || {
                let mut conn = rustls::ServerConnection::new(config).unwrap();
                while conn.is_handshaking() {
                    if conn.complete_io(&mut s).is_err() {
                        return;
                    }
                }
                let _ = conn.complete_io(&mut s);
            });
        }
    });
    port
}

#[test]
fn certificate_expiry_from_a_local_tls_server() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = openssl_cert(dir.path(), 10);
    let port = tls_server(&cert, &key);
    let before = Utc::now();
    let info = tls_check::check_certificate(&format!("https://127.0.0.1:{port}/"), StdDuration::from_secs(5)).unwrap();
    let expected = before + Duration::days(10);
    assert!((info.not_after - expected).num_seconds().abs() < 120, "{} vs {expected}", info.not_after);
    assert!(!info.trusted, "self-signed");
    let problem = info.problem.clone().unwrap_or_default();
    assert!(problem.contains("self-signed"), "{problem}");

    // The check creates an `ssl` renewal, then updates it (never a second one).
    let st = store(&dir);
    let now = Utc::now();
    let target = format!("127.0.0.1:{port}");
    let r =
        renewal::record_check(&st, RenewalKind::Ssl, &target, Ok(info.not_after.with_timezone(&TZ).date_naive()), now).unwrap().unwrap();
    assert_eq!(r.kind, RenewalKind::Ssl);
    let again = renewal::record_check(&st, RenewalKind::Ssl, &target, Ok(r.due), now).unwrap().unwrap();
    assert_eq!(again.id, r.id);
    assert_eq!(renewal::list(&st).unwrap().len(), 1);
    // Ten days out: the 14-day stage, a warning.
    let due = items(&st, &now.to_rfc3339());
    assert_eq!(due.len(), 1);
    assert!(due[0].key.ends_with(":14"), "{}", due[0].key);
    // A failed re-check keeps the date and says why.
    let err = noren_core::Error::Network("down".into());
    let kept = renewal::record_check(&st, RenewalKind::Ssl, &target, Err(&err), now).unwrap().unwrap();
    assert_eq!(kept.due, r.due);
    assert_eq!(kept.last_check.unwrap().code.as_deref(), Some("network"));
}

#[test]
fn certificate_check_errors_are_clear() {
    // Nobody listening.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let e = tls_check::check_certificate(&format!("https://127.0.0.1:{port}"), StdDuration::from_secs(3)).unwrap_err();
    assert_eq!(e.code(), "network", "{e}");
    assert!(e.to_string().contains("cannot reach"), "{e}");
    // A plain-HTTP server on the https port answers the handshake with an HTTP error page.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(mut s) = s else { continue };
            let mut buf = [0u8; 512];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    let e = tls_check::check_certificate(&format!("https://127.0.0.1:{port}"), StdDuration::from_secs(3)).unwrap_err();
    assert_eq!(e.code(), "not_tls", "{e}");
    // An http:// address is refused before any connection.
    let e = tls_check::check_certificate("http://salon-example.com", StdDuration::from_secs(3)).unwrap_err();
    assert_eq!(e.code(), "invalid_input");
}

#[test]
fn domain_expiry_from_a_local_rdap_server() {
    let base = serve(|path| match path {
        "/domain/salon-example.com" => ok(
            br#"{"objectClassName":"domain","ldhName":"SALON-EXAMPLE.COM","events":[
                {"eventAction":"registration","eventDate":"2019-04-02T10:00:00Z"},
                {"eventAction":"expiration","eventDate":"2027-04-02T10:00:00Z"}]}"#
                .to_vec(),
            "application/rdap+json",
        ),
        "/domain/noexpiry.com" => ok(br#"{"events":[]}"#.to_vec(), "application/rdap+json"),
        _ => ok(b"<html>portal</html>".to_vec(), "text/html"),
    });
    let base = format!("{base}/domain/");
    let t = StdDuration::from_secs(3);
    assert_eq!(tls_check::rdap_expiry("salon-example.com", &base, t).unwrap(), d("2027-04-02"));
    assert_eq!(tls_check::rdap_expiry("noexpiry.com", &base, t).unwrap_err().code(), "no_rdap");
    assert_eq!(tls_check::rdap_expiry("html.com", &base, t).unwrap_err().code(), "no_rdap");
    let e = tls_check::rdap_expiry("salon.co.jp", &base, t).unwrap_err();
    assert_eq!(e.code(), "no_rdap");
    assert!(e.to_string().contains(".jp"));
}

fn incident_with_everything(st: &Store) -> incident::Incident {
    let t0 = utc("2026-11-20T09:30:00+09:00");
    let input = IncidentInput {
        title: Some("予約フォームが送信できない".into()),
        detected_at: Some(t0),
        detection: Some("お客様からの電話で判明".into()),
        situation: Some("予約フォームの送信ボタンを押すとエラーになる".into()),
        checked: Some("Chrome・Safari、PCとスマートフォンで再現".into()),
        impact: Some(Impact {
            from: Some(utc("2026-11-19T22:00:00+09:00")),
            to: Some(utc("2026-11-20T11:00:00+09:00")),
            visits_lost: Some(140),
            orders_lost: Some(6),
            sales_lost_yen: Some(48000),
            affected: "予約フォームを使ったお客様 約6名".into(),
        }),
        cause: Some("プラグインの自動更新でフォームの設定が消えた".into()),
        countermeasure_temp: Some("電話予約の案内をトップに掲載".into()),
        countermeasure_perm: Some("フォーム設定を復元し、自動更新を停止".into()),
        prevention: Some("更新前にバックアップを取り、月1回フォームを試験送信する".into()),
        handled_by: Some("田中（ウェブ工房）".into()),
        cost_yen: Some(22000),
        internal_note: Some("保守契約の範囲外として請求あり".into()),
        ..Default::default()
    };
    let inc = incident::add(st, &input, utc("2026-11-20T10:00:00+09:00")).unwrap();
    incident::log(st, &inc.id, "ウェブ工房に電話、折り返し待ち", Some(utc("2026-11-20T09:45:00+09:00")), utc("2026-11-20T12:00:00+09:00"))
        .unwrap();
    incident::log(st, &inc.id, "フォーム復旧を確認", Some(utc("2026-11-20T11:00:00+09:00")), utc("2026-11-20T12:00:00+09:00")).unwrap();
    // Logged late, but earlier in time: the timeline stays in time order.
    incident::log(st, &inc.id, "トップページにお知らせ掲載", Some(utc("2026-11-20T09:40:00+09:00")), utc("2026-11-20T12:00:00+09:00"))
        .unwrap();
    incident::add_action(st, &inc.id, "自動更新の設定を見直す", "鈴木", Some(d("2026-11-27")), utc("2026-11-20T12:00:00+09:00")).unwrap();
    incident::add_action(st, &inc.id, "お客様6名にお詫びの連絡", "山田", Some(d("2026-11-21")), utc("2026-11-20T12:00:00+09:00")).unwrap();
    incident::resolve(st, &inc.id).unwrap()
}

fn pos(hay: &str, needle: &str) -> usize {
    hay.find(needle).unwrap_or_else(|| panic!("{needle:?} missing from:\n{hay}"))
}

#[test]
fn reports_have_the_five_steps_timeline_and_actions_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(&dir);
    let inc = incident_with_everything(&st);
    let now = utc("2026-11-20T12:00:00+09:00");
    let md = incident::report(&inc, ReportFormat::Md, Audience::Internal, "サロン・ド・ノレン", now, TZ);
    assert!(md.starts_with("# 経緯報告書"), "ongoing → 経緯報告書");
    let order = ["1. 発生状況", "2. 影響範囲", "3. 原因", "4. 対策", "5. 再発防止策", "経緯（時系列）", "対応項目", "社内情報"];
    let at: Vec<usize> = order.iter().map(|h| pos(&md, &format!("## {h}"))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    let tl = ["09:30 発生・検知", "09:40 トップページ", "09:45 ウェブ工房に電話", "11:00 フォーム復旧"];
    let at: Vec<usize> = tl.iter().map(|t| pos(&md, t)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "timeline out of order: {at:?}");
    // Actions by due date; internal shows owners, cost, sales, notes.
    assert!(pos(&md, "お客様6名にお詫び") < pos(&md, "自動更新の設定を見直す"));
    for internal in ["担当 山田", "田中（ウェブ工房）", "22000円", "48000円", "保守契約の範囲外"] {
        pos(&md, internal);
    }
    assert!(md.contains("140件") && md.contains("6件"));

    let ext = incident::report(&inc, ReportFormat::Md, Audience::External, "サロン・ド・ノレン", now, TZ);
    for leak in ["山田", "鈴木", "田中", "22000", "48000", "保守契約の範囲外", "社内"] {
        assert!(!ext.contains(leak), "external report leaks {leak:?}:\n{ext}");
    }
    pos(&ext, "心より深くお詫び申し上げます");
    pos(&ext, "5. 再発防止策");

    // Resolved → 顛末書; HTML is a printable page with the text escaped.
    let closed = incident::close(&st, &inc.id, Some("<b>全件</b>連絡済み"), utc("2026-11-21T18:00:00+09:00")).unwrap();
    let html = incident::report(&closed, ReportFormat::Html, Audience::External, "", now, TZ);
    assert!(html.starts_with("<!DOCTYPE html>"));
    pos(&html, "<h1>顛末書</h1>");
    pos(&html, "解決済み");
    pos(&html, "&lt;b&gt;全件&lt;/b&gt;");
    assert!(!html.contains("<b>全件"));
    assert!(incident::report_file_name(&closed, ReportFormat::Html, Audience::External, TZ).starts_with("2026-11-20_顛末書_社外用_"));
    assert!(incident::close(&st, &inc.id, None, now).is_err(), "already resolved");
}

#[test]
fn action_items_become_reminders_until_done() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(&dir);
    let inc = incident_with_everything(&st);
    assert!(items(&st, "2026-11-20T12:00:00+09:00").is_empty());
    let today = items(&st, "2026-11-21T09:00:00+09:00");
    assert_eq!(today.len(), 1);
    assert_eq!(today[0].kind, Kind::IncidentActionDue);
    assert_eq!(today[0].severity, Severity::Warning);
    assert!(today[0].title.text(noren_core::messages::Lang::Ja).contains("お客様6名にお詫び"));
    let late = items(&st, "2026-11-28T09:00:00+09:00");
    assert_eq!(late.len(), 2);
    assert!(late.iter().all(|i| i.severity == Severity::Urgent));
    let apology = inc.actions.iter().find(|a| a.text.contains("お詫び")).unwrap();
    let after = incident::set_action_done(&st, &apology.id, true, utc("2026-11-21T10:00:00+09:00")).unwrap();
    assert!(after.timeline.iter().any(|e| e.shown(noren_core::messages::Lang::Ja).contains("対応完了")));
    assert_eq!(items(&st, "2026-11-28T09:00:00+09:00").len(), 1);
    assert_eq!(incident::set_action_done(&st, "nope", true, utc("2026-11-21T10:00:00+09:00")).unwrap_err().code(), "not_found");
    // Bad input: empty title, empty log line, a future detection time.
    assert!(incident::add(&st, &IncidentInput { title: Some("".into()), ..Default::default() }, utc("2026-11-21T10:00:00Z")).is_err());
    assert!(incident::log(&st, &inc.id, "  ", None, utc("2026-11-21T10:00:00Z")).is_err());
    let future = IncidentInput { title: Some("x".into()), detected_at: Some(utc("2027-01-01T00:00:00Z")), ..Default::default() };
    assert!(incident::add(&st, &future, utc("2026-11-21T10:00:00Z")).is_err());
}

/// Issue 20: the 顛末書 said 発生・検知 16:37 and 解決 16:39 beside an affected
/// period of 07:00〜11:30, because only the moment of typing was recorded.
/// Real times are kept, refused when impossible, and the report agrees with itself.
#[test]
fn an_incident_keeps_its_real_times_and_the_report_agrees() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let typed = utc("2026-11-20T16:37:00+09:00");
    let input = IncidentInput {
        title: Some("予約フォームが送信できない".into()),
        detected_at: Some(utc("2026-11-20T09:10:00+09:00")),
        impact: Some(Impact {
            from: Some(utc("2026-11-20T07:00:00+09:00")),
            to: Some(utc("2026-11-20T11:30:00+09:00")),
            ..Default::default()
        }),
        credential_ids: Some(vec!["cred1".into(), "cred1".into(), "cred2".into()]),
        ..Default::default()
    };
    let inc = incident::add(&st, &input, typed).unwrap();
    assert_eq!(inc.credential_ids, vec!["cred1", "cred2"], "the logins involved, once each");
    incident::log(&st, &inc.id, "保守会社に電話", Some(utc("2026-11-20T09:30:00+09:00")), typed).unwrap();
    // Resolved before it was detected, or in the future: refused, nothing changes.
    let before = incident::close_at(&st, &inc.id, None, Some(utc("2026-11-20T09:00:00+09:00")), typed).unwrap_err();
    assert!(matches!(before, noren_core::Error::Invalid { field: "resolved_at", .. }), "{before:?}");
    assert!(incident::close_at(&st, &inc.id, None, Some(typed + Duration::hours(2)), typed).is_err());
    assert_eq!(incident::resolve(&st, &inc.id).unwrap().status, incident::IncidentStatus::Open);
    let done = incident::close_at(&st, &inc.id, Some("フォーム復旧"), Some(utc("2026-11-20T11:35:00+09:00")), typed).unwrap();
    let times: Vec<String> = done.timeline.iter().map(|e| e.at.with_timezone(&TZ).format("%H:%M").to_string()).collect();
    assert_eq!(times, vec!["09:10", "09:30", "11:35"], "in time order, at the real times");
    // Detected after it was resolved: refused.
    let late = IncidentInput { detected_at: Some(utc("2026-11-20T12:00:00+09:00")), ..Default::default() };
    assert!(incident::edit(&st, &inc.id, &late, typed).is_err());

    let report = incident::report(&done, ReportFormat::Md, Audience::External, "さくら整骨院", typed, TZ);
    assert!(report.contains("| 発生日時 | 2026年11月20日 07:00 |"), "{report}");
    assert!(report.contains("| 検知日時 | 2026年11月20日 09:10 |"), "{report}");
    assert!(report.contains("解決済み（2026年11月20日 11:35）"), "{report}");
    let typing: Vec<&str> = report.lines().filter(|l| l.contains("16:37")).collect();
    assert_eq!(typing, vec!["| 作成日 | 2026年11月20日 16:37 |"], "the typing time only as the report's date");
    assert!(!report.contains("発生・検知日時"), "{report}");
}
