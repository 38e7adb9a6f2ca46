//! Handover from the command line: people, departure checklist in `check`,
//! `cred rotate` closing it, `audit`, `kit export` / `kit recover`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Stdio};

mod common;
use common::Env;

/// Changes a password at `now` (RFC 3339).
fn rotate(e: &Env, name: &str, pw: &str, now: &str) {
    let mut child = common::noren_cli()
        .args(["--store", e.store.to_str().unwrap(), "cred", "rotate", name, "--password-stdin", "--now", now])
        .env("NOREN_PASSPHRASE_FILE", &e.passfile)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{pw}\n").as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
}

fn add_cred(e: &Env, args: &[&str], pw: &str) {
    let mut child = common::noren_cli()
        .args(["--store", e.store.to_str().unwrap(), "cred", "add", "--password-stdin"])
        .args(args)
        .env("NOREN_PASSPHRASE_FILE", &e.passfile)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{pw}\n").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn departure_shows_in_check_until_rotated() {
    let e = Env::new();
    e.json(&["people", "add", "田中", "--role", "web", "--email", "tanaka@example.net"]);
    e.json(&["people", "add", "佐藤"]);
    add_cred(&e, &["--category", "server", "--name", "サーバー", "--known-by", "田中"], "Pq2@wE5!rT8#yU1i");
    add_cred(&e, &["--category", "sns", "--name", "Instagram", "--known-by", "田中", "--known-by", "佐藤"], "Kp3$wQ9!nB7&xR2z");
    add_cred(&e, &["--category", "website", "--name", "WordPress", "--known-by", "佐藤"], "Zt6^hN1*qW8%eY3u");
    // Left today: every password set before now was known to them.
    let d = e.json(&["people", "depart", "田中"]);
    let items = d["departure"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["credential_name"], "サーバー", "server before SNS");

    let o = e.run(&["check", "--json"]);
    assert_eq!(o.status.code(), Some(10));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let h: Vec<_> = v["items"].as_array().unwrap().iter().filter(|i| i["kind"] == "handover_rotation").collect();
    assert_eq!(h.len(), 1);
    assert!(h[0]["title_ja"].as_str().unwrap().contains("0/2"));

    // An hour after the departure was recorded, the passwords are changed.
    let later = common::clock_plus_hours(1);
    rotate(&e, "サーバー", "New-Server-Pass-2026!", &later);
    rotate(&e, "Instagram", "New-Insta-Pass-2026!", &later);
    let o = e.run(&["people", "checklist", "田中", "--now", &later]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    let o = e.run(&["check", "--json", "--now", &later]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["items"].as_array().unwrap().iter().all(|i| i["kind"] != "handover_rotation"), "{v}");
    // Unknown people are refused when departing.
    assert_eq!(e.run(&["people", "depart", "山本"]).status.code(), Some(1));
}

#[test]
fn untagged_logins_are_reviewed_on_the_departure_checklist() {
    let e = Env::new();
    e.json(&["people", "add", "田中", "--role", "web", "--email", "tanaka@example.net"]);
    add_cred(&e, &["--category", "website", "--name", "WordPress", "--known-by", "田中"], "Zt6^hN1*qW8%eY3u");
    add_cred(&e, &["--category", "email", "--name", "お店のメール"], "Ml4#pW8!qZ2^kT6r");
    add_cred(&e, &["--category", "sns", "--name", "Instagram"], "Kp3$wQ9!nB7&xR2z");
    let d = e.json(&["people", "depart", "田中"]);
    let items = d["departure"]["items"].as_array().unwrap();
    let names: Vec<&str> = items.iter().map(|i| i["credential_name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["お店のメール", "WordPress", "Instagram"], "untagged ones listed too, riskiest first");
    assert_eq!(items[0]["needs_review"], true);
    let text = e.run(&["people", "checklist", "田中"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("[?] お店のメール"), "{}", String::from_utf8_lossy(&text.stdout));

    let d = e.json(&["people", "review", "田中", "お店のメール", "--knew"]);
    let mail = d["departure"]["items"].as_array().unwrap().iter().find(|i| i["credential_name"] == "お店のメール").unwrap().clone();
    assert_eq!(
        (mail["needs_review"].as_bool(), mail["knew_password"].as_bool(), mail["done"].as_bool()),
        (Some(false), Some(true), Some(false))
    );
    let d = e.json(&["people", "review", "田中", "--none-of-the-rest"]);
    assert_eq!(d["departure"]["done"], 1, "Instagram cleared: {d}");
    assert_eq!(d["departure"]["total"], 3);
    // The answer is required; an unknown login is refused.
    assert_eq!(e.run(&["people", "review", "田中", "Instagram"]).status.code(), Some(2));
    assert_ne!(e.run(&["people", "review", "田中", "no-such", "--did-not-know"]).status.code(), Some(0));
}

#[test]
fn audit_reports_reuse_across_categories() {
    let e = Env::new();
    add_cred(&e, &["--category", "sns", "--name", "Instagram", "--two-factor-holder", "店のiPhone"], "Same-Pass-2026!xyz");
    add_cred(&e, &["--category", "portal", "--name", "ホットペッパー"], "Same-Pass-2026!xyz");
    let o = e.run(&["audit", "--json"]);
    assert_eq!(o.status.code(), Some(10));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let reused: Vec<_> = v["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == "reused_password").collect();
    assert_eq!(reused.len(), 2);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("Same-Pass"), "no password in the audit output");
}

/// The JSON keeps the texts it has always had beside the catalogue messages: the audit's
/// why/what and the checklist's steps in Japanese and English.
#[test]
fn json_keeps_texts_in_both_languages() {
    let e = Env::new();
    e.json(&["people", "add", "田中", "--role", "web", "--email", "tanaka@example.net"]);
    add_cred(&e, &["--category", "sns", "--name", "Instagram", "--known-by", "田中"], "Same-Pass-2026!xyz");
    add_cred(&e, &["--category", "portal", "--name", "ホットペッパー"], "Same-Pass-2026!xyz");
    let v: serde_json::Value = serde_json::from_slice(&e.run(&["audit", "--json"]).stdout).unwrap();
    let reused = v["findings"].as_array().unwrap().iter().find(|f| f["kind"] == "reused_password" && f["name"] == "Instagram").unwrap();
    assert_eq!(reused["why_ja"], "同じパスワードを「ホットペッパー」でも使っています。1つが漏れると全部に入られます。");
    assert_eq!(reused["why_en"], "The same password is used for ホットペッパー: one leak opens them all.");
    assert!(
        reused["what_ja"].as_str().unwrap().contains("別のパスワード") && reused["what_en"].as_str().unwrap().contains("its own password")
    );
    assert_eq!(reused["why"]["key"], "finding-reused_password-why");
    let d = e.json(&["people", "depart", "田中"]);
    let item = &d["departure"]["items"][0];
    assert_eq!(item["steps_ja"][0], "「Instagram」のパスワードをサービスの画面で変更し、Noren にも新しいパスワードを保存する");
    assert_eq!(item["steps_en"][0], "Change the password of Instagram at the service and save the new one in Noren");
    let check: serde_json::Value = serde_json::from_slice(&e.run(&["check", "--json"]).stdout).unwrap();
    let first = &check["items"][0];
    assert!(!first["title_ja"].as_str().unwrap().is_empty() && !first["title_en"].as_str().unwrap().is_empty());
    assert_eq!(first["why_ja"], "");
}

#[test]
fn kit_export_and_recover_with_two_of_three() {
    let e = Env::new();
    add_cred(&e, &["--category", "email", "--name", "受付メール"], "Hj3$kL9!mN2@pQ7r");
    let out = e.dir.join("kit");
    let files = e.json(&[
        "kit",
        "export",
        "--shares",
        "3",
        "--threshold",
        "2",
        "--holders",
        "店長,税理士,ウェブ工房",
        "--out",
        out.to_str().unwrap(),
    ]);
    let shares: Vec<String> = files["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let html = std::fs::read_to_string(p.as_str().unwrap()).unwrap();
            let s = html.find("NOREN-KIT1-").unwrap();
            html[s..].split('<').next().unwrap().to_string()
        })
        .collect();
    assert_eq!(shares.len(), 3);
    let newpass = e.dir.join("newpass");
    std::fs::write(&newpass, "a new passphrase after recovery\n").unwrap();
    let recover = |picked: &[&String]| {
        let mut c = common::noren_cli();
        c.args(["--store", e.store.to_str().unwrap(), "kit", "recover"]);
        for s in picked {
            c.arg(s.as_str());
        }
        c.env_remove("NOREN_PASSPHRASE_FILE").env("NOREN_NEW_PASSPHRASE_FILE", &newpass).stdin(Stdio::null()).output().unwrap()
    };
    let one = recover(&[&shares[2]]);
    assert_eq!(one.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&one.stderr).contains("2 different shares are needed"));
    let two = recover(&[&shares[2], &shares[0]]);
    assert!(two.status.success(), "{}", String::from_utf8_lossy(&two.stderr));
    // The old passphrase no longer opens the store (exit 3); the new one does.
    assert_eq!(e.run(&["cred", "list"]).status.code(), Some(3));
    std::fs::copy(&newpass, &e.passfile).unwrap();
    let list = e.json(&["cred", "list"]);
    assert!(list.to_string().contains("受付メール"));
}

/// Under the usual umask 022, every file Noren writes that holds a secret or
/// the shop's internals is its owner's only: kit shares and sheet, backups
/// and snapshots, incident reports, the store key.
#[cfg(unix)]
#[test]
fn files_with_secrets_are_owner_only_under_umask_022() {
    use std::os::unix::fs::PermissionsExt;
    let e = Env::new();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let with_umask = |args: &[&str]| {
        let mut c = Command::new("sh");
        c.arg("-c").arg("umask 022; exec \"$@\"").arg("sh").arg(env!("CARGO_BIN_EXE_noren-cli"));
        c.arg("--store").arg(&e.store).args(args).arg("--json");
        c.env("NOREN_PASSPHRASE_FILE", &e.passfile).env("NOREN_NOW", common::CLOCK).env("XDG_CONFIG_HOME", e.dir.join("config"));
        let o = c.output().unwrap();
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let kit = e.dir.join("kit");
    let files = with_umask(&["kit", "export", "--shares", "3", "--threshold", "2", "--out", kit.to_str().unwrap()]);
    assert_eq!(mode(&kit), 0o700);
    assert_eq!(mode(std::path::Path::new(files["sheet"].as_str().unwrap())), 0o600);
    for s in files["shares"].as_array().unwrap() {
        assert_eq!(mode(std::path::Path::new(s.as_str().unwrap())), 0o600, "{s}");
    }
    let backup = e.dir.join("all.age");
    with_umask(&["backup", "export", backup.to_str().unwrap()]);
    assert_eq!(mode(&backup), 0o600);
    let usb = e.dir.join("usb");
    std::fs::create_dir(&usb).unwrap();
    let snap = with_umask(&["backup", "auto", "--dir", usb.to_str().unwrap()]);
    assert_eq!(mode(std::path::Path::new(snap["written"].as_str().unwrap())), 0o600);
    let key = e.dir.join("store-key.txt");
    with_umask(&["backup", "key", "--export", key.to_str().unwrap()]);
    assert_eq!(mode(&key), 0o600);
    let inc = with_umask(&["incident", "add", "--title", "サイトが表示されない"]);
    let report = e.dir.join("report.md");
    with_umask(&["incident", "report", inc["id"].as_str().unwrap(), "--out", report.to_str().unwrap()]);
    assert_eq!(mode(&report), 0o600);
}
