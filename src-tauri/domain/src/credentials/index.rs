//! The credential search index: each credential's list row (no secrets) with
//! its folded search text, in list order. Folding every credential is the
//! expensive part of building it, so the store keeps a sealed copy of the
//! built index next to the credentials' pack (`Record::derived_pack`), bound
//! to the same write generation: unlocking a large vault decodes that copy
//! instead of parsing and folding every credential.

use zeroize::Zeroizing;

use crate::credentials::credential::{Category, Credential, CredentialSummary};
use noren_base::error::Result;
use noren_base::normalize;
use noren_store::store::{Derived, Store};
use noren_store::wire::{Reader, Writer};

/// Credential rows with their folded search text, for search as you type.
pub struct SearchIndex {
    /// In list order (category, folded name, id).
    entries: Vec<Entry>,
}

struct Entry {
    /// The folded search text; it starts with the folded name.
    hay: String,
    name_len: usize,
    row: CredentialSummary,
}

impl Entry {
    fn new(cred: &Credential) -> Entry {
        let hay = cred.search_text();
        // The name is the first part of the search text (parts end with U+001F).
        let name_len = hay.find('\u{1F}').unwrap_or(hay.len());
        Entry { hay, name_len, row: CredentialSummary::from(cred) }
    }

    fn name(&self) -> &str {
        self.hay.get(..self.name_len).unwrap_or("")
    }

    fn key(&self) -> (Category, &str, &str) {
        (self.row.category, self.name(), self.row.id.as_str())
    }
}

impl SearchIndex {
    pub fn new(creds: &[Credential]) -> Self {
        // Folding runs on every core for large stores.
        let mut entries: Vec<Entry> = noren_base::par_map(creds.iter().collect(), 1000, Entry::new);
        entries.sort_unstable_by(|a, b| a.key().cmp(&b.key()));
        SearchIndex { entries }
    }

    /// The index of the store's credentials: decoded from its sealed copy when
    /// that is current, else built from the credentials.
    pub fn load(store: &Store) -> Result<Self> {
        store.derived::<SearchIndex>()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every row, in list order.
    pub fn all(&self) -> impl Iterator<Item = &CredentialSummary> {
        self.entries.iter().map(|e| &e.row)
    }

    /// Inserts or replaces one credential, keeping list order.
    pub fn upsert(&mut self, c: &Credential) {
        self.remove(&c.id);
        let entry = Entry::new(c);
        let pos = self.entries.partition_point(|e| e.key() < entry.key());
        self.entries.insert(pos, entry);
    }

    pub fn remove(&mut self, id: &str) {
        self.entries.retain(|e| e.row.id != id);
    }

    /// Rows matching every term of `query`; names that start with the query
    /// come first. An empty query matches everything.
    pub fn search(&self, query: &str) -> Vec<&CredentialSummary> {
        let q = normalize::Query::new(query);
        if q.is_empty() {
            return self.all().collect();
        }
        let (mut first, mut rest) = (Vec::new(), Vec::new());
        for e in &self.entries {
            if q.matches(&e.hay) {
                if e.name().starts_with(q.folded()) {
                    first.push(&e.row);
                } else {
                    rest.push(&e.row);
                }
            }
        }
        first.extend(rest);
        first
    }
}

/// The sealed copy: `credentials#index`.
impl Derived for SearchIndex {
    type Of = Credential;
    const NAME: &'static str = "index";

    fn derive(list: &[Credential]) -> Self {
        SearchIndex::new(list)
    }

    fn encode(&self) -> Zeroizing<Vec<u8>> {
        let size: usize = self.entries.iter().map(|e| 64 + e.hay.len() + e.row.name.len() * 2).sum();
        let mut w = Writer::with_capacity(FORMAT, size);
        w.len(self.entries.len());
        for e in &self.entries {
            let r = &e.row;
            w.str(&e.hay);
            w.len(e.name_len);
            w.str(&r.id);
            w.byte(Category::ALL.iter().position(|c| *c == r.category).unwrap_or(0) as u8);
            w.str(&r.name);
            w.opt_str(r.url.as_deref());
            w.opt_str(r.login.as_deref());
            w.strs(&r.tags);
            w.bool(r.has_totp);
            w.opt_date(r.renewal_date);
            w.time(r.last_rotated);
            w.time(r.updated_at);
        }
        w.0
    }

    /// Another format version or damage: the index is then built from the credentials.
    fn decode(bytes: &[u8]) -> Option<SearchIndex> {
        let mut r = Reader::new(bytes, FORMAT)?;
        // Each entry takes well over 16 bytes: a count beyond that is damage.
        let n = r.count(16)?;
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            let hay = r.string()?;
            let name_len = usize::try_from(r.u64()?).ok()?;
            if !hay.is_char_boundary(name_len) {
                return None;
            }
            let id = r.string()?;
            let category = *Category::ALL.get(usize::from(r.byte()?))?;
            let name = r.string()?;
            let url = r.opt_string()?;
            let login = r.opt_string()?;
            let tags = r.strings()?;
            let has_totp = r.bool()?;
            let renewal_date = r.opt_date()?;
            let last_rotated = r.time()?;
            let updated_at = r.time()?;
            let row = CredentialSummary { id, category, name, url, login, tags, has_totp, renewal_date, last_rotated, updated_at };
            entries.push(Entry { hay, name_len, row });
        }
        r.is_empty().then_some(SearchIndex { entries })
    }
}

/// Version of the encoding above; another version is not decoded.
const FORMAT: u8 = 1;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::credential::{self, CredentialInput};
    use noren_base::secret::SecretString;

    fn creds() -> Vec<Credential> {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-22T10:00:00+09:00").unwrap().to_utc();
        let mk = |name: &str, category, url: Option<&str>, tags: &[&str], renewal: Option<&str>| {
            let input = CredentialInput {
                category: Some(category),
                name: Some(name.to_string()),
                url: url.map(str::to_string),
                login: Some("受付@example.jp".to_string()),
                password: Some(SecretString::new("never-in-the-index")),
                notes: Some("メモ\n二行目".to_string()),
                tags: Some(tags.iter().map(|t| t.to_string()).collect()),
                renewal_date: renewal.map(str::to_string),
                ..Default::default()
            };
            credential::build(&input, now).unwrap()
        };
        vec![
            mk("ホットペッパー", Category::Portal, Some("https://beauty.hotpepper.jp"), &["予約", "口コミ"], None),
            mk("エキテン", Category::Portal, None, &[], Some("2027-03-31")),
            mk("Instagram", Category::Sns, Some("https://instagram.com"), &["写真"], None),
        ]
    }

    fn rows(i: &SearchIndex, q: &str) -> Vec<String> {
        i.search(q).iter().map(|r| serde_json::to_string(r).unwrap()).collect()
    }

    #[test]
    fn decoded_index_answers_as_the_built_one() {
        let built = SearchIndex::new(&creds());
        let bytes = built.encode();
        assert!(!String::from_utf8_lossy(&bytes).contains("never-in-the-index"), "no password in the index");
        let decoded = SearchIndex::decode(&bytes).expect("decodes");
        for q in ["", "ｴｷﾃﾝ", "予約", "ぽーたる", "instagram.com", "二行目", "zzz"] {
            assert_eq!(rows(&decoded, q), rows(&built, q), "query {q:?}");
        }
        assert_eq!(decoded.len(), 3);
    }

    #[test]
    fn damaged_or_foreign_bytes_are_refused_without_panic() {
        let bytes = SearchIndex::new(&creds()).encode();
        assert!(SearchIndex::decode(&[]).is_none());
        assert!(SearchIndex::decode(&[FORMAT + 1]).is_none());
        // Every truncation and every single-byte change either decodes to
        // well-formed rows or is refused; none panics.
        noren_store::wire::assert_refuses_damage(&bytes, |b| SearchIndex::decode(b).is_some());
    }
}
