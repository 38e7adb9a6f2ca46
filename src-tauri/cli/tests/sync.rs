//! `noren-cli sync`: two stores of two "laptops" sharing one folder, through the binary, as a
//! shop would run it (`core/tests/sync.rs` has the folder's faults and the merge's properties).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Env;

fn ok(o: &std::process::Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn two_laptops_share_one_store_through_a_folder() {
    let a = Env::new();
    let b = Env::new();
    let folder = a.dir.join("Syncthing/shop");
    std::fs::create_dir_all(&folder).unwrap();
    let folder_s = folder.to_str().unwrap();
    ok(&a.run_with(&["cred", "add", "--category", "sns", "--name", "Instagram", "--login", "salon@example.jp"], &[]));
    let r = a.json(&["sync", "setup", folder_s, "--name", "店長のPC"]);
    assert_eq!(r["published"], 1, "{r}");
    // Setting up twice, or in a folder that already holds a shared store, is refused with a clear line.
    let again = a.run(&["sync", "setup", folder_s, "--name", "x"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).starts_with("error: sync_shared: this store is already shared"));
    let inv = a.json(&["sync", "invite", "--scope", "everything"]);
    let code = inv["code"].as_str().unwrap().to_string();
    assert_eq!(inv["scope"], "everything");
    assert!(inv["expires_at"].as_str().unwrap().starts_with("2026-11-29"), "{inv}");
    let bad = b.run_with(&["sync", "join", folder_s, "--name", "ウェブ担当"], &[("NOREN_INVITE_CODE", "AAAA-BBBB")]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invite_code"));
    let joined: serde_json::Value = serde_json::from_str(&ok(
        &b.run_with(&["sync", "join", folder_s, "--name", "ウェブ担当", "--json"], &[("NOREN_INVITE_CODE", &code)])
    ))
    .unwrap();
    assert_eq!(joined["applied"], 1, "{joined}");
    let list = b.json(&["cred", "list"]);
    assert_eq!(list["credentials"].as_array().map(Vec::len), Some(1), "{list}");
    // A change on B is in the folder as soon as the command is done; A merges it.
    ok(&b.run(&["customer", "add", "--name", "山田 花子"]));
    let r = a.json(&["sync", "now"]);
    assert_eq!(r["applied"], 1, "{r}");
    assert!(ok(&a.run(&["customer", "list"])).contains("山田 花子"));
    let st = a.json(&["sync", "status"]);
    assert_eq!(st["shared"], true);
    assert_eq!(st["reachable"], true);
    assert_eq!(st["pending"], 0);
    assert_eq!(st["waiting"], 0);
    let names: Vec<&str> = st["devices"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["店長のPC", "ウェブ担当"]);
    assert!(ok(&b.run(&["sync", "status"])).contains("laptop:   店長のPC (everything"));
    assert_eq!(a.json(&["sync", "conflicts"])["conflicts"].as_array().map(Vec::len), Some(0));
    // B leaves the shop: A takes it out; B reads nothing written afterwards.
    let out = a.json(&["sync", "remove", "ウェブ担当"]);
    assert_eq!(out["name"], "ウェブ担当", "{out}");
    ok(&a.run(&["customer", "add", "--name", "あとからの人"]));
    let r = b.json(&["sync", "now"]);
    assert!(r["problems"].as_array().unwrap().iter().any(|p| p["kind"] == "removed"), "{r}");
    assert!(!ok(&b.run(&["customer", "list"])).contains("あとからの人"));
    assert_eq!(a.json(&["sync", "status"])["devices"].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_store_that_is_not_shared_says_so() {
    let a = Env::new();
    assert_eq!(a.json(&["sync", "status"])["shared"], false);
    let o = a.run(&["sync", "now"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not shared"));
}
