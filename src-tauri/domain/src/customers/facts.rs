//! What the reminder engine reads of the inquiries and customers, kept sealed
//! next to each collection's pack (`store::Derived`): the inquiries that can
//! still raise a reminder (open, or done with a follow-up not yet made), in
//! full; id and name of every customer, to name an inquiry.

use zeroize::Zeroizing;

use noren_store::store::Derived;
use noren_store::wire::{Reader, Writer};

use crate::customers::customer::Customer;
use crate::customers::inquiry::{Inquiry, InquiryStatus};

/// Version of the encodings below; another version is not decoded.
const FORMAT: u8 = 1;

/// Whether an inquiry can raise a reminder on some day: open, or done with a
/// follow-up not yet made (whatever its date). Answered, waiting and spam
/// inquiries never do.
pub fn may_fall_due(inq: &Inquiry) -> bool {
    match inq.status {
        InquiryStatus::Open => true,
        InquiryStatus::Done => inq.follow_up.is_some() && !inq.follow_up_done,
        InquiryStatus::Waiting | InquiryStatus::Spam => false,
    }
}

/// The inquiries that may fall due, whole, in id order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OpenInquiries(pub Vec<Inquiry>);

impl Derived for OpenInquiries {
    type Of = Inquiry;
    const NAME: &'static str = "due";

    fn derive(list: &[Inquiry]) -> Self {
        OpenInquiries(list.iter().filter(|i| may_fall_due(i)).cloned().collect())
    }

    fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::with_capacity(FORMAT, self.0.len() * 512);
        w.str(&serde_json::to_string(&self.0).unwrap_or_default());
        w.0
    }

    fn decode(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader::new(bytes, FORMAT)?;
        let list: Vec<Inquiry> = serde_json::from_str(r.str()?).ok()?;
        (r.is_empty() && list.iter().all(may_fall_due)).then_some(OpenInquiries(list))
    }
}

/// A customer's id and name, to name their inquiries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerName {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerNames(pub Vec<CustomerName>);

impl Derived for CustomerNames {
    type Of = Customer;
    const NAME: &'static str = "due";

    fn derive(list: &[Customer]) -> Self {
        CustomerNames(list.iter().map(|c| CustomerName { id: c.id.clone(), name: c.name.clone() }).collect())
    }

    fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut w = Writer::with_capacity(FORMAT, self.0.len() * 64);
        w.len(self.0.len());
        for c in &self.0 {
            w.str(&c.id);
            w.str(&c.name);
        }
        w.0
    }

    fn decode(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader::new(bytes, FORMAT)?;
        let n = r.count(16)?;
        let list = (0..n).map(|_| Some(CustomerName { id: r.string()?, name: r.string()? })).collect::<Option<Vec<_>>>()?;
        r.is_empty().then_some(CustomerNames(list))
    }
}
