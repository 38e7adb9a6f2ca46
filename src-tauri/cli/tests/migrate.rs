//! `import keepass` / `export keepass` from the command line, with KeePassXC's own CLI on the other side.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn kpcli(args: &[&str], stdin: &str) -> String {
    let mut child = Command::new("keepassxc-cli")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("keepassxc-cli is needed (scripts/bootstrap.sh installs keepassxc)");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "keepassxc-cli {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn noren(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut c = common::noren_cli();
    c.arg("--store").arg(dir.join("store")).args(args);
    c.env_remove("NOREN_PASSPHRASE").env_remove("NOREN_STORE").env("NOREN_PASSPHRASE_FILE", dir.join("pass")).stdin(Stdio::null());
    c.env("XDG_CONFIG_HOME", dir.join("config"));
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn setup() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    std::fs::write(dir.join("pass"), "store passphrase\n").unwrap();
    assert!(noren(&dir, &["init"], &[]).status.success());
    // A database made by KeePassXC itself, with a Japanese group and entry.
    let db = dir.join("shop.kdbx");
    let d = db.to_str().unwrap();
    kpcli(&["db-create", "--set-password", "-t", "100", d], "kp-pass\nkp-pass\n");
    kpcli(&["mkdir", d, "ホームページ"], "kp-pass\n");
    kpcli(
        &["add", d, "ホームページ/WordPress 管理画面", "-u", "admin", "--url", "https://sakura.example.jp/wp-admin", "-p"],
        "kp-pass\nwp-秘密-1\n",
    );
    kpcli(&["add", d, "エキテン", "-u", "sakura@example.jp", "--url", "https://www.ekiten.jp", "-p"], "kp-pass\nekiten-2\n");
    std::fs::write(dir.join("kp-pass"), "kp-pass\n").unwrap();
    std::fs::write(dir.join("wrong"), "nope\n").unwrap();
    (tmp, dir)
}

#[test]
fn import_dry_run_import_and_wrong_password() {
    let (_tmp, dir) = setup();
    let db = dir.join("shop.kdbx");
    let kp = dir.join("kp-pass");
    let o = noren(&dir, &["import", "keepass", db.to_str().unwrap(), "--dry-run", "--json"], &[("NOREN_IMPORT_PASSPHRASE_FILE", &kp)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["preview"]["rows"].as_array().unwrap().len(), 2);
    let count = |dir: &Path| {
        let o = noren(dir, &["cred", "list", "--json"], &[]);
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["credentials"].as_array().unwrap().len()
    };
    assert_eq!(count(&dir), 0);
    let wrong = dir.join("wrong");
    let o = noren(&dir, &["import", "keepass", db.to_str().unwrap()], &[("NOREN_IMPORT_PASSPHRASE_FILE", &wrong)]);
    // Exit 5, not 3: the KeePass file's password is wrong, Noren's passphrase was right.
    assert_eq!(o.status.code(), Some(5), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("password of the file being imported"));
    assert_eq!(count(&dir), 0);
    let o = noren(&dir, &["import", "keepass", db.to_str().unwrap()], &[("NOREN_IMPORT_PASSPHRASE_FILE", &kp)]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("imported 2"));
    let o = noren(&dir, &["cred", "show", "WordPress 管理画面", "--reveal", "--json"], &[]);
    let c: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(c["credential"]["password"], "wp-秘密-1");
    assert_eq!(c["credential"]["category"], "website");
    // Again: both are duplicates (same site and login) and are skipped.
    let o = noren(&dir, &["import", "keepass", db.to_str().unwrap()], &[("NOREN_IMPORT_PASSPHRASE_FILE", &kp)]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("duplicates skipped 2"));
}

#[test]
fn export_opens_in_keepassxc() {
    let (_tmp, dir) = setup();
    let kp = dir.join("kp-pass");
    let db = dir.join("shop.kdbx");
    assert!(noren(&dir, &["import", "keepass", db.to_str().unwrap()], &[("NOREN_IMPORT_PASSPHRASE_FILE", &kp)]).status.success());
    std::fs::write(dir.join("succ"), "後任者のパス\n").unwrap();
    let out = dir.join("for-successor.kdbx");
    let o = noren(&dir, &["export", "keepass", out.to_str().unwrap()], &[("NOREN_EXPORT_PASSPHRASE_FILE", &dir.join("succ"))]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let listing = kpcli(&["ls", "-R", "-f", out.to_str().unwrap()], "後任者のパス\n");
    assert!(listing.contains("ホームページ・CMS/WordPress 管理画面"), "{listing}");
    let shown = kpcli(&["show", "-s", out.to_str().unwrap(), "ポータル・掲載サイト/エキテン"], "後任者のパス\n");
    assert!(shown.contains("Password: ekiten-2"), "{shown}");
    // An existing file is not replaced without --force.
    let o = noren(&dir, &["export", "keepass", out.to_str().unwrap()], &[("NOREN_EXPORT_PASSPHRASE_FILE", &dir.join("succ"))]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn bitwarden_and_csv_imports_and_plaintext_export_needs_consent() {
    let (_tmp, dir) = setup();
    let bw = dir.join("bitwarden.json");
    std::fs::write(&bw, r#"{"encrypted":false,"folders":[],"items":[{"type":1,"name":"Google ビジネス","login":{"uris":[{"uri":"https://business.google.com"}],"username":"sakura@example.jp","password":"gbp-1"}}]}"#).unwrap();
    let o = noren(&dir, &["import", "bitwarden", bw.to_str().unwrap()], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = dir.join("chrome.csv");
    std::fs::write(&csv, "name,url,username,password\nエキテン,https://www.ekiten.jp/,sakura@example.jp,ek-1\n").unwrap();
    let o = noren(&dir, &["import", "csv", csv.to_str().unwrap(), "--json"], &[]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["preview"]["source"], "Chrome / Edge");
    assert_eq!(v["report"]["imported"], 1);
    let generic = dir.join("excel.csv");
    std::fs::write(&generic, "サービス,ID,パス\n予約システム,admin,yo-1\n").unwrap();
    let o = noren(&dir, &["import", "csv", generic.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("mapping"));
    let o = noren(&dir, &["import", "csv", generic.to_str().unwrap(), "--map", "name=サービス,login=ID,password=パス"], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Plain-text export: refused without --plaintext, then written owner-only.
    let out = dir.join("all.csv");
    let o = noren(&dir, &["export", "csv", out.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists());
    let o = noren(&dir, &["export", "csv", out.to_str().unwrap(), "--plaintext"], &[]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("plain text"));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("name,url,username,password,note\n") && text.contains("yo-1") && text.contains("gbp-1"));
}

/// The logins a shop's KeePassXC holds besides web pages: mail (IMAP/SMTP), the
/// server (SSH, FTP), the router; and entries another manager filled oddly.
/// Every one is imported with every field, and what had to move is said once.
#[test]
fn non_web_logins_import_whole_and_each_change_is_said_once() {
    let (_tmp, dir) = setup();
    let db = dir.join("shop.kdbx");
    let d = db.to_str().unwrap();
    let add = |path: &str, args: &[&str], pw: &str| {
        let mut a = vec!["add", d, path];
        a.extend_from_slice(args);
        a.push("-p");
        kpcli(&a, &format!("kp-pass\n{pw}\n"));
    };
    add("受付メール", &["-u", "info@sakura.example.jp", "--url", "imap://mail.sakura.example.jp:993", "--notes", "SMTP 465"], "mail-秘密");
    add("サーバー SSH", &["-u", "root", "--url", "ssh://sv1.example.jp:2222"], "ssh-秘密");
    add("FTP", &["-u", "ftpuser", "--url", "ftp.example.jp:21"], "ftp-秘密");
    add("ルーター", &["-u", "admin", "--url", "192.168.1.1"], "router-秘密");
    add("予約システム", &["-u", "staff", "--url", "予約 システム の 画面"], "yoyaku-秘密");
    let long: String = "長".repeat(300);
    add(&long, &["-u", "x"], "long-秘密");
    let kp = dir.join("kp-pass");
    let o = noren(&dir, &["import", "keepass", d], &[("NOREN_IMPORT_PASSPHRASE_FILE", &kp)]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("imported 8,"), "all 8 entries: {out}");
    // Two entries had something moved; each is said exactly once.
    assert_eq!(out.matches("予約システム").count(), 1, "{out}");
    assert_eq!(out.matches("URL kept as the field").count(), 1, "{out}");
    assert_eq!(out.matches("name cut to 200").count(), 1, "{out}");
    assert!(!out.contains("  skipped "), "nothing left out: {out}");

    let show = |name: &str| -> serde_json::Value {
        let o = noren(&dir, &["cred", "show", name, "--reveal", "--json"], &[]);
        assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["credential"].clone()
    };
    let mail = show("受付メール");
    assert_eq!(mail["url"], "imap://mail.sakura.example.jp:993");
    assert_eq!((mail["login"].as_str(), mail["password"].as_str()), (Some("info@sakura.example.jp"), Some("mail-秘密")));
    assert_eq!(mail["category"], "email");
    assert_eq!(mail["notes"], "SMTP 465");
    let ssh = show("サーバー SSH");
    assert_eq!((ssh["url"].as_str(), ssh["category"].as_str()), (Some("ssh://sv1.example.jp:2222"), Some("server")));
    assert_eq!(show("FTP")["url"], "ftp.example.jp:21");
    assert_eq!(show("ルーター")["url"], "https://192.168.1.1/");
    let odd = show("予約システム");
    assert!(odd["url"].is_null());
    assert_eq!(odd["fields"]["URL"], "予約 システム の 画面", "the odd address is kept, as a field");
    assert_eq!(odd["password"], "yoyaku-秘密");
    let cut = show(&"長".repeat(200));
    assert!(cut["notes"].as_str().unwrap().contains(&long), "the whole name is in the notes");

    // The same addresses typed at the command line.
    for url in ["imap://mail.example.jp:993", "ssh://sv2.example.jp", "smtp.example.jp:587"] {
        let o = noren(&dir, &["cred", "add", "--category", "server", "--name", url, "--url", url], &[]);
        assert!(o.status.success(), "{url}: {}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(show(url)["url"], url);
    }
    let o = noren(&dir, &["cred", "add", "--category", "website", "--name", "x", "--url", "javascript:alert(1)"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("javascript: addresses are refused"), "{}", String::from_utf8_lossy(&o.stderr));
}
