//! The posting calendar: channels and posts, quiet periods, the per-channel
//! view and .ics export; the lapse detector and the protocol it is measured
//! with; the facts the reminder engine reads. The posts are declared to the
//! store here, with what is derived from them.

pub mod calendar;
pub mod facts;
pub mod lapse_quality;
pub mod post;
pub mod rhythm;

use noren_base::error::Result;
use noren_store::store::{Compartment, Record};

use post::Post;

impl Record for Post {
    const TREE: &'static str = "posts";
    const COMPARTMENT: Compartment = Compartment::Calendar;
    const WHAT: &'static str = "post";
    fn id(&self) -> &str {
        &self.id
    }
    fn validate(&self) -> Result<()> {
        self.check_fields()
    }
    /// What the reminder engine reads, so that `check` need not read every record.
    fn derived_packs(list: &[Self]) -> Vec<(&'static str, zeroize::Zeroizing<Vec<u8>>)> {
        use noren_store::store::Derived;
        vec![facts::Timelines::pack(list)]
    }
}
