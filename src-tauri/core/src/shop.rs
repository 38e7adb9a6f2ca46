//! The shop's settings as every front end reads them: its time zone, in which
//! every local date and time of the shop is read, evaluated and shown, and the
//! reminder engine's settings built on it. One place, so that the window, the
//! CLI and the unattended timer cannot disagree.

use chrono_tz::Tz;

use crate::business;
use crate::error::Result;
use crate::reminders::Settings;
use crate::store::Store;

/// The shop's time zone: `this_run` when a front end was told one for this run
/// (the CLI's `$NOREN_TZ`), else the shop profile's, else Asia/Tokyo.
pub fn zone(store: &Store, this_run: Option<Tz>) -> Result<Tz> {
    match this_run {
        Some(tz) => Ok(tz),
        None => Ok(business::load(store)?.zone()),
    }
}

/// The reminder engine's settings in the shop's time zone.
pub fn reminder_settings(store: &Store, this_run: Option<Tz>) -> Result<Settings> {
    Ok(Settings { timezone: zone(store, this_run)?, ..Settings::default() })
}
