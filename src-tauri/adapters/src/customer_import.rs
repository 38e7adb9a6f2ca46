//! Customers from a CSV file as Japanese spreadsheets export it: UTF-8 (with
//! or without BOM) or Shift_JIS (CP932), a header row naming the columns in
//! Japanese or English, quoted fields with newlines. Preview first, then an
//! all-or-nothing import, with a report of the rows skipped and why.

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use noren_base::error::{Error, Result};
use noren_base::normalize;
use noren_domain::customers::customer::{self, Contact, ContactKind, Customer, CustomerInput};
use noren_store::store::Store;

/// Largest file accepted (a shop's customer list is far smaller).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
pub const MAX_ROWS: usize = 100_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Name,
    Kana,
    Email,
    Phone,
    Line,
    Instagram,
    Facebook,
    Notes,
    Tags,
    Agreement,
}

fn column(header: &str) -> Option<Column> {
    let h = normalize::fold(header);
    let any = |keys: &[&str]| keys.iter().any(|k| h == normalize::fold(k));
    if any(&["名前", "氏名", "お名前", "顧客名", "name", "fullname", "full name", "customer"]) {
        Some(Column::Name)
    } else if any(&["ふりがな", "フリガナ", "よみがな", "ヨミガナ", "かな", "kana", "furigana", "reading"]) {
        Some(Column::Kana)
    } else if any(&["メール", "メールアドレス", "eメール", "email", "e-mail", "mail"]) {
        Some(Column::Email)
    } else if any(&["電話", "電話番号", "携帯", "携帯番号", "tel", "phone", "phone number", "mobile"]) {
        Some(Column::Phone)
    } else if any(&["line", "lineid", "line id", "line名", "line表示名"]) {
        Some(Column::Line)
    } else if any(&["instagram", "インスタ", "インスタグラム"]) {
        Some(Column::Instagram)
    } else if any(&["facebook", "フェイスブック"]) {
        Some(Column::Facebook)
    } else if any(&["メモ", "備考", "notes", "note", "memo"]) {
        Some(Column::Notes)
    } else if any(&["タグ", "tags", "tag", "区分"]) {
        Some(Column::Tags)
    } else if any(&["約束", "取り決め", "個別対応", "agreement", "agreements"]) {
        Some(Column::Agreement)
    } else {
        None
    }
}

/// One row that will be imported, as the preview shows it.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct PreviewRow {
    /// 1-based line number in the file (of the row's first line).
    pub line: usize,
    pub name: String,
    pub kana: String,
    pub contacts: Vec<Contact>,
    pub tags: Vec<String>,
    /// Same name (and phone or email) as a customer already in the store.
    pub duplicate: bool,
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Skipped {
    pub line: usize,
    /// `no_name`, `unreadable` or an error code (`invalid_input` with `field`).
    pub code: String,
    pub field: Option<String>,
    /// English detail.
    pub reason: String,
}

impl Skipped {
    fn new(line: usize, code: &str, reason: String) -> Skipped {
        Skipped { line, code: code.into(), field: None, reason }
    }
}

#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Preview {
    /// "UTF-8", "UTF-8 (BOM)" or "Shift_JIS".
    pub encoding: String,
    /// Headers recognised, and those ignored.
    pub columns: Vec<String>,
    pub ignored_columns: Vec<String>,
    pub rows: Vec<PreviewRow>,
    pub skipped: Vec<Skipped>,
    #[serde(skip)]
    #[ts(skip)]
    inputs: Vec<CustomerInput>,
}

/// Decodes a CSV file: UTF-8 (BOM stripped) when valid, else Shift_JIS.
/// Refused rather than guessed: a file whose lines are in both encodings
/// (part of it would become mojibake), and a quote that is never closed
/// (everything after it would become one value).
pub(crate) fn decode(bytes: &[u8]) -> Result<(String, &'static str)> {
    let (text, encoding) = decode_text(bytes)?;
    check_quotes(&text)?;
    Ok((text, encoding))
}

fn decode_text(bytes: &[u8]) -> Result<(String, &'static str)> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), "UTF-8 (BOM)"))
            .map_err(|_| Error::invalid("file", "not valid UTF-8 after the BOM"));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), "UTF-8"));
    }
    // Lines with Japanese text that are valid UTF-8 beside lines that are not:
    // two files pasted together. Shift_JIS text is almost never valid UTF-8.
    let (mut utf8_line, mut sjis_line) = (None, None);
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.is_ascii() {
            continue;
        }
        if std::str::from_utf8(line).is_ok() {
            utf8_line.get_or_insert(i + 1);
        } else {
            sjis_line.get_or_insert(i + 1);
        }
    }
    if let (Some(u), Some(s)) = (utf8_line, sjis_line) {
        return Err(Error::invalid(
            "file",
            format!(
                "the file mixes two encodings (UTF-8 on line {u}, Shift_JIS on line {s}): save it again in one (UTF-8) and import it again"
            ),
        ));
    }
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    if had_errors {
        return Err(Error::invalid("file", "neither UTF-8 nor Shift_JIS text (save the spreadsheet as CSV)"));
    }
    Ok((text.into_owned(), "Shift_JIS"))
}

/// `Invalid` when a quoted value is never closed. As CSV reads quotes: a value
/// is quoted only when it starts with one, `""` inside it is a quote, and a
/// quote inside an unquoted value (`24" monitor`) is just a character.
fn check_quotes(text: &str) -> Result<()> {
    #[derive(PartialEq)]
    enum S {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = S::FieldStart;
    let (mut line, mut opened) = (1, 1);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        state = match (state, c) {
            (S::FieldStart, '"') => {
                opened = line;
                S::Quoted
            }
            (S::FieldStart | S::Unquoted | S::QuoteInQuoted, ',' | '\n') => S::FieldStart,
            (S::FieldStart | S::Unquoted, _) => S::Unquoted,
            (S::Quoted, '"') => S::QuoteInQuoted,
            (S::Quoted, _) => S::Quoted,
            (S::QuoteInQuoted, '"') => S::Quoted,
            (S::QuoteInQuoted, '\r') => S::QuoteInQuoted,
            (S::QuoteInQuoted, _) => S::Unquoted,
        };
    }
    if state == S::Quoted {
        return Err(Error::invalid(
            "file",
            format!("line {opened}: a quote (\") is opened and never closed, so the rest of the file would be one value: fix the file and import it again"),
        ));
    }
    Ok(())
}

/// Parses a CSV file into a preview; nothing is written.
pub fn preview(store: &Store, bytes: &[u8], now: DateTime<Utc>) -> Result<Preview> {
    parse(bytes, store.all::<Customer>()?, now)
}

/// The preview of `bytes` against the customers already known (pure; fuzzed).
pub fn parse(bytes: &[u8], existing: Vec<Customer>, now: DateTime<Utc>) -> Result<Preview> {
    if bytes.len() > MAX_BYTES {
        return Err(Error::invalid("file", format!("larger than {} MiB", MAX_BYTES / (1024 * 1024))));
    }
    let (text, encoding) = decode(bytes)?;
    let mut rdr = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| Error::invalid("file", format!("cannot read the header row: {e}")))?.clone();
    let cols: Vec<Option<Column>> = headers.iter().map(column).collect();
    if !cols.contains(&Some(Column::Name)) {
        return Err(Error::invalid("file", "no name column (a header such as 名前, 氏名 or name)"));
    }
    // Known people by folded name: the store's and the rows read so far.
    let mut known: std::collections::HashMap<String, Vec<Customer>> = std::collections::HashMap::new();
    for c in existing {
        known.entry(normalize::fold(&c.name)).or_default().push(c);
    }
    let mut out = Preview {
        encoding: encoding.to_string(),
        columns: headers.iter().zip(&cols).filter(|(_, c)| c.is_some()).map(|(h, _)| h.to_string()).collect(),
        ignored_columns: headers
            .iter()
            .zip(&cols)
            .filter(|(h, c)| c.is_none() && !h.trim().is_empty())
            .map(|(h, _)| h.to_string())
            .collect(),
        rows: Vec::new(),
        skipped: Vec::new(),
        inputs: Vec::new(),
    };
    for rec in rdr.records() {
        let line = rec.as_ref().ok().and_then(|r| r.position()).map(|p| p.line() as usize).unwrap_or(0);
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                out.skipped.push(Skipped::new(line, "unreadable", format!("unreadable row: {e}")));
                continue;
            }
        };
        if out.rows.len() + out.skipped.len() >= MAX_ROWS {
            return Err(Error::invalid("file", format!("more than {MAX_ROWS} rows")));
        }
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let mut input = CustomerInput::default();
        let mut contacts = Vec::new();
        let mut tags = Vec::new();
        let mut agreements = Vec::new();
        for (field, col) in rec.iter().zip(&cols) {
            let v = field.trim();
            if v.is_empty() {
                continue;
            }
            let contact = |kind| Contact { kind, value: v.to_string(), note: String::new() };
            match col {
                Some(Column::Name) => input.name = Some(v.to_string()),
                Some(Column::Kana) => input.kana = Some(v.to_string()),
                Some(Column::Email) => contacts.push(contact(ContactKind::Email)),
                Some(Column::Phone) => contacts.push(contact(ContactKind::Phone)),
                Some(Column::Line) => contacts.push(contact(ContactKind::Line)),
                Some(Column::Instagram) => contacts.push(contact(ContactKind::Instagram)),
                Some(Column::Facebook) => contacts.push(contact(ContactKind::Facebook)),
                Some(Column::Notes) => input.notes = Some(field.trim_end().to_string()),
                Some(Column::Tags) => tags.extend(v.split(['、', ',', ' ', '　', ';']).map(str::to_string)),
                Some(Column::Agreement) => {
                    agreements.push(noren_domain::customers::customer::Agreement { text: v.to_string(), since: None, until: None })
                }
                None => {}
            }
        }
        if input.name.is_none() {
            out.skipped.push(Skipped::new(line, "no_name", "no name".into()));
            continue;
        }
        input.contacts = Some(contacts);
        input.tags = Some(tags);
        input.agreements = Some(agreements);
        // Validate exactly as a hand-made customer would be.
        match customer::build(&input, now) {
            Ok(c) => {
                let same = known.entry(normalize::fold(&c.name)).or_default();
                let duplicate = same.iter().any(|e| same_person(e, &c));
                same.push(c.clone());
                out.rows.push(PreviewRow {
                    line,
                    name: c.name.clone(),
                    kana: c.kana.clone(),
                    contacts: c.contacts.clone(),
                    tags: c.tags.clone(),
                    duplicate,
                });
                out.inputs.push(input);
            }
            Err(e) => {
                let field = match &e {
                    Error::Invalid { field, .. } => Some(field.to_string()),
                    _ => None,
                };
                out.skipped.push(Skipped { line, code: e.code().into(), field, reason: e.to_string() });
            }
        }
    }
    Ok(out)
}

/// Same name, and a shared phone or email (or neither has any).
fn same_person(a: &Customer, b: &Customer) -> bool {
    if normalize::fold(&a.name) != normalize::fold(&b.name) {
        return false;
    }
    let keys = |c: &Customer| -> Vec<String> {
        c.contacts
            .iter()
            .filter(|x| matches!(x.kind, ContactKind::Email | ContactKind::Phone))
            .map(|x| normalize::fold(&x.value.replace(['-', '‐', '－', ' '], "")))
            .collect()
    };
    let (ka, kb) = (keys(a), keys(b));
    (ka.is_empty() && kb.is_empty()) || ka.iter().any(|k| kb.contains(k))
}

/// Imports the previewed rows in one batch (all or nothing). Duplicates are skipped unless `keep_duplicates`.
pub fn import(store: &Store, preview: &Preview, keep_duplicates: bool, now: DateTime<Utc>) -> Result<usize> {
    let mut batch = Vec::new();
    for (row, input) in preview.rows.iter().zip(&preview.inputs) {
        if row.duplicate && !keep_duplicates {
            continue;
        }
        let mut c = customer::build(input, now)?;
        c.timeline
            .push(noren_domain::customers::customer::TimelineEntry::noted(now, noren_base::messages::Message::new("tl-imported-csv")));
        batch.push(c);
    }
    store.put_many(&batch)?;
    Ok(batch.len())
}
