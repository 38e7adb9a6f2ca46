//! The outer structure of a KDBX 3.1 or 4 file, checked with every length
//! bounded before the `keepass` crate reads it: that crate indexes the header
//! fields, the KDF parameters and the block stream without checking (a file
//! truncated to 200 bytes panicked in `kdbx3.rs:59`). Also refused here: key
//! derivation asking for more work than a real database does (a hostile file
//! must not keep the import busy for hours or take gigabytes).

use noren_base::error::{Error, Result};

const SIG1: [u8; 4] = [0x03, 0xd9, 0xa2, 0x9a];
const SIG2_KDBX: u32 = 0xb54b_fb67;
const SIG2_KDB1: u32 = 0xb54b_fb65;

/// AES-KDF rounds: KeePassXC's "1 s" on a fast machine is a few tens of millions.
pub const MAX_AES_ROUNDS: u64 = 500_000_000;
/// Argon2 memory: KeePassXC offers up to 1 GiB.
pub const MAX_ARGON2_MEMORY: u64 = 2 << 30;
pub const MAX_ARGON2_ITERATIONS: u64 = 1000;
pub const MAX_ARGON2_PARALLELISM: u64 = 256;

const AES_KDF: [u8; 16] = [0xc9, 0xd9, 0xf3, 0x9a, 0x62, 0x8a, 0x44, 0x60, 0xbf, 0x74, 0x0d, 0x08, 0xc1, 0x8a, 0x4f, 0xea];
const ARGON2D: [u8; 16] = [0xef, 0x63, 0x6d, 0xdf, 0x8c, 0x29, 0x44, 0x4b, 0x91, 0xf7, 0xa9, 0xa4, 0x03, 0xe3, 0x0a, 0x0c];
const ARGON2ID: [u8; 16] = [0x9e, 0x29, 0x8b, 0x19, 0x56, 0xdb, 0x47, 0x73, 0xb2, 0x3d, 0xfc, 0x3e, 0xc6, 0xf0, 0xa1, 0xe6];

fn bad(reason: impl Into<String>) -> Error {
    Error::invalid("file", format!("not a readable KeePass database: {}", reason.into()))
}

fn truncated() -> Error {
    bad("the file is cut short")
}

/// A bounds-checked reader over the file.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).ok_or_else(truncated)?;
        let s = self.bytes.get(self.pos..end).ok_or_else(truncated)?;
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

fn le_u64(b: &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(b.try_into().ok()?))
}
fn le_u32(b: &[u8]) -> Option<u32> {
    Some(u32::from_le_bytes(b.try_into().ok()?))
}

/// What the file's key derivation asks for before it can be opened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KdfWork {
    /// AES-KDF rounds (KDBX 3.1, or 4 with AES-KDF).
    pub aes_rounds: u64,
    /// Argon2 memory in KiB times its iterations.
    pub argon2_kib_passes: u64,
}

/// The format version (3 or 4) when the file's outer structure holds.
pub fn check(bytes: &[u8]) -> Result<u16> {
    inspect(bytes).map(|(version, _)| version)
}

/// The work the key derivation of a file that passes [`check`] asks for.
pub fn kdf_work(bytes: &[u8]) -> Result<KdfWork> {
    inspect(bytes).map(|(_, work)| work)
}

fn inspect(bytes: &[u8]) -> Result<(u16, KdfWork)> {
    let mut c = Cursor { bytes, pos: 0 };
    if c.take(4).map_err(|_| bad("too short to be a KeePass file"))? != SIG1 {
        return Err(bad("not a KeePass file"));
    }
    let sig2 = c.u32().map_err(|_| bad("too short to be a KeePass file"))?;
    if sig2 == SIG2_KDB1 {
        return Err(bad("a KeePass 1 (.kdb) file: open it in KeePassXC and save it as .kdbx first"));
    }
    if sig2 != SIG2_KDBX {
        return Err(bad("not a KeePass 2 (.kdbx) file"));
    }
    let _minor = c.u16()?;
    match c.u16()? {
        3 => check_v3(&mut c).map(|w| (3, w)),
        4 => check_v4(&mut c).map(|w| (4, w)),
        v => Err(bad(format!("KDBX version {v} (Noren reads 3.1 and 4)"))),
    }
}

fn check_v3(c: &mut Cursor<'_>) -> Result<KdfWork> {
    let mut seen = [false; 11];
    let mut work = KdfWork::default();
    loop {
        let kind = c.u8()?;
        let len = c.u16()? as usize;
        let data = c.take(len)?;
        let want = match kind {
            0 => break,
            1 => None,
            2 => Some(16),
            3 | 10 => Some(4),
            4 | 5 | 9 => Some(32),
            6 => Some(8),
            7 => {
                if !(len == 12 || len == 16) {
                    return Err(bad("a damaged header (encryption IV)"));
                }
                None
            }
            8 => {
                if len == 0 {
                    return Err(bad("a damaged header (stream key)"));
                }
                None
            }
            k => return Err(bad(format!("a damaged header (unknown field {k})"))),
        };
        if want.is_some_and(|w| w != len) {
            return Err(bad(format!("a damaged header (field {kind} has {len} bytes)")));
        }
        if kind == 6 {
            work.aes_rounds = le_u64(data).unwrap_or(u64::MAX);
            if work.aes_rounds > MAX_AES_ROUNDS {
                return Err(bad("its key derivation asks for more rounds than Noren allows"));
            }
        }
        seen[kind as usize] = true;
    }
    for (k, what) in
        [(2, "cipher"), (3, "compression"), (4, "master seed"), (5, "transform seed"), (6, "rounds"), (7, "IV"), (9, "start bytes")]
    {
        if !seen[k] {
            return Err(bad(format!("a damaged header (no {what})")));
        }
    }
    if c.pos >= c.bytes.len() {
        return Err(truncated());
    }
    Ok(work)
}

fn check_v4(c: &mut Cursor<'_>) -> Result<KdfWork> {
    let mut seen = [false; 13];
    let mut work = KdfWork::default();
    loop {
        let kind = c.u8()?;
        let len = c.u32()? as usize;
        let data = c.take(len)?;
        let want = match kind {
            0 => break,
            1 | 7 | 11 | 12 => None,
            2 => Some(16),
            3 => Some(4),
            4 => Some(32),
            k => return Err(bad(format!("a damaged header (unknown field {k})"))),
        };
        if want.is_some_and(|w| w != len) {
            return Err(bad(format!("a damaged header (field {kind} has {len} bytes)")));
        }
        match kind {
            7 if !(len == 12 || len == 16) => return Err(bad("a damaged header (encryption IV)")),
            11 => work = check_kdf(data)?,
            12 => {
                dictionary(data)?;
            }
            _ => {}
        }
        seen[kind as usize] = true;
    }
    for (k, what) in [(2, "cipher"), (3, "compression"), (4, "master seed"), (7, "IV"), (11, "key derivation")] {
        if !seen[k] {
            return Err(bad(format!("a damaged header (no {what})")));
        }
    }
    // Header hash and header MAC, then blocks of [MAC 32][length 4][data] ending with an empty one.
    c.take(64)?;
    loop {
        c.take(32)?;
        let len = c.u32()? as usize;
        if len == 0 {
            return Ok(work);
        }
        c.take(len)?;
    }
}

/// One entry of a KDBX 4 variant dictionary: (name, type, value).
type Entry<'a> = (&'a [u8], u8, &'a [u8]);

fn dictionary(data: &[u8]) -> Result<Vec<Entry<'_>>> {
    let mut c = Cursor { bytes: data, pos: 0 };
    let version = c.u16()?;
    if version >> 8 != 1 {
        return Err(bad("a damaged header (parameter list version)"));
    }
    let mut out = Vec::new();
    loop {
        let kind = c.u8()?;
        if kind == 0 {
            return Ok(out);
        }
        let klen = c.u32()? as usize;
        let key = c.take(klen)?;
        let vlen = c.u32()? as usize;
        let value = c.take(vlen)?;
        let fixed = match kind {
            0x04 | 0x0c => Some(4),
            0x05 | 0x0d => Some(8),
            0x08 => Some(1),
            0x18 | 0x42 => None,
            k => return Err(bad(format!("a damaged header (parameter type {k:#x})"))),
        };
        if fixed.is_some_and(|f| f != vlen) {
            return Err(bad("a damaged header (parameter size)"));
        }
        if kind == 0x18 && std::str::from_utf8(value).is_err() {
            return Err(bad("a damaged header (parameter text)"));
        }
        out.push((key, kind, value));
    }
}

fn check_kdf(data: &[u8]) -> Result<KdfWork> {
    let mut work = KdfWork::default();
    let entries = dictionary(data)?;
    let get = |name: &str, kind: u8| entries.iter().find(|(k, t, _)| *k == name.as_bytes() && *t == kind).map(|(_, _, v)| *v);
    let uuid = get("$UUID", 0x42).ok_or_else(|| bad("a damaged header (no key derivation)"))?;
    let num = |name: &str| get(name, 0x05).and_then(le_u64);
    if uuid == AES_KDF {
        let rounds = num("R").ok_or_else(|| bad("a damaged header (no rounds)"))?;
        if rounds > MAX_AES_ROUNDS {
            return Err(bad("its key derivation asks for more rounds than Noren allows"));
        }
        if get("S", 0x42).map(<[u8]>::len) != Some(32) {
            return Err(bad("a damaged header (seed)"));
        }
        work.aes_rounds = rounds;
    } else if uuid == ARGON2D || uuid == ARGON2ID {
        let memory = num("M").ok_or_else(|| bad("a damaged header (no Argon2 memory)"))?;
        let iterations = num("I").ok_or_else(|| bad("a damaged header (no Argon2 iterations)"))?;
        let lanes = get("P", 0x04).and_then(le_u32).ok_or_else(|| bad("a damaged header (no Argon2 lanes)"))? as u64;
        let version = get("V", 0x04).and_then(le_u32).ok_or_else(|| bad("a damaged header (no Argon2 version)"))?;
        if get("S", 0x42).is_none_or(<[u8]>::is_empty) {
            return Err(bad("a damaged header (no Argon2 salt)"));
        }
        if !(version == 0x10 || version == 0x13) || lanes == 0 || iterations == 0 || memory < 8 * 1024 * lanes {
            return Err(bad("a damaged header (Argon2 parameters)"));
        }
        if memory > MAX_ARGON2_MEMORY || iterations > MAX_ARGON2_ITERATIONS || lanes > MAX_ARGON2_PARALLELISM {
            return Err(bad("its key derivation asks for more memory or work than Noren allows"));
        }
        work.argon2_kib_passes = (memory / 1024) * iterations;
    } else {
        return Err(bad("an unknown key derivation"));
    }
    Ok(work)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn v3(fields: &[(u8, Vec<u8>)], tail: &[u8]) -> Vec<u8> {
        let mut b = SIG1.to_vec();
        b.extend(SIG2_KDBX.to_le_bytes());
        b.extend([1, 0, 3, 0]);
        for (k, v) in fields {
            b.push(*k);
            b.extend((v.len() as u16).to_le_bytes());
            b.extend(v);
        }
        b.extend(tail);
        b
    }

    fn good_v3_fields(rounds: u64) -> Vec<(u8, Vec<u8>)> {
        vec![
            (2, vec![0; 16]),
            (3, vec![1, 0, 0, 0]),
            (4, vec![0; 32]),
            (5, vec![0; 32]),
            (6, rounds.to_le_bytes().to_vec()),
            (7, vec![0; 16]),
            (8, vec![0; 32]),
            (9, vec![0; 32]),
            (10, vec![2, 0, 0, 0]),
            (0, vec![13, 10, 13, 10]),
        ]
    }

    #[test]
    fn a_sound_kdbx3_header_passes_and_every_cut_of_it_fails() {
        let good = v3(&good_v3_fields(60_000), &[0; 32]);
        assert_eq!(check(&good).unwrap(), 3);
        assert_eq!(kdf_work(&good).unwrap(), KdfWork { aes_rounds: 60_000, argon2_kib_passes: 0 });
        // Cut anywhere in the header (or right after it: no payload), it is refused.
        for n in 0..=good.len() - 32 {
            assert!(check(&good[..n]).is_err(), "cut at {n}");
        }
    }

    #[test]
    fn wrong_sizes_kdb1_and_excessive_work_are_refused() {
        let mut f = good_v3_fields(60_000);
        f[2].1.truncate(3);
        assert!(check(&v3(&f, &[0; 32])).is_err());
        assert!(check(&v3(&good_v3_fields(u64::MAX), &[0; 32])).unwrap_err().to_string().contains("more rounds"));
        let mut kdb = SIG1.to_vec();
        kdb.extend(SIG2_KDB1.to_le_bytes());
        kdb.extend([0; 120]);
        assert!(check(&kdb).unwrap_err().to_string().contains("KeePass 1"));
        assert!(check(b"PK\x03\x04 a zip file").is_err());
    }

    #[test]
    fn kdf_dictionaries_are_bounded() {
        let mut d = vec![0x00, 0x01];
        let mut item = |kind: u8, key: &str, value: &[u8]| {
            d.push(kind);
            d.extend((key.len() as u32).to_le_bytes());
            d.extend(key.as_bytes());
            d.extend((value.len() as u32).to_le_bytes());
            d.extend(value);
        };
        item(0x42, "$UUID", &ARGON2ID);
        item(0x05, "M", &(64u64 << 20).to_le_bytes());
        item(0x05, "I", &3u64.to_le_bytes());
        item(0x04, "P", &2u32.to_le_bytes());
        item(0x04, "V", &0x13u32.to_le_bytes());
        item(0x42, "S", &[7; 32]);
        d.push(0);
        assert_eq!(check_kdf(&d).unwrap(), KdfWork { aes_rounds: 0, argon2_kib_passes: 64 * 1024 * 3 });
        for n in 0..d.len() {
            assert!(check_kdf(&d[..n]).is_err(), "cut at {n}");
        }
        // A length field pointing past the end.
        let mut huge = d.clone();
        huge[3..7].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(check_kdf(&huge).is_err());
    }
}
