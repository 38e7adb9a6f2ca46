//! Feed sync: read a channel's RSS 2.0 / Atom / JSON Feed and record each
//! item's publish time once. Network access happens only here and only when
//! the user (or the app's schedule) asks for it, with timeouts and a size limit.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use ts_rs::TS;

use noren_base::error::{Error, Result};
use noren_base::validate::MAX_SHORT;
use noren_domain::posting::calendar::{resolve_channel, Channel, Post, PostSource, PostStatus, SyncInfo};
use noren_store::store::{new_id, Store};

/// Limits of one fetch.
#[derive(Clone, Copy, Debug)]
pub struct FetchOptions {
    /// For the whole exchange (connect, redirects, body).
    pub timeout: StdDuration,
    pub max_bytes: u64,
    pub max_redirects: u32,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions { timeout: StdDuration::from_secs(20), max_bytes: 5 * 1024 * 1024, max_redirects: 5 }
    }
}

/// One item of a feed, reduced to what the calendar needs.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedItem {
    pub guid: String,
    pub url: Option<String>,
    pub title: String,
    pub published: Option<DateTime<Utc>>,
}

fn looks_like_html(body: &[u8]) -> bool {
    let head: String = String::from_utf8_lossy(&body[..body.len().min(2048)]).to_ascii_lowercase();
    let t = head.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("<!doctype html") || t.starts_with("<html") || (t.contains("<html") && !t.contains("<rss") && !t.contains("<feed"))
}

/// The feed address a web page advertises (`<link rel="alternate" type="application/rss+xml" href=…>`).
fn advertised_feed(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&body[..body.len().min(256 * 1024)]);
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find("<link") {
        let start = from + pos;
        let end = lower[start..].find('>').map(|e| start + e)?;
        let tag = &lower[start..end];
        if tag.contains("alternate") && (tag.contains("rss+xml") || tag.contains("atom+xml") || tag.contains("feed+json")) {
            if let Some(h) = tag.find("href=") {
                let rest = &text[start + h + 5..end];
                let quote = rest.chars().next()?;
                let val: String = if quote == '"' || quote == '\'' {
                    rest[1..].chars().take_while(|c| *c != quote).collect()
                } else {
                    rest.chars().take_while(|c| !c.is_whitespace()).collect()
                };
                return Some(val);
            }
        }
        from = end;
    }
    None
}

/// Parses feed bytes (pure; fuzzed). HTML pages and malformed documents give `NotAFeed`.
pub fn parse(body: &[u8]) -> Result<Vec<FeedItem>> {
    if looks_like_html(body) {
        let hint = match advertised_feed(body) {
            Some(u) => format!(" (the page points to a feed at {u})"),
            None => String::new(),
        };
        return Err(Error::NotAFeed(format!("this address is a web page, not an RSS/Atom feed{hint}")));
    }
    let feed = feed_rs::parser::parse(body).map_err(|e| Error::NotAFeed(format!("not a readable RSS/Atom/JSON feed: {e}")))?;
    Ok(feed
        .entries
        .into_iter()
        .map(|e| {
            let url = e.links.first().map(|l| l.href.trim().to_string()).filter(|h| !h.is_empty());
            let title: String = e.title.map(|t| t.content.trim().to_string()).unwrap_or_default().chars().take(MAX_SHORT).collect();
            FeedItem {
                guid: e.id.chars().take(2048).collect(),
                url: url.map(|u| u.chars().take(2048).collect()),
                title: title.chars().filter(|c| !c.is_control()).collect(),
                published: e.published.or(e.updated),
            }
        })
        .collect())
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(a)) => a.is_loopback(),
        Some(url::Host::Ipv6(a)) => a.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    }
}

/// Fetches a feed over HTTP(S) within the limits.
pub fn fetch(url: &str, opts: FetchOptions) -> Result<Vec<u8>> {
    let parsed = url::Url::parse(url).map_err(|e| Error::invalid("feed_url", format!("not a valid address ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::invalid("feed_url", "must start with https:// or http://"));
    }
    let mut cfg = ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .max_redirects(opts.max_redirects)
        .http_status_as_error(false)
        .user_agent(concat!("Noren/", env!("CARGO_PKG_VERSION"), " (feed sync)"));
    if is_loopback(&parsed) {
        cfg = cfg.proxy(None);
    }
    let agent: ureq::Agent = cfg.build().into();
    let host = parsed.host_str().unwrap_or("").to_string();
    let net = |e: ureq::Error| -> Error {
        let why = match &e {
            ureq::Error::Timeout(_) => format!("{host} did not answer within {} s", opts.timeout.as_secs()),
            ureq::Error::HostNotFound => format!("{host} was not found (check the address and the internet connection)"),
            ureq::Error::ConnectionFailed => format!("could not connect to {host} (offline, or the server is down)"),
            ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => {
                format!("{host} redirected too many times or to an invalid address")
            }
            ureq::Error::BodyExceedsLimit(n) => format!("the feed is larger than {} MiB (limit {n} bytes)", opts.max_bytes / (1024 * 1024)),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                format!("{host} did not answer within {} s", opts.timeout.as_secs())
            }
            ureq::Error::Io(io)
                if matches!(
                    io.kind(),
                    std::io::ErrorKind::ConnectionRefused
                        | std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::NetworkUnreachable
                        | std::io::ErrorKind::HostUnreachable
                ) =>
            {
                format!("could not connect to {host} (offline, or the server is down)")
            }
            ureq::Error::Tls(_) | ureq::Error::Rustls(_) => format!("{host}: the secure connection failed ({e})"),
            other => format!("{host}: {other}"),
        };
        Error::Network(why)
    };
    let mut resp = agent.get(url).call().map_err(net)?;
    let status = resp.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(Error::Network(format!("{host} answered HTTP {status} for this address")));
    }
    resp.body_mut().with_config().limit(opts.max_bytes).read_to_vec().map_err(net)
}

/// Where a site's feed may be, best first: the address its page advertises,
/// the feed of a known blog service (Ameba ブログ, note), and the usual paths
/// of WordPress, Hugo and Jekyll sites. Pure (no network).
pub fn candidates(page_url: &str, body: &[u8]) -> Vec<String> {
    let Ok(page) = url::Url::parse(page_url) else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    let mut add = |u: Option<url::Url>| {
        if let Some(u) = u.filter(|u| matches!(u.scheme(), "http" | "https")) {
            let s = u.to_string();
            if s != page_url && !out.contains(&s) {
                out.push(s);
            }
        }
    };
    if looks_like_html(body) {
        add(advertised_feed(body).and_then(|href| page.join(href.trim()).ok()));
    }
    let host = page.host_str().unwrap_or("").to_ascii_lowercase();
    let first = page.path_segments().and_then(|mut s| s.next().map(str::to_string)).filter(|s| !s.is_empty());
    match (host.as_str(), &first) {
        ("ameblo.jp" | "www.ameblo.jp", Some(id)) => add(url::Url::parse(&format!("https://rssblog.ameba.jp/{id}/rss20.xml")).ok()),
        ("note.com" | "note.mu", Some(id)) => add(url::Url::parse(&format!("https://note.com/{id}/rss")).ok()),
        _ => {}
    }
    // Relative to the page's folder, then to the site's root.
    let folder = if page.path().ends_with('/') { page.clone() } else { page.join("./").unwrap_or_else(|_| page.clone()) };
    for base in [folder, page.join("/").unwrap_or_else(|_| page.clone())] {
        for path in ["feed/", "index.xml", "feed.xml", "atom.xml", "rss.xml", "rss/", "?feed=rss2"] {
            add(base.join(path).ok());
        }
    }
    out
}

/// The feed of `address`: the address itself when it is a feed, else the
/// first of its [`candidates`] that is one. Returns the feed's address and its bytes.
pub fn fetch_feed(address: &str, opts: FetchOptions) -> Result<(String, Vec<u8>)> {
    let body = fetch(address, opts)?;
    let not_a_feed = match parse(&body) {
        Ok(_) => return Ok((address.to_string(), body)),
        Err(e) => e,
    };
    // Guesses get a shorter deadline: the site answered already.
    let quick = FetchOptions { timeout: opts.timeout.min(StdDuration::from_secs(8)), ..opts };
    for candidate in candidates(address, &body).into_iter().take(16) {
        if let Ok(found) = fetch(&candidate, quick) {
            if parse(&found).is_ok() {
                return Ok((candidate, found));
            }
        }
    }
    Err(match not_a_feed {
        Error::NotAFeed(m) if looks_like_html(&body) => Error::NotAFeed(format!(
            "no RSS/Atom feed was found for this site ({m}; also tried the usual feed addresses): enter the feed address, or ask whoever made the site"
        )),
        other => other,
    })
}

/// Where a channel's posts are read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub channel_id: String,
    pub address: String,
    /// The address is the blog's own page: its feed is found from it ([`fetch_feed`]).
    pub find: bool,
}

/// A channel's target: its feed address as given, else for a blog its own address.
pub fn target_of(ch: &Channel) -> Option<Target> {
    match (&ch.feed_url, &ch.url) {
        (Some(f), _) => Some(Target { channel_id: ch.id.clone(), address: f.clone(), find: false }),
        (None, Some(u)) if ch.kind == noren_domain::posting::calendar::ChannelKind::Blog => {
            Some(Target { channel_id: ch.id.clone(), address: u.clone(), find: true })
        }
        _ => None,
    }
}

/// One channel's target (an error naming it when it has none), or every channel that has one.
pub fn targets(store: &Store, channel_key: Option<&str>) -> Result<Vec<Target>> {
    match channel_key {
        Some(key) => {
            let ch = resolve_channel(store, key)?;
            let name = ch.name.clone();
            target_of(&ch).map(|t| vec![t]).ok_or_else(|| Error::invalid("feed_url", format!("{name} has no feed address")))
        }
        None => Ok(noren_domain::posting::calendar::list_channels(store)?.iter().filter_map(target_of).collect()),
    }
}

/// Fetches a target (no store needed: the app does it outside its lock).
pub fn fetch_target(t: &Target, opts: FetchOptions) -> Result<(String, Vec<u8>)> {
    if t.find {
        fetch_feed(&t.address, opts)
    } else {
        fetch(&t.address, opts).map(|body| (t.address.clone(), body))
    }
}

/// What one sync did.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct SyncReport {
    pub channel_id: String,
    pub channel: String,
    pub items: usize,
    pub new_items: usize,
    /// Items without any date, or dated in the future.
    pub skipped: usize,
}

/// Records feed items as posts of `channel`: each guid/URL once, manual
/// check-ins within 12 hours of an item adopt it instead of doubling it.
/// An item's link as the post keeps it: resolved against the feed's address
/// (many feeds write `/2026/10/post/`), and left out when it is not a web
/// address, so one odd link never stops the whole feed.
fn item_url(base: Option<&str>, link: Option<&str>) -> Option<String> {
    let link = link?.trim();
    let absolute = match url::Url::parse(link) {
        Ok(u) => u,
        Err(_) => url::Url::parse(base?).ok()?.join(link).ok()?,
    };
    noren_base::validate::normalize_url(absolute.as_str()).ok().flatten()
}

pub fn record(store: &Store, channel: &Channel, items: &[FeedItem], now: DateTime<Utc>) -> Result<SyncReport> {
    let base = channel.feed_url.as_deref().or(channel.url.as_deref());
    let items: Vec<FeedItem> = items.iter().map(|it| FeedItem { url: item_url(base, it.url.as_deref()), ..it.clone() }).collect();
    let items = items.as_slice();
    let mut posts: Vec<Post> = store.all::<Post>()?.into_iter().filter(|p| p.channel_id == channel.id).collect();
    let mut new = Vec::new();
    let mut adopted = Vec::new();
    let mut skipped = 0;
    for it in items {
        let Some(at) = it.published else {
            skipped += 1;
            continue;
        };
        if at > now + Duration::days(1) {
            skipped += 1;
            continue;
        }
        let known = posts.iter().any(|p| p.guid.as_deref() == Some(it.guid.as_str()) || (it.url.is_some() && p.url == it.url));
        if known {
            continue;
        }
        if let Some(p) = posts.iter_mut().find(|p| {
            p.guid.is_none() && p.source != PostSource::Feed && p.status == PostStatus::Done && (p.at - at).num_hours().abs() <= 12
        }) {
            p.guid = Some(it.guid.clone());
            if p.url.is_none() {
                p.url = it.url.clone();
            }
            if p.title.is_empty() {
                p.title = it.title.clone();
            }
            adopted.push(p.clone());
            continue;
        }
        let p = Post {
            id: new_id()?,
            channel_id: channel.id.clone(),
            status: PostStatus::Done,
            at,
            planned_for: None,
            title: it.title.clone(),
            url: it.url.clone(),
            note: String::new(),
            guid: Some(it.guid.clone()),
            source: PostSource::Feed,
            created_at: now,
        };
        posts.push(p.clone());
        new.push(p);
    }
    new.extend(adopted);
    store.put_many(&new)?;
    let new_items = new.iter().filter(|p| p.source == PostSource::Feed && p.created_at == now).count();
    Ok(SyncReport { channel_id: channel.id.clone(), channel: channel.name.clone(), items: items.len(), new_items, skipped })
}

/// The feed address of a channel, or a clear error when it has none.
pub fn feed_url(store: &Store, channel_key: &str) -> Result<(String, String)> {
    let ch = resolve_channel(store, channel_key)?;
    match ch.feed_url {
        Some(u) => Ok((ch.id, u)),
        None => Err(Error::invalid("feed_url", format!("{} has no feed address", ch.name))),
    }
}

/// Fetches and records one channel's feed (for a blog without a feed
/// address, the feed is found from its own address and kept); the outcome
/// is kept on the channel either way.
pub fn sync(store: &Store, channel_key: &str, opts: FetchOptions, now: DateTime<Utc>) -> Result<SyncReport> {
    let mut t = targets(store, Some(channel_key))?;
    let t = t.remove(0);
    apply_found(store, &t.channel_id, fetch_target(&t, opts), now)
}

/// [`apply`] for a [`fetch_feed`] result: a feed found from the blog's
/// address is kept as the channel's feed address (in the same write as the outcome).
pub fn apply_found(store: &Store, channel_id: &str, fetched: Result<(String, Vec<u8>)>, now: DateTime<Utc>) -> Result<SyncReport> {
    let (found, body) = match fetched {
        Ok((found, body)) => (Some(found), Ok(body)),
        Err(e) => (None, Err(e)),
    };
    apply_with(store, channel_id, body, found, now)
}

/// Records the result of a fetch made elsewhere (the app fetches without holding
/// its state lock): parses, records new items, and notes the outcome on the channel.
pub fn apply(store: &Store, channel_id: &str, fetched: Result<Vec<u8>>, now: DateTime<Utc>) -> Result<SyncReport> {
    apply_with(store, channel_id, fetched, None, now)
}

fn apply_with(store: &Store, channel_id: &str, fetched: Result<Vec<u8>>, found: Option<String>, now: DateTime<Utc>) -> Result<SyncReport> {
    let mut ch = resolve_channel(store, channel_id)?;
    if let Some(found) = found.filter(|f| f.len() <= 2048 && url::Url::parse(f).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))) {
        ch.feed_url = Some(found);
    }
    let outcome = fetched.and_then(|body| parse(&body)).and_then(|items| record(store, &ch, &items, now));
    ch.last_sync = Some(match &outcome {
        Ok(r) => SyncInfo { at: now, ok: true, code: None, message: String::new(), new_items: r.new_items },
        Err(e) => SyncInfo { at: now, ok: false, code: Some(e.code().to_string()), message: e.to_string(), new_items: 0 },
    });
    store.put(&ch)?;
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_refused_with_the_advertised_feed() {
        let page = br#"<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="https://shop.example/index.xml"></head></html>"#;
        match parse(page) {
            Err(Error::NotAFeed(m)) => assert!(m.contains("https://shop.example/index.xml"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn feed_candidates_of_a_site() {
        let page = br#"<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="/blog/index.xml"></head></html>"#;
        let c = candidates("https://salon.example.jp/blog/", page);
        assert_eq!(c[0], "https://salon.example.jp/blog/index.xml", "the advertised feed first: {c:?}");
        assert!(c.contains(&"https://salon.example.jp/blog/feed/".to_string()));
        assert!(c.contains(&"https://salon.example.jp/feed/".to_string()));
        assert!(c.contains(&"https://salon.example.jp/?feed=rss2".to_string()));
        let ameba = candidates("https://ameblo.jp/sakura-seikotsu/", b"<html></html>");
        assert_eq!(ameba[0], "https://rssblog.ameba.jp/sakura-seikotsu/rss20.xml");
        assert_eq!(candidates("https://note.com/sakura_salon", b"<html></html>")[0], "https://note.com/sakura_salon/rss");
        assert!(candidates("javascript:alert(1)", b"").is_empty());
        let hostile = br#"<html><link rel="alternate" type="application/rss+xml" href="file:///etc/passwd"></html>"#;
        assert!(candidates("https://x.example/", hostile).iter().all(|u| u.starts_with("https://x.example/")), "no other scheme");
    }

    #[test]
    fn malformed_and_empty_are_not_feeds() {
        assert!(matches!(parse(b"<rss><channel><item><title>x</item>"), Err(Error::NotAFeed(_))));
        assert!(matches!(parse(b""), Err(Error::NotAFeed(_))));
        assert!(matches!(parse(b"\x00\xff\xfe garbage"), Err(Error::NotAFeed(_))));
    }

    #[test]
    fn rss_atom_and_json_feed() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
            <item><title>a</title><link>https://s.example/a</link><guid>a-1</guid><pubDate>Mon, 02 Nov 2026 10:00:00 +0900</pubDate></item>
            <item><title>no date</title><link>https://s.example/b</link></item></channel></rss>"#;
        let items = parse(rss).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].guid, "a-1");
        assert_eq!(items[0].published.unwrap().to_rfc3339(), "2026-11-02T01:00:00+00:00");
        assert_eq!(items[1].published, None);
        let atom = r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id><updated>2026-11-03T00:00:00Z</updated>
            <entry><title>お知らせ</title><id>urn:e1</id><updated>2026-11-03T00:00:00Z</updated><link href="https://s.example/e1"/></entry></feed>"#;
        let items = parse(atom.as_bytes()).unwrap();
        assert_eq!((items[0].title.as_str(), items[0].url.as_deref()), ("お知らせ", Some("https://s.example/e1")));
        let json = br#"{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"j1","url":"https://s.example/j1","date_published":"2026-11-04T09:00:00+09:00"}]}"#;
        let items = parse(json).unwrap();
        assert_eq!(items[0].published.unwrap().to_rfc3339(), "2026-11-04T00:00:00+00:00");
    }
}
