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

/// A small fixed-seed generator: the kill moments differ from run to run only by how long
/// each command takes; what is asserted holds for any moment.
struct Moments(u64);

impl Moments {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below.max(1)
    }
}

/// Runs one command of `env` and kills it with SIGKILL after `after` (if it has not finished):
/// whether it finished on its own, i.e. was acknowledged.
fn killed_after(env: &Env, args: &[&str], after: std::time::Duration) -> bool {
    let mut child = common::noren_cli()
        .arg("--store")
        .arg(&env.store)
        .args(args)
        .env("NOREN_PASSPHRASE_FILE", &env.passfile)
        .env("XDG_CONFIG_HOME", env.dir.join("config"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    if let Some(status) = child.try_wait().unwrap() {
        let out = child.wait_with_output().unwrap();
        assert!(status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        return true;
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    // It may have finished between the look and the kill.
    status.success()
}

fn names(v: &serde_json::Value, list: &str) -> std::collections::BTreeSet<String> {
    v[list].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect()
}

/// The owner's laptop sharing a folder and a second one joined with `scope`.
fn two_laptops(scope: &str) -> (Env, Env, std::path::PathBuf) {
    let a = Env::new();
    let b = Env::new();
    let folder = a.dir.join("shared");
    std::fs::create_dir_all(&folder).unwrap();
    let folder_s = folder.to_str().unwrap();
    ok(&a.run(&["sync", "setup", folder_s, "--name", "店長のPC"]));
    let code = a.json(&["sync", "invite", "--scope", scope])["code"].as_str().unwrap().to_string();
    ok(&b.run_with(&["sync", "join", folder_s, "--name", "受付"], &[("NOREN_INVITE_CODE", &code)]));
    (a, b, folder)
}

#[test]
fn sigkill_at_random_moments_of_a_shared_store_loses_nothing_acknowledged() {
    let (a, b, folder) = two_laptops("everything");
    // How long one write takes here: the kills fall anywhere from its start to past its end.
    let start = std::time::Instant::now();
    ok(&a.run(&["customer", "add", "--name", "計測"]));
    let span = (start.elapsed().as_millis() as u64 * 2).max(20);
    let mut when = Moments(0x5eed_2026_1202);
    let (mut logins, mut customers) = (vec![], vec!["計測".to_string()]);
    let (mut kills, mut acked) = (0, 0);
    for round in 0..36u32 {
        let after = std::time::Duration::from_millis(when.next(span));
        let (env, args, name) = match round % 4 {
            0 => (&a, vec!["cred", "add", "--category", "sns", "--login", "shop@example.jp", "--name"], format!("login-{round}")),
            1 => (&b, vec!["customer", "add", "--name"], format!("お客様-{round}")),
            2 => (&a, vec!["customer", "add", "--name"], format!("常連-{round}")),
            _ => (&b, vec!["sync", "now"], String::new()),
        };
        let mut args = args;
        if !name.is_empty() {
            args.push(&name);
        }
        if killed_after(env, &args, after) {
            acked += 1;
            match round % 4 {
                0 => logins.push(name.clone()),
                1 | 2 => customers.push(name.clone()),
                _ => {}
            }
        } else {
            kills += 1;
        }
        // Every few rounds both laptops open their stores and merge: a kill left nothing that stops them.
        if round % 6 == 5 {
            for env in [&a, &b] {
                let r = env.json(&["sync", "now"]);
                assert_eq!(r["problems"].as_array().map(Vec::len), Some(0), "after round {round}: {r}");
            }
        }
    }
    assert!(kills >= 4 && acked >= 4, "the moments fell both inside and after the writes: {kills} killed, {acked} finished");
    // Twice each way: what A published in its second run reaches B.
    for _ in 0..2 {
        for env in [&a, &b] {
            let r = env.json(&["sync", "now"]);
            assert_eq!(r["problems"].as_array().map(Vec::len), Some(0), "{r}");
        }
    }
    let (la, lb) = (names(&a.json(&["cred", "list"]), "credentials"), names(&b.json(&["cred", "list"]), "credentials"));
    let (ca, cb) = (names(&a.json(&["customer", "list"]), "customers"), names(&b.json(&["customer", "list"]), "customers"));
    assert_eq!(la, lb, "both laptops hold the same logins");
    assert_eq!(ca, cb, "both laptops hold the same customers");
    for l in &logins {
        assert!(la.contains(l), "acknowledged login {l} is on both laptops: {la:?}");
    }
    for c in &customers {
        assert!(ca.contains(c), "acknowledged customer {c} is on both laptops: {ca:?}");
    }
    for env in [&a, &b] {
        let st = env.json(&["sync", "status"]);
        assert_eq!(st["pending"], 0, "{st}");
        assert_eq!(st["waiting"], 0, "{st}");
    }
    // What a killed write may leave is a temporary file of its own, never a batch: every batch
    // in the folder opened above (no problem reported), and any leftover is named as temporary.
    for dev in std::fs::read_dir(folder.join("devices")).unwrap() {
        for f in std::fs::read_dir(dev.unwrap().path()).unwrap() {
            let name = f.unwrap().file_name().to_string_lossy().into_owned();
            assert!(name == "device.nrd" || name.ends_with(".nrs") || name.contains(".noren-"), "unexpected {name}");
        }
    }
    eprintln!("sigkill: {kills} commands killed, {acked} acknowledged, all on both laptops");
}

#[test]
fn sigkill_at_random_moments_of_compaction_loses_nothing_and_a_new_laptop_reads_the_snapshots() {
    let (a, b, folder) = two_laptops("front-desk");
    let folder_s = folder.to_str().unwrap();
    ok(&a.run(&["customer", "add", "--name", "計測"]));
    let start = std::time::Instant::now();
    assert_eq!(a.json(&["sync", "compact"])["removed"], 1, "the one batch, now in the snapshot");
    let span = (start.elapsed().as_millis() as u64 * 2).max(20);
    let mut when = Moments(0xc0de_2026_1202);
    let mut customers = vec!["計測".to_string()];
    let (mut kills, mut acked) = (0, 0);
    for round in 0..30u32 {
        let name = format!("お客様-{round}");
        let env = if round % 3 == 1 { &b } else { &a };
        ok(&env.run(&["customer", "add", "--name", &name]));
        customers.push(name);
        if round % 3 == 2 {
            ok(&b.run(&["sync", "now"]));
        }
        let after = std::time::Duration::from_millis(when.next(span));
        if killed_after(&a, &["sync", "compact"], after) {
            acked += 1;
        } else {
            kills += 1;
        }
    }
    assert!(kills >= 3 && acked >= 3, "the moments fell both inside and after compactions: {kills} killed, {acked} finished");
    for _ in 0..2 {
        for env in [&a, &b] {
            let r = env.json(&["sync", "now"]);
            assert_eq!(r["problems"].as_array().map(Vec::len), Some(0), "{r}");
        }
    }
    ok(&a.run(&["sync", "compact"]));
    let own = |env: &Env| {
        let dev = env.json(&["sync", "status"])["device"].as_str().unwrap().to_string();
        let mut v: Vec<String> = std::fs::read_dir(folder.join("devices").join(dev))
            .unwrap()
            .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let left = own(&a);
    assert_eq!(left.iter().filter(|f| f.ends_with(".nrs")).count(), 0, "{left:?}");
    assert_eq!(left.iter().filter(|f| f.ends_with(".nrc")).count(), 1, "one snapshot, the older ones gone: {left:?}");
    // A new laptop reads A's snapshot and B's batches: everything acknowledged, on all three.
    let code = a.json(&["sync", "invite", "--scope", "front-desk"])["code"].as_str().unwrap().to_string();
    let c = Env::new();
    ok(&c.run_with(&["sync", "join", folder_s, "--name", "新しい受付"], &[("NOREN_INVITE_CODE", &code)]));
    let lists: Vec<_> = [&a, &b, &c].iter().map(|e| names(&e.json(&["customer", "list"]), "customers")).collect();
    assert_eq!(lists[0], lists[1]);
    assert_eq!(lists[0], lists[2]);
    for n in &customers {
        assert!(lists[0].contains(n), "acknowledged customer {n} is on every laptop: {:?}", lists[0]);
    }
    eprintln!("compaction: {kills} killed, {acked} finished, nothing lost");
}

#[test]
fn a_departure_checklist_takes_their_laptops_out() {
    let (a, b, c) = (Env::new(), Env::new(), Env::new());
    let folder = a.dir.join("shared");
    std::fs::create_dir_all(&folder).unwrap();
    let folder_s = folder.to_str().unwrap();
    ok(&a.run(&["sync", "setup", folder_s, "--name", "店長のPC"]));
    let code = a.json(&["sync", "invite", "--scope", "everything"])["code"].as_str().unwrap().to_string();
    ok(&b.run_with(&["sync", "join", folder_s, "--name", "ウェブ担当"], &[("NOREN_INVITE_CODE", &code)]));
    ok(&a.run(&["people", "add", "鈴木", "--role", "web"]));
    ok(&a.run(&["people", "depart", "鈴木"]));
    // A laptop that joins after they left is not theirs to ask about.
    let later = common::clock_plus_hours(2);
    let code = a.json(&["sync", "invite"])["code"].as_str().unwrap().to_string();
    ok(&c.run_with(&["sync", "join", folder_s, "--name", "新しい受付", "--now", &later], &[("NOREN_INVITE_CODE", &code)]));
    let checklist = |exit: i32| {
        let o = a.run(&["people", "checklist", "鈴木", "--json"]);
        assert_eq!(o.status.code(), Some(exit), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let d = checklist(10);
    let laptops = d["laptops"].as_array().unwrap();
    assert_eq!(laptops.len(), 1, "only the laptop there before they left, never this one: {d}");
    assert_eq!(laptops[0]["name"], "ウェブ担当");
    assert_eq!(laptops[0]["needs_review"], true);
    assert_eq!((d["done"].as_u64(), d["total"].as_u64()), (Some(0), Some(1)), "{d}");
    let text = |o: std::process::Output| String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(text(a.run(&["people", "checklist", "鈴木"])).contains("[?] laptop ウェブ担当"));
    // This laptop cannot be theirs to take out from here; an unknown one is named.
    let own = a.run(&["people", "laptop", "鈴木", "店長のPC", "--theirs"]);
    assert_eq!(own.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&own.stderr).contains("this laptop cannot take itself out"));
    let unknown = a.run(&["people", "laptop", "鈴木", "どこかのPC", "--theirs"]);
    assert_eq!(unknown.status.code(), Some(1), "{}", String::from_utf8_lossy(&unknown.stderr));
    // Theirs: it stays on the list, with the step to take it out, until it is taken out.
    let r = a.json(&["people", "laptop", "鈴木", "ウェブ担当", "--theirs"]);
    assert_eq!(r["departure"]["laptops"][0]["theirs"], true, "{r}");
    assert_eq!(r["departure"]["laptops"][0]["done"], false, "{r}");
    assert!(text(a.run(&["people", "checklist", "鈴木"])).contains("Take ウェブ担当 out of the sharing"));
    ok(&a.run(&["sync", "remove", "ウェブ担当"]));
    let d = checklist(0);
    assert_eq!(d["laptops"][0]["done"], true, "{d}");
    assert_eq!(d["laptops"][0]["removed"], true, "{d}");
    // "Not theirs" is an answer too, and can be changed.
    let r = a.json(&["people", "laptop", "鈴木", "新しい受付", "--not-theirs"]);
    let names: Vec<&str> = r["departure"]["laptops"].as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["ウェブ担当", "新しい受付"], "{r}");
    assert_eq!(r["departure"]["laptops"][1]["cleared"], true, "{r}");
    // A store that is not shared has no laptops on the checklist, and says so when asked about one.
    let solo = Env::new();
    ok(&solo.run(&["people", "add", "田中"]));
    ok(&solo.run(&["people", "depart", "田中"]));
    assert_eq!(solo.json(&["people", "checklist", "田中"])["laptops"].as_array().map(Vec::len), Some(0));
    let o = solo.run(&["people", "laptop", "田中", "受付", "--theirs"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("not shared"), "{}", String::from_utf8_lossy(&o.stderr));
}
