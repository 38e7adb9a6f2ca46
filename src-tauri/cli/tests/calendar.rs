//! The posting calendar from the command line: channels, posts, `check`,
//! desktop notifications on a private D-Bus session, and the reminder timer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use serde_json::Value;

struct Env {
    tmp: tempfile::TempDir,
    store: PathBuf,
    passfile: PathBuf,
}

impl Env {
    fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let store = tmp.path().join("store");
        let passfile = tmp.path().join("pass");
        std::fs::write(&passfile, "shop passphrase 桜\n").unwrap();
        let e = Env { tmp, store, passfile };
        let out = e.run(&["init"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        e
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = common::noren_cli();
        c.arg("--store").arg(&self.store).args(args);
        c.env_remove("NOREN_PASSPHRASE")
            .env_remove("NOREN_STORE")
            .env_remove("NOREN_CALENDAR_KEY_FILE")
            .env("NOREN_PASSPHRASE_FILE", &self.passfile)
            .env("XDG_CONFIG_HOME", self.tmp.path().join("config"))
            .env("NOREN_LANG", "ja")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        let o = self.run(&a);
        assert!(o.status.success() || o.status.code() == Some(10), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    }

    /// A blog posting every 3 days through 2026-10-19 10:00 JST.
    fn regular_blog(&self) -> String {
        let id = self.json(&["channel", "add", "--kind", "blog", "--name", "ブログ", "--every", "3"])["id"].as_str().unwrap().to_string();
        for d in [1, 4, 7, 10, 13, 16, 19] {
            self.ok(&["post", "log", "ブログ", "--at", &format!("2026-10-{d:02}T10:00:00+09:00")]);
        }
        id
    }
}

fn code(o: &Output) -> Option<i32> {
    o.status.code()
}

#[test]
fn channels_posts_and_check_with_exit_codes() {
    let e = Env::new();
    let id = e.regular_blog();
    // 6 days after the last post: healthy → exit 0.
    let o = e.run(&["check", "--now", "2026-10-25T10:00:00+09:00"]);
    assert_eq!(code(&o), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    // 17 days: a serious lapse → exit 10, and the JSON explains it.
    let o = e.run(&["check", "--now", "2026-11-05T10:00:00+09:00"]);
    assert_eq!(code(&o), Some(10));
    let v = e.json(&["check", "--now", "2026-11-05T10:00:00+09:00"]);
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["kind"], "posting_lapse");
    assert_eq!(items[0]["severity"], "urgent");
    assert_eq!(items[0]["record"]["id"], id.as_str());
    assert_eq!(items[0]["title_ja"], "「ブログ」の投稿が止まっています。普段は約3日ごと、最後の投稿から17日");

    // channel list/show --json carry the assessment and statistics.
    let list = e.json(&["channel", "list", "--now", "2026-11-05T10:00:00+09:00"]);
    let ch = &list["channels"][0];
    assert_eq!(ch["assessment"]["status"], "serious");
    assert_eq!(ch["assessment"]["usual_days"], 3.0);
    assert_eq!(ch["stats"]["posts_total"], 7);
    // A plan for a past day is missed; marking it done clears it and counts as a post.
    let p = e.json(&["post", "plan", "ブログ", "--on", "2026-11-04", "--title", "冬の限定メニュー"]);
    let v = e.json(&["check", "--now", "2026-11-05T10:00:00+09:00"]);
    assert!(v["items"].as_array().unwrap().iter().any(|i| i["kind"] == "planned_post_missed"));
    e.ok(&["post", "done", p["id"].as_str().unwrap(), "--at", "2026-11-05T09:00:00+09:00"]);
    let o = e.run(&["check", "--now", "2026-11-05T10:00:00+09:00"]);
    assert_eq!(code(&o), Some(0), "{}", String::from_utf8_lossy(&o.stdout));
    let posts = e.json(&["post", "list", "ブログ"]);
    assert_eq!(posts["posts"].as_array().unwrap().len(), 8);
    // A paused channel raises nothing.
    e.ok(&["channel", "pause", "ブログ"]);
    assert_eq!(code(&e.run(&["check", "--now", "2027-01-05T10:00:00+09:00"])), Some(0));
    // ics export of plans.
    e.ok(&["post", "plan", "ブログ", "--on", "2026-12-24", "--note", "クリスマスの営業時間"]);
    let ics = e.ok(&["calendar", "ics"]);
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.contains("DTSTART;VALUE=DATE:20261224"));
}

#[test]
fn bad_input_gives_one_error_line_and_changes_nothing() {
    let e = Env::new();
    e.regular_blog();
    let before = e.json(&["post", "list", "ブログ"]);
    for (args, exit, needle) in [
        (vec!["channel", "add", "--kind", "myspace", "--name", "x"], 1, "not a channel kind"),
        (vec!["channel", "add", "--kind", "blog", "--name", " "], 1, "name"),
        (vec!["channel", "add", "--kind", "blog", "--name", "x", "--every", "often"], 1, "rhythm"),
        (vec!["post", "log", "ブログ", "--at", "2026-13-01"], 2, "RFC 3339"),
        (vec!["post", "log", "ない"], 1, "not found"),
        (vec!["post", "plan", "ブログ", "--on", "11/30", "--title", "x"], 1, "YYYY-MM-DD"),
        (vec!["check", "--now", "tomorrow"], 2, "RFC 3339"),
        (vec!["notify", "snooze", "lapse:x", "--for", "forever"], 2, "--for"),
        (vec!["channel", "quiet", "ブログ", "--from", "2026-12-31", "--to", "2026-12-29"], 1, "ends before"),
    ] {
        let o = e.run(&args);
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert_eq!(code(&o), Some(exit), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("error: ") && err.contains(needle), "{args:?}: {err}");
    }
    assert_eq!(e.json(&["post", "list", "ブログ"]), before);
    assert_eq!(e.json(&["channel", "list"])["channels"].as_array().unwrap().len(), 1);
}

#[test]
fn timer_key_file_opens_the_calendar_only() {
    let e = Env::new();
    e.regular_blog();
    let st = e.json(&["timer", "install", "--no-enable"]);
    assert_eq!(st["installed"], true);
    let key = PathBuf::from(st["key_path"].as_str().unwrap());
    let service = std::fs::read_to_string(st["service_path"].as_str().unwrap()).unwrap();
    assert!(service.contains("check --notify") && service.contains(&key.display().to_string()));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    let key_only = |args: &[&str]| {
        let mut c = e.cmd(args);
        c.env_remove("NOREN_PASSPHRASE_FILE").env("NOREN_CALENDAR_KEY_FILE", &key);
        c.output().unwrap()
    };
    let o = key_only(&["check", "--now", "2026-11-05T10:00:00+09:00"]);
    assert_eq!(code(&o), Some(10), "{}", String::from_utf8_lossy(&o.stderr));
    // The vault stays closed: credential commands still need the passphrase.
    let o = key_only(&["cred", "list"]);
    assert_ne!(code(&o), Some(0));
    // A key file of another store is refused clearly.
    let other = Env::new();
    let mut c = other.cmd(&["check"]);
    c.env_remove("NOREN_PASSPHRASE_FILE").env("NOREN_CALENDAR_KEY_FILE", &key);
    let o = c.output().unwrap();
    assert_eq!(code(&o), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("another store"));
    // After a new passphrase (new data keys) the key file is written again and still opens the calendar.
    let newpass = e.tmp.path().join("newpass");
    std::fs::write(&newpass, "a changed passphrase 2027\n").unwrap();
    let mut c = e.cmd(&["passwd", "--json"]);
    c.env("NOREN_NEW_PASSPHRASE_FILE", &newpass);
    let o = c.output().unwrap();
    assert_eq!(code(&o), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["rekeyed"]["timer_key_refreshed"], true, "{v}");
    let o = key_only(&["check", "--now", "2026-11-05T10:00:00+09:00"]);
    assert_eq!(code(&o), Some(10), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::write(&e.passfile, "a changed passphrase 2027\n").unwrap();
    let st = e.json(&["timer", "remove", "--no-disable"]);
    assert_eq!(st["installed"], false);
    assert!(!key.exists());
}

/// A fake `org.freedesktop.Notifications` server that records Notify calls.
/// The Notify calls a fake notification server received (summary, body).
type Calls = Arc<Mutex<Vec<(String, String)>>>;

struct FakeServer {
    calls: Calls,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl FakeServer {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        _app_name: &str,
        _replaces_id: u32,
        _app_icon: &str,
        summary: &str,
        body: &str,
        _actions: Vec<&str>,
        _hints: HashMap<&str, zbus::zvariant::Value<'_>>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut c = self.calls.lock().unwrap();
        c.push((summary.to_string(), body.to_string()));
        c.len() as u32
    }
    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into(), "actions".into()]
    }
    fn get_server_information(&self) -> (String, String, String, String) {
        ("fake".into(), "noren-test".into(), "1".into(), "1.2".into())
    }
    fn close_notification(&self, _id: u32) {}
}

/// A private session bus (dbus-daemon) for one test.
struct Bus {
    child: Child,
    address: String,
}

impl Bus {
    fn start(dir: &Path) -> Bus {
        let conf = dir.join("bus.conf");
        let socket = dir.join("bus.sock");
        // A session bus without service activation: nothing but our fake server can answer.
        std::fs::write(
            &conf,
            format!(
                "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n<busconfig><type>session</type><listen>unix:path={}</listen><policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/><allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n",
                socket.display()
            ),
        )
        .unwrap();
        let mut child = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", conf.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon is needed (package dbus; scripts/bootstrap.sh installs it)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        Bus { child, address: line.trim().to_string() }
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A notification server on `bus` that records every Notify call (summary, body).
fn notification_server(bus: &Bus) -> (Calls, zbus::blocking::Connection) {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let server = zbus::blocking::connection::Builder::address(bus.address.as_str())
        .unwrap()
        .name("org.freedesktop.Notifications")
        .unwrap()
        .serve_at("/org/freedesktop/Notifications", FakeServer { calls: calls.clone() })
        .unwrap()
        .build()
        .unwrap();
    (calls, server)
}

#[test]
fn check_notify_calls_the_notification_server_once_a_day() {
    let e = Env::new();
    e.regular_blog();
    let healthy = Env::new();
    healthy.regular_blog();
    let bus = Bus::start(e.tmp.path());
    let (calls, _server) = notification_server(&bus);
    let on_bus = |env: &Env, now: &str| {
        let mut c = env.cmd(&["check", "--notify", "--now", now]);
        c.env("DBUS_SESSION_BUS_ADDRESS", &bus.address);
        c.output().unwrap()
    };
    // Healthy (6 days of silence at 10:00): no Notify call.
    let o = on_bus(&healthy, "2026-10-25T10:00:00+09:00");
    assert_eq!(code(&o), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(calls.lock().unwrap().is_empty());
    // Lapsed: one Notify call with the explanation.
    let o = on_bus(&e, "2026-11-05T10:00:00+09:00");
    assert_eq!(code(&o), Some(10), "{}", String::from_utf8_lossy(&o.stderr));
    {
        let c = calls.lock().unwrap();
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].0, "Noren: 投稿が止まっています");
        assert_eq!(c[0].1, "「ブログ」の投稿が止まっています。普段は約3日ごと、最後の投稿から17日");
    }
    // Same day again: not repeated. At 22:00 the next day: quiet hours. Next morning: again.
    on_bus(&e, "2026-11-05T15:00:00+09:00");
    on_bus(&e, "2026-11-06T22:00:00+09:00");
    assert_eq!(calls.lock().unwrap().len(), 1);
    on_bus(&e, "2026-11-07T09:00:00+09:00");
    assert_eq!(calls.lock().unwrap().len(), 2);
    // Snoozed for a week: silent on the following days.
    let key = e.json(&["check", "--now", "2026-11-07T09:00:00+09:00"])["items"][0]["key"].as_str().unwrap().to_string();
    e.ok(&["notify", "snooze", &key, "--for", "1w", "--now", "2026-11-07T09:30:00+09:00"]);
    on_bus(&e, "2026-11-08T09:00:00+09:00");
    on_bus(&e, "2026-11-14T09:00:00+09:00");
    assert_eq!(calls.lock().unwrap().len(), 2);
    on_bus(&e, "2026-11-14T10:00:00+09:00");
    assert_eq!(calls.lock().unwrap().len(), 3);
    // Notifications switched off: nothing, even though the item is due.
    e.ok(&["notify", "settings", "--enabled", "false"]);
    on_bus(&e, "2026-11-20T10:00:00+09:00");
    assert_eq!(calls.lock().unwrap().len(), 3);
}

#[test]
fn check_notify_on_two_laptops_of_one_shop_tells_the_shop_once_a_day() {
    let a = Env::new();
    a.regular_blog();
    let b = Env::new();
    let folder = a.tmp.path().join("shared");
    std::fs::create_dir_all(&folder).unwrap();
    a.ok(&["sync", "setup", folder.to_str().unwrap(), "--name", "店長のPC"]);
    let code_ = a.json(&["sync", "invite", "--scope", "front-desk"])["code"].as_str().unwrap().to_string();
    let o = b.cmd(&["sync", "join", folder.to_str().unwrap(), "--name", "受付"]).env("NOREN_INVITE_CODE", &code_).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bus = Bus::start(a.tmp.path());
    let (calls, _server) = notification_server(&bus);
    let on_bus = |env: &Env, now: &str| {
        let mut c = env.cmd(&["check", "--notify", "--now", now]);
        c.env("DBUS_SESSION_BUS_ADDRESS", &bus.address);
        let o = c.output().unwrap();
        assert_eq!(code(&o), Some(10), "the blog is due on both laptops: {}", String::from_utf8_lossy(&o.stderr));
    };
    // Both laptops see the lapsed blog; the shop is told once that day, by whichever is first.
    on_bus(&a, "2026-11-05T10:00:00+09:00");
    on_bus(&b, "2026-11-05T10:05:00+09:00");
    assert_eq!(calls.lock().unwrap().len(), 1);
    on_bus(&b, "2026-11-06T09:00:00+09:00");
    on_bus(&a, "2026-11-06T09:30:00+09:00");
    assert_eq!(calls.lock().unwrap().len(), 2);
    // Snoozed on the front desk's laptop for a week: the owner's is silent too.
    let key = b.json(&["check", "--now", "2026-11-06T09:40:00+09:00"])["items"][0]["key"].as_str().unwrap().to_string();
    b.ok(&["notify", "snooze", &key, "--for", "1w", "--now", "2026-11-06T09:45:00+09:00"]);
    on_bus(&a, "2026-11-08T09:00:00+09:00");
    assert_eq!(calls.lock().unwrap().len(), 2);
    on_bus(&a, "2026-11-13T10:00:00+09:00");
    assert_eq!(calls.lock().unwrap().len(), 3, "the snooze is over");
}
