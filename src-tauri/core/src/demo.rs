//! The demo shop (さくら整骨院): a throwaway store to explore Noren safely.
//! It lives in its own directory, apart from the real store.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use crate::credential::{self, Category, CredentialInput};
use crate::error::Result;
use crate::generator::{self, GeneratorSpec};
use crate::secret::SecretString;
use crate::store::Store;

/// The demo store's passphrase. It protects nothing real.
pub const DEMO_PASSPHRASE: &str = "sakura-demo-2026";

struct Sample {
    category: Category,
    name: &'static str,
    url: &'static str,
    login: &'static str,
    notes: &'static str,
    tags: &'static [&'static str],
    fields: &'static [(&'static str, &'static str)],
    email: &'static str,
    two_factor: &'static str,
    renewal_in_days: Option<i64>,
    age_days: i64,
}

const SAMPLES: &[Sample] = &[
    Sample {
        category: Category::Website,
        name: "ホームページ (WordPress)",
        url: "https://sakura-seikotsu.example.jp/wp-admin",
        login: "sakura-admin",
        notes: "制作: 株式会社ウェブ工房。更新は院長が月2回。",
        tags: &["ホームページ"],
        fields: &[("cms", "WordPress")],
        email: "info@sakura-seikotsu.example.jp",
        two_factor: "",
        renewal_in_days: None,
        age_days: 120,
    },
    Sample {
        category: Category::Sns,
        name: "Instagram",
        url: "https://www.instagram.com",
        login: "sakura_seikotsu",
        notes: "施術の様子と休診のお知らせを投稿。",
        tags: &["SNS", "集客"],
        fields: &[("handle", "@sakura_seikotsu")],
        email: "info@sakura-seikotsu.example.jp",
        two_factor: "前任 佐藤さんのスマホ",
        renewal_in_days: None,
        age_days: 400,
    },
    Sample {
        category: Category::Sns,
        name: "LINE公式アカウント",
        url: "https://manager.line.biz",
        login: "info@sakura-seikotsu.example.jp",
        notes: "予約の問い合わせが一番多い窓口。",
        tags: &["予約"],
        fields: &[("admins", "院長, 受付 田中")],
        email: "info@sakura-seikotsu.example.jp",
        two_factor: "院長",
        renewal_in_days: None,
        age_days: 60,
    },
    Sample {
        category: Category::Portal,
        name: "エキテン",
        url: "https://www.ekiten.jp",
        login: "sakura@example.jp",
        notes: "口コミには3日以内に返信。",
        tags: &["口コミ"],
        fields: &[("plan", "無料掲載")],
        email: "sakura@example.jp",
        two_factor: "",
        renewal_in_days: None,
        age_days: 30,
    },
    Sample {
        category: Category::Portal,
        name: "ホットペッパービューティー",
        url: "https://salonboard.com",
        login: "H000123456",
        notes: "掲載プランは年契約。",
        tags: &["予約", "集客"],
        fields: &[("plan", "スタンダード")],
        email: "info@sakura-seikotsu.example.jp",
        two_factor: "",
        renewal_in_days: Some(25),
        age_days: 90,
    },
    Sample {
        category: Category::Portal,
        name: "Google ビジネス プロフィール",
        url: "https://business.google.com",
        login: "sakura.seikotsu@gmail.example",
        notes: "営業時間の変更はここと Instagram の両方で。",
        tags: &["地図", "口コミ"],
        fields: &[],
        email: "sakura.seikotsu@gmail.example",
        two_factor: "院長",
        renewal_in_days: None,
        age_days: 200,
    },
    Sample {
        category: Category::Email,
        name: "受付メール",
        url: "https://webmail.example.jp",
        login: "info@sakura-seikotsu.example.jp",
        notes: "スマホと受付PCで受信。",
        tags: &["受付"],
        fields: &[
            ("imap_host", "imap.example.jp"),
            ("imap_port", "993"),
            ("imap_security", "SSL/TLS"),
            ("smtp_host", "smtp.example.jp"),
            ("smtp_port", "465"),
            ("smtp_security", "SSL/TLS"),
        ],
        email: "owner@example.jp",
        two_factor: "",
        renewal_in_days: None,
        age_days: 45,
    },
    Sample {
        category: Category::Domain,
        name: "sakura-seikotsu.example.jp",
        url: "https://www.onamae.example",
        login: "12345678",
        notes: "自動更新オン。支払いは院長のカード。",
        tags: &["更新"],
        fields: &[("domain", "sakura-seikotsu.example.jp"), ("registrar", "お名前.com")],
        email: "info@sakura-seikotsu.example.jp",
        two_factor: "",
        renewal_in_days: Some(80),
        age_days: 700,
    },
    Sample {
        category: Category::Server,
        name: "レンタルサーバー",
        url: "https://secure.xserver.example",
        login: "sakura0123",
        notes: "保守: 株式会社ウェブ工房 (平日9-18時)。",
        tags: &["サーバー"],
        fields: &[("host", "sv1234.example.jp"), ("plan", "スタンダード")],
        email: "info@sakura-seikotsu.example.jp",
        two_factor: "",
        renewal_in_days: Some(150),
        age_days: 300,
    },
];

/// Fills a fresh store with the demo shop. `now` anchors every date.
pub fn fill(store: &Store, now: DateTime<Utc>) -> Result<()> {
    let mut batch = Vec::new();
    for s in SAMPLES {
        let set_at = now - Duration::days(s.age_days);
        let (pw, _) = generator::generate(&GeneratorSpec::default())?;
        let input = CredentialInput {
            category: Some(s.category),
            name: Some(s.name.into()),
            url: Some(s.url.into()),
            login: Some(s.login.into()),
            password: Some(pw),
            registered_email: Some(s.email.into()),
            two_factor_holder: Some(s.two_factor.into()),
            renewal_date: s.renewal_in_days.map(|d| (now + Duration::days(d)).date_naive().to_string()),
            notes: Some(s.notes.into()),
            tags: Some(s.tags.iter().map(|t| t.to_string()).collect()),
            fields: s.fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>(),
            ..Default::default()
        };
        let mut c = credential::build(&input, set_at)?;
        if s.category == Category::Email {
            // Shows the history feature: the password was changed once.
            let (next, _) = generator::generate(&GeneratorSpec::default())?;
            let old = std::mem::replace(&mut c.password, next);
            c.history.push(credential::PasswordVersion { password: old, set_at: set_at - Duration::days(200), replaced_at: set_at });
        }
        batch.push(c);
    }
    store.put_many(&batch)?;
    fill_calendar(store, now)?;
    fill_customers(store, now)
}

/// Three customers, a LINE question that is overdue and a complaint due today.
fn fill_customers(store: &Store, now: DateTime<Utc>) -> Result<()> {
    use crate::customer::{self, Agreement, Contact, ContactKind, CustomerInput};
    use crate::inquiry::{self, InquiryInput, InquiryKind};
    let contact = |kind, value: &str| Contact { kind, value: value.into(), note: String::new() };
    let people = [
        (
            "山田 花子",
            "やまだ はなこ",
            vec![contact(ContactKind::Line, "はなこ"), contact(ContactKind::Phone, "090-1234-5678")],
            Some("毎月第2土曜 10時に予約確保"),
        ),
        ("佐藤 一郎", "さとう いちろう", vec![contact(ContactKind::Email, "ichiro@example.jp")], Some("腰痛のため施術台は低め")),
        ("鈴木 美咲", "すずき みさき", vec![contact(ContactKind::Instagram, "@misaki_s")], None),
    ];
    for (name, kana, contacts, agreement) in people {
        let input = CustomerInput {
            name: Some(name.into()),
            kana: Some(kana.into()),
            contacts: Some(contacts),
            agreements: agreement.map(|a| vec![Agreement { text: a.into(), since: None, until: None }]),
            ..Default::default()
        };
        customer::add(store, &input, now - Duration::days(60))?;
    }
    let shop = crate::business::ShopHours::default();
    let tz = chrono_tz::Asia::Tokyo;
    let line = InquiryInput {
        customer: Some("山田 花子".into()),
        channel: Some(ContactKind::Line),
        received_at: Some(now - Duration::hours(30)),
        summary: Some("来週の予約を再来週に変えたい".into()),
        message: Some("こんにちは。来週の予約を再来週の同じ時間に変更できますか？".into()),
        reply_within: Some("24h".into()),
        ..Default::default()
    };
    inquiry::add(store, &line, &shop, tz, now)?;
    let complaint = InquiryInput {
        customer: Some("佐藤 一郎".into()),
        channel: Some(ContactKind::Email),
        received_at: Some(now - Duration::hours(20)),
        summary: Some("待ち時間が長かった".into()),
        kind: Some(InquiryKind::Complaint),
        reply_within: Some("24h".into()),
        ..Default::default()
    };
    inquiry::add(store, &complaint, &shop, tz, now)?;
    Ok(())
}

/// Three channels: a healthy blog, an Instagram that has gone quiet, a paused LINE.
fn fill_calendar(store: &Store, now: DateTime<Utc>) -> Result<()> {
    use crate::calendar::{self, ChannelInput, ChannelKind, PostInput};
    let channels: [(ChannelKind, &str, Option<&str>, &[i64]); 3] = [
        (ChannelKind::Blog, "さくら整骨院ブログ", Some("7"), &[63, 56, 49, 42, 35, 28, 21, 14, 7, 2]),
        (ChannelKind::Instagram, "Instagram @sakura_seikotsu", Some("週2回"), &[50, 47, 43, 40, 36, 33, 29, 26, 22, 19]),
        (ChannelKind::Line, "LINE公式アカウント", None, &[90, 60, 30]),
    ];
    for (kind, name, rhythm, days_ago) in channels {
        let input = ChannelInput { kind: Some(kind), name: Some(name.into()), rhythm: rhythm.map(str::to_string), ..Default::default() };
        let ch = calendar::add_channel(store, &input, now - Duration::days(120))?;
        for d in days_ago {
            let at = Some(now - Duration::days(*d) + Duration::hours(1));
            calendar::log_post(store, &ch.id, &PostInput { at, ..Default::default() }, now)?;
        }
        if kind == ChannelKind::Line {
            calendar::edit_channel(store, &ch.id, &ChannelInput { paused: Some(true), ..Default::default() }, now)?;
        }
        if kind == ChannelKind::Blog {
            let plan = PostInput {
                planned_for: Some((now + Duration::days(5)).date_naive()),
                title: Some("年末年始の営業時間のお知らせ".into()),
                note: Some("12/29〜1/3 休診。1/4 から通常どおり。".into()),
                ..Default::default()
            };
            calendar::plan_post(store, &ch.id, &plan, chrono_tz::Asia::Tokyo, now)?;
        }
    }
    Ok(())
}

/// Opens the demo store at `dir`, creating and filling it on first use.
pub fn open_or_create(dir: &std::path::Path, now: DateTime<Utc>) -> Result<Store> {
    let pass = SecretString::new(DEMO_PASSPHRASE);
    if Store::exists(dir) {
        return Store::open(dir, &pass);
    }
    let store = Store::init(dir, &pass, now)?;
    fill(&store, now)?;
    Ok(store)
}
