//! Feed sync against real feeds: a Hugo site built in the test from fixture
//! posts and served on 127.0.0.1, plus broken servers (HTML, malformed XML,
//! huge, slow, redirect loops, closed ports, HTTP errors).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use noren_core::calendar::{self, ChannelInput, ChannelKind, PostInput, PostSource};
use noren_core::crypto::KdfParams;
use noren_core::feed::{self, FetchOptions};
use noren_core::{Error, SecretString, Store};

mod common;
use common::{ok, serve, Resp};

const FAST: KdfParams = KdfParams { m_kib: 256, t: 1, p: 1 };

fn store(dir: &Path) -> Store {
    Store::init_with(&dir.join("s"), &SecretString::from("correct horse battery".to_string()), FAST, chrono::Utc::now()).unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Builds a Hugo site with one post per (slug, date) into `dir/public`.
fn hugo_site(dir: &Path, base: &str, posts: &[(&str, &str)]) -> PathBuf {
    std::fs::create_dir_all(dir.join("content/posts")).unwrap();
    std::fs::create_dir_all(dir.join("layouts")).unwrap();
    std::fs::write(dir.join("hugo.toml"), format!("baseURL = \"{base}/\"\nlanguageCode = \"ja\"\ntitle = \"さくら整骨院ブログ\"\n"))
        .unwrap();
    std::fs::write(
        dir.join("layouts/index.html"),
        "<!DOCTYPE html><html><head>{{ with .OutputFormats.Get \"rss\" }}<link rel=\"alternate\" type=\"application/rss+xml\" href=\"{{ .Permalink }}\">{{ end }}</head><body>{{ .Site.Title }}</body></html>\n",
    )
    .unwrap();
    for (slug, date) in posts {
        std::fs::write(
            dir.join(format!("content/posts/{slug}.md")),
            format!("---\ntitle: \"{slug} のお知らせ\"\ndate: {date}\n---\n本文\n"),
        )
        .unwrap();
    }
    let out = Command::new("hugo")
        .args(["--quiet", "--source"])
        .arg(dir)
        .args(["--destination"])
        .arg(dir.join("public"))
        .output()
        .expect("hugo is needed for this test (scripts/bootstrap.sh installs it)");
    assert!(out.status.success(), "hugo failed: {}", String::from_utf8_lossy(&out.stderr));
    dir.join("public")
}

/// Serves the built site in `root` (it may be rebuilt while served); a
/// folder's address gives its index.html. Returns the base URL.
fn serve_site(root: Arc<std::sync::Mutex<PathBuf>>) -> String {
    serve(move |path| {
        let root = root.lock().unwrap().clone();
        let rel = path.trim_start_matches('/');
        let file = if rel.is_empty() || rel.ends_with('/') { root.join(rel).join("index.html") } else { root.join(rel) };
        match std::fs::read(&file) {
            Ok(b) if file.extension().is_some_and(|e| e == "xml") => ok(b, "application/rss+xml"),
            Ok(b) => ok(b, "text/html"),
            Err(_) => Resp { status: 404, headers: vec![], body: b"not found".to_vec(), delay: StdDuration::ZERO },
        }
    })
}

fn blog(st: &Store, feed_url: &str) -> String {
    let input =
        ChannelInput {
            kind: Some(ChannelKind::Blog), name: Some("ブログ".into()), feed_url: Some(feed_url.into()), ..Default::default()
        };
    calendar::add_channel(st, &input, utc("2026-01-01T00:00:00Z")).unwrap().id
}

#[test]
fn hugo_feed_syncs_once_per_item() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let public = Arc::new(std::sync::Mutex::new(PathBuf::new()));
    let served = public.clone();
    let base = serve_site(served);
    let mut posts = vec![("p1", "2026-10-01T10:00:00+09:00"), ("p2", "2026-10-04T10:00:00+09:00"), ("p3", "2026-10-07T21:30:00+09:00")];
    *public.lock().unwrap() = hugo_site(&site, &base, &posts);

    let st = store(tmp.path());
    let id = blog(&st, &format!("{base}/index.xml"));
    let now = utc("2026-11-01T00:00:00Z");
    let r = feed::sync(&st, &id, FetchOptions::default(), now).unwrap();
    assert_eq!((r.items, r.new_items, r.skipped), (3, 3, 0));
    let got = calendar::posts_of(&st, &id).unwrap();
    assert_eq!(got.len(), 3);
    assert_eq!(got[2].at, utc("2026-10-07T12:30:00Z"));
    assert_eq!(got[2].title, "p3 のお知らせ");
    assert!(got.iter().all(|p| p.source == PostSource::Feed));
    // The same feed again records nothing new.
    let r = feed::sync(&st, &id, FetchOptions::default(), now).unwrap();
    assert_eq!(r.new_items, 0);
    assert_eq!(calendar::posts_of(&st, &id).unwrap().len(), 3);
    // A manual "posted today" for p4, then the site publishes p4: adopted, not doubled.
    calendar::log_post(&st, &id, &PostInput { at: Some(utc("2026-10-10T02:00:00Z")), ..Default::default() }, now).unwrap();
    posts.push(("p4", "2026-10-10T10:00:00+09:00"));
    posts.push(("p5", "2026-10-12T10:00:00+09:00"));
    *public.lock().unwrap() = hugo_site(&site, &base, &posts);
    let r = feed::sync(&st, &id, FetchOptions::default(), now).unwrap();
    assert_eq!(r.new_items, 1);
    let got = calendar::posts_of(&st, &id).unwrap();
    assert_eq!(got.len(), 5);
    let p4 = got.iter().find(|p| p.title == "p4 のお知らせ").unwrap();
    assert_eq!(p4.source, PostSource::Manual);
    assert!(p4.url.as_deref().unwrap().ends_with("/posts/p4/"));
    let ch = calendar::resolve_channel(&st, &id).unwrap();
    assert!(ch.last_sync.unwrap().ok);

    // The site's home page instead of its feed: a clear error naming the feed address.
    let page = store(&tmp.path().join("other"));
    let html = blog(&page, &format!("{base}/"));
    match feed::sync(&page, &html, FetchOptions::default(), now) {
        Err(Error::NotAFeed(m)) => assert!(m.contains(&format!("{base}/index.xml")), "{m}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(page.count::<calendar::Post>().unwrap(), 0);
    let ch = calendar::resolve_channel(&page, &html).unwrap();
    let info = ch.last_sync.unwrap();
    assert!(!info.ok);
    assert_eq!(info.code.as_deref(), Some("not_a_feed"));
}

#[test]
fn broken_servers_give_clear_errors_and_record_nothing() {
    let big = {
        let mut b = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>".to_vec();
        while b.len() < 2 * 1024 * 1024 {
            b.extend_from_slice(b"<item><title>x</title><guid>g</guid></item>");
        }
        b
    };
    let base = serve(move |path| {
        match path {
        "/malformed" => ok(b"<?xml version=\"1.0\"?><rss><channel><item><title>oops</channel>".to_vec(), "application/xml"),
        "/huge" => ok(big.clone(), "application/rss+xml"),
        "/slow" => Resp { delay: StdDuration::from_secs(4), ..ok(b"<rss/>".to_vec(), "application/rss+xml") },
        "/loop" => Resp { status: 302, headers: vec![("Location".into(), "/loop".into())], body: vec![], delay: StdDuration::ZERO },
        "/moved" => Resp { status: 301, headers: vec![("Location".into(), "/good".into())], body: vec![], delay: StdDuration::ZERO },
        "/good" => ok(
            b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><item><title>a</title><guid>a</guid><pubDate>Mon, 02 Nov 2026 10:00:00 +0900</pubDate></item></channel></rss>".to_vec(),
            "application/rss+xml",
        ),
        _ => Resp { status: 500, headers: vec![], body: b"boom".to_vec(), delay: StdDuration::ZERO },
    }
    });
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let a = l.local_addr().unwrap();
        drop(l);
        format!("http://{a}/feed.xml")
    };
    let tmp = tempfile::tempdir().unwrap();
    let st = store(tmp.path());
    let now = utc("2026-11-03T00:00:00Z");
    let opts = FetchOptions { timeout: StdDuration::from_secs(2), max_bytes: 1024 * 1024, max_redirects: 5 };
    let cases: Vec<(String, &str, &str)> = vec![
        (format!("{base}/malformed"), "not_a_feed", "not a readable"),
        (format!("{base}/huge"), "network", "larger than"),
        (format!("{base}/slow"), "network", "did not answer"),
        (format!("{base}/loop"), "network", "redirect"),
        (format!("{base}/error"), "network", "HTTP 500"),
        (closed, "network", "could not connect"),
    ];
    for (i, (url, code, text)) in cases.iter().enumerate() {
        let input =
            ChannelInput { kind: Some(ChannelKind::Blog), name: Some(format!("c{i}")), feed_url: Some(url.clone()), ..Default::default() };
        let id = calendar::add_channel(&st, &input, now).unwrap().id;
        let err = feed::sync(&st, &id, opts, now).unwrap_err();
        assert_eq!(err.code(), *code, "{url}: {err}");
        assert!(err.to_string().contains(text), "{url}: {err}");
    }
    assert_eq!(st.count::<calendar::Post>().unwrap(), 0);
    // A permanent redirect to a real feed is followed.
    let input = ChannelInput {
        kind: Some(ChannelKind::Blog),
        name: Some("moved".into()),
        feed_url: Some(format!("{base}/moved")),
        ..Default::default()
    };
    let id = calendar::add_channel(&st, &input, now).unwrap().id;
    assert_eq!(feed::sync(&st, &id, opts, now).unwrap().new_items, 1);
}

fn blog_site(st: &Store, url: &str) -> String {
    let input =
        ChannelInput { kind: Some(ChannelKind::Blog), name: Some("院長ブログ".into()), url: Some(url.into()), ..Default::default() };
    calendar::add_channel(st, &input, utc("2026-01-01T00:00:00Z")).unwrap().id
}

/// A blog added by its own address (no feed address): the feed its page
/// advertises is found, read and kept; a WordPress site without the link is
/// found at /feed/; a site without any feed says so in plain words.
#[test]
fn a_blog_is_found_from_its_own_address() {
    let tmp = tempfile::tempdir().unwrap();
    let served = Arc::new(std::sync::Mutex::new(PathBuf::new()));
    let root = served.clone();
    let base = serve_site(root);
    let posts = [("p1", "2026-10-01T10:00:00+09:00"), ("p2", "2026-10-04T10:00:00+09:00")];
    *served.lock().unwrap() = hugo_site(&tmp.path().join("site2"), &base, &posts);
    let st = store(tmp.path());
    let now = utc("2026-11-01T00:00:00Z");
    let id = blog_site(&st, &format!("{base}/"));
    let r = feed::sync(&st, &id, FetchOptions::default(), now).unwrap();
    assert_eq!(r.new_items, 2);
    let ch = calendar::resolve_channel(&st, &id).unwrap();
    assert_eq!(ch.feed_url.as_deref(), Some(format!("{base}/index.xml").as_str()), "the feed found is kept");
    assert!(ch.last_sync.unwrap().ok);

    // WordPress: no link in the page, the feed at /feed/.
    let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title><guid>wp-1</guid><link>/2026/10/a/</link><pubDate>Fri, 02 Oct 2026 10:00:00 +0900</pubDate></item><item><title>b</title><guid>wp-2</guid><link>javascript:alert(1)</link><pubDate>Sat, 03 Oct 2026 10:00:00 +0900</pubDate></item></channel></rss>"#;
    let wp = serve(move |path| match path {
        "/feed/" => ok(rss.to_vec(), "application/rss+xml"),
        "/" => ok(b"<!DOCTYPE html><html><head><title>salon</title></head></html>".to_vec(), "text/html"),
        _ => Resp { status: 404, headers: vec![], body: b"not found".to_vec(), delay: StdDuration::ZERO },
    });
    let wp_id = blog_site(&st, &format!("{wp}/"));
    assert_eq!(feed::sync(&st, &wp_id, FetchOptions::default(), now).unwrap().new_items, 2);
    assert_eq!(calendar::resolve_channel(&st, &wp_id).unwrap().feed_url.as_deref(), Some(format!("{wp}/feed/").as_str()));
    // A relative link is resolved against the feed; a link that is no web address is left out, the post kept.
    let wp_posts = calendar::posts_of(&st, &wp_id).unwrap();
    let link = |title: &str| wp_posts.iter().find(|p| p.title == title).unwrap().url.clone();
    assert_eq!(link("a").as_deref(), Some(format!("{wp}/2026/10/a/").as_str()));
    assert_eq!(link("b"), None);

    // No feed anywhere: a plain error, nothing recorded, no feed address invented.
    let none = serve(|_| ok(b"<!DOCTYPE html><html><body>shop</body></html>".to_vec(), "text/html"));
    let none_id = blog_site(&st, &format!("{none}/"));
    match feed::sync(&st, &none_id, FetchOptions::default(), now) {
        Err(Error::NotAFeed(m)) => assert!(m.contains("no RSS/Atom feed was found"), "{m}"),
        other => panic!("{other:?}"),
    }
    let ch = calendar::resolve_channel(&st, &none_id).unwrap();
    assert!(ch.feed_url.is_none());
    assert_eq!(ch.last_sync.unwrap().code.as_deref(), Some("not_a_feed"));
    // An Instagram channel's address is not a blog: nothing to read.
    let ig = calendar::add_channel(
        &st,
        &ChannelInput {
            kind: Some(ChannelKind::Instagram),
            name: Some("Instagram".into()),
            url: Some(format!("{none}/ig")),
            ..Default::default()
        },
        now,
    )
    .unwrap();
    assert!(feed::sync(&st, &ig.id, FetchOptions::default(), now).is_err());
    assert_eq!(feed::targets(&st, None).unwrap().len(), 3, "the three blogs, not the Instagram channel");
}
