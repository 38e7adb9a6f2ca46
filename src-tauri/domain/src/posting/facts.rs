//! What the reminder engine reads of the posts: per channel, the instants of
//! its done posts and its planned posts in full (the lapse and missed-plan
//! reminders), kept sealed next to the posts' pack (`store::Derived`).

use chrono::{DateTime, Utc};
use zeroize::Zeroizing;

use noren_store::store::Derived;
use noren_store::wire::{Reader, Writer};

use crate::posting::post::{Post, PostStatus};

/// Version of the encodings below; another version is not decoded.
const FORMAT: u8 = 1;

/// One channel's posts as its rhythm and the calendar read them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    pub channel_id: String,
    /// When each done post was published, oldest first.
    pub done: Vec<DateTime<Utc>>,
    /// Planned posts, by planned day, then instant, then id.
    pub planned: Vec<Post>,
}

/// Every channel's timeline, by channel id (channels without posts have none).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timelines(pub Vec<Timeline>);

impl Timelines {
    /// Groups posts (in any order) by channel.
    pub fn new<'a>(posts: impl IntoIterator<Item = &'a Post>) -> Self {
        let mut map: std::collections::HashMap<&str, Timeline> = std::collections::HashMap::new();
        for p in posts {
            let t = map.entry(p.channel_id.as_str()).or_insert_with(|| Timeline { channel_id: p.channel_id.clone(), ..Default::default() });
            match p.status {
                PostStatus::Done => t.done.push(p.at),
                PostStatus::Planned => t.planned.push(p.clone()),
            }
        }
        let mut list: Vec<Timeline> = map.into_values().collect();
        for t in &mut list {
            t.done.sort_unstable();
            t.planned.sort_by(|a, b| (a.planned_for, a.at, &a.id).cmp(&(b.planned_for, b.at, &b.id)));
        }
        list.sort_unstable_by(|a, b| a.channel_id.cmp(&b.channel_id));
        Timelines(list)
    }

    /// The timeline of one channel (empty when it has no post).
    pub fn of<'a>(list: &'a [Timeline], channel_id: &str) -> Option<&'a Timeline> {
        list.binary_search_by(|t| t.channel_id.as_str().cmp(channel_id)).ok().map(|i| &list[i])
    }
}

impl Derived for Timelines {
    type Of = Post;
    const NAME: &'static str = "due";

    fn derive(list: &[Post]) -> Self {
        Timelines::new(list)
    }

    fn encode(&self) -> Zeroizing<Vec<u8>> {
        let size: usize = self.0.iter().map(|t| 64 + t.done.len() * 16 + t.planned.len() * 256).sum();
        let mut w = Writer::with_capacity(FORMAT, size);
        w.len(self.0.len());
        for t in &self.0 {
            w.str(&t.channel_id);
            w.len(t.done.len());
            for at in &t.done {
                w.time(*at);
            }
            // Planned posts are few: kept whole, as the store writes records.
            w.str(&serde_json::to_string(&t.planned).unwrap_or_default());
        }
        w.0
    }

    fn decode(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader::new(bytes, FORMAT)?;
        let n = r.count(24)?;
        let mut out: Vec<Timeline> = Vec::with_capacity(n);
        for _ in 0..n {
            let channel_id = r.string()?;
            let count = r.count(16)?;
            let done = (0..count).map(|_| r.time()).collect::<Option<Vec<_>>>()?;
            let planned: Vec<Post> = serde_json::from_str(r.str()?).ok()?;
            // Written in order; anything else is damage (lookups rely on it).
            let ordered = out.last().is_none_or(|last| last.channel_id < channel_id) && done.is_sorted();
            if !ordered || planned.iter().any(|p| p.channel_id != channel_id || p.status != PostStatus::Planned) {
                return None;
            }
            out.push(Timeline { channel_id, done, planned });
        }
        r.is_empty().then_some(Timelines(out))
    }
}
