//! Handover through a real store: departure checklists, the account health
//! audit (every finding kind), and the emergency kit's Shamir shares opening
//! the store with a new passphrase.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Duration, NaiveDate, Utc};
use noren_core::credential::{self, Category, CredentialInput};
use noren_core::kit;
use noren_core::people::{self, FindingKind, PersonRole};
use noren_core::reminder_facts::{AccountFacts, Accounts};
use noren_core::reminders::{Kind, Settings};
use noren_core::renewal::{self, RenewalInput, RenewalKind};
use noren_core::session::Session;
use noren_core::store::Derived;
use noren_core::{Error, SecretString, Store};

mod common;
use common::{utc, FAST, PASS};

const TZ: chrono_tz::Tz = chrono_tz::Asia::Tokyo;

fn cred(st: &Store, cat: Category, name: &str, pw: &str, f: impl FnOnce(&mut CredentialInput), at: DateTime<Utc>) -> String {
    let mut i =
        CredentialInput { category: Some(cat), name: Some(name.into()), password: Some(SecretString::new(pw)), ..Default::default() };
    f(&mut i);
    credential::add(st, &i, at).unwrap().id
}

#[test]
fn departure_checklist_closes_item_by_item() {
    let dir = tempfile::tempdir().unwrap();
    let st = common::new_store(dir.path());
    let t0 = utc("2026-01-10T10:00:00+09:00");
    people::add(&st, "田中", PersonRole::Web, "tanaka.private@gmail.com", t0).unwrap();
    people::add(&st, "佐藤", PersonRole::Staff, "", t0).unwrap();
    let strong = "Vq8#rT2!mZp9@Lx4wE";
    let dom = cred(
        &st,
        Category::Domain,
        "salon-example.jp",
        strong,
        |i| {
            i.known_by = Some(vec!["田中".into()]);
            i.registered_email = Some("tanaka.private@gmail.com".into());
        },
        t0,
    );
    let insta = cred(
        &st,
        Category::Sns,
        "Instagram",
        "Kp3$wQ9!nB7&xR2z",
        |i| {
            i.known_by = Some(vec!["田中".into(), "佐藤".into()]);
            i.two_factor_holder = Some("田中".into());
        },
        t0,
    );
    let other = cred(&st, Category::Website, "WordPress", "Zt6^hN1*qW8%eY3u", |i| i.known_by = Some(vec!["佐藤".into()]), t0);

    people::depart(&st, "田中", Some(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()), utc("2026-11-22T08:00:00+09:00")).unwrap();
    let mut s = Session::new(st);
    s.unlock(&SecretString::new(PASS)).unwrap();
    let now = utc("2026-11-22T09:00:00+09:00");
    let items = s.due_items(now, &Settings::default()).unwrap();
    let h: Vec<_> = items.iter().filter(|i| i.kind == Kind::HandoverRotation).collect();
    assert_eq!(h.len(), 1);
    assert!(
        h[0].title.text(noren_core::messages::Lang::Ja).contains("田中さんの退職に伴う変更: 0/2件完了（次は「salon-example.jp」）"),
        "{}",
        h[0].title.text(noren_core::messages::Lang::Ja)
    );

    let all = credential::list(s.store()).unwrap();
    let dep = people::checklist(&people::resolve(s.store(), "田中").unwrap(), &Accounts::derive(&all).0, TZ).unwrap();
    assert_eq!(
        dep.items.iter().map(|i| i.credential_id.as_str()).collect::<Vec<_>>(),
        vec![dom.as_str(), insta.as_str()],
        "domain first; 佐藤's untouched"
    );
    assert!(
        dep.items[0].recovery_is_theirs
            && dep.items[0].steps.iter().any(|x| x.text(noren_core::messages::Lang::Ja).contains("登録メールアドレス"))
    );
    assert!(dep.items[1].holds_two_factor && dep.items[1].steps.iter().any(|x| x.text(noren_core::messages::Lang::Ja).contains("管理者")));

    // New password after the departure: not enough while the recovery email is still theirs.
    s.edit(&dom, &CredentialInput { password: Some(SecretString::new("Nw7!kd93#Lq0pZ2x")), ..Default::default() }, now).unwrap();
    let all = credential::list(s.store()).unwrap();
    let dep = people::checklist(&people::resolve(s.store(), "田中").unwrap(), &Accounts::derive(&all).0, TZ).unwrap();
    assert!(dep.items.iter().all(|i| !i.done));
    s.edit(&dom, &CredentialInput { registered_email: Some("info@salon-mail.example".into()), ..Default::default() }, now).unwrap();
    s.edit(
        &insta,
        &CredentialInput {
            password: Some(SecretString::new("Bb8@uu2!Kq4#Rt7y")),
            two_factor_holder: Some("店のiPhone".into()),
            ..Default::default()
        },
        now,
    )
    .unwrap();
    let items = s.due_items(now, &Settings::default()).unwrap();
    assert!(items.iter().all(|i| i.kind != Kind::HandoverRotation), "all done: {items:?}");
    // 佐藤's WordPress was never part of it and is unchanged.
    assert_eq!(credential::resolve(s.store(), &other).unwrap().last_rotated, t0);
    // A password changed before the departure does not count.
    let before = utc("2026-11-19T12:00:00+09:00");
    let all = credential::list(s.store()).unwrap();
    let mut early = all.iter().find(|c| c.id == insta).unwrap().clone();
    early.last_rotated = before;
    let p = people::resolve(s.store(), "田中").unwrap();
    assert!(!people::checklist(&p, &[AccountFacts::from(&early)], TZ).unwrap().items[0].done);
}

#[test]
fn audit_finds_every_kind() {
    let dir = tempfile::tempdir().unwrap();
    let st = common::new_store(dir.path());
    let now = utc("2026-11-22T09:00:00+09:00");
    let old = now - Duration::days(500);
    people::add(&st, "田中", PersonRole::Web, "tanaka@web-kobo.example", now).unwrap();
    people::depart(&st, "田中", Some(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()), now).unwrap();
    let totp = |i: &mut CredentialInput| i.two_factor_holder = Some("店のiPhone".into());
    // Recovery loop: the domain's notices go to a mailbox on that domain.
    cred(
        &st,
        Category::Domain,
        "salon-example.jp",
        "Vq8#rT2!mZp9@Lx4wE",
        |i| {
            totp(i);
            i.registered_email = Some("info@salon-example.jp".into());
        },
        now,
    );
    // Reused across two categories.
    let a = cred(&st, Category::Sns, "Instagram", "Same-Pass-2026!xyz", totp, now);
    let b = cred(&st, Category::Portal, "ホットペッパー", "Same-Pass-2026!xyz", totp, now);
    let weak = cred(&st, Category::Portal, "エキテン", "sakura123", totp, now);
    let aged = cred(&st, Category::Other, "コピー機", "Xr5!pL8@qT2#wZ9m", |_| {}, old);
    let no2fa = cred(&st, Category::Email, "受付メール", "Hj3$kL9!mN2@pQ7r", |_| {}, now);
    let free = cred(
        &st,
        Category::Website,
        "予約システム",
        "Wd6#fG1!hJ4$kL8z",
        |i| {
            totp(i);
            i.registered_email = Some("salon.owner2020@gmail.com".into());
        },
        now,
    );
    let departed = cred(
        &st,
        Category::Server,
        "レンタルサーバー",
        "Pq2@wE5!rT8#yU1i",
        |i| {
            totp(i);
            i.registered_email = Some("tanaka@web-kobo.example".into());
        },
        now,
    );
    let card = renewal::add(
        &st,
        &RenewalInput { kind: Some(RenewalKind::Card), name: Some("Visa".into()), due: Some("2027-01".into()), ..Default::default() },
        now,
    )
    .unwrap();
    renewal::add(
        &st,
        &RenewalInput {
            kind: Some(RenewalKind::Hosting),
            name: Some("サーバー".into()),
            due: Some("2027-06-30".into()),
            card: Some(card.id.clone()),
            ..Default::default()
        },
        now,
    )
    .unwrap();

    let f = people::audit(&credential::list(&st).unwrap(), &people::list(&st).unwrap(), &renewal::list(&st).unwrap(), now, 365);
    let has = |kind: FindingKind, id: &str| f.iter().any(|x| x.kind == kind && x.record_id == id);
    let dom = credential::resolve(&st, "salon-example.jp").unwrap().id;
    assert!(has(FindingKind::RecoveryLoop, &dom));
    assert!(f
        .iter()
        .find(|x| x.kind == FindingKind::RecoveryLoop)
        .unwrap()
        .why
        .text(noren_core::messages::Lang::Ja)
        .contains("取り戻せなく"));
    assert!(has(FindingKind::ReusedPassword, &a) && has(FindingKind::ReusedPassword, &b));
    assert!(f.iter().any(|x| x.kind == FindingKind::ReusedPassword
        && x.record_id == a
        && x.why.text(noren_core::messages::Lang::Ja).contains("ホットペッパー")));
    assert!(has(FindingKind::WeakPassword, &weak));
    assert!(!has(FindingKind::WeakPassword, &a));
    assert!(has(FindingKind::OldPassword, &aged));
    assert!(has(FindingKind::NoTwoFactor, &no2fa));
    assert!(!has(FindingKind::NoTwoFactor, &aged), "not important enough to nag");
    assert!(has(FindingKind::RecoveryFreeAddress, &free));
    assert!(has(FindingKind::RecoveryDeparted, &departed));
    assert!(f.iter().any(|x| x.kind == FindingKind::CardExpiring && x.name == "サーバー"));
    // Worst kinds first; every finding says why and what to do in both languages.
    assert_eq!(f[0].kind, FindingKind::RecoveryLoop);
    let (ja, en) = (noren_core::messages::Lang::Ja, noren_core::messages::Lang::En);
    assert!(f
        .iter()
        .all(|x| !x.why.text(ja).is_empty() && !x.what.text(ja).is_empty() && !x.why.text(en).is_empty() && !x.what.text(en).is_empty()));
    // No finding ever carries a password.
    assert!(f.iter().all(|x| !format!("{}{}{}{}", x.why.text(ja), x.what.text(ja), x.why.text(en), x.what.text(en)).contains("Same-Pass")));
}

#[test]
fn kit_shares_open_the_store_with_a_new_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s");
    let now = utc("2026-11-22T09:00:00+09:00");
    let shares = {
        let mut st = Store::init_with(&path, &SecretString::new(PASS), FAST, chrono::Utc::now()).unwrap();
        cred(&st, Category::Email, "受付メール", "Hj3$kL9!mN2@pQ7r", |_| {}, now);
        let holders = vec!["店長".to_string(), "税理士".to_string(), "ウェブ工房".to_string()];
        let out = dir.path().join("kit");
        let files = kit::export(&mut st, 3, 2, &holders, &out, now, TZ).unwrap();
        // The sheet names what exists and who holds keys, never a secret.
        let sheet = std::fs::read_to_string(&files.sheet).unwrap();
        assert!(sheet.contains("受付メール") && sheet.contains("税理士") && sheet.contains("2つ"));
        assert!(!sheet.contains("Hj3$kL9") && !sheet.contains(PASS));
        assert_eq!(files.shares.len(), 3);
        let page = std::fs::read_to_string(&files.shares[0]).unwrap();
        assert!(page.contains("<svg") && page.contains("NOREN-KIT1-"));
        let texts = files
            .shares
            .iter()
            .map(|p| {
                let html = std::fs::read_to_string(p).unwrap();
                let start = html.find("NOREN-KIT1-").unwrap();
                html[start..].split('<').next().unwrap().to_string()
            })
            .collect::<Vec<String>>();
        assert!(texts.iter().all(|t| !sheet.contains(t.as_str())), "the sheet holds no share");
        texts
    };
    // K−1 shares fail clearly and change nothing.
    let e = kit::recover(&path, &shares[..1], &SecretString::new("new passphrase 1")).unwrap_err();
    assert!(e.to_string().contains("2 different shares are needed"), "{e}");
    drop(Store::open(&path, &SecretString::new(PASS)).unwrap());
    // A damaged share is named.
    let mut bad = shares[1].clone();
    bad.replace_range(40..41, if &bad[40..41] == "A" { "B" } else { "A" });
    let e = kit::recover(&path, &[shares[0].clone(), bad], &SecretString::new("new passphrase 1")).unwrap_err();
    assert!(e.to_string().contains("damaged") || e.to_string().contains("cannot be read"), "{e}");
    // Every pair recovers; each recovery sets a new passphrase and the previous one stops working.
    let mut current = PASS.to_string();
    for (n, pair) in [[0usize, 1], [0, 2], [1, 2]].iter().enumerate() {
        let next = format!("new passphrase {n}");
        let picked = vec![shares[pair[0]].clone(), shares[pair[1]].clone()];
        let st = kit::recover(&path, &picked, &SecretString::new(&next)).unwrap();
        assert_eq!(credential::list(&st).unwrap().len(), 1, "the vault opens");
        drop(st);
        assert!(matches!(Store::open(&path, &SecretString::new(&current)), Err(Error::WrongPassphrase)));
        drop(Store::open(&path, &SecretString::new(&next)).unwrap());
        current = next;
    }
    // A new kit replaces the old one: its shares stop working.
    let mut st = Store::open(&path, &SecretString::new(&current)).unwrap();
    let fresh = kit::make(&mut st, 2, 2, &[], now).unwrap();
    drop(st);
    let e = kit::recover(&path, &shares[..2], &SecretString::new("another passphrase")).unwrap_err();
    assert!(e.to_string().contains("do not open this store"), "{e}");
    let texts: Vec<String> = fresh.iter().map(|s| s.text.clone()).collect();
    drop(kit::recover(&path, &texts, &SecretString::new("another passphrase")).unwrap());
}

/// Old kit shares with a copy of the header they opened: after a new kit, they
/// open nothing (the data keys were replaced and every record sealed again).
/// A kit also survives a passphrase change (its public half follows the keys).
#[test]
fn a_new_kit_revokes_the_old_shares_and_a_kit_outlives_passwd() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("s");
    let now = utc("2026-11-20T10:00:00Z");
    let mut st = Store::init_with(&path, &SecretString::new(PASS), FAST, chrono::Utc::now()).unwrap();
    cred(&st, Category::Website, "WordPress", "wp-before-kit-2", |_| {}, now);
    let old: Vec<String> = kit::make(&mut st, 2, 2, &[], now).unwrap().iter().map(|s| s.text.clone()).collect();
    let old_header = std::fs::read(path.join("noren.header")).unwrap();
    // The passphrase changes: the kit made before still opens the store.
    st.change_passphrase(&SecretString::new("passphrase after the change")).unwrap();
    drop(st);
    let st = kit::recover(&path, &old, &SecretString::new("recovered with the old kit")).unwrap();
    assert_eq!(credential::list(&st).unwrap().len(), 1);
    drop(st);
    // A new kit, then a secret added afterwards.
    let mut st = Store::open(&path, &SecretString::new("recovered with the old kit")).unwrap();
    let fresh: Vec<String> = kit::make(&mut st, 2, 2, &[], now).unwrap().iter().map(|s| s.text.clone()).collect();
    cred(&st, Category::Server, "サーバー", "server-secret-after-new-kit", |_| {}, now);
    drop(st);
    let new_header = std::fs::read(path.join("noren.header")).unwrap();
    // The old shares with the old header: refused, and nothing after the new kit is read.
    std::fs::write(path.join("noren.header"), &old_header).unwrap();
    let e = kit::recover(&path, &old, &SecretString::new("attacker passphrase")).unwrap_err();
    assert!(matches!(e, Error::Tampered(_)), "{e:?}");
    std::fs::write(path.join("noren.header"), &new_header).unwrap();
    let e = kit::recover(&path, &old, &SecretString::new("attacker passphrase")).unwrap_err();
    assert!(e.to_string().contains("do not open this store"), "{e}");
    // The new kit opens everything.
    let st = kit::recover(&path, &fresh, &SecretString::new("owner passphrase 2")).unwrap();
    assert_eq!(credential::list(&st).unwrap().len(), 2);
}

/// Issue 20's departure: 田中 quit; three of six logins were tagged with them.
/// Every login not known to be safe is on the list (the untagged ones for
/// review, riskiest first), and an item made safe is ticked, never dropped.
#[test]
fn a_departure_misses_no_login_and_ticks_instead_of_dropping() {
    let dir = tempfile::tempdir().unwrap();
    let st = common::new_store(dir.path());
    let t0 = utc("2026-01-10T10:00:00+09:00");
    people::add(&st, "田中", PersonRole::Web, "tanaka@gmail.example", t0).unwrap();
    people::add(&st, "佐藤", PersonRole::Staff, "", t0).unwrap();
    let tagged = |i: &mut CredentialInput| i.known_by = Some(vec!["田中".into()]);
    let wp = cred(&st, Category::Website, "WordPress", "Zt6^hN1*qW8%eY3u", tagged, t0);
    let line = cred(&st, Category::Sns, "LINE公式", "Lq2!mZ8#rT4@vX6w", tagged, t0);
    let hp = cred(
        &st,
        Category::Portal,
        "ホットペッパー",
        "Hp5$kR9!wQ3&nB7z",
        |i| {
            i.known_by = Some(vec!["田中".into()]);
            i.registered_email = Some("tanaka@gmail.example".into());
        },
        t0,
    );
    let insta = cred(&st, Category::Sns, "Instagram", "Kp3$wQ9!nB7&xR2z", |_| {}, t0);
    let mail = cred(&st, Category::Email, "お店のメール", "Ml4#pW8!qZ2^kT6r", |_| {}, t0);
    let server = cred(&st, Category::Server, "レンタルサーバー", "Sv9@nQ3!zX7#mL1p", |_| {}, t0);
    // 佐藤's own login is known to be safe: not on 田中's list.
    cred(&st, Category::Other, "予約台帳", "Yt3!kW8#pQ2&zR5v", |i| i.known_by = Some(vec!["佐藤".into()]), t0);

    let left = utc("2026-11-22T08:00:00+09:00");
    people::depart(&st, "田中", Some(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()), left).unwrap();
    let now = utc("2026-11-22T09:00:00+09:00");
    let list = |st: &Store| {
        let all = credential::list(st).unwrap();
        people::checklist(&people::resolve(st, "田中").unwrap(), &Accounts::derive(&all).0, TZ).unwrap()
    };
    let dep = list(&st);
    assert_eq!(dep.total, 6, "all six of 田中's possible logins: {:?}", dep.items.iter().map(|i| &i.credential_name).collect::<Vec<_>>());
    assert_eq!(dep.done, 0);
    // Riskiest first: the server and the mail (which recover everything else) before the SNS.
    let order: Vec<&str> = dep.items.iter().map(|i| i.credential_id.as_str()).collect();
    assert_eq!(order, vec![server.as_str(), mail.as_str(), wp.as_str(), insta.as_str(), line.as_str(), hp.as_str()]);
    let review: Vec<&str> = dep.items.iter().filter(|i| i.needs_review).map(|i| i.credential_name.as_str()).collect();
    assert_eq!(review, vec!["レンタルサーバー", "お店のメール", "Instagram"]);
    assert!(
        dep.items[0].steps[0].text(noren_core::messages::Lang::Ja).contains("田中さんが知っていたか確かめる"),
        "{:?}",
        dep.items[0].steps
    );

    // Fixing the recovery email (and the password) ticks the item; it stays, 6件中.
    let input = CredentialInput {
        registered_email: Some("info@salon.example".into()),
        password: Some(SecretString::new("Nw7!kd93#Lq0pZ2x")),
        ..Default::default()
    };
    credential::edit(&st, &hp, &input, now).unwrap();
    let dep = list(&st);
    assert_eq!((dep.done, dep.total), (1, 6));
    let item = dep.items.iter().find(|i| i.credential_id == hp).unwrap();
    assert!(item.done && !item.recovery_is_theirs);
    // Even with 田中 removed from its "who knows it" entry afterwards, it stays on the list, ticked.
    credential::edit(&st, &hp, &CredentialInput { known_by: Some(vec!["佐藤".into()]), ..Default::default() }, now).unwrap();
    let dep = list(&st);
    assert_eq!((dep.done, dep.total), (1, 6));
    assert!(dep.items.iter().any(|i| i.credential_id == hp && i.done));

    // The owner's answers: 田中 knew the server password (now it must be changed);
    // they did not know the mail's.
    people::review(&st, "田中", &server, true, now).unwrap();
    people::review(&st, "田中", &mail, false, now).unwrap();
    let dep = list(&st);
    let server_item = dep.items.iter().find(|i| i.credential_id == server).unwrap();
    assert!(server_item.knew_password && !server_item.needs_review && !server_item.done);
    assert_eq!(credential::resolve(&st, &server).unwrap().known_by, vec!["田中".to_string()]);
    let mail_item = dep.items.iter().find(|i| i.credential_id == mail).unwrap();
    assert!(mail_item.cleared && mail_item.done && !mail_item.needs_review);
    assert_eq!((dep.done, dep.total), (2, 6));

    // "They knew none of the rest" clears what still waits for an answer (Instagram), nothing else.
    let (_, n) = people::clear_unreviewed(&st, "田中", TZ).unwrap();
    assert_eq!(n, 1);
    let dep = list(&st);
    assert!(dep.items.iter().all(|i| !i.needs_review));
    assert_eq!((dep.done, dep.total), (3, 6), "the server, WordPress and LINE still need a new password");

    // A login set up after 田中 left, that nobody is recorded as knowing, is not theirs to review.
    cred(&st, Category::Sns, "TikTok", "Tk8!zQ2#mW5&rX9p", |_| {}, now);
    assert_eq!(list(&st).total, 6);
    // An unknown id is refused by name, nothing changes.
    assert!(matches!(people::review(&st, "田中", "no-such-login", false, now), Err(Error::NotFound { .. })));
}

/// The first-week guide reads its progress from the store: nothing to tick by hand.
#[test]
fn the_first_week_guide_follows_what_the_store_holds() {
    use noren_core::calendar::{self, ChannelInput, ChannelKind};
    use noren_core::guide::{self, GuideStep};
    let dir = tempfile::tempdir().unwrap();
    let mut st = common::new_store(dir.path());
    let now = utc("2026-11-22T09:00:00+09:00");
    let g = guide::progress(&st).unwrap();
    assert_eq!((g.done, g.total), (0, 5));
    assert!(g.logins.iter().all(|l| !l.done));
    let state = |st: &Store, step: GuideStep| guide::progress(st).unwrap().steps.iter().find(|s| s.step == step).unwrap().done;

    // Four kinds, then the fifth (a server counts for domain/server).
    for (cat, name) in
        [(Category::Website, "WordPress"), (Category::Sns, "Instagram"), (Category::Portal, "ホットペッパー"), (Category::Email, "メール")]
    {
        cred(&st, cat, name, "Zt6^hN1*qW8%eY3u", |_| {}, now);
    }
    assert!(!state(&st, GuideStep::Logins));
    assert_eq!(guide::progress(&st).unwrap().logins.iter().filter(|l| l.done).count(), 4);
    cred(&st, Category::Server, "レンタルサーバー", "Sv9@nQ3!zX7#mL1p", |i| i.known_by = Some(vec!["田中".into()]), now);
    assert!(state(&st, GuideStep::Logins));

    // Who knows which login: a person, and a login naming who knows it.
    assert!(!state(&st, GuideStep::People));
    people::add(&st, "田中", PersonRole::Web, "", now).unwrap();
    assert!(state(&st, GuideStep::People));

    let usb = tempfile::tempdir().unwrap();
    noren_core::backup::choose_folder(&st, Some(usb.path()), 14, Vec::new()).unwrap();
    assert!(state(&st, GuideStep::Backup));

    let input = ChannelInput { kind: Some(ChannelKind::Blog), name: Some("お店のブログ".into()), ..Default::default() };
    calendar::add_channel(&st, &input, now).unwrap();
    assert!(state(&st, GuideStep::Channels));

    assert!(!state(&st, GuideStep::Kit));
    kit::make(&mut st, 3, 2, &[], now).unwrap();
    let g = guide::progress(&st).unwrap();
    assert_eq!((g.done, g.total), (5, 5));
}
