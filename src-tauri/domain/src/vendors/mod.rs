//! Vendors and contracts ("who to call now"), renewals (domains,
//! certificates, cards, contracts) and the incident log with its reports.

pub mod incident;
pub mod renewal;
pub mod vendor;
