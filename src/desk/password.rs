//! Password hashing with Argon2id (memory-hard), PHC strings in the database.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::domain::msg::Msg;
use crate::msg;

/// Shortest password accepted.
pub const MIN_LEN: usize = 8;

/// Hashes a new password after checking it is long enough.
pub fn hash(password: &str) -> Result<String, Msg> {
    if password.chars().count() < MIN_LEN {
        return Err(msg!("auth.password_short", min = MIN_LEN));
    }
    if password.chars().count() > 256 {
        return Err(msg!("auth.password_long", max = 256));
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| msg!("auth.hash_failed", detail = e))
}

/// Whether `password` matches the stored PHC string; a damaged hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    if password.len() > 1024 {
        return false;
    }
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let h = hash("correct horse").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse", &h));
        assert!(!verify("correct horsf", &h));
        assert!(!verify("x", "not a hash"));
        assert_eq!(hash("short").map_err(|m| m.key), Err("auth.password_short"));
    }
}
