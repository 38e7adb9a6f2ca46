//! Backups through noren-cli, checked with the reference `age` tool (Debian's `age`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

struct Env {
    tmp: tempfile::TempDir,
    store: PathBuf,
    passfile: PathBuf,
}

fn run(mut c: Command, stdin: Option<&str>) -> Output {
    c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().unwrap_or_else(|e| panic!("cannot run {c:?}: {e}"));
    {
        let mut i = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            i.write_all(s.as_bytes()).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn ok(o: &Output) -> &Output {
    assert!(o.status.success(), "stdout: {}\nstderr: {}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    o
}

impl Env {
    fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let store = tmp.path().join("store");
        let passfile = tmp.path().join("pass");
        std::fs::write(&passfile, "shop passphrase 桜\n").unwrap();
        let e = Env { tmp, store, passfile };
        ok(&e.run(&["init"], None));
        ok(&e.run(
            &["cred", "add", "--category", "portal", "--name", "エキテン", "--login", "sakura@example.jp", "--password-stdin"],
            Some("ekiten-パス-1\n"),
        ));
        ok(&e.run(&["cred", "rotate", "エキテン", "--password-stdin"], Some("ekiten-パス-2\n")));
        ok(&e.run(
            &["cred", "add", "--category", "email", "--name", "受付メール", "--note", "二行\nメモ", "--password-stdin"],
            Some("mail-pass\n"),
        ));
        e
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = common::noren_cli();
        c.arg("--store").arg(&self.store).args(args);
        c.env_remove("NOREN_PASSPHRASE").env_remove("NOREN_BACKUP_PASSPHRASE_FILE").env("NOREN_PASSPHRASE_FILE", &self.passfile);
        c.env("XDG_CONFIG_HOME", self.tmp.path().join("config"));
        c
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        run(self.cmd(args), stdin)
    }

    fn p(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }
}

fn keygen(dir: &Path) -> (PathBuf, String) {
    let key = dir.join("key.txt");
    let mut c = Command::new("age-keygen");
    c.arg("-o").arg(&key);
    ok(&run(c, None));
    let mut c = Command::new("age-keygen");
    c.arg("-y").arg(&key);
    let out = run(c, None);
    ok(&out);
    (key, String::from_utf8(out.stdout).unwrap().trim().to_string())
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn recipient_backup_decrypts_with_age_and_restores() {
    let e = Env::new();
    let (key, recipient) = keygen(e.tmp.path());
    let file = e.p("shop.age");
    let out = e.run(&["backup", "export", s(&file), "--recipient", &recipient, "--json"], None);
    ok(&out);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["counts"]["credentials"], 2);

    // The reference age tool decrypts it; the passwords are readable.
    let plain = e.p("plain.json");
    let mut c = Command::new("age");
    c.args(["-d", "-i", s(&key), "-o", s(&plain), s(&file)]);
    ok(&run(c, None));
    let text = std::fs::read_to_string(&plain).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["format"], "noren-backup");
    assert_eq!(doc["version"], 1);
    assert!(text.contains("ekiten-パス-2") && text.contains("ekiten-パス-1"));

    // A file encrypted by age itself from that plaintext restores.
    let reenc = e.p("from-age.age");
    let mut c = Command::new("age");
    c.args(["-r", &recipient, "-o", s(&reenc), s(&plain)]);
    ok(&run(c, None));
    let into = e.p("restored");
    ok(&e.run(&["backup", "restore", s(&reenc), "--into", s(&into), "--identity", s(&key)], None));
    let mut c = e.cmd(&["cred", "show", "エキテン", "--reveal", "--json"]);
    c.arg("--store").arg(&into);
    let out = run(c, None);
    ok(&out);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["credential"]["password"], "ekiten-パス-2");
    assert_eq!(v["credential"]["history_len"], 1);

    // verify reports counts and touches no store.
    let out = e.run(&["backup", "verify", s(&file), "--identity", s(&key), "--json"], None);
    ok(&out);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["counts"]["credentials"], 2);
}

#[test]
fn passphrase_backup_decrypts_with_age_through_a_pty() {
    let e = Env::new();
    let bpass = e.p("bpass");
    std::fs::write(&bpass, "backup-only passphrase\n").unwrap();
    let file = e.p("p.age");
    let mut c = e.cmd(&["backup", "export", s(&file)]);
    c.env("NOREN_BACKUP_PASSPHRASE_FILE", &bpass);
    ok(&run(c, None));
    // age reads passphrases only from a terminal: `script` gives it one.
    let plain = e.p("plain.json");
    let mut c = Command::new("script");
    c.args(["-qec", &format!("age -d -o '{}' '{}'", s(&plain), s(&file)), "/dev/null"]);
    let out = run(c, Some("backup-only passphrase\n"));
    ok(&out);
    let text = std::fs::read_to_string(&plain).unwrap();
    assert!(text.contains("mail-pass"), "{text}");

    // Without the backup passphrase file, verify uses the store passphrase, which is wrong here: exit 3.
    let out = e.run(&["backup", "verify", s(&file)], None);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let mut c = e.cmd(&["backup", "verify", s(&file)]);
    c.env("NOREN_BACKUP_PASSPHRASE_FILE", &bpass);
    ok(&run(c, None));
}

#[test]
fn bad_backups_exit_non_zero_and_restore_nothing() {
    let e = Env::new();
    let (key, recipient) = keygen(e.tmp.path());
    let file = e.p("b.age");
    ok(&e.run(&["backup", "export", s(&file), "--recipient", &recipient], None));
    let bytes = std::fs::read(&file).unwrap();
    let trunc = e.p("trunc.age");
    std::fs::write(&trunc, &bytes[..bytes.len() - 20]).unwrap();
    let junk = e.p("junk.age");
    std::fs::write(&junk, b"<html>not a backup</html>").unwrap();
    for bad in [&trunc, &junk] {
        let into = e.p("into");
        let out = e.run(&["backup", "restore", s(bad), "--into", s(&into), "--identity", s(&key)], None);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("error: ") && err.lines().count() == 1, "{err}");
        assert!(!into.exists());
    }
    // Exporting over an existing file needs --force; restoring over a store is refused.
    let out = e.run(&["backup", "export", s(&file), "--recipient", &recipient], None);
    assert_eq!(out.status.code(), Some(1));
    let out = e.run(&["backup", "restore", s(&file), "--into", s(&e.store), "--identity", s(&key)], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let out = e.run(&["backup", "export", s(&file), "--recipient", "age1notakey"], None);
    assert_eq!(out.status.code(), Some(1), "a bad recipient is an input error");
}

#[test]
fn auto_snapshots_feed_the_backup_reminder() {
    let e = Env::new();
    let dir = e.p("usb");
    std::fs::create_dir(&dir).unwrap();
    // Configured but empty: overdue.
    let out = e.run(&["backup", "auto", "--dir", s(&dir), "--keep", "5", "--json"], None);
    ok(&out);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["written"].as_str().unwrap().ends_with(".age"));
    let out = e.run(&["backup", "auto", "--json"], None);
    let v: Value = serde_json::from_slice(&ok(&out).stdout).unwrap();
    assert!(v["written"].is_null(), "at most daily; the folder was remembered");
    // The snapshot was written at the tests' clock.
    let now = common::clock();
    let later = (now + chrono::Duration::days(8)).to_rfc3339();
    let out = e.run(&["check", "--now", &later, "--json"], None);
    assert_eq!(out.status.code(), Some(10));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["items"].as_array().unwrap().iter().any(|i| i["kind"] == "backup_overdue"));
    let soon = (now + chrono::Duration::days(1)).to_rfc3339();
    let out = e.run(&["check", "--now", &soon, "--json"], None);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!v["items"].as_array().unwrap().iter().any(|i| i["kind"] == "backup_overdue"));
    std::fs::remove_dir_all(&dir).unwrap();
    let out = e.run(&["check", "--now", &soon, "--json"], None);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["items"].as_array().unwrap().iter().any(|i| i["kind"] == "backup_overdue"), "unplugged folder is a reminder");
}

/// As after each of the window's commands, a CLI command that changes a record is
/// followed by the day's automatic snapshot (at most daily); reads, the backup's own
/// commands and the reminders' bookkeeping are not (issue 19: the CLI took none).
#[test]
fn a_cli_change_is_followed_by_the_days_snapshot_reads_are_not() {
    let e = Env::new();
    let usb = e.p("usb");
    std::fs::create_dir(&usb).unwrap();
    ok(&e.run(&["backup", "auto", "--dir", s(&usb)], None));
    let count = || std::fs::read_dir(&usb).unwrap().flatten().filter(|f| f.path().extension().is_some_and(|x| x == "age")).count();
    assert_eq!(count(), 1);
    let at = |days: i64| (common::clock() + chrono::Duration::days(days)).to_rfc3339();
    let run_at = |days: i64, args: &[&str], stdin: Option<&str>| {
        let mut c = e.cmd(args);
        c.env("NOREN_NOW", at(days));
        run(c, stdin)
    };
    // Two days later: reading, listing, the reminders (with their notification
    // bookkeeping) and the backup's own key write no snapshot.
    ok(&run_at(2, &["cred", "list", "--json"], None));
    ok(&run_at(2, &["cred", "show", "エキテン"], None));
    let _ = run_at(2, &["check", "--notify", "--now", &at(2)], None);
    ok(&run_at(2, &["backup", "key"], None));
    assert_eq!(count(), 1, "nothing changed a record");
    // A change does, once that day.
    ok(&run_at(2, &["cred", "add", "--category", "sns", "--name", "Instagram", "--password-stdin"], Some("insta-pass\n")));
    assert_eq!(count(), 2, "a new login is followed by the snapshot");
    ok(&run_at(2, &["customer", "add", "--name", "山田 花子"], None));
    assert_eq!(count(), 2, "at most daily");
    // Another feature's change, a day later: the snapshot follows it too, and it holds it.
    ok(&run_at(3, &["customer", "add", "--name", "佐藤 一郎"], None));
    assert_eq!(count(), 3, "whichever feature made the change");
    let newest = std::fs::read_dir(&usb).unwrap().flatten().map(|f| f.path()).max().unwrap();
    let restored = e.p("restored");
    let mut c = e.cmd(&["backup", "restore", s(&newest), "--into", s(&restored)]);
    c.env("NOREN_BACKUP_PASSPHRASE_FILE", &e.passfile);
    ok(&run(c, None));
    let mut c = common::noren_cli();
    c.arg("--store").arg(&restored).args(["customer", "list", "--json"]).env("NOREN_PASSPHRASE_FILE", &e.passfile);
    let out = ok(&run(c, None)).stdout.clone();
    assert!(String::from_utf8_lossy(&out).contains("佐藤 一郎"), "the snapshot holds the change it followed");
}

#[test]
fn store_key_export_opens_snapshots_made_for_a_successor() {
    let e = Env::new();
    let (successor_key, successor) = keygen(e.tmp.path());
    let usb = e.p("usb");
    std::fs::create_dir(&usb).unwrap();
    ok(&e.run(&["backup", "auto", "--dir", s(&usb), "--recipient", &successor], None));
    let snap = std::fs::read_dir(&usb).unwrap().flatten().next().unwrap().path();
    let own = e.p("own-key.txt");
    let out = e.run(&["backup", "key", "--export", s(&own), "--json"], None);
    let v: Value = serde_json::from_slice(&ok(&out).stdout).unwrap();
    assert!(v["public_key"].as_str().unwrap().starts_with("age1"));
    // Both the successor and the owner (with the exported store key) can open it with age itself.
    for key in [&successor_key, &own] {
        let mut c = Command::new("age");
        c.args(["-d", "-i", s(key)]).arg(&snap);
        let out = run(c, None);
        ok(&out);
        assert!(String::from_utf8_lossy(&out.stdout).contains("ekiten-パス-2"));
    }
    // The passphrase no longer opens these snapshots: they are key-encrypted.
    let out = e.run(&["backup", "verify", s(&snap)], None);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));

    // A new passphrase re-keys the store, the snapshots' store key too: the key
    // file exported before opens the old snapshot only; a new export opens both.
    let newpass = e.p("newpass");
    std::fs::write(&newpass, "a changed passphrase 2027\n").unwrap();
    let mut c = e.cmd(&["passwd", "--json"]);
    c.env("NOREN_NEW_PASSPHRASE_FILE", &newpass);
    let v: Value = serde_json::from_slice(&ok(&run(c, None)).stdout).unwrap();
    assert_eq!(v["rekeyed"]["store_key_rotated"], true, "{v}");
    std::fs::write(&e.passfile, "a changed passphrase 2027\n").unwrap();
    let later = e.p("later");
    std::fs::create_dir(&later).unwrap();
    ok(&e.run(&["backup", "auto", "--dir", s(&later), "--force"], None));
    let new_snap = std::fs::read_dir(&later).unwrap().flatten().next().unwrap().path();
    let opens = |key: &Path, file: &Path| {
        let mut c = Command::new("age");
        c.args(["-d", "-i", s(key)]).arg(file);
        run(c, None).status.success()
    };
    assert!(opens(&own, &snap) && !opens(&own, &new_snap), "the old key file opens nothing written after passwd");
    let both = e.p("both-keys.txt");
    ok(&e.run(&["backup", "key", "--export", s(&both)], None));
    assert!(opens(&both, &snap) && opens(&both, &new_snap));
    assert!(opens(&successor_key, &new_snap), "successors' keys are theirs: kept");
}

#[test]
fn ssh_key_recipients_work_too() {
    let e = Env::new();
    let key = e.p("id_ed25519");
    let mut c = Command::new("ssh-keygen");
    c.args(["-q", "-t", "ed25519", "-N", "", "-C", "successor@example.jp", "-f", s(&key)]);
    ok(&run(c, None));
    let public = std::fs::read_to_string(e.p("id_ed25519.pub")).unwrap();
    let file = e.p("ssh.age");
    ok(&e.run(&["backup", "export", s(&file), "--recipient", public.trim()], None));
    let out = e.run(&["backup", "verify", s(&file), "--identity", s(&key), "--json"], None);
    let v: Value = serde_json::from_slice(&ok(&out).stdout).unwrap();
    assert_eq!(v["counts"]["credentials"], 2);
    let mut c = Command::new("age");
    c.args(["-d", "-i", s(&key)]).arg(&file);
    let out = run(c, None);
    assert!(String::from_utf8_lossy(&ok(&out).stdout).contains("mail-pass"));
}

#[test]
fn a_missing_folder_is_not_saved_and_a_secret_key_is_never_echoed() {
    let e = Env::new();
    let missing = e.p("no-such-usb");
    let out = e.run(&["backup", "auto", "--dir", s(&missing)], None);
    assert_eq!(out.status.code(), Some(1));
    // Nothing was saved: without --dir there is still no folder.
    let out = e.run(&["backup", "auto"], None);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no backup folder"));
    let (key, _public) = keygen(e.tmp.path());
    let secret = std::fs::read_to_string(&key).unwrap().lines().find(|l| l.starts_with("AGE-SECRET-KEY-")).unwrap().to_string();
    let file = e.p("x.age");
    let out = e.run(&["backup", "export", s(&file), "--recipient", &secret], None);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("private key") && !err.contains(&secret[15..30]), "{err}");
    assert!(!file.exists());
}
