//! A dated line in a record's history (a customer's timeline, an incident's): the owner's
//! own words, or what Noren recorded, as a catalogue message shown in the reader's language.

use chrono::{DateTime, Utc};
use noren_base::error::Result;
use noren_base::messages::{Lang, Message};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HistoryLine {
    #[serde(deserialize_with = "noren_base::utc::de")]
    pub at: DateTime<Utc>,
    /// The owner's own words; empty when Noren recorded the line as `message`. Lines
    /// written before the message catalogue hold Noren's Japanese text here.
    #[serde(default)]
    pub text: String,
    /// What Noren recorded (a catalogue key and its values, no prose): shown in the
    /// reader's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub message: Option<Message>,
}

impl HistoryLine {
    /// A line in the owner's own words.
    pub fn said(at: DateTime<Utc>, text: impl Into<String>) -> Self {
        HistoryLine { at, text: text.into(), message: None }
    }

    /// A line Noren records, shown in the reader's language.
    pub fn noted(at: DateTime<Utc>, message: Message) -> Self {
        HistoryLine { at, text: String::new(), message: Some(message) }
    }

    /// The line as `lang` reads it.
    pub fn shown(&self, lang: Lang) -> String {
        self.message.as_ref().map_or_else(|| self.text.clone(), |m| m.text(lang))
    }

    /// The field rules for a stored line (`field`: the history it belongs to).
    pub fn validate(&self, field: &'static str) -> Result<()> {
        use noren_base::validate as v;
        v::instant(field, &self.at)?;
        v::text(field, &self.text)?;
        if let Some(m) = &self.message {
            v::text(field, &m.text(Lang::Ja))?;
        }
        Ok(())
    }
}
