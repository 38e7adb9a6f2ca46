//! Feed sync: read a channel's RSS 2.0 / Atom / JSON Feed and record each
//! item's publish time once. Network access happens only here and only when
//! the user (or the app's schedule) asks for it, with timeouts and a size limit.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::calendar::{resolve_channel, Channel, Post, PostSource, PostStatus, SyncInfo};
use crate::credential::MAX_SHORT;
use crate::error::{Error, Result};
use crate::store::{new_id, Store};

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
pub fn record(store: &Store, channel: &Channel, items: &[FeedItem], now: DateTime<Utc>) -> Result<SyncReport> {
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

/// Fetches and records one channel's feed; the outcome is kept on the channel either way.
pub fn sync(store: &Store, channel_key: &str, opts: FetchOptions, now: DateTime<Utc>) -> Result<SyncReport> {
    let (id, url) = feed_url(store, channel_key)?;
    apply(store, &id, fetch(&url, opts), now)
}

/// Records the result of a fetch made elsewhere (the app fetches without holding
/// its state lock): parses, records new items, and notes the outcome on the channel.
pub fn apply(store: &Store, channel_id: &str, fetched: Result<Vec<u8>>, now: DateTime<Utc>) -> Result<SyncReport> {
    let mut ch = resolve_channel(store, channel_id)?;
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
