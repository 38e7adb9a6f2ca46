//! The window's commands: customers, inquiries, saved replies and the shop profile.

#[allow(unused_imports)]
use crate::*;

#[tauri::command]
pub fn cust_list(app: State<'_, App>, query: String) -> IpcResult<Vec<Customer>> {
    with(&app, |c| customers::list(c, &query))
}

#[tauri::command]
pub fn cust_get(app: State<'_, App>, id: String) -> IpcResult<Customer> {
    with(&app, |c| customers::get(c, &id))
}

#[tauri::command]
pub fn cust_add(app: State<'_, App>, input: CustomerInput) -> IpcResult<Customer> {
    changing(&app, |c| customers::add(c, &input))
}

#[tauri::command]
pub fn cust_update(app: State<'_, App>, id: String, input: CustomerInput) -> IpcResult<Customer> {
    changing(&app, |c| customers::update(c, &id, &input))
}

#[tauri::command]
pub fn cust_delete(app: State<'_, App>, id: String) -> IpcResult<Customer> {
    changing(&app, |c| customers::delete(c, &id))
}

#[tauri::command]
pub fn cust_import_preview(app: State<'_, App>, file: String) -> IpcResult<Preview> {
    with(&app, |c| customers::import_preview(c, &file))
}

#[tauri::command]
pub fn cust_import(app: State<'_, App>, file: String, keep_duplicates: bool) -> IpcResult<usize> {
    changing(&app, |c| customers::import(c, &file, keep_duplicates))
}

#[tauri::command]
pub fn inq_list(app: State<'_, App>, open_only: bool) -> IpcResult<Vec<InquiryView>> {
    with(&app, |c| customers::inquiries(c, open_only))
}

#[tauri::command]
pub fn inq_get(app: State<'_, App>, id: String) -> IpcResult<InquiryView> {
    with(&app, |c| customers::inquiry_get(c, &id))
}

#[tauri::command]
pub fn inq_add(app: State<'_, App>, input: InquiryInput) -> IpcResult<Inquiry> {
    changing(&app, |c| customers::inquiry_add(c, &input))
}

#[tauri::command]
pub fn inq_reply(app: State<'_, App>, id: String, text: String, promised_by: Option<chrono::NaiveDate>) -> IpcResult<Inquiry> {
    changing(&app, |c| customers::reply(c, &id, &text, promised_by))
}

#[tauri::command]
pub fn inq_close(app: State<'_, App>, id: String, follow_up: Option<chrono::NaiveDate>) -> IpcResult<Inquiry> {
    changing(&app, |c| customers::close(c, &id, follow_up))
}

#[tauri::command]
pub fn inq_followed_up(app: State<'_, App>, id: String) -> IpcResult<Inquiry> {
    changing(&app, |c| customers::followed_up(c, &id))
}

#[tauri::command]
pub fn inq_spam(app: State<'_, App>, id: String) -> IpcResult<Inquiry> {
    changing(&app, |c| customers::spam(c, &id))
}

#[tauri::command]
pub fn inq_playbook(app: State<'_, App>, id: String, steps: Vec<PlaybookStep>) -> IpcResult<Inquiry> {
    with(&app, |c| customers::playbook(c, &id, &steps))
}

#[tauri::command]
pub fn inq_exception(app: State<'_, App>, id: String, tag: ExceptionTag, decision: ExceptionDecision, note: String) -> IpcResult<Inquiry> {
    changing(&app, |c| customers::exception(c, &id, tag, decision, &note))
}

#[tauri::command]
pub fn inq_templates(app: State<'_, App>) -> IpcResult<Vec<Template>> {
    with(&app, customers::templates)
}

#[tauri::command]
pub fn inq_render(app: State<'_, App>, id: String, template_id: String, shop_name: String) -> IpcResult<String> {
    with(&app, |c| customers::render(c, &id, &template_id, &shop_name))
}

#[tauri::command]
pub fn inq_template_save(app: State<'_, App>, template: Template) -> IpcResult<Template> {
    with(&app, |c| customers::save_template(c, &template))
}

#[tauri::command]
pub fn shop_get(app: State<'_, App>) -> IpcResult<ShopHours> {
    with(&app, customers::shop)
}

#[tauri::command]
pub fn shop_save(app: State<'_, App>, hours: ShopHours) -> IpcResult<ShopHours> {
    changing(&app, |c| customers::save_shop(c, &hours))
}

/// Copies login, password or the current TOTP code; returns seconds until cleared.
/// Copies a reply to paste elsewhere; refused while it still holds a （…をここに） marker.
#[tauri::command]
pub fn copy_reply(app: State<'_, App>, text: String) -> IpcResult<()> {
    let left = noren_core::inquiry::unfilled(&text);
    if !left.is_empty() {
        return Err(noren_core::Error::invalid("reply", format!("still to write: {}", left.join(" "))).into());
    }
    app.clipboard.copy_plain(&text).map_err(|e| IpcError { code: "clipboard".into(), message: e, field: None })
}

/// The （…をここに） markers a reply still holds.
#[tauri::command]
pub fn inq_unfilled(text: String) -> Vec<String> {
    noren_core::inquiry::unfilled(&text)
}
