//! Bearer tokens: HQ keeps only their sha256, so a copy of HQ's store
//! cannot be used to upload as a counter.

use crate::domain::upload::sha256_hex;

/// A new random token: 32 bytes from the system's secure generator (the
/// one TLS uses) as 64 hex digits.
pub fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    rustls::crypto::ring::default_provider()
        .secure_random
        .fill(&mut bytes)
        .map_err(|_| "no secure random source".to_string())?;
    Ok(crate::domain::hex::hex(&bytes))
}

/// What HQ stores and looks up.
pub fn token_sha(token: &str) -> String {
    sha256_hex(token.trim().as_bytes())
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
