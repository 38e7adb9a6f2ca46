//! One store on several laptops through a shared folder, without a sync program: the folder is a
//! plain directory the tests copy files into and out of, as Syncthing or a USB stick would —
//! late, out of order, twice, cut short, damaged. (`cli/tests/sync.rs` drives the same through
//! `noren-cli`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use noren_core::credential::{self, CredentialInput};
use noren_core::crypto::KdfParams;
use noren_core::customer::{self, CustomerInput};
use noren_core::sync::{self, Scope};
use noren_core::{Error, SecretString, Store};

const FAST: KdfParams = KdfParams { m_kib: 256, t: 1, p: 1 };

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-02T10:00:00+09:00").unwrap().to_utc()
}

struct Laptop {
    _dir: tempfile::TempDir,
    store: Store,
}

impl Laptop {
    fn new() -> Laptop {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::init_with(&dir.path().join("s"), &SecretString::new("correct horse battery"), FAST, t0()).unwrap();
        Laptop { _dir: dir, store }
    }

    /// What the application layer does after every command (`Vault::follow`).
    fn follow(&self, now: DateTime<Utc>) {
        sync::after_change(&self.store, now).unwrap();
    }

    fn add_customer(&self, name: &str, now: DateTime<Utc>) -> String {
        let c = customer::add(&self.store, &CustomerInput { name: Some(name.into()), ..Default::default() }, now).unwrap();
        self.follow(now);
        c.id
    }

    fn edit_notes(&self, id: &str, notes: &str, now: DateTime<Utc>) {
        customer::edit(&self.store, id, &CustomerInput { notes: Some(notes.into()), ..Default::default() }, now).unwrap();
        self.follow(now);
    }

    fn customers(&self) -> Vec<(String, String, String)> {
        let mut v: Vec<_> = customer::list(&self.store).unwrap().into_iter().map(|c| (c.id, c.name, c.notes)).collect();
        v.sort();
        v
    }

    fn logins(&self) -> Vec<String> {
        let mut v: Vec<_> = credential::list(&self.store).unwrap().into_iter().map(|c| c.name).collect();
        v.sort();
        v
    }

    fn sync(&self, now: DateTime<Utc>) -> sync::MergeReport {
        sync::sync_now(&self.store, now).unwrap()
    }
}

fn add_login(l: &Laptop, name: &str, password: &str, now: DateTime<Utc>) {
    let input = CredentialInput {
        category: Some(credential::Category::Sns),
        name: Some(name.into()),
        login: Some("info@example.jp".into()),
        password: Some(SecretString::new(password)),
        ..Default::default()
    };
    credential::add(&l.store, &input, now).unwrap();
    l.follow(now);
}

/// A shared folder and the laptop that set it up.
fn shop() -> (tempfile::TempDir, Laptop) {
    let folder = tempfile::tempdir().unwrap();
    let a = Laptop::new();
    sync::setup(&a.store, folder.path(), "店長のPC", t0()).unwrap();
    (folder, a)
}

fn join(folder: &Path, by: &Laptop, scope: Scope, name: &str, now: DateTime<Utc>) -> Laptop {
    let inv = sync::invite(&by.store, scope, now).unwrap();
    let b = Laptop::new();
    sync::join(&b.store, folder, &inv.code, name, now).unwrap();
    b
}

fn device_dir(folder: &Path, l: &Laptop) -> PathBuf {
    folder.join("devices").join(sync::settings(&l.store).unwrap().unwrap().device)
}

fn files_of(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn a_login_added_on_one_laptop_opens_on_the_other_and_the_folder_shows_no_plaintext() {
    let (folder, a) = shop();
    add_login(&a, "Instagram", "pw-桜-7781", t0());
    let b = join(folder.path(), &a, Scope::Everything, "ウェブ担当", t0() + Duration::minutes(1));
    assert_eq!(b.logins(), vec!["Instagram".to_string()]);
    let got = credential::list(&b.store).unwrap();
    assert_eq!(got[0].password.expose(), "pw-桜-7781");
    // And back: B's login reaches A.
    add_login(&b, "Google ビジネス", "gbp-secret-55", t0() + Duration::minutes(2));
    a.sync(t0() + Duration::minutes(3));
    assert_eq!(a.logins(), vec!["Google ビジネス".to_string(), "Instagram".to_string()]);
    // Nothing in the folder reads as what it holds.
    for entry in walk(folder.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        for needle in ["Instagram", "pw-桜-7781", "info@example.jp", "gbp-secret-55", "ウェブ担当"] {
            assert!(!contains(&bytes, needle.as_bytes()), "{needle} in {}", entry.display());
        }
    }
    // The devices are listed on both, by name.
    let st = sync::status(&a.store).unwrap();
    assert!(st.shared && st.reachable);
    assert_eq!(st.devices.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), vec!["店長のPC", "ウェブ担当"]);
    assert_eq!((st.pending, st.waiting), (0, 0));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn simultaneous_edits_of_one_customer_converge_and_the_losing_version_is_kept() {
    let (folder, a) = shop();
    let id = a.add_customer("山田 花子", t0());
    let b = join(folder.path(), &a, Scope::FrontDesk, "受付", t0() + Duration::minutes(1));
    assert_eq!(b.customers().len(), 1);
    // Both edit before either sees the other's edit; B's is later.
    a.edit_notes(&id, "A: 毎月第2土曜", t0() + Duration::minutes(10));
    b.edit_notes(&id, "B: 予約は電話で", t0() + Duration::minutes(11));
    a.sync(t0() + Duration::minutes(12));
    b.sync(t0() + Duration::minutes(12));
    a.sync(t0() + Duration::minutes(13));
    assert_eq!(a.customers(), b.customers(), "the same state on both");
    assert_eq!(a.customers()[0].2, "B: 予約は電話で", "the later edit wins");
    // A's version lost without A having seen B's: it is kept on A.
    let kept = sync::conflicts(&a.store).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].record_id, id);
    assert!(kept[0].loser_record.expose().contains("A: 毎月第2土曜"));
    // A second round changes nothing and keeps nothing twice.
    let r = a.sync(t0() + Duration::minutes(14));
    assert_eq!((r.published, r.applied, r.conflicts), (0, 0, 0));
    assert_eq!(sync::conflicts(&a.store).unwrap().len(), 1);
}

/// 設定 → 共有 and `noren-cli sync conflicts` name what was edited twice and on which laptops.
#[test]
fn a_conflict_is_named_by_its_record_and_the_two_laptops() {
    let (folder, a) = shop();
    let id = a.add_customer("山田 花子", t0());
    add_login(&a, "Instagram", "pw-1", t0());
    let b = join(folder.path(), &a, Scope::Everything, "受付", t0() + Duration::minutes(1));
    let login = credential::list(&b.store).unwrap()[0].id.clone();
    a.edit_notes(&id, "A", t0() + Duration::minutes(10));
    b.edit_notes(&id, "B", t0() + Duration::minutes(11));
    for (l, at) in [(&a, 12), (&b, 13)] {
        let input = CredentialInput { notes: Some(format!("{at}")), ..Default::default() };
        credential::edit(&l.store, &login, &input, t0() + Duration::minutes(at)).unwrap();
        l.follow(t0() + Duration::minutes(at));
    }
    a.sync(t0() + Duration::minutes(14));
    b.sync(t0() + Duration::minutes(14));
    let views = noren_core::sharing::conflicts(&a.store).unwrap();
    let mut named: Vec<_> = views.iter().map(|v| (v.name.clone(), v.winner_name.clone(), v.loser_name.clone())).collect();
    named.sort();
    assert_eq!(
        named,
        vec![
            (Some("Instagram".to_string()), "受付".to_string(), "店長のPC".to_string()),
            (Some("山田 花子".to_string()), "受付".to_string(), "店長のPC".to_string()),
        ]
    );
    // A record deleted since keeps its conflict, unnamed.
    customer::remove(&a.store, &id).unwrap();
    let views = noren_core::sharing::conflicts(&a.store).unwrap();
    assert!(views.iter().any(|v| v.record_id == id && v.name.is_none()), "{views:?}");
}

#[test]
fn a_front_desk_laptop_gets_customers_but_no_logins_and_cannot_open_them() {
    let (folder, a) = shop();
    add_login(&a, "ホームページ管理画面", "very-secret-1", t0());
    a.add_customer("佐藤 一郎", t0());
    let c = join(folder.path(), &a, Scope::FrontDesk, "受付", t0() + Duration::minutes(1));
    assert_eq!(c.customers().len(), 1);
    assert!(c.logins().is_empty());
    // It holds no key of the secrets part: a login written later stays closed to it too.
    add_login(&a, "LINE公式", "very-secret-2", t0() + Duration::minutes(2));
    c.sync(t0() + Duration::minutes(3));
    assert!(c.logins().is_empty());
    // And it cannot invite anyone to more than it has.
    assert!(matches!(sync::invite(&c.store, Scope::Everything, t0()), Err(Error::Invalid { field: "scope", .. })));
}

#[test]
fn deletions_stay_deleted_and_a_month_old_laptop_rolls_nothing_back() {
    let (folder, a) = shop();
    let gone = a.add_customer("削除される人", t0());
    let kept = a.add_customer("残る人", t0());
    let b = join(folder.path(), &a, Scope::FrontDesk, "受付", t0() + Duration::minutes(1));
    // B goes away for a month. Meanwhile A deletes one customer and edits the other.
    let later = t0() + Duration::days(30);
    customer::remove(&a.store, &gone).unwrap();
    a.follow(later);
    a.edit_notes(&kept, "A: 新しいメモ", later);
    // B, a month behind, had edited both before it left: its edits are older.
    b.edit_notes(&kept, "B: 古いメモ", t0() + Duration::hours(1));
    b.edit_notes(&gone, "B: 古いメモ", t0() + Duration::hours(1));
    b.sync(later + Duration::hours(1));
    a.sync(later + Duration::hours(2));
    assert_eq!(a.customers(), b.customers());
    assert_eq!(
        a.customers(),
        vec![(kept.clone(), "残る人".to_string(), "A: 新しいメモ".to_string())],
        "nothing resurrected, nothing rolled back"
    );
}

/// A laptop joined to `a` through a folder of its own, as a sync program or a USB stick keeps
/// one per laptop: files reach it only when the test delivers them.
fn join_apart(a_view: &Path, a: &Laptop, scope: Scope, now: DateTime<Utc>) -> (tempfile::TempDir, Laptop) {
    let inv = sync::invite(&a.store, scope, now).unwrap();
    let view = tempfile::tempdir().unwrap();
    copy_tree(a_view, view.path());
    let b = Laptop::new();
    sync::join(&b.store, view.path(), &inv.code, "受付", now).unwrap();
    (view, b)
}

#[test]
fn files_that_arrive_late_out_of_order_twice_cut_or_damaged_are_waited_for_never_applied_wrongly() {
    let (fa, a) = shop();
    a.add_customer("一人目", t0());
    let (fb, b) = join_apart(fa.path(), &a, Scope::FrontDesk, t0());
    assert_eq!(b.customers().len(), 1);
    for (i, name) in ["二人目", "三人目", "四人目"].iter().enumerate() {
        a.add_customer(name, t0() + Duration::minutes(i as i64 + 1));
    }
    let from = device_dir(fa.path(), &a);
    let to = fb.path().join("devices").join(from.file_name().unwrap());
    assert_eq!(
        files_of(&from),
        vec!["device.nrd", "shop-0000000001.nrs", "shop-0000000002.nrs", "shop-0000000003.nrs", "shop-0000000004.nrs"]
    );
    let deliver = |name: &str| std::fs::copy(from.join(name), to.join(name)).unwrap();
    // 3 and 4 arrive before 2: nothing is applied past the gap.
    deliver("shop-0000000003.nrs");
    deliver("shop-0000000004.nrs");
    let r = b.sync(t0() + Duration::minutes(5));
    assert_eq!((r.applied, r.waiting), (0, 2));
    assert_eq!(b.customers().len(), 1);
    // 2 arrives cut short, then damaged: waited for, named, nothing applied.
    let two = std::fs::read(from.join("shop-0000000002.nrs")).unwrap();
    std::fs::write(to.join("shop-0000000002.nrs"), &two[..two.len() / 2]).unwrap();
    let r = b.sync(t0() + Duration::minutes(6));
    assert_eq!((r.applied, r.waiting), (0, 3));
    assert_eq!(
        r.problems.iter().map(|p| (p.file.as_str(), p.kind.as_str())).collect::<Vec<_>>(),
        vec![(format!("devices/{}/shop-0000000002.nrs", from.file_name().unwrap().to_string_lossy()).as_str(), "incomplete")]
    );
    let mut flipped = two.clone();
    let at = flipped.len() - 20;
    flipped[at] ^= 1;
    std::fs::write(to.join("shop-0000000002.nrs"), &flipped).unwrap();
    assert_eq!(b.sync(t0() + Duration::minutes(7)).applied, 0);
    assert_eq!(sync::status(&b.store).unwrap().problems.len(), 1, "the status shows it until it is whole");
    // Whole at last: 2, 3 and 4 apply, in order.
    deliver("shop-0000000002.nrs");
    let r = b.sync(t0() + Duration::minutes(8));
    assert_eq!((r.applied, r.files, r.waiting), (3, 3, 0));
    assert!(r.problems.is_empty());
    assert_eq!(b.customers(), a.customers());
    // The same file again, a conflict copy of it, and a file replayed under a later number:
    // the copy is reported and not read, the replay refused by name, nothing changes.
    deliver("shop-0000000002.nrs");
    std::fs::copy(from.join("shop-0000000002.nrs"), to.join("shop-0000000002.sync-conflict-20261202-101010-ABCDEFG.nrs")).unwrap();
    std::fs::copy(from.join("shop-0000000002.nrs"), to.join("shop-0000000005.nrs")).unwrap();
    let r = b.sync(t0() + Duration::minutes(9));
    assert_eq!(r.applied, 0);
    let kinds: Vec<&str> = r.problems.iter().map(|p| p.kind.as_str()).collect();
    assert_eq!(kinds, vec!["artefact", "refused"], "{:?}", r.problems);
    assert_eq!(b.customers(), a.customers());
}

#[test]
fn a_folder_that_goes_away_keeps_the_changes_waiting_and_writes_them_when_back() {
    let (folder, a) = shop();
    let b = join(folder.path(), &a, Scope::FrontDesk, "受付", t0());
    let away = folder.path().with_extension("unplugged");
    std::fs::rename(folder.path(), &away).unwrap();
    // The change is made and kept; the folder is not there to take it.
    a.add_customer("留守中の予約", t0() + Duration::hours(1));
    let st = sync::status(&a.store).unwrap();
    assert_eq!((st.reachable, st.pending), (false, 1));
    assert!(matches!(sync::sync_now(&a.store, t0() + Duration::hours(1)), Err(Error::Invalid { field: "sync_folder", .. })));
    std::fs::rename(&away, folder.path()).unwrap();
    assert_eq!(a.sync(t0() + Duration::hours(2)).published, 1);
    b.sync(t0() + Duration::hours(2));
    assert_eq!(b.customers().len(), 1);
    assert_eq!(b.customers()[0].1, "留守中の予約");
}

#[test]
fn a_batch_written_just_before_a_crash_is_adopted_not_written_again() {
    let (folder, a) = shop();
    let b = join(folder.path(), &a, Scope::FrontDesk, "受付", t0());
    let before = a.store.get::<sync::SyncSettings>("sync").unwrap().unwrap();
    a.add_customer("書いた直後に停電", t0() + Duration::minutes(1));
    // The crash: the batch is in the folder, the bookkeeping of it is not (the change is
    // stamped, still pending, and the next batch number is still 1).
    let mut m = a.store.get::<sync::SyncMeta>("meta").unwrap().unwrap();
    for e in m.trees.values_mut().flat_map(|t| t.values_mut()) {
        e.pending = true;
    }
    a.store.put_pair(&before, &m).unwrap();
    let r = a.sync(t0() + Duration::minutes(2));
    assert_eq!(r.published, 0, "the batch already in the folder is not written twice");
    assert_eq!(files_of(&device_dir(folder.path(), &a)).len(), 2, "device card and one batch");
    b.sync(t0() + Duration::minutes(2));
    assert_eq!(b.customers(), a.customers());
    // The next change goes into the next batch.
    a.add_customer("次の人", t0() + Duration::minutes(3));
    assert_eq!(files_of(&device_dir(folder.path(), &a)).last().unwrap(), "shop-0000000002.nrs");
}

#[test]
fn an_expired_wrong_or_mistyped_invitation_code_is_refused() {
    let (folder, a) = shop();
    let inv = sync::invite(&a.store, Scope::FrontDesk, t0()).unwrap();
    let b = Laptop::new();
    let late = t0() + Duration::days(sync::INVITE_DAYS) + Duration::minutes(1);
    assert!(matches!(sync::join(&b.store, folder.path(), &inv.code, "受付", late), Err(Error::Invalid { field: "invite_code", .. })));
    assert!(matches!(sync::join(&b.store, folder.path(), "ABCD-1234", "受付", t0()), Err(Error::Invalid { field: "invite_code", .. })));
    let other = sync::invite(&a.store, Scope::FrontDesk, t0()).unwrap().code.replace('-', "");
    let wrong: String = other.chars().rev().collect();
    assert!(matches!(sync::join(&b.store, folder.path(), &wrong, "受付", t0()), Err(Error::Invalid { field: "invite_code", .. })));
    assert!(matches!(sync::join(&b.store, folder.path(), &inv.code, "  ", t0()), Err(Error::Invalid { field: "device_name", .. })));
    assert!(!sync::status(&b.store).unwrap().shared, "nothing half set up");
    // Typed in lower case with spaces, the right code still works.
    let typed = inv.code.to_lowercase().replace('-', " ");
    sync::join(&b.store, folder.path(), &typed, "受付", t0()).unwrap();
    assert!(sync::status(&b.store).unwrap().shared);
}

/// xorshift64*: the same "random" run on every machine.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Copies the files of `from` that `to` lacks, each with probability 1/2 (what a sync program
/// has delivered so far, in no particular order).
fn deliver_some(from: &Path, to: &Path, rng: &mut Rng, all: bool) {
    for f in walk(from) {
        let rel = f.strip_prefix(from).unwrap();
        let target = to.join(rel);
        if target.exists() || (!all && rng.below(2) == 0) {
            continue;
        }
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&f, &target).unwrap();
    }
}

#[test]
fn random_changes_on_three_laptops_delivered_in_random_orders_end_in_one_state_with_every_write() {
    random_run(false);
}

#[test]
fn random_changes_with_compaction_at_random_moments_and_deletions_replicated_end_in_one_state() {
    random_run(true);
}

/// Random changes, merges and deliveries on three laptops; with `compacting`, also snapshots at
/// random moments and deliveries that replicate deletions too (as Syncthing does).
fn random_run(compacting: bool) {
    for seed in [1u64, 7, 42] {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ seed);
        let (fa, a) = shop();
        let (fb, b) = join_apart(fa.path(), &a, Scope::FrontDesk, t0());
        let (fc, c) = join_apart(fa.path(), &a, Scope::FrontDesk, t0());
        let laptops = [(fa.path(), &a), (fb.path(), &b), (fc.path(), &c)];
        let mut alive: Vec<String> = Vec::new();
        let mut now = t0();
        for step in 0..120 {
            now += Duration::seconds(1 + rng.below(600) as i64);
            let (view, l) = laptops[rng.below(3)];
            match rng.below(6) {
                0 | 1 => alive.push(l.add_customer(&format!("客{step}"), now)),
                2 if !alive.is_empty() => {
                    let id = alive[rng.below(alive.len())].clone();
                    if l.store.get::<customer::Customer>(&id).unwrap().is_some() {
                        l.edit_notes(&id, &format!("step {step}"), now);
                    }
                }
                3 if alive.len() > 3 => {
                    let i = rng.below(alive.len());
                    if l.store.get::<customer::Customer>(&alive[i]).unwrap().is_some() {
                        customer::remove(&l.store, &alive[i]).unwrap();
                        l.follow(now);
                        alive.swap_remove(i);
                    }
                }
                4 => {
                    l.sync(now);
                }
                5 if compacting && rng.below(3) == 0 => {
                    sync::compact(&l.store).unwrap();
                }
                _ => {
                    let (other, writer) = laptops[rng.below(3)];
                    if other != view {
                        if compacting && rng.below(2) == 0 {
                            mirror_own(other, writer, view);
                        } else {
                            deliver_some(other, view, &mut rng, false);
                        }
                    }
                }
            }
        }
        // Everything delivered everywhere, each laptop merges (twice: its own writes travel too).
        for _ in 0..2 {
            for (view, l) in laptops {
                l.sync(now);
                for (other, _) in laptops {
                    if other != view {
                        deliver_some(other, view, &mut rng, true);
                    }
                }
            }
        }
        for (_, l) in laptops {
            l.sync(now);
        }
        assert_eq!(a.customers(), b.customers(), "seed {seed}");
        assert_eq!(b.customers(), c.customers(), "seed {seed}");
        let ids: Vec<String> = a.customers().into_iter().map(|c| c.0).collect();
        for id in &alive {
            assert!(ids.contains(id), "seed {seed}: customer {id} was never deleted and is missing");
        }
        for (_, l) in laptops {
            let st = sync::status(&l.store).unwrap();
            assert_eq!((st.pending, st.waiting, st.problems.len()), (0, 0, 0), "seed {seed}");
        }
    }
}

/// What a sync program does with the folder of the laptop that writes into `from`: its files
/// reach `to` as they are there now, deletions included.
fn mirror_own(from: &Path, owner: &Laptop, to: &Path) {
    let src = device_dir(from, owner);
    let dst = to.join("devices").join(src.file_name().unwrap());
    std::fs::create_dir_all(&dst).unwrap();
    for f in files_of(&src) {
        if !dst.join(&f).exists() {
            std::fs::copy(src.join(&f), dst.join(&f)).unwrap();
        }
    }
    for f in files_of(&dst) {
        if !src.join(&f).exists() {
            std::fs::remove_file(dst.join(&f)).unwrap();
        }
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_login_edited_on_two_laptops_at_once_is_a_due_item_until_looked_at() {
    use noren_core::reminders::{Kind, Settings};
    use noren_core::session::Session;
    let (folder, a) = shop();
    add_login(&a, "Instagram", "pw-1", t0());
    let b = join(folder.path(), &a, Scope::Everything, "ウェブ担当", t0() + Duration::minutes(1));
    let id = credential::list(&b.store).unwrap()[0].id.clone();
    let note = |l: &Laptop, text: &str, at: DateTime<Utc>| {
        credential::edit(&l.store, &id, &CredentialInput { notes: Some(text.into()), ..Default::default() }, at).unwrap();
        l.follow(at);
    };
    note(&a, "A: 二段階認証は店長のスマホ", t0() + Duration::minutes(10));
    note(&b, "B: 二段階認証は受付のスマホ", t0() + Duration::minutes(11));
    a.sync(t0() + Duration::minutes(12));
    b.sync(t0() + Duration::minutes(12));
    let Laptop { store, _dir } = a;
    let mut session = Session::new(store);
    let due = |s: &mut Session| {
        s.due_items(t0() + Duration::minutes(13), &Settings::default())
            .unwrap()
            .into_iter()
            .filter(|i| i.kind == Kind::EditConflict)
            .collect::<Vec<_>>()
    };
    let items = due(&mut session);
    assert_eq!(items.len(), 1, "A's version lost: A's owner is asked to look");
    assert_eq!(items[0].record.id, id);
    assert!(items[0].title.text(noren_core::messages::Lang::Ja).contains("「Instagram」が2台のパソコンで同時に編集されました"));
    let kept = sync::conflicts(session.store()).unwrap();
    assert!(kept[0].loser_record.expose().contains("A: 二段階認証は店長のスマホ"), "the losing version is kept");
    sync::resolve(session.store(), &kept[0].id).unwrap();
    assert!(due(&mut session).is_empty(), "looked at: off the list");
    assert_eq!(sync::status(session.store()).unwrap().conflicts, 0);
}

#[test]
fn a_laptop_taken_out_reads_nothing_written_afterwards_and_its_later_changes_are_not_applied() {
    let (folder, a) = shop();
    a.add_customer("前からのお客さま", t0());
    let b = join(folder.path(), &a, Scope::Everything, "ウェブ担当", t0() + Duration::minutes(1));
    let c = join(folder.path(), &a, Scope::FrontDesk, "受付", t0() + Duration::minutes(1));
    assert_eq!(c.customers().len(), 1);
    // Only a laptop with everything takes one out; none takes itself out.
    assert!(matches!(sync::remove(&c.store, "ウェブ担当", t0()), Err(Error::Invalid { field: "scope", .. })));
    let mine = sync::settings(&a.store).unwrap().unwrap().device;
    assert!(matches!(sync::remove(&a.store, &mine, t0()), Err(Error::Invalid { field: "device", .. })));
    let out = sync::remove(&a.store, "受付", t0() + Duration::minutes(2)).unwrap();
    assert_eq!(out.name, "受付");
    // Written after the removal: B reads it, C does not.
    a.add_customer("あとからのお客さま", t0() + Duration::minutes(3));
    b.sync(t0() + Duration::minutes(4));
    assert_eq!(b.customers().len(), 2);
    let r = c.sync(t0() + Duration::minutes(4));
    assert_eq!(c.customers().len(), 1, "the removed laptop reads nothing new");
    assert!(r.problems.iter().any(|p| p.kind == "removed"), "{:?}", r.problems);
    // B's own changes after it took the new key are closed to C too.
    b.add_customer("ウェブ担当のお客さま", t0() + Duration::minutes(5));
    c.sync(t0() + Duration::minutes(6));
    assert_eq!(c.customers().len(), 1);
    // What C writes now is applied nowhere.
    c.add_customer("外されたあとの記録", t0() + Duration::minutes(7));
    a.sync(t0() + Duration::minutes(8));
    b.sync(t0() + Duration::minutes(8));
    assert_eq!(a.customers().len(), 3);
    assert_eq!(a.customers(), b.customers());
    assert!(!a.customers().iter().any(|c| c.1 == "外されたあとの記録"));
    // The laptops list no longer shows it.
    let names: Vec<String> = sync::status(&a.store).unwrap().devices.into_iter().map(|d| d.name).collect();
    assert_eq!(names, vec!["店長のPC".to_string(), "ウェブ担当".to_string()]);
    // A laptop invited afterwards reads everything, old and new.
    let d = join(folder.path(), &a, Scope::FrontDesk, "新しい受付", t0() + Duration::minutes(9));
    assert_eq!(d.customers(), a.customers());
}

#[test]
fn a_busy_laptop_compacts_its_batches_and_laptops_behind_or_new_end_in_the_same_state() {
    let (fa, a) = shop();
    let first = a.add_customer("最初のお客さま", t0());
    let regular = a.add_customer("常連さん", t0());
    let (fb, b) = join_apart(fa.path(), &a, Scope::FrontDesk, t0());
    // A busy stretch on A: one batch per change, some deletions among them.
    let mut now = t0();
    let mut ids: Vec<String> = Vec::new();
    for i in 0..300 {
        now += Duration::minutes(3);
        match i % 10 {
            9 => {
                customer::remove(&a.store, &ids.remove(0)).unwrap();
                a.follow(now);
            }
            5 => a.edit_notes(&ids[ids.len() - 1], &format!("メモ {i}"), now),
            _ => ids.push(a.add_customer(&format!("客{i}"), now)),
        }
        if i == 100 || i == 200 {
            // Edited twice on A after B last heard: the snapshot skips the version between.
            a.edit_notes(&regular, &format!("来店 {i}"), now);
        }
        if i == 40 {
            // What B has received by then; B edits the first customer meanwhile.
            mirror_own(fa.path(), &a, fb.path());
            b.sync(now);
            b.edit_notes(&first, "B: 受付のメモ", now);
        }
    }
    // A edits the first customer later, without having seen B's edit.
    a.edit_notes(&first, "A: 店長のメモ", now + Duration::minutes(1));
    let own = files_of(&device_dir(fa.path(), &a));
    let batches = own.iter().filter(|f| f.ends_with(".nrs")).count();
    let snapshots: Vec<&String> = own.iter().filter(|f| f.ends_with(".nrc")).collect();
    assert_eq!(snapshots, vec!["shop-upto-0000000256.nrc"], "{own:?}");
    assert!(batches < sync::COMPACT_AFTER as usize, "{batches} batches left beside the snapshot");
    // B, behind since change 40, gets the snapshot and what followed it (deletions replicated).
    mirror_own(fa.path(), &a, fb.path());
    let r = b.sync(now + Duration::minutes(2));
    assert_eq!(r.files, 1 + batches, "the snapshot stands for the batches it replaced");
    assert_eq!(b.customers(), a.customers());
    assert_eq!(sync::conflicts(&b.store).unwrap().len(), 1, "B's edit lost to A's later one and is kept, nothing else");
    assert!(b.customers().iter().any(|c| c.0 == first && c.2 == "A: 店長のメモ"));
    assert!(b.customers().iter().any(|c| c.0 == regular && c.2 == "来店 200"));
    // A new laptop, joining from the compacted folder, ends in the same state too: nothing
    // deleted comes back.
    let (_fc, c) = join_apart(fa.path(), &a, Scope::FrontDesk, now + Duration::minutes(3));
    assert_eq!(c.customers(), a.customers());
    assert_eq!(c.customers().len(), 2 + 300 - 30 - 30 - 30);
}

#[test]
fn a_damaged_snapshot_is_passed_over_while_its_batches_are_there_and_waited_for_when_not() {
    let (fa, a) = shop();
    let (fb, b) = join_apart(fa.path(), &a, Scope::FrontDesk, t0());
    for i in 0..5 {
        a.add_customer(&format!("客{i}"), t0() + Duration::minutes(i));
    }
    let from = device_dir(fa.path(), &a);
    let to = fb.path().join("devices").join(from.file_name().unwrap());
    // B has the batches; A compacts; the snapshot reaches B cut short.
    deliver_some(fa.path(), fb.path(), &mut Rng(1), true);
    assert_eq!(sync::compact(&a.store).unwrap(), 5, "the five batches it stands for are gone");
    let snap = files_of(&from).into_iter().find(|f| f.ends_with(".nrc")).unwrap();
    let bytes = std::fs::read(from.join(&snap)).unwrap();
    std::fs::write(to.join(&snap), &bytes[..bytes.len() - 7]).unwrap();
    let r = b.sync(t0() + Duration::minutes(10));
    assert_eq!((r.files, r.problems.len()), (5, 0), "the batches do: {:?}", r.problems);
    assert_eq!(b.customers(), a.customers());
    // A new laptop has only the cut snapshot (the batches are deleted): it waits, named.
    let inv = sync::invite(&a.store, Scope::FrontDesk, t0() + Duration::minutes(11)).unwrap();
    let fc = tempfile::tempdir().unwrap();
    copy_tree(fa.path(), fc.path());
    let to_c = fc.path().join("devices").join(from.file_name().unwrap());
    std::fs::write(to_c.join(&snap), &bytes[..bytes.len() - 7]).unwrap();
    let c = Laptop::new();
    sync::join(&c.store, fc.path(), &inv.code, "新しい受付", t0() + Duration::minutes(11)).unwrap();
    let r = c.sync(t0() + Duration::minutes(12));
    assert_eq!(c.customers().len(), 0);
    assert_eq!((r.waiting, r.problems.iter().map(|p| p.kind.as_str()).collect::<Vec<_>>()), (1, vec!["incomplete"]));
    // Whole at last.
    std::fs::write(to_c.join(&snap), &bytes).unwrap();
    let r = c.sync(t0() + Duration::minutes(13));
    assert_eq!((r.files, r.waiting, r.problems.len()), (1, 0, 0));
    assert_eq!(c.customers(), a.customers());
    // A snapshot renamed to stand for more batches than it does is refused by name.
    std::fs::rename(to_c.join(&snap), to_c.join("shop-upto-0000000099.nrc")).unwrap();
    let r = c.sync(t0() + Duration::minutes(14));
    assert_eq!(r.problems.iter().map(|p| p.kind.as_str()).collect::<Vec<_>>(), vec!["refused"]);
    assert_eq!(c.customers(), a.customers());
}

#[test]
fn a_reminder_shown_or_snoozed_on_one_laptop_is_not_shown_again_on_another_even_while_locked() {
    use noren_core::alerts;
    use noren_core::messages::Message;
    use noren_core::reminders::{Collection, DueItem, Kind, RecordRef, Severity, When};
    let tz = chrono_tz::Asia::Tokyo;
    let item = |key: &str| DueItem {
        key: key.into(),
        kind: Kind::PostingLapse,
        severity: Severity::Warning,
        due_at: t0() - Duration::days(1),
        title: Message::new("due-rotation").with("name", "t"),
        record: RecordRef { collection: Collection::Channels, id: "c".into() },
        why: None,
        when: When::Late,
    };
    let items = vec![item("renewal:domain:30"), item("lapse:blog")];
    let keys = |v: &[DueItem]| v.iter().map(|i| i.key.clone()).collect::<Vec<_>>();
    let (folder, a) = shop();
    let b = join(folder.path(), &a, Scope::Everything, "ウェブ担当", t0());
    let c = join(folder.path(), &a, Scope::FrontDesk, "受付", t0());
    // 10:00 in Tokyo: A shows both.
    let now = t0();
    let first = alerts::to_show(&a.store, &items, now, tz).unwrap();
    assert_eq!(keys(&first), keys(&items));
    alerts::shown(&a.store, &keys(&first), now, tz).unwrap();
    // B with its vault locked (the window's reminder loop, the timer) and C: not again today.
    let Laptop { store: mut b_store, _dir: _b_dir } = b;
    b_store.lock_vault();
    assert!(alerts::to_show(&b_store, &items, now + Duration::minutes(5), tz).unwrap().is_empty());
    assert!(alerts::to_show(&c.store, &items, now + Duration::minutes(5), tz).unwrap().is_empty());
    // The next morning the locked laptop is first: it shows them, the others do not.
    let next = now + Duration::days(1);
    let on_b = alerts::to_show(&b_store, &items, next, tz).unwrap();
    assert_eq!(on_b.len(), 2);
    alerts::shown(&b_store, &keys(&on_b), next, tz).unwrap();
    assert!(alerts::to_show(&a.store, &items, next + Duration::minutes(1), tz).unwrap().is_empty());
    // Snoozed on A for three days: not shown on B meanwhile; the other item is.
    alerts::snooze(&a.store, "lapse:blog", 3, next + Duration::minutes(2), tz).unwrap();
    let day3 = now + Duration::days(2);
    assert_eq!(keys(&alerts::to_show(&b_store, &items, day3, tz).unwrap()), vec!["renewal:domain:30".to_string()]);
    let day5 = now + Duration::days(4) + Duration::hours(1);
    assert_eq!(alerts::to_show(&b_store, &items, day5, tz).unwrap().len(), 2, "the snooze is over");
    // A laptop taken out cannot silence the shop's reminders: its notices are no longer read.
    sync::remove(&a.store, "受付", day5).unwrap();
    let on_c = alerts::to_show(&c.store, &items, day5 + Duration::hours(1), tz).unwrap();
    alerts::shown(&c.store, &keys(&on_c), day5 + Duration::hours(1), tz).unwrap();
    assert_eq!(alerts::to_show(&a.store, &items, day5 + Duration::hours(2), tz).unwrap().len(), 2);
    // B, unlocked once, merges and so learns the new key; then locked again.
    drop(b_store);
    let mut b_store = Store::open(&_b_dir.path().join("s"), &SecretString::new("correct horse battery")).unwrap();
    sync::sync_now(&b_store, day5 + Duration::hours(3)).unwrap();
    b_store.lock_vault();
    // Damaged notices files are passed over, never fatal: the next day A's cannot be read, so B
    // shows both itself.
    let day6 = day5 + Duration::days(1);
    let on_a = alerts::to_show(&a.store, &items, day6, tz).unwrap();
    alerts::shown(&a.store, &keys(&on_a), day6, tz).unwrap();
    assert!(alerts::to_show(&b_store, &items, day6, tz).unwrap().is_empty());
    for f in walk(folder.path()).into_iter().filter(|p| p.extension().is_some_and(|e| e == "nrn")) {
        std::fs::write(&f, b"NRS1garbage").unwrap();
    }
    assert_eq!(alerts::to_show(&b_store, &items, day6 + Duration::minutes(1), tz).unwrap().len(), 2);
}
