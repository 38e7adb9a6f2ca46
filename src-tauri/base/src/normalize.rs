//! Search normalisation for Japanese and Latin text.
//!
//! NFKC folds full-width Latin and half-width katakana (`ｴｷﾃﾝ` → `エキテン`,
//! `ＡＢＣ` → `ABC`); then letters are lower-cased, katakana is folded to
//! hiragana (`エキテン` and `えきてん` match), and whitespace is dropped so that
//! `さくら 整骨院` finds `さくら整骨院`.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Characters NFKC leaves alone and that have no lower case: ASCII, Japanese
/// punctuation (、。「」…, not the ideographic space), hiragana (without the
/// combining sound marks), full-width katakana, CJK ideographs.
fn plain(c: char) -> bool {
    c.is_ascii()
        || matches!(
            c,
            '\u{3001}'..='\u{3029}' | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}' | '\u{4E00}'..='\u{9FFF}'
        )
}

pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Most text is already NFKC; the quick check spares the decomposition, and
    // text of plain characters only (most Japanese and Latin) spares the check.
    if text.chars().all(plain) || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        fold_chars(text.chars(), &mut out);
    } else {
        fold_chars(text.nfkc(), &mut out);
    }
    out
}

fn fold_chars(chars: impl Iterator<Item = char>, out: &mut String) {
    for c in chars {
        if c.is_ascii() {
            if !c.is_ascii_whitespace() {
                out.push(c.to_ascii_lowercase());
            }
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        match c {
            // Katakana ァ..ヶ → hiragana ぁ..ゖ (same offset).
            '\u{30A1}'..='\u{30F6}' => out.push(char::from_u32(c as u32 - 0x60).unwrap_or(c)),
            // No lower case: spares the case tables.
            c if plain(c) => out.push(c),
            _ => out.extend(c.to_lowercase()),
        }
    }
}

/// A query split into folded terms, prepared once and matched against many
/// folded haystacks.
pub struct Query {
    terms: Vec<String>,
    folded: String,
}

impl Query {
    pub fn new(query: &str) -> Query {
        Query { terms: query.split_whitespace().map(fold).filter(|t| !t.is_empty()).collect(), folded: fold(query) }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The whole query folded (whitespace removed).
    pub fn folded(&self) -> &str {
        &self.folded
    }

    /// True when every term occurs in `folded_haystack` (already folded).
    pub fn matches(&self, folded_haystack: &str) -> bool {
        !self.terms.is_empty() && self.terms.iter().all(|t| folded_haystack.contains(t.as_str()))
    }
}

/// True when every whitespace-separated term of `query` occurs in `haystack`
/// (which must already be folded).
pub fn matches_all(folded_haystack: &str, query: &str) -> bool {
    Query::new(query).matches(folded_haystack)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_variants_fold_together() {
        assert_eq!(fold("ｴｷﾃﾝ"), fold("エキテン"));
        assert_eq!(fold("えきてん"), fold("エキテン"));
        assert_eq!(fold("ＧＭＡＩＬ．ｃｏｍ"), "gmail.com");
        assert_eq!(fold("ﾎｯﾄﾍﾟｯﾊﾟｰ"), fold("ホットペッパー"));
        assert_eq!(fold("さくら 整骨院"), "さくら整骨院");
        // Decomposed sound marks compose (not taken for plain text).
        assert_eq!(fold("か\u{3099}いと\u{3099}"), fold("ガイド"));
        assert_eq!(fold("Ｗｅｂ予約"), fold("web予約"));
        assert_eq!(fold("予約、受付。「はい」"), "予約、受付。「はい」");
        assert_eq!(fold("予約\u{3000}受付"), "予約受付");
    }

    #[test]
    fn all_terms_must_match() {
        let h = fold("エキテン 掲載 ekiten.jp");
        assert!(matches_all(&h, "ｴｷﾃﾝ"));
        assert!(matches_all(&h, "えきてん EKITEN"));
        assert!(!matches_all(&h, "えきてん google"));
        assert!(!matches_all(&h, "   "));
    }
}
