//! The set-up shared by the CLI integration tests: a fresh store in a temp dir,
//! the passphrase in a file, and helpers that run `noren-cli` against it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

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
        Command::new(env!("CARGO_BIN_EXE_noren-cli"))
            .arg("--store")
            .arg(&self.store)
            .args(args)
            .env_remove("NOREN_PASSPHRASE")
            .env_remove("NOREN_STORE")
            .env("NOREN_PASSPHRASE_FILE", &self.passfile)
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
