//! What the reminder engine and the departure checklists read of the
//! credentials, in a form small enough to keep sealed next to the collection's
//! pack (`store::Derived`): per credential, the rotation, renewal and departure
//! facts (no password, no secret of any kind). Derived from exactly the records
//! of one write generation, so the engine gives the same answer from these as
//! from the records themselves (core/tests/reminder_facts.rs compares the two).

use chrono::{DateTime, NaiveDate, Utc};
use zeroize::Zeroizing;

use noren_store::store::Derived;
use noren_store::wire::{Reader, Writer};

use crate::credentials::credential::{Category, Credential};

/// Version of the encodings below; another version is not decoded.
const FORMAT: u8 = 1;

/// What the reminders and the departure checklists read of a credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountFacts {
    pub id: String,
    pub name: String,
    pub category: Category,
    /// A password is stored (only those are due for rotation).
    pub has_password: bool,
    /// When the current password was set.
    pub last_rotated: DateTime<Utc>,
    pub renewal_date: Option<NaiveDate>,
    /// People who know the password.
    pub known_by: Vec<String>,
    pub two_factor_holder: Option<String>,
    pub registered_email: Option<String>,
}

impl From<&Credential> for AccountFacts {
    fn from(c: &Credential) -> Self {
        AccountFacts {
            id: c.id.clone(),
            name: c.name.clone(),
            category: c.category,
            has_password: !c.password.is_empty(),
            last_rotated: c.last_rotated,
            renewal_date: c.renewal_date,
            known_by: c.known_by.clone(),
            two_factor_holder: c.two_factor_holder.clone(),
            registered_email: c.registered_email.clone(),
        }
    }
}

/// Every credential's facts, in id order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Accounts(pub Vec<AccountFacts>);

impl Derived for Accounts {
    type Of = Credential;
    const NAME: &'static str = "due";

    fn derive(list: &[Credential]) -> Self {
        Accounts(list.iter().map(AccountFacts::from).collect())
    }

    fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::with_capacity(FORMAT, self.0.len() * 96);
        w.len(self.0.len());
        for a in &self.0 {
            w.str(&a.id);
            w.str(&a.name);
            w.byte(Category::ALL.iter().position(|c| *c == a.category).unwrap_or(0) as u8);
            w.bool(a.has_password);
            w.time(a.last_rotated);
            w.opt_date(a.renewal_date);
            w.strs(&a.known_by);
            w.opt_str(a.two_factor_holder.as_deref());
            w.opt_str(a.registered_email.as_deref());
        }
        w.0
    }

    fn decode(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader::new(bytes, FORMAT)?;
        let n = r.count(40)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(AccountFacts {
                id: r.string()?,
                name: r.string()?,
                category: *Category::ALL.get(usize::from(r.byte()?))?,
                has_password: r.bool()?,
                last_rotated: r.time()?,
                renewal_date: r.opt_date()?,
                known_by: r.strings()?,
                two_factor_holder: r.opt_string()?,
                registered_email: r.opt_string()?,
            });
        }
        r.is_empty().then_some(Accounts(out))
    }
}
