//! Prints the median time in ms of the store's key derivation (Argon2id with
//! the default parameters), for scripts that calibrate other tools to it.

use std::time::Instant;

use noren_core::crypto::{self, KdfParams};
use noren_core::SecretString;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pass = SecretString::new("benchmark passphrase");
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        crypto::derive_kek(&pass, b"0123456789abcdef", KdfParams::DEFAULT)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!("{:.0}", times[2]);
    Ok(())
}
