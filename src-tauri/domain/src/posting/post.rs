//! A post of a channel, done or planned: the record the posting calendar keeps
//! and the reminder engine's timelines are derived from.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use noren_base::error::Result;
use noren_base::validate::{normalize_url, MAX_SHORT};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PostStatus {
    Done,
    Planned,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PostSource {
    Manual,
    Feed,
    Plan,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Post {
    pub id: String,
    pub channel_id: String,
    pub status: PostStatus,
    /// When it was published (done), or local midnight of the planned day (planned).
    #[serde(deserialize_with = "noren_base::utc::de")]
    pub at: DateTime<Utc>,
    /// The planned day (local date), kept after the post is done.
    #[serde(default)]
    pub planned_for: Option<NaiveDate>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
    /// Idea or draft text for a planned post; a note for a done one.
    #[serde(default)]
    pub note: String,
    /// Feed item id (guid / Atom id), for idempotent syncs.
    #[serde(default)]
    pub guid: Option<String>,
    pub source: PostSource,
    #[serde(deserialize_with = "noren_base::utc::de")]
    pub created_at: DateTime<Utc>,
}

impl Post {
    /// `Invalid` unless every field is as Noren stores it (what `Record::validate` checks).
    pub fn check_fields(&self) -> Result<()> {
        use noren_base::validate as v;
        v::id("channel_id", &self.channel_id)?;
        v::instant("at", &self.at)?;
        v::opt_date("planned_for", &self.planned_for)?;
        v::line("title", &self.title, MAX_SHORT)?;
        v::stored_address("url", &self.url, normalize_url)?;
        v::text("note", &self.note)?;
        v::opt_line("guid", &self.guid, v::MAX_URL)?;
        v::instant("created_at", &self.created_at)
    }
}
