//! The set-up shared by the CLI integration tests: a fresh store in a temp dir,
//! the passphrase in a file, and helpers that run `noren-cli` against it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The tests' clock: every command a test runs takes this instant as the
/// present (`NOREN_NOW`) unless it passes its own `--now`/`--at`, so records a
/// test creates are dated by the same fixed clock its `check --now` reads,
/// whatever the machine's date (CI also runs the suite under faketime).
pub const CLOCK: &str = "2026-11-22T10:00:00+09:00";

/// `CLOCK` as an instant, for tests that compute other instants from it.
pub fn clock() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(CLOCK).unwrap().to_utc()
}

/// `CLOCK` moved by `hours`, as `--now` takes it: a later step of a test.
pub fn clock_plus_hours(hours: i64) -> String {
    (clock() + chrono::Duration::hours(hours)).to_rfc3339()
}

/// `noren-cli` with the fixed clock and no passphrase or store from the
/// environment of whoever runs the tests.
pub fn noren_cli() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_noren-cli"));
    c.env("NOREN_NOW", CLOCK).env_remove("NOREN_PASSPHRASE").env_remove("NOREN_PASSPHRASE_FILE").env_remove("NOREN_STORE");
    // Never the tester's own ~/.config (the reminder timer, what stores were seen):
    // a folder of the tests' own unless the test gives one.
    c.env("XDG_CONFIG_HOME", std::env::temp_dir().join("noren-cli-tests-config"));
    c
}

pub struct Env {
    _tmp: tempfile::TempDir,
    pub dir: PathBuf,
    pub store: PathBuf,
    pub passfile: PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let e = Env { store: dir.join("store"), passfile: dir.join("pass"), dir, _tmp: tmp };
        std::fs::write(&e.passfile, "shop passphrase 桜\n").unwrap();
        assert!(e.run(&["init"]).status.success());
        e
    }
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[])
    }
    /// `run` with more environment variables set.
    pub fn run_with(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        noren_cli()
            .envs(vars.iter().copied())
            .arg("--store")
            .arg(&self.store)
            .args(args)
            .env("NOREN_PASSPHRASE_FILE", &self.passfile)
            .env("XDG_CONFIG_HOME", self.dir.join("config"))
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }
    pub fn json(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        let o = self.run(&a);
        assert!(o.status.success() || o.status.code() == Some(10), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    }
}
