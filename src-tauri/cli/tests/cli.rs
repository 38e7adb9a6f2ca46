//! noren-cli as scripts use it: flags, --json, exit codes, stdin secrets.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

struct Env {
    _tmp: tempfile::TempDir,
    store: PathBuf,
    passfile: PathBuf,
}

impl Env {
    fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let store = tmp.path().join("store");
        let passfile = tmp.path().join("pass");
        std::fs::write(&passfile, "shop passphrase 桜\nignored second line\n").unwrap();
        let e = Env { _tmp: tmp, store, passfile };
        let out = e.run(&["init"], None);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        e
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = common::noren_cli();
        c.arg("--store").arg(&self.store).args(args);
        c.env_remove("NOREN_PASSPHRASE").env_remove("NOREN_STORE").env("NOREN_PASSPHRASE_FILE", &self.passfile);
        c.env("XDG_CONFIG_HOME", self.store.with_file_name("config"));
        c
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        run_cmd(self.cmd(args), stdin)
    }

    fn json(&self, args: &[&str], stdin: Option<&str>) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        let out = self.run(&a, stdin);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
    }

    fn count(&self) -> usize {
        self.json(&["cred", "list"], None)["credentials"].as_array().unwrap().len()
    }
}

fn run_cmd(mut c: Command, stdin: Option<&str>) -> Output {
    c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    {
        let mut i = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            i.write_all(s.as_bytes()).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_one_error_line(o: &Output, code: i32, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line expected: {err:?}");
    assert!(err.starts_with("error: "), "{err:?}");
    assert!(err.to_lowercase().contains(&needle.to_lowercase()), "{err:?} should mention {needle:?}");
}

#[test]
fn add_list_show_search_edit_with_json() {
    let e = Env::new();
    let added = e.json(
        &[
            "cred",
            "add",
            "--category",
            "portal",
            "--name",
            "エキテン",
            "--url",
            "www.ekiten.jp/shop/login",
            "--login",
            "sakura@example.jp",
            "--note",
            "口コミ返信は院長",
            "--tag",
            "口コミ",
            "--field",
            "plan=無料掲載",
            "--password-stdin",
            "--totp-stdin",
        ],
        Some("ekiten-Pa55!\nJBSWY3DPEHPK3PXP\n"),
    );
    let c = &added["credential"];
    let id = c["id"].as_str().unwrap().to_string();
    assert_eq!(c["name"], "エキテン");
    assert_eq!(c["category"], "portal");
    assert_eq!(c["url"], "https://www.ekiten.jp/shop/login");
    assert_eq!(c["has_password"], true);
    assert_eq!(c["has_totp"], true);
    assert!(c["password"].is_null(), "never printed unless revealed");
    assert_eq!(c["fields"]["plan"], "無料掲載");

    let shown = e.json(&["cred", "show", "エキテン"], None);
    assert!(shown["credential"]["password"].is_null());
    let out = e.run(&["cred", "show", &id], None);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("ekiten-Pa55!"));
    let revealed = e.json(&["cred", "show", &id, "--reveal"], None);
    assert_eq!(revealed["credential"]["password"], "ekiten-Pa55!");

    let found = e.json(&["cred", "search", "ｴｷﾃﾝ"], None);
    assert_eq!(found["credentials"][0]["id"], id.as_str());
    assert!(e.json(&["cred", "search", "ekiten-Pa55"], None)["credentials"].as_array().unwrap().is_empty());

    let edited = e.json(&["cred", "edit", "エキテン", "--login", "", "--tag", "掲載", "--renewal", "2027-01-15"], None);
    assert!(edited["credential"]["login"].is_null());
    assert_eq!(edited["credential"]["tags"], serde_json::json!(["掲載"]));
    assert_eq!(edited["credential"]["renewal_date"], "2027-01-15");

    let totp = e.json(&["cred", "totp", &id, "--now", "1970-01-01T00:00:59Z"], None);
    assert_eq!(totp["code"].as_str().unwrap().len(), 6);
}

#[test]
fn rotate_history_restore_remove() {
    let e = Env::new();
    e.json(&["cred", "add", "--category", "domain", "--name", "sakura-seikotsu.jp", "--password-stdin"], Some("first-pw\n"));
    e.json(&["cred", "rotate", "sakura-seikotsu.jp", "--password-stdin"], Some("second-pw\n"));
    let gen = e.json(&["cred", "rotate", "sakura-seikotsu.jp", "--generate"], None);
    assert_eq!(gen["credential"]["history_len"], 2);
    let h = e.json(&["cred", "history", "sakura-seikotsu.jp", "--reveal"], None);
    assert_eq!(h["history"][0]["password"], "first-pw");
    assert_eq!(h["history"][1]["password"], "second-pw");
    let hidden = e.json(&["cred", "history", "sakura-seikotsu.jp"], None);
    assert!(hidden["history"][0]["password"].is_null());
    e.json(&["cred", "restore", "sakura-seikotsu.jp", "--version", "0"], None);
    let now = e.json(&["cred", "show", "sakura-seikotsu.jp", "--reveal"], None);
    assert_eq!(now["credential"]["password"], "first-pw");

    // Not a terminal and no --yes: refuse (usage), keep the record.
    let out = e.run(&["cred", "remove", "sakura-seikotsu.jp"], None);
    assert_one_error_line(&out, 2, "--yes");
    assert_eq!(e.count(), 1);
    let removed = e.json(&["cred", "remove", "sakura-seikotsu.jp", "--yes"], None);
    assert_eq!(removed["removed"]["name"], "sakura-seikotsu.jp");
    assert_eq!(e.count(), 0);
    assert_one_error_line(&e.run(&["cred", "show", "sakura-seikotsu.jp"], None), 1, "not found");
}

#[test]
fn wrong_passphrase_exits_3_and_loses_nothing() {
    let e = Env::new();
    e.json(&["cred", "add", "--category", "sns", "--name", "Instagram", "--password-stdin"], Some("insta-pw\n"));
    let shown = |e: &Env| e.json(&["cred", "show", "Instagram", "--reveal"], None);
    let before = (std::fs::read(e.store.join("noren.header")).unwrap(), shown(&e));
    let wrong = e._tmp.path().join("wrong");
    std::fs::write(&wrong, "not the passphrase\n").unwrap();
    let mut c = e.cmd(&["cred", "list"]);
    c.env("NOREN_PASSPHRASE_FILE", &wrong);
    let out = run_cmd(c, None);
    assert_one_error_line(&out, 3, "wrong passphrase");
    assert!(out.stdout.is_empty());
    // The database opens while the key is derived (sled may tidy its own
    // files, as on any open); the header and every stored field are unchanged.
    assert_eq!(before, (std::fs::read(e.store.join("noren.header")).unwrap(), shown(&e)));
    // $NOREN_PASSPHRASE is used when no file is given.
    let mut c = e.cmd(&["cred", "list", "--json"]);
    c.env_remove("NOREN_PASSPHRASE_FILE").env("NOREN_PASSPHRASE", "shop passphrase 桜");
    assert!(run_cmd(c, None).status.success());
}

#[test]
fn passwd_switches_passphrase() {
    let e = Env::new();
    e.json(&["cred", "add", "--category", "server", "--name", "Xserver", "--password-stdin"], Some("srv-pw\n"));
    let newfile = e._tmp.path().join("new");
    std::fs::write(&newfile, "a completely new passphrase\n").unwrap();
    let mut c = e.cmd(&["passwd"]);
    c.env("NOREN_NEW_PASSPHRASE_FILE", &newfile);
    let out = run_cmd(c, None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_one_error_line(&e.run(&["cred", "list"], None), 3, "wrong passphrase");
    let mut c = e.cmd(&["cred", "show", "Xserver", "--reveal", "--json"]);
    c.env("NOREN_PASSPHRASE_FILE", &newfile);
    let out = run_cmd(c, None);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["credential"]["password"], "srv-pw");
}

#[test]
fn store_in_use_exits_4() {
    let e = Env::new();
    // This test process holds the store open; the CLI is another process.
    let held = noren_core::Store::open_locked(&e.store).unwrap();
    let out = e.run(&["cred", "list"], None);
    assert_one_error_line(&out, 4, "another Noren");
    drop(held);
    assert!(e.run(&["cred", "list"], None).status.success());
}

#[test]
fn bad_input_gives_one_error_line_and_writes_nothing() {
    let e = Env::new();
    e.json(&["cred", "add", "--category", "website", "--name", "ホームページ"], None);
    let huge = "あ".repeat(30_000);
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (vec!["cred", "add", "--category", "website", "--name", "  "], 1, "name"),
        (vec!["cred", "add", "--category", "blog", "--name", "x"], 1, "unknown category"),
        (vec!["cred", "add", "--category", "website", "--name", "x", "--url", "http://exa mple"], 1, "url"),
        (vec!["cred", "add", "--category", "website", "--name", "x", "--url", "javascript:alert(1)"], 1, "url"),
        (vec!["cred", "add", "--category", "website", "--name", &huge], 1, "too long"),
        (vec!["cred", "add", "--category", "website", "--name", "x", "--renewal", "2027/02/30"], 1, "YYYY-MM-DD"),
        (vec!["cred", "add", "--category", "website", "--name", "x", "--field", "novalue"], 2, "KEY=VALUE"),
        (vec!["cred", "add", "--name", "x"], 1, "category"),
        (vec!["cred", "edit", "ホームページ", "--name", ""], 1, "name"),
        (vec!["check", "--now", "yesterday"], 2, "RFC 3339"),
        (vec!["check", "--now", "2026-13-40T00:00:00Z"], 2, "RFC 3339"),
        (vec!["cred", "frobnicate"], 2, "frobnicate"),
        // What a terminal would run, and what would make 請求書exe.pdf of 請求書fdp.exe.
        (vec!["cred", "add", "--category", "website", "--name", "\u{1b}]0;pwned\u{7}x"], 1, "control characters"),
        (vec!["cred", "add", "--category", "website", "--name", "x", "--login", "a\u{1b}[2Jb"], 1, "control characters"),
        (vec!["cred", "add", "--category", "website", "--name", "請求書\u{202E}fdp.exe"], 1, "text direction"),
        (vec!["cred", "add", "--category", "website", "--name", "x", "--tag", "a\u{2066}b"], 1, "text direction"),
    ];
    for (args, code, needle) in cases {
        let out = e.run(&args, None);
        assert_one_error_line(&out, code, needle);
    }
    // A huge name looked up by mistake (120 KB: as much as one argument holds) is not echoed back whole.
    let mb = "長".repeat(40_000);
    let out = e.run(&["cred", "show", &mb], None);
    assert_one_error_line(&out, 1, "not found");
    assert!(stderr(&out).chars().count() < 300, "{} characters", stderr(&out).chars().count());
    let list = e.json(&["cred", "list"], None);
    assert_eq!(list["credentials"].as_array().unwrap().len(), 1);
    assert_eq!(list["credentials"][0]["name"], "ホームページ");
}

#[test]
fn ambiguous_names_list_the_matches() {
    let e = Env::new();
    let a = e.json(&["cred", "add", "--category", "sns", "--name", "LINE"], None);
    let b = e.json(&["cred", "add", "--category", "other", "--name", "LINE"], None);
    let out = e.run(&["cred", "show", "LINE"], None);
    assert_one_error_line(&out, 1, "several");
    let err = stderr(&out);
    assert!(err.contains(a["credential"]["id"].as_str().unwrap()));
    assert!(err.contains(b["credential"]["id"].as_str().unwrap()));
}

#[test]
fn missing_store_and_double_init() {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = common::noren_cli();
    c.args(["--store"]).arg(tmp.path().join("nothing")).args(["cred", "list"]).env("NOREN_PASSPHRASE", "whatever123");
    assert_one_error_line(&run_cmd(c, None), 1, "noren-cli init");
    let e = Env::new();
    assert_one_error_line(&e.run(&["init"], None), 1, "already exists");
    // NOREN_STORE is honoured when --store is absent.
    let mut c = common::noren_cli();
    c.args(["cred", "list", "--json"]).env("NOREN_STORE", &e.store).env("NOREN_PASSPHRASE_FILE", &e.passfile);
    assert!(run_cmd(c, None).status.success());
}

#[test]
fn check_is_deterministic_with_now() {
    let e = Env::new();
    e.json(
        &["cred", "add", "--category", "domain", "--name", "sakura-seikotsu.jp", "--renewal", "2027-03-31", "--password-stdin"],
        Some("pw-domain\n"),
    );
    let quiet = e.run(&["check", "--now", "2026-12-01T09:00:00+09:00", "--json"], None);
    assert_eq!(quiet.status.code(), Some(0), "{}", stderr(&quiet));
    let v: Value = serde_json::from_slice(&quiet.stdout).unwrap();
    assert!(v["items"].as_array().unwrap().is_empty());

    let due = e.run(&["check", "--now", "2027-03-01T09:00:00+09:00", "--json"], None);
    assert_eq!(due.status.code(), Some(10));
    let v: Value = serde_json::from_slice(&due.stdout).unwrap();
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["kind"], "renewal_approaching");
    assert!(items[0]["key"].as_str().unwrap().ends_with(":30"));
    assert!(items[0]["title_ja"].as_str().unwrap().contains("あと30日"));

    // A year later the password is due for rotation too, and the renewal is overdue.
    let late = e.run(&["check", "--now", "2027-12-01T00:00:00Z", "--json"], None);
    assert_eq!(late.status.code(), Some(10));
    let v: Value = serde_json::from_slice(&late.stdout).unwrap();
    let kinds: Vec<&str> = v["items"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["renewal_approaching", "password_rotation"]);
}

#[test]
fn generate_needs_no_store() {
    let mut c = common::noren_cli();
    c.args(["cred", "generate", "--length", "32", "--no-symbols", "--json"]).env("NOREN_STORE", "/nonexistent");
    let out = run_cmd(c, None);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let pw = v["password"].as_str().unwrap();
    assert_eq!(pw.len(), 32);
    assert!(pw.chars().all(char::is_alphanumeric));
    assert!(v["entropy_bits"].as_f64().unwrap() > 150.0);
    let mut c = common::noren_cli();
    c.args(["cred", "generate", "--words", "4"]);
    let out = run_cmd(c, None);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim().split('-').count(), 4);
}

/// A whole store folder copied back from before some changes is consistent in
/// itself; this computer remembers how far it had got and says so, once.
#[test]
fn an_older_copy_of_the_store_put_back_is_noticed() {
    let e = Env::new();
    let add = |name: &str| e.json(&["cred", "add", "--category", "website", "--name", name], None);
    add("ホームページ");
    let copy = e.store.with_file_name("copy");
    let cp = Command::new("cp").arg("-a").arg(&e.store).arg(&copy).status().unwrap();
    assert!(cp.success());
    add("Instagram");
    add("ホットペッパー");
    let quiet = e.run(&["cred", "list"], None);
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));
    std::fs::remove_dir_all(&e.store).unwrap();
    std::fs::rename(&copy, &e.store).unwrap();
    let warned = e.run(&["cred", "list"], None);
    assert!(warned.status.success());
    let err = stderr(&warned);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("warning: this store is an older copy"), "{err}");
    assert_eq!(e.count(), 1, "the copy is what is there");
    let again = e.run(&["cred", "list"], None);
    assert!(stderr(&again).is_empty(), "said once: {}", stderr(&again));
}

/// Waiting at a prompt with the vault open, noren-cli can write no core file
/// (SIGABRT there wrote 53 MB with the decrypted password and note).
#[cfg(target_os = "linux")]
#[test]
fn no_core_dumps_while_secrets_are_in_memory() {
    let e = Env::new();
    let mut c = e.cmd(&["cred", "add", "--category", "website", "--name", "x", "--password-stdin"]);
    c.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null());
    let mut child = c.spawn().unwrap();
    // It waits for the password on stdin; its limit is set before anything else it does.
    let core_limit = || {
        let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap_or_default();
        limits.lines().find(|l| l.starts_with("Max core file size")).unwrap_or_default().to_string()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut core = core_limit();
    while core.split_whitespace().filter(|w| *w == "0").count() != 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
        core = core_limit();
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(core.split_whitespace().filter(|w| *w == "0").count(), 2, "{core}");
}
