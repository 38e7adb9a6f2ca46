//! Crash-consistency helper for scripts/crash.sh.
//!
//! `crash_writer write DIR` opens (or creates) a store and runs every kind of
//! write in a random order until it is killed: add a login, rotate a password,
//! import a CSV batch, add a customer, an inquiry (with its customer's
//! timeline line: a two-collection write), a post, export a backup,
//! restore it into a new store, change the passphrase (a full re-key) and make
//! a new emergency kit (another re-key). Before a write it prints
//! `begin\t<what>…` and after the write returned `ok\t<what>…` (stdout flushed
//! each time). The script kills it with SIGKILL at a random moment.
//!
//! `crash_writer check DIR LOG` reopens the store and checks against the log:
//! some passphrase that was acknowledged (or was being set) opens it; every
//! acknowledged record is there and readable, each password is the last one
//! acknowledged or one that was being written; the last acknowledged backup
//! file is complete and authentic and holds at least what it held; the last
//! acknowledged restore opens with all its logins; no inquiry of a customer
//! lacks its line on the customer's timeline (acknowledged or not); the last acknowledged kit
//! still recovers the store (on a copy); the search index and the reminder
//! facts say exactly what the records say.
//! Prints `checked <n> missing <m> …`; exit 1 on any loss, 2 when no
//! passphrase opens the store, 3 on an unreadable store, 4 on stale derived data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use noren_core::backup::{self, Protection, Unlock};
use noren_core::calendar::{self, ChannelInput, ChannelKind, PostInput};
use noren_core::credential::{self, Category, Credential, CredentialInput, SearchIndex};
use noren_core::crypto::KdfParams;
use noren_core::customer::{self, Customer, CustomerInput};
use noren_core::import::{self, OnDuplicate};
use noren_core::inquiry::{self, Inquiry, InquiryInput};
use noren_core::reminder_facts::Accounts;
use noren_core::store::Derived;
use noren_core::{import_formats, kit, rekeyed, SecretString, Store};

const FAST: KdfParams = KdfParams { m_kib: 256, t: 1, p: 1 };
const PASSES: [&str; 2] = ["crash test passphrase A", "crash test passphrase B"];
const RESTORED_PASS: &str = "restored store passphrase";

/// Files next to the store: `<dir>.backup.age`, `<dir>.id` (the age identity
/// backups are encrypted to), `<dir>.restored-<n>`, `<dir>.config` (settings).
fn beside(dir: &Path, what: &str) -> PathBuf {
    let mut s = dir.as_os_str().to_owned();
    s.push(format!(".{what}"));
    PathBuf::from(s)
}

fn identity(dir: &Path) -> age::x25519::Identity {
    let path = beside(dir, "id");
    if let Ok(text) = std::fs::read_to_string(&path) {
        if let Ok(id) = text.trim().parse() {
            return id;
        }
    }
    let id = age::x25519::Identity::generate();
    use age::secrecy::ExposeSecret;
    let tmp = beside(dir, "id.tmp");
    std::fs::write(&tmp, id.to_string().expose_secret()).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    id
}

/// The passphrases that may open the store, most likely first: the last one
/// acknowledged, then any that was being set after it.
fn passphrases(log: &str) -> Vec<String> {
    let mut acked = PASSES[0].to_string();
    let mut pending: Vec<String> = Vec::new();
    for line in log.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
            ["begin", "pass", p] => pending.push(p.to_string()),
            ["ok", "pass", p] => {
                acked = p.to_string();
                pending.clear();
            }
            _ => {}
        }
    }
    let mut out = vec![acked];
    for p in pending {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    for p in PASSES {
        if !out.iter().any(|o| o == p) {
            out.push(p.to_string());
        }
    }
    out
}

fn open(dir: &Path, log: &str) -> Result<(Store, String), String> {
    if !Store::exists(dir) {
        return Err("no store".into());
    }
    // What went wrong other than a passphrase that is not this store's.
    let mut other: Option<String> = None;
    for p in passphrases(log) {
        match Store::open(dir, &SecretString::new(p.clone())) {
            Ok(s) => return Ok((s, p)),
            Err(noren_core::Error::WrongPassphrase) => {}
            Err(e) => {
                if std::env::var_os("CRASH_DEBUG").is_some() {
                    eprintln!("open with {p}: {e:?}");
                }
                other.get_or_insert(e.to_string());
            }
        }
    }
    Err(other.unwrap_or_else(|| "wrong passphrase".into()))
}

/// A small deterministic generator: the order of writes differs per process.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn say(parts: &[&str]) {
    let out = std::io::stdout();
    let mut o = out.lock();
    writeln!(o, "{}", parts.join("\t")).unwrap();
    o.flush().unwrap();
}

fn write(dir: &Path, log_path: &Path) {
    let log = std::fs::read_to_string(log_path).unwrap_or_default();
    let mut pass_now;
    let mut store = if Store::exists(dir) {
        let (s, p) = open(dir, &log).expect("the store must reopen after a crash");
        pass_now = p;
        s
    } else {
        pass_now = PASSES[0].to_string();
        Store::init_with(dir, &SecretString::new(pass_now.clone()), FAST, chrono::Utc::now()).unwrap()
    };
    let config = beside(dir, "config");
    let pid = std::process::id();
    // Process ids come round again over a long run: names carry the start time too.
    let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() % 1_000_000_000).unwrap_or(0);
    let mut rng = Rng(u64::from(pid).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let recipient = identity(dir).to_public().to_string();
    let channel = match calendar::list_channels(&store).unwrap().into_iter().next() {
        Some(c) => c.id,
        None => {
            let input = ChannelInput { kind: Some(ChannelKind::Blog), name: Some("店のブログ".into()), ..Default::default() };
            calendar::add_channel(&store, &input, chrono::Utc::now()).unwrap().id
        }
    };
    let mut mine: Vec<String> = Vec::new();
    for i in 0u64.. {
        let now = chrono::Utc::now();
        let tag = format!("{pid}.{started}-{i}");
        match rng.below(100) {
            0..=29 => {
                let pw = format!("pw-{tag}-秘密");
                let input = CredentialInput {
                    category: Some(Category::ALL[(i % 7) as usize]),
                    name: Some(format!("crash-{tag}")),
                    password: Some(SecretString::new(pw.clone())),
                    notes: Some("x".repeat((i % 500) as usize)),
                    ..Default::default()
                };
                // Full reads now and then, so packs are written and invalidated under the kills too.
                if i % 50 == 0 {
                    store.all::<Credential>().unwrap();
                }
                let c = credential::add(&store, &input, now).unwrap();
                mine.push(c.id.clone());
                say(&["ok", "cred", &c.id, &c.name, &pw]);
            }
            30..=44 => {
                let Some(id) = (!mine.is_empty()).then(|| mine[rng.below(mine.len() as u64) as usize].clone()) else { continue };
                let pw = format!("rotated-{tag}");
                say(&["begin", "rotate", &id, &pw]);
                credential::rotate(&store, &id, SecretString::new(pw.clone()), now).unwrap();
                say(&["ok", "rotate", &id, &pw]);
            }
            45..=52 => {
                let names: Vec<String> = (0..5).map(|k| format!("import-{tag}-{k}")).collect();
                let mut csv = String::from("name,url,username,password\n");
                for n in &names {
                    csv.push_str(&format!("{n},https://{n}.example.jp,user,{n}-pw\n"));
                }
                let (_, cands, _) = import_formats::csv(csv.as_bytes(), None).unwrap();
                let r = import::commit(&store, &cands, OnDuplicate::Skip, now).unwrap();
                assert_eq!(r.imported, 5);
                say(&["ok", "import", &names.join(",")]);
            }
            53..=61 => {
                let input = CustomerInput { name: Some(format!("顧客 {tag}")), log: Some("来店".into()), ..Default::default() };
                let c = customer::add(&store, &input, now).unwrap();
                say(&["ok", "customer", &c.id]);
            }
            62..=70 => {
                // From a known customer when there is one: the inquiry and the line on the
                // customer's timeline are one write (`Store::put_pair`), both or neither.
                let known = store.all::<Customer>().unwrap().first().map(|c| c.id.clone());
                let input = InquiryInput {
                    sender: known.is_none().then(|| format!("問い合わせ {tag}")),
                    customer: known,
                    channel: Some(customer::ContactKind::Email),
                    received_at: Some(now),
                    summary: Some(format!("予約の変更 {tag}")),
                    ..Default::default()
                };
                let q = inquiry::add(&store, &input, &Default::default(), chrono_tz::Asia::Tokyo, now).unwrap();
                say(&["ok", "inquiry", &q.id]);
            }
            71..=79 => {
                let input = PostInput { at: Some(now), title: Some(format!("投稿 {tag}")), ..Default::default() };
                let p = calendar::log_post(&store, &channel, &input, now).unwrap();
                say(&["ok", "post", &p.id]);
            }
            80..=86 => {
                let path = beside(dir, "backup.age");
                let r = backup::export(&store, &path, &Protection::Recipients(vec![recipient.clone()]), now).unwrap();
                let creds = r.counts.get("credentials").copied().unwrap_or(0);
                say(&["ok", "backup", &creds.to_string()]);
            }
            87..=89 => {
                let from = beside(dir, "backup.age");
                if !from.exists() {
                    continue;
                }
                let into = beside(dir, &format!("restored-{tag}"));
                let unlock = Unlock::IdentityFile(beside(dir, "id"));
                let r = backup::restore_with(&from, &unlock, &into, &SecretString::new(RESTORED_PASS), FAST, chrono::Utc::now()).unwrap();
                let creds = r.counts.get("credentials").copied().unwrap_or(0);
                say(&["ok", "restore", into.to_str().unwrap(), &creds.to_string()]);
            }
            90..=94 => {
                let next = if pass_now == PASSES[0] { PASSES[1] } else { PASSES[0] };
                say(&["begin", "pass", next]);
                rekeyed::change_passphrase(&mut store, &SecretString::new(next), Some(&config), now).unwrap();
                pass_now = next.to_string();
                say(&["ok", "pass", next]);
            }
            _ => {
                say(&["begin", "kit"]);
                let shares = kit::make(&mut store, 3, 2, &[], now).unwrap();
                rekeyed::follow(&store, Some(&config), now).unwrap();
                let texts: Vec<String> = shares.iter().take(2).map(|s| s.text.replace('\n', "\\n")).collect();
                say(&["ok", "kit", &texts.join("|")]);
            }
        }
    }
}

fn fail(code: i32, msg: String) -> ! {
    println!("{msg}");
    std::process::exit(code);
}

fn check(dir: &Path, log_path: &Path) {
    let log = std::fs::read_to_string(log_path).unwrap_or_default();
    // The kit is tried on a copy taken before the passphrase opens the store,
    // so a re-key cut short is finished by the kit there, as after a lost passphrase.
    let kit_copy = beside(dir, "kit-check");
    let _ = std::fs::remove_dir_all(&kit_copy);
    if dir.exists() {
        copy_dir(dir, &kit_copy);
        let _ = std::fs::remove_file(kit_copy.join("noren.lock"));
    }
    let store = match open(dir, &log) {
        Ok((s, _)) => s,
        Err(e) if e == "no store" => {
            println!("checked 0 missing 0 (no store yet)");
            return;
        }
        Err(e) => fail(2, format!("no passphrase opens the store: {e}")),
    };
    // The search index first: from its sealed derived pack when that is current.
    let index = match SearchIndex::load(&store) {
        Ok(i) => i.all().map(|c| (c.id.clone(), c.name.clone())).collect::<BTreeSet<_>>(),
        Err(e) => fail(3, format!("unreadable index: {e}")),
    };
    let facts = store.derived::<Accounts>().unwrap_or_else(|e| fail(3, format!("unreadable reminder facts: {e}")));
    let all: Vec<Credential> = store.all().unwrap_or_else(|e| fail(3, format!("unreadable store: {e}")));
    let records: BTreeSet<_> = all.iter().map(|c| (c.id.clone(), c.name.clone())).collect();
    if index != records {
        fail(4, format!("stale index: {} rows, {} records", index.len(), records.len()));
    }
    if facts != Accounts::derive(&all) {
        fail(4, format!("stale reminder facts: {} rows, {} records", facts.0.len(), all.len()));
    }
    let by_id: HashMap<&str, &Credential> = all.iter().map(|c| (c.id.as_str(), c)).collect();
    let names: BTreeSet<&str> = all.iter().map(|c| c.name.as_str()).collect();
    let all_customers = store.all::<Customer>().unwrap();
    let all_inquiries = store.all::<Inquiry>().unwrap();
    let customers: BTreeSet<String> = all_customers.iter().map(|c| c.id.clone()).collect();
    let inquiries: BTreeSet<String> = all_inquiries.iter().map(|q| q.id.clone()).collect();
    // Both or neither: every inquiry of a customer has its line on the customer's
    // timeline, acknowledged or not (one write, `Store::put_pair`).
    let half_written: Vec<String> = all_inquiries
        .iter()
        .filter(|q| {
            q.customer_id.as_ref().is_some_and(|cid| {
                !all_customers
                    .iter()
                    .any(|c| &c.id == cid && c.timeline.iter().any(|e| e.shown(noren_core::messages::Lang::Ja).ends_with(&q.summary)))
            })
        })
        .map(|q| format!("inquiry {} without its line on the customer's timeline", q.id))
        .collect();
    let posts: BTreeSet<String> = store.all::<calendar::Post>().unwrap().into_iter().map(|p| p.id).collect();

    // Per login: the passwords it may have (the last acknowledged, and any being written after it).
    let mut passwords: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (mut checked, mut missing) = (0usize, Vec::<String>::new());
    let mut backup_creds = None;
    let mut restored = None;
    let mut kit_shares = None;
    for line in log.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let mut expect = |present: bool, what: &str| {
            checked += 1;
            if !present {
                missing.push(what.to_string());
            }
        };
        match f.as_slice() {
            ["ok", "cred", id, name, pw] => {
                expect(by_id.get(id).is_some_and(|c| c.name == *name), line);
                passwords.insert(id.to_string(), vec![pw.to_string()]);
            }
            ["begin", "rotate", id, pw] => passwords.entry(id.to_string()).or_default().push(pw.to_string()),
            ["ok", "rotate", id, pw] => {
                passwords.insert(id.to_string(), vec![pw.to_string()]);
            }
            ["ok", "import", list] => {
                for n in list.split(',') {
                    expect(names.contains(n), n);
                }
            }
            ["ok", "customer", id] => expect(customers.contains(*id), line),
            ["ok", "inquiry", id] => expect(inquiries.contains(*id), line),
            ["ok", "post", id] => expect(posts.contains(*id), line),
            ["ok", "backup", n] => backup_creds = n.parse::<usize>().ok(),
            ["ok", "restore", into, n] => restored = Some((into.to_string(), n.parse::<usize>().unwrap())),
            // A kit being made when the writer was killed may have replaced the last one acknowledged.
            ["begin", "kit"] => kit_shares = None,
            ["ok", "kit", shares] => kit_shares = Some(shares.split('|').map(|s| s.replace("\\n", "\n")).collect::<Vec<_>>()),
            _ => {}
        }
    }
    for (id, allowed) in &passwords {
        if let Some(c) = by_id.get(id.as_str()) {
            checked += 1;
            if !allowed.iter().any(|p| p == c.password.expose()) {
                missing.push(format!("password of {id}"));
            }
        }
    }
    // The backup file is always whole and authentic, and never older than the last one acknowledged.
    if let Some(n) = backup_creds {
        checked += 1;
        match backup::verify(&beside(dir, "backup.age"), &Unlock::IdentityFile(beside(dir, "id"))) {
            Ok(r) if r.counts.get("credentials").copied().unwrap_or(0) >= n => {}
            Ok(r) => missing.push(format!("backup holds {:?} logins, {n} were acknowledged", r.counts.get("credentials"))),
            Err(e) => missing.push(format!("backup: {e}")),
        }
    }
    if let Some((into, n)) = restored {
        checked += 1;
        match Store::open(Path::new(&into), &SecretString::new(RESTORED_PASS)).and_then(|s| s.count::<Credential>()) {
            Ok(got) if got == n => {}
            Ok(got) => missing.push(format!("restored store has {got} logins, {n} were acknowledged")),
            Err(e) => missing.push(format!("restored store: {e}")),
        }
    }
    drop(store);
    // The last kit recovers the store: on a copy, so the store keeps its passphrase.
    let copy = kit_copy;
    if let Some(shares) = kit_shares {
        checked += 1;
        match kit::recover(&copy, &shares, &SecretString::new("recovered passphrase")).and_then(|s| s.count::<Credential>()) {
            Ok(n) if n == all.len() => {}
            Ok(n) => missing.push(format!("the kit recovered {n} of {} logins", all.len())),
            Err(e) => missing.push(format!("the last kit does not recover the store: {e}")),
        }
    }
    let _ = std::fs::remove_dir_all(&copy);
    checked += all_inquiries.len();
    missing.extend(half_written);
    println!("checked {checked} missing {} records {}", missing.len(), all.len());
    if !missing.is_empty() {
        for m in missing.iter().take(5) {
            println!("  lost: {m}");
        }
        std::process::exit(1);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(args.get(2).map(String::as_str).unwrap_or_else(|| panic!("usage: crash_writer write|check DIR LOG")));
    let log = Path::new(args.get(3).map(String::as_str).unwrap_or("/dev/null"));
    match args[1].as_str() {
        "write" => write(dir, log),
        "check" => check(dir, log),
        _ => panic!("usage: crash_writer write|check DIR LOG"),
    }
}
