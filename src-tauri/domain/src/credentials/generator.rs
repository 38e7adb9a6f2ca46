//! Password generator: random characters from chosen sets, or pronounceable
//! romaji words that are easy to read out over the phone.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use noren_base::error::{Error, Result};
use noren_base::secret::SecretString;
use noren_store::crypto::random_bytes;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "mode", rename_all = "snake_case")]
#[ts(export)]
pub enum GeneratorSpec {
    Chars { length: usize, lower: bool, upper: bool, digits: bool, symbols: bool, avoid_ambiguous: bool },
    Words { count: usize, separator: String },
}

impl Default for GeneratorSpec {
    fn default() -> Self {
        GeneratorSpec::Chars { length: 20, lower: true, upper: true, digits: true, symbols: true, avoid_ambiguous: true }
    }
}

const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &str = "0123456789";
const SYMBOLS: &str = "!#$%&*+-=?@^_~";
const AMBIGUOUS: &str = "Il1O0o";
const CONSONANTS: [&str; 14] = ["k", "s", "t", "n", "h", "m", "y", "r", "w", "g", "z", "d", "b", "p"];
const VOWELS: [&str; 5] = ["a", "i", "u", "e", "o"];

/// Uniform index below `n` by rejection sampling (no modulo bias).
fn uniform(n: usize) -> Result<usize> {
    let n = u32::try_from(n).map_err(|_| Error::invalid("generator", "set too large"))?;
    if n == 0 {
        return Err(Error::invalid("generator", "empty set"));
    }
    let zone = u32::MAX - (u32::MAX % n);
    loop {
        let v = u32::from_le_bytes(random_bytes::<4>()?);
        if v < zone {
            return Ok((v % n) as usize);
        }
    }
}

/// A generated password and its entropy in bits.
pub fn generate(spec: &GeneratorSpec) -> Result<(SecretString, f64)> {
    match spec {
        GeneratorSpec::Chars { length, lower, upper, digits, symbols, avoid_ambiguous } => {
            if !(4..=256).contains(length) {
                return Err(Error::invalid("length", "must be between 4 and 256"));
            }
            let mut sets: Vec<Vec<char>> = Vec::new();
            for (on, set) in [(*lower, LOWER), (*upper, UPPER), (*digits, DIGITS), (*symbols, SYMBOLS)] {
                if on {
                    sets.push(set.chars().filter(|c| !(*avoid_ambiguous && AMBIGUOUS.contains(*c))).collect());
                }
            }
            if sets.is_empty() {
                return Err(Error::invalid("generator", "choose at least one character set"));
            }
            let all: Vec<char> = sets.iter().flatten().copied().collect();
            // Redraw until every chosen set is represented (sites often demand it).
            loop {
                let mut pw = String::with_capacity(*length);
                for _ in 0..*length {
                    pw.push(all[uniform(all.len())?]);
                }
                if *length < sets.len() || sets.iter().all(|s| pw.chars().any(|c| s.contains(&c))) {
                    let bits = *length as f64 * (all.len() as f64).log2();
                    return Ok((SecretString::new(pw), bits));
                }
            }
        }
        GeneratorSpec::Words { count, separator } => {
            if !(3..=12).contains(count) {
                return Err(Error::invalid("words", "must be between 3 and 12"));
            }
            if separator.chars().count() > 3 {
                return Err(Error::invalid("separator", "at most 3 characters"));
            }
            let syllables = CONSONANTS.len() * VOWELS.len();
            let mut words = Vec::with_capacity(*count);
            for _ in 0..*count {
                let mut w = String::new();
                for _ in 0..3 {
                    w.push_str(CONSONANTS[uniform(CONSONANTS.len())?]);
                    w.push_str(VOWELS[uniform(VOWELS.len())?]);
                }
                words.push(w);
            }
            let bits = (*count * 3) as f64 * (syllables as f64).log2();
            Ok((SecretString::new(words.join(separator)), bits))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chars_respect_length_and_sets() {
        let spec = GeneratorSpec::Chars { length: 32, lower: true, upper: false, digits: true, symbols: false, avoid_ambiguous: true };
        for _ in 0..50 {
            let (pw, bits) = generate(&spec).unwrap();
            assert_eq!(pw.expose().chars().count(), 32);
            assert!(pw.expose().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
            assert!(pw.expose().chars().any(|c| c.is_ascii_digit()));
            assert!(!pw.expose().contains(['l', '1', 'o', '0']));
            assert!(bits > 150.0);
        }
        let (a, _) = generate(&GeneratorSpec::default()).unwrap();
        let (b, _) = generate(&GeneratorSpec::default()).unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn strength_orders_passwords() {
        let weak = strength(&SecretString::new("password1"), &[]);
        let shop = strength(&SecretString::new("sakura2026"), &["sakura"]);
        let strong = strength(&SecretString::new("tuba-miso-keri-hodo-nase"), &[]);
        assert!(weak.score <= 1, "{weak:?}");
        assert!(shop.score <= 2, "{shop:?}");
        assert!(strong.score >= 3, "{strong:?}");
        assert_eq!(strength(&SecretString::default(), &[]).score, 0);
    }

    #[test]
    fn words_mode_and_bad_specs() {
        let (pw, bits) = generate(&GeneratorSpec::Words { count: 5, separator: "-".into() }).unwrap();
        assert_eq!(pw.expose().split('-').count(), 5);
        assert!(bits > 90.0);
        assert!(generate(&GeneratorSpec::Chars {
            length: 2,
            lower: true,
            upper: true,
            digits: true,
            symbols: true,
            avoid_ambiguous: false
        })
        .is_err());
        assert!(generate(&GeneratorSpec::Chars {
            length: 12,
            lower: false,
            upper: false,
            digits: false,
            symbols: false,
            avoid_ambiguous: false
        })
        .is_err());
        assert!(generate(&GeneratorSpec::Words { count: 1, separator: "-".into() }).is_err());
    }
}

/// How hard a password is to guess (zxcvbn estimate), for the strength meter.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Strength {
    /// 0 (guessed at once) … 4 (very strong).
    pub score: u8,
    pub guesses_log10: f64,
}

/// Estimates strength; `context` holds words that make a guess easier (shop name…).
pub fn strength(password: &SecretString, context: &[&str]) -> Strength {
    if password.is_empty() {
        return Strength { score: 0, guesses_log10: 0.0 };
    }
    // zxcvbn is quadratic in the length; past 256 characters the score is maximal anyway.
    let text: String = password.expose().chars().take(256).collect();
    let z = zxcvbn::zxcvbn(&text, context);
    let text = SecretString::new(text);
    drop(text);
    Strength { score: u8::from(z.score()), guesses_log10: (z.guesses_log10() * 10.0).round() / 10.0 }
}
