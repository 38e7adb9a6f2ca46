//! Every small parser of what a person types (dates, card expiries, rhythms,
//! reply deadlines, times of day, posting histories) must answer Ok or a clear
//! error for any text, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use noren_core::renewal::RenewalKind;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = noren_core::credential::parse_date("date", &text);
    let _ = noren_core::renewal::parse_due(&text, RenewalKind::Card);
    let _ = noren_core::renewal::parse_due(&text, RenewalKind::Domain);
    let _ = noren_core::calendar::parse_rhythm(&text);
    let _ = noren_core::inquiry::ReplyPolicy::parse(&text);
    let _ = noren_core::notify::parse_hhmm("time", &text);
    let _ = noren_core::lapse_quality::parse_history("fuzz", &text);
});
