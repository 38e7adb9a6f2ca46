//! A full disk, for real: a small tmpfs in a mount namespace of its own
//! (`unshare --mount --map-root-user`, so any user can run it), filled before,
//! during and after noren-cli's writes. Every command either succeeds or says
//! `disk_full` in one line ("nothing was changed"); none hangs or reports
//! damage; once space is freed the store opens with every acknowledged write.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const INNER: &str = "NOREN_FULL_DISK_WORK";

#[test]
fn a_full_disk_loses_nothing_and_says_so() {
    in_a_mount_namespace("full_disk_inside_a_mount_namespace", INNER, "full disk:");
}

/// Runs the ignored test `inner` in a mount namespace of its own, with a temp folder in `var`,
/// and shows the figures it printed after `label`.
fn in_a_mount_namespace(inner: &str, var: &str, label: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("unshare")
        .args(["--mount", "--map-root-user"])
        .arg(&exe)
        .args(["--exact", inner, "--include-ignored", "--nocapture", "--test-threads", "1"])
        .env(var, tmp.path())
        .output()
        .expect("unshare (util-linux) runs the scenario in a mount namespace of its own");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{text}");
    assert!(text.contains("1 passed"), "the scenario ran: {text}");
    // libtest prints the inner test's line after its own "test … " prefix.
    let figures = text.lines().find_map(|l| l.split_once(label).map(|(_, f)| f.trim().to_string()));
    eprintln!("{label} {}", figures.expect("the scenario printed its figures"));
}

/// Runs only inside the namespace that the test above makes.
#[test]
#[ignore = "run by a_full_disk_loses_nothing_and_says_so inside its own mount namespace"]
fn full_disk_inside_a_mount_namespace() {
    let work = PathBuf::from(std::env::var_os(INNER).expect("started by a_full_disk_loses_nothing_and_says_so"));
    let disk = work.join("disk");
    std::fs::create_dir_all(&disk).unwrap();
    let status = Command::new("mount").args(["-t", "tmpfs", "-o", "size=12m", "tmpfs"]).arg(&disk).status().unwrap();
    assert!(status.success(), "mount a 12 MiB tmpfs");
    let t = Shop::new(&work, &disk);

    // Before a write: the disk is filled to leave little or nothing free.
    let mut refused = 0;
    for (round, free_kib) in [0u64, 200, 900, 2500, 3200, 3600, 4400, 6000].into_iter().enumerate() {
        let filler = t.fill_leaving(free_kib * 1024);
        refused += t.round(&format!("b{round}"));
        drop(filler);
        t.check_all_there();
    }
    // During writes: another program fills the disk while Noren writes.
    for round in 0..4 {
        let filler = Filler::start(&disk.join("filler"), Duration::from_millis(150 * round));
        refused += t.round(&format!("d{round}"));
        filler.stop();
        t.check_all_there();
    }
    // After writes: a healthy store on a disk that is now full; reading must not damage it.
    let filler = t.fill_leaving(0);
    for args in [&["cred", "list"][..], &["check"], &["cred", "search", "b1"], &["customer", "list"]] {
        let (code, err) = t.noren(args, None);
        assert!(code == 0 || code == 10 || is_disk_full(&err), "{args:?} on a full disk: {code} {err}");
    }
    drop(filler);
    t.check_all_there();
    // A disk mounted read-only: the store is read (from a private copy), never changed.
    let ro = Command::new("mount").args(["-o", "remount,ro"]).arg(&disk).status().unwrap();
    assert!(ro.success());
    let (code, err) = t.noren(&["cred", "list"], None);
    assert_eq!(code, 0, "a read-only store still lists its logins: {err}");
    let (code, err) = t.noren(&["cred", "add", "--category", "website", "--name", "ro"], None);
    assert_eq!(code, 1);
    assert!(err.contains("read-only") && err.lines().count() == 1, "{err}");
    let rw = Command::new("mount").args(["-o", "remount,rw"]).arg(&disk).status().unwrap();
    assert!(rw.success());
    t.check_all_there();
    let acked = t.acked.borrow().len();
    println!("full disk: {acked} acknowledged writes kept, {refused} refused as disk_full, 0 lost, 0 hangs, 0 damaged");
    assert!(refused > 0, "some writes met the full disk");
    assert!(acked > 20, "some writes went through: {acked}");
    let _ = Command::new("umount").arg(&disk).status();
}

const INNER_SHARED: &str = "NOREN_FULL_SHARED_FOLDER_WORK";

#[test]
fn a_full_shared_folder_keeps_every_change_waiting() {
    in_a_mount_namespace("full_shared_folder_inside_a_mount_namespace", INNER_SHARED, "full shared folder:");
}

/// The shared folder (a USB stick, a synced folder on a full disk) is full; the stores are not.
/// Every change is kept and acknowledged with a warning, waits as pending, and reaches the other
/// laptop once there is space again; no half-written batch is ever read.
#[test]
#[ignore = "run by a_full_shared_folder_keeps_every_change_waiting inside its own mount namespace"]
fn full_shared_folder_inside_a_mount_namespace() {
    let work = PathBuf::from(std::env::var_os(INNER_SHARED).expect("started by a_full_shared_folder_keeps_every_change_waiting"));
    let folder = work.join("usb");
    std::fs::create_dir_all(&folder).unwrap();
    let status = Command::new("mount").args(["-t", "tmpfs", "-o", "size=1m"]).arg("tmpfs").arg(&folder).status().unwrap();
    assert!(status.success(), "mount a 1 MiB tmpfs");
    let (a, b) = (common::Env::new(), common::Env::new());
    let folder_s = folder.to_str().unwrap();
    let ok = |o: std::process::Output| {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    ok(a.run(&["sync", "setup", folder_s, "--name", "店長のPC"]));
    let code = a.json(&["sync", "invite", "--scope", "everything"])["code"].as_str().unwrap().to_string();
    ok(b.run_with(&["sync", "join", folder_s, "--name", "受付"], &[("NOREN_INVITE_CODE", &code)]));
    let (mut warned, mut told) = (0, 0);
    let mut names = Vec::new();
    // Full, then nearly full: a batch that does not fit is never left half there under its name.
    for (round, free) in [0u64, 0, 700, 3000, 20_000, 200_000].into_iter().enumerate() {
        let filler = fill_leaving(&folder, free);
        for (env, who) in [(&a, "店長"), (&b, "受付")] {
            let name = format!("{who}-{round}");
            let note: String = "メモ".repeat(200);
            let err = ok(env.run(&["customer", "add", "--name", &name, "--note", &note]));
            if err.contains("could not be written to the shared folder") {
                assert_eq!(err.lines().count(), 1, "one line: {err}");
                warned += 1;
            }
            names.push(name);
            // Merging from a full folder still reads; it says the folder is full, and nothing else.
            let r = env.json(&["sync", "now"]);
            let problems = r["problems"].as_array().unwrap();
            assert!(problems.iter().all(|p| p["kind"] == "folder_full"), "round {round}: {r}");
            told += usize::from(!problems.is_empty());
        }
        drop(filler);
    }
    assert!(warned >= 2 && told >= 2, "some changes met the full folder: {warned} warned, {told} told by sync now");
    for _ in 0..2 {
        for env in [&a, &b] {
            let r = env.json(&["sync", "now"]);
            assert!(r["problems"].as_array().unwrap().is_empty(), "{r}");
        }
    }
    for env in [&a, &b] {
        let list = env.json(&["customer", "list"]).to_string();
        for n in &names {
            assert!(list.contains(n.as_str()), "acknowledged {n} is on both laptops once there is space");
        }
        let st = env.json(&["sync", "status"]);
        assert_eq!(st["pending"], 0, "{st}");
        assert_eq!(st["waiting"], 0, "{st}");
    }
    println!("full shared folder: {} changes kept, {warned} waited for space ({told} merges said the folder was full), 0 lost, 0 damaged batches", names.len());
    let _ = Command::new("umount").arg(&folder).status();
}

/// A file that leaves `free` bytes in `dir`'s file system (removed when dropped).
fn fill_leaving(dir: &Path, free: u64) -> FillFile {
    let path = dir.join("filler");
    let avail = noren_core::disk::available(dir).unwrap();
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut left = avail.saturating_sub(free);
    let chunk = vec![0x5au8; 64 * 1024];
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        if w.write_all(&chunk[..n]).is_err() {
            break;
        }
        left -= n as u64;
    }
    let _ = w.flush();
    FillFile(path)
}

/// The command line, long values cut (the 20 KB notes).
fn shown(args: &[&str]) -> String {
    args.iter().map(|a| if a.len() > 40 { format!("{}…", &a[..40]) } else { a.to_string() }).collect::<Vec<_>>().join(" ")
}

fn is_disk_full(stderr: &str) -> bool {
    stderr.lines().count() == 1 && stderr.starts_with("error: not enough free space") && stderr.contains("nothing was changed")
}

struct Shop {
    work: PathBuf,
    disk: PathBuf,
    store: PathBuf,
    passfile: PathBuf,
    /// Everything acknowledged: (kind, name).
    acked: std::cell::RefCell<BTreeSet<(String, String)>>,
}

impl Shop {
    fn new(work: &Path, disk: &Path) -> Shop {
        let passfile = work.join("pass");
        std::fs::write(&passfile, "shop passphrase 桜\n").unwrap();
        let t = Shop { work: work.to_path_buf(), disk: disk.to_path_buf(), store: disk.join("store"), passfile, acked: Default::default() };
        let (code, err) = t.noren(&["init"], None);
        assert_eq!(code, 0, "{err}");
        let (code, err) = t.noren(&["channel", "add", "--kind", "blog", "--name", "院長ブログ"], None);
        assert_eq!(code, 0, "{err}");
        t
    }

    /// Runs noren-cli with a deadline: a hang is a failure of its own.
    fn noren(&self, args: &[&str], stdin: Option<&str>) -> (i32, String) {
        let mut c = common::noren_cli();
        c.arg("--store").arg(&self.store).args(args).env("NOREN_PASSPHRASE_FILE", &self.passfile);
        c.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        if let Some(s) = stdin {
            let _ = child.stdin.take().unwrap().write_all(s.as_bytes());
        }
        drop(child.stdin.take());
        let start = Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                let mut err = String::new();
                std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
                return (status.code().unwrap_or(-1), err.trim_end().to_string());
            }
            if start.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                panic!("noren-cli {} hung on a full disk", shown(args));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// One command that writes `what`: acknowledged, or refused as disk_full.
    fn write(&self, kind: &str, name: &str, args: &[&str], stdin: Option<&str>) -> usize {
        let (code, err) = self.noren(args, stdin);
        if code == 0 {
            self.acked.borrow_mut().insert((kind.to_string(), name.to_string()));
            0
        } else {
            assert!(is_disk_full(&err), "{} failed otherwise than disk_full: {code} {err}", shown(args));
            1
        }
    }

    /// A round of the owner's writes; returns how many were refused.
    fn round(&self, tag: &str) -> usize {
        let note: String = (0..20_000).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        let mut refused = 0;
        for i in 0..3 {
            let name = format!("{tag}-login{i}");
            refused += self.write(
                "cred",
                &name,
                &["cred", "add", "--category", "website", "--name", &name, "--note", &note, "--password-stdin"],
                Some("pw-Strong-2026!\n"),
            );
        }
        let name = format!("{tag}-客");
        refused += self.write("customer", &name, &["customer", "add", "--name", &name, "--note", &note], None);
        let title = format!("{tag}-記事");
        refused += self.write("post", &title, &["post", "log", "院長ブログ", "--title", &title], None);
        let csv = self.work.join(format!("{tag}.csv"));
        let rows: String = (0..8).map(|i| format!("{tag}-imp{i},https://{tag}-imp{i}.example.jp,user{i},pw{i}-x\n")).collect();
        std::fs::write(&csv, format!("name,url,username,password\n{rows}")).unwrap();
        let (code, err) = self.noren(&["import", "csv", csv.to_str().unwrap()], None);
        if code == 0 {
            for i in 0..8 {
                self.acked.borrow_mut().insert(("cred".into(), format!("{tag}-imp{i}")));
            }
        } else {
            assert!(is_disk_full(&err), "import on a full disk: {code} {err}");
            refused += 1;
        }
        let snaps = self.disk.join("snapshots");
        std::fs::create_dir_all(&snaps).unwrap_or(());
        let (code, err) = self.noren(&["backup", "auto", "--dir", snaps.to_str().unwrap(), "--force"], None);
        assert!(code == 0 || is_disk_full(&err), "backup on a full disk: {code} {err}");
        for args in [&["cred", "list"][..], &["check"]] {
            let (code, err) = self.noren(args, None);
            assert!(code == 0 || code == 10 || is_disk_full(&err), "{args:?}: {code} {err}");
        }
        refused
    }

    /// With space again: the store opens and holds every acknowledged write.
    fn check_all_there(&self) {
        let json = |args: &[&str]| -> serde_json::Value {
            let out = common::noren_cli()
                .arg("--store")
                .arg(&self.store)
                .args(args)
                .arg("--json")
                .env("NOREN_PASSPHRASE_FILE", &self.passfile)
                .output()
                .unwrap();
            assert!(out.status.success(), "{args:?} after space was freed: {}", String::from_utf8_lossy(&out.stderr));
            serde_json::from_slice(&out.stdout).unwrap()
        };
        let creds: BTreeSet<String> =
            json(&["cred", "list"])["credentials"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect();
        let customers = json(&["customer", "list"]).to_string();
        let posts = json(&["post", "list", "院長ブログ"]).to_string();
        for (kind, name) in self.acked.borrow().iter() {
            let there = match kind.as_str() {
                "cred" => creds.contains(name),
                "customer" => customers.contains(name.as_str()),
                "post" => posts.contains(name.as_str()),
                _ => unreachable!(),
            };
            assert!(there, "acknowledged {kind} {name} is missing after the disk was full");
        }
        // No temporary file of a refused write is left behind.
        let leftovers: Vec<String> = walk(&self.disk).into_iter().filter(|p| p.contains(".partial") || p.contains(".generating")).collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    /// A file that leaves `free` bytes on the disk (removed when dropped).
    fn fill_leaving(&self, free: u64) -> FillFile {
        fill_leaving(&self.disk, free)
    }
}

struct FillFile(PathBuf);
impl Drop for FillFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Another program filling the disk, 64 KiB at a time, until it is full.
struct Filler {
    path: PathBuf,
    thread: std::thread::JoinHandle<()>,
}

impl Filler {
    fn start(path: &Path, after: Duration) -> Filler {
        let p = path.to_path_buf();
        let thread = std::thread::spawn(move || {
            std::thread::sleep(after);
            let Ok(mut f) = std::fs::File::create(&p) else { return };
            let chunk = vec![0xa5u8; 64 * 1024];
            while f.write_all(&chunk).is_ok() {
                std::thread::sleep(Duration::from_millis(2));
            }
            let _ = f.sync_all();
        });
        Filler { path: path.to_path_buf(), thread }
    }

    fn stop(self) {
        let _ = self.thread.join();
        let _ = std::fs::remove_file(&self.path);
    }
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out
}
