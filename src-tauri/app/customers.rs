//! Customers, inquiries and shop hours as the app offers them. Thin: every
//! rule is in `noren_core::{customer, inquiry, business, customer_import}`.

use chrono::{NaiveDate, Utc};
use noren_core::business::{self, ShopHours};
use noren_core::customer::{self, Customer, CustomerInput};
use noren_core::customer_import::{self, Preview};
use noren_core::inquiry::{self, ExceptionDecision, ExceptionTag, Inquiry, InquiryInput, PlaybookStep, Template};
use serde::Serialize;
use ts_rs::TS;

use crate::core::{shop_zone, AppCore, IpcResult};

/// Most files a person would pick are small; refuse what is clearly not a customer list.
fn read_file(path: &str) -> IpcResult<Vec<u8>> {
    let path = crate::typed(path).ok_or_else(|| noren_core::Error::invalid("file", "choose a file"))?;
    Ok(noren_core::paths::read_picked_file(&path, customer_import::MAX_BYTES)?)
}

pub fn list(c: &mut AppCore, query: &str) -> IpcResult<Vec<Customer>> {
    let store = c.store_unlocked()?;
    Ok(if query.trim().is_empty() { customer::list(store)? } else { customer::search(store, query)? })
}

pub fn get(c: &mut AppCore, id: &str) -> IpcResult<Customer> {
    Ok(customer::resolve(c.store_unlocked()?, id)?)
}

pub fn add(c: &mut AppCore, input: &CustomerInput) -> IpcResult<Customer> {
    let r = customer::add(c.store_unlocked()?, input, Utc::now())?;
    Ok(r)
}

pub fn update(c: &mut AppCore, id: &str, input: &CustomerInput) -> IpcResult<Customer> {
    let r = customer::edit(c.store_unlocked()?, id, input, Utc::now())?;
    Ok(r)
}

pub fn delete(c: &mut AppCore, id: &str) -> IpcResult<Customer> {
    let r = customer::remove(c.store_unlocked()?, id)?;
    Ok(r)
}

pub fn import_preview(c: &mut AppCore, file: &str) -> IpcResult<Preview> {
    let bytes = read_file(file)?;
    Ok(customer_import::preview(c.store_unlocked()?, &bytes, Utc::now())?)
}

/// Reads the file again (it is what the user confirmed in the preview) and imports it.
pub fn import(c: &mut AppCore, file: &str, keep_duplicates: bool) -> IpcResult<usize> {
    let bytes = read_file(file)?;
    let store = c.store_unlocked()?;
    let p = customer_import::preview(store, &bytes, Utc::now())?;
    let n = customer_import::import(store, &p, keep_duplicates, Utc::now())?;
    Ok(n)
}

/// An inquiry with the name of whoever sent it.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct InquiryView {
    pub inquiry: Inquiry,
    pub who: String,
}

pub fn inquiries(c: &mut AppCore, open_only: bool) -> IpcResult<Vec<InquiryView>> {
    let store = c.store_unlocked()?;
    let customers = store.all::<Customer>()?;
    let names = inquiry::Names::new(&customers);
    Ok(inquiry::list(store, open_only)?.into_iter().map(|i| InquiryView { who: names.who(&i), inquiry: i }).collect())
}

pub fn inquiry_get(c: &mut AppCore, id: &str) -> IpcResult<InquiryView> {
    let store = c.store_unlocked()?;
    let customers = store.all::<Customer>()?;
    let i = inquiry::get(store, id)?;
    Ok(InquiryView { who: inquiry::who(&i, &customers), inquiry: i })
}

pub fn inquiry_add(c: &mut AppCore, input: &InquiryInput) -> IpcResult<Inquiry> {
    Ok(noren_core::inquiries::add(c.store_unlocked()?, input, None, Utc::now())?)
}

/// A reply; with `promised_by` (a local date), an interim one due at closing time that day.
pub fn reply(c: &mut AppCore, id: &str, text: &str, promised_by: Option<NaiveDate>) -> IpcResult<Inquiry> {
    let store = c.store_unlocked()?;
    let by = promised_by.map(|d| noren_core::inquiries::promised_by(store, d, None)).transpose()?;
    let r = inquiry::reply(store, id, text, by, Utc::now())?;
    Ok(r)
}

pub fn close(c: &mut AppCore, id: &str, follow_up: Option<NaiveDate>) -> IpcResult<Inquiry> {
    let store = c.store_unlocked()?;
    let r = inquiry::close(store, id, follow_up, Utc::now(), shop_zone(store)?)?;
    Ok(r)
}

pub fn followed_up(c: &mut AppCore, id: &str) -> IpcResult<Inquiry> {
    let r = inquiry::follow_up_done(c.store_unlocked()?, id, Utc::now())?;
    Ok(r)
}

pub fn spam(c: &mut AppCore, id: &str) -> IpcResult<Inquiry> {
    let r = inquiry::mark_spam(c.store_unlocked()?, id, Utc::now())?;
    Ok(r)
}

pub fn playbook(c: &mut AppCore, id: &str, steps: &[PlaybookStep]) -> IpcResult<Inquiry> {
    Ok(inquiry::set_playbook(c.store_unlocked()?, id, steps, Utc::now())?)
}

pub fn exception(c: &mut AppCore, id: &str, tag: ExceptionTag, decision: ExceptionDecision, note: &str) -> IpcResult<Inquiry> {
    let r = inquiry::set_exception(c.store_unlocked()?, id, tag, decision, note, Utc::now())?;
    Ok(r)
}

pub fn templates(c: &mut AppCore) -> IpcResult<Vec<Template>> {
    Ok(inquiry::templates(c.store_unlocked()?)?)
}

/// A template filled in for an inquiry (`inquiry::fill`; an empty `shop_name` uses the shop settings' name).
pub fn render(c: &mut AppCore, id: &str, template_id: &str, shop_name: &str) -> IpcResult<String> {
    let shop = Some(shop_name).filter(|s| !s.trim().is_empty());
    let store = c.store_unlocked()?;
    Ok(inquiry::fill(store, id, template_id, shop, shop_zone(store)?)?.1)
}

pub fn save_template(c: &mut AppCore, t: &Template) -> IpcResult<Template> {
    Ok(inquiry::save_template(c.store_unlocked()?, t)?)
}

pub fn shop(c: &mut AppCore) -> IpcResult<ShopHours> {
    Ok(business::load(c.store_unlocked()?)?)
}

pub fn save_shop(c: &mut AppCore, s: &ShopHours) -> IpcResult<ShopHours> {
    let store = c.store_unlocked()?;
    business::save(store, s)?;
    Ok(business::load(store)?)
}
