//! Search normalisation for Japanese and Latin text.
//!
//! NFKC folds full-width Latin and half-width katakana (`ｴｷﾃﾝ` → `エキテン`,
//! `ＡＢＣ` → `ABC`); then letters are lower-cased, katakana is folded to
//! hiragana (`エキテン` and `えきてん` match), and whitespace is dropped so that
//! `さくら 整骨院` finds `さくら整骨院`.

use unicode_normalization::UnicodeNormalization;

pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkc() {
        if c.is_whitespace() {
            continue;
        }
        match c {
            // Katakana ァ..ヶ → hiragana ぁ..ゖ (same offset).
            '\u{30A1}'..='\u{30F6}' => out.push(char::from_u32(c as u32 - 0x60).unwrap_or(c)),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// True when every whitespace-separated term of `query` occurs in `haystack`
/// (which must already be folded).
pub fn matches_all(folded_haystack: &str, query: &str) -> bool {
    let mut any = false;
    for term in query.split_whitespace() {
        any = true;
        if !folded_haystack.contains(&fold(term)) {
            return false;
        }
    }
    any
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
