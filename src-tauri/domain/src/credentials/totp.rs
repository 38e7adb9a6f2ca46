//! RFC 6238 time-based one-time codes (SHA-1, 6 digits, 30 s), from a base32
//! secret or an `otpauth://` URI as authenticator apps export them.

use chrono::{DateTime, Utc};
use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use noren_base::error::{Error, Result};

struct Spec {
    secret: Vec<u8>,
    digits: u32,
    period: u64,
}

fn parse(input: &str) -> Result<Spec> {
    let input = input.trim();
    let (secret_text, mut digits, mut period) = if input.starts_with("otpauth://") {
        let url = url::Url::parse(input).map_err(|_| Error::invalid("totp", "not a valid otpauth:// URI"))?;
        let mut secret = None;
        let mut digits = 6;
        let mut period = 30;
        for (k, v) in url.query_pairs() {
            match k.as_ref() {
                "secret" => secret = Some(v.into_owned()),
                "digits" => digits = v.parse().map_err(|_| Error::invalid("totp", "digits must be a number"))?,
                "period" => period = v.parse().map_err(|_| Error::invalid("totp", "period must be a number"))?,
                "algorithm" if !v.eq_ignore_ascii_case("SHA1") => {
                    return Err(Error::invalid("totp", format!("algorithm {v} is not supported (only SHA1)")))
                }
                _ => {}
            }
        }
        (secret.ok_or_else(|| Error::invalid("totp", "otpauth URI has no secret"))?, digits, period)
    } else {
        (input.to_string(), 6, 30)
    };
    let cleaned: String = secret_text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_ascii_uppercase();
    let cleaned = cleaned.trim_end_matches('=');
    let secret =
        BASE32_NOPAD.decode(cleaned.as_bytes()).map_err(|_| Error::invalid("totp", "secret is not base32 (letters A–Z and digits 2–7)"))?;
    if secret.is_empty() {
        return Err(Error::invalid("totp", "secret is empty"));
    }
    if !(6..=8).contains(&digits) {
        digits = 6;
    }
    if period == 0 || period > 300 {
        period = 30;
    }
    Ok(Spec { secret, digits, period })
}

/// Checks that a TOTP secret or URI is usable.
pub fn validate(input: &str) -> Result<()> {
    parse(input).map(|_| ())
}

/// The code valid at `now` and the seconds it stays valid.
pub fn code_at(input: &str, now: DateTime<Utc>) -> Result<(String, u64)> {
    let spec = parse(input)?;
    let t = u64::try_from(now.timestamp()).map_err(|_| Error::invalid("now", "before 1970"))?;
    let counter = t / spec.period;
    let mut mac = Hmac::<Sha1>::new_from_slice(&spec.secret).map_err(|_| Error::invalid("totp", "bad key"))?;
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = usize::from(h[19] & 0x0f);
    let bin = (u32::from(h[off]) & 0x7f) << 24 | u32::from(h[off + 1]) << 16 | u32::from(h[off + 2]) << 8 | u32::from(h[off + 3]);
    let code = bin % 10u32.pow(spec.digits);
    Ok((format!("{code:0width$}", width = spec.digits as usize), spec.period - t % spec.period))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    // RFC 6238 appendix B, SHA-1 seed "12345678901234567890", 8 digits.
    const SEED_B32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn rfc6238_vectors() {
        let uri = format!("otpauth://totp/x?secret={SEED_B32}&digits=8");
        for (t, want) in [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"), (2000000000, "69279037")] {
            let (code, _) = code_at(&uri, Utc.timestamp_opt(t, 0).unwrap()).unwrap();
            assert_eq!(code, want, "t={t}");
        }
        let (six, left) = code_at(SEED_B32, Utc.timestamp_opt(59, 0).unwrap()).unwrap();
        assert_eq!(six, "287082");
        assert_eq!(left, 1);
    }

    #[test]
    fn bad_secrets_are_errors() {
        assert!(validate("not base32 !!").is_err());
        assert!(validate("otpauth://totp/x?digits=6").is_err());
        assert!(validate("").is_err());
        assert!(validate("JBSW Y3DP EHPK 3PXP").is_ok());
    }
}
