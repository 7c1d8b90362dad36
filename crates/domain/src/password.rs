//! Passwords: argon2id hashes, the policy of ASVS 2.1 (12 to 128 characters of any kind, and
//! not guessable), and one-time passwords for new accounts.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::{Rng, RngCore};

use crate::ErrorCode;
use crate::error::{FieldError, Invalid};

/// Fewest characters in a password (ASVS 2.1.1).
pub const MIN_LEN: usize = 12;
/// Most characters in a password (argon2 has no limit; this keeps requests small).
pub const MAX_LEN: usize = 128;

fn hasher() -> Argon2<'static> {
    // OWASP's argon2id floor: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashing failed (it does not, short of running out of memory).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// Hashes a password with argon2id and a fresh salt (PHC string).
pub fn hash(password: &str) -> Result<String, HashError> {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let salt = SaltString::encode_b64(&bytes).map_err(|e| HashError(e.to_string()))?;
    hasher().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| HashError(e.to_string()))
}

/// Whether `password` matches the stored PHC hash.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| hasher().verify_password(password.as_bytes(), &h).is_ok())
}

/// The policy for a new password chosen by a user.
pub fn check_new(field: &str, password: &str, login: &str) -> Result<(), Invalid> {
    let len = password.chars().count();
    let code = if len < MIN_LEN {
        Some(FieldError::new(field, ErrorCode::PasswordTooShort).with_limit(MIN_LEN as i64))
    } else if len > MAX_LEN {
        Some(FieldError::new(field, ErrorCode::TooLong).with_limit(MAX_LEN as i64))
    } else if password.to_lowercase().contains(&login.to_lowercase()) {
        Some(FieldError::new(field, ErrorCode::PasswordContainsLogin))
    } else if zxcvbn::zxcvbn(password, &[login]).score() < zxcvbn::Score::Three {
        // Repeats, sequences, keyboard walks, dates and the common passwords and words zxcvbn
        // knows: guessable in fewer than 10^8 tries (ASVS 2.1.7).
        Some(FieldError::new(field, ErrorCode::PasswordWeak))
    } else {
        None
    };
    code.map_or(Ok(()), |e| Err(Invalid(vec![e])))
}

/// A random one-time password of 14 unambiguous characters, to be changed at first login.
pub fn one_time() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..14).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("Құпиясөз-2024").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Құпиясөз-2024", &h));
        assert!(!verify("құпиясөз-2024", &h));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn policy_rejects_short_and_login_containing_passwords() {
        assert_eq!(check_new("p", "short", "aigul").unwrap_err().0[0].code, ErrorCode::PasswordTooShort);
        assert_eq!(check_new("p", "тұрақты-1", "aigul").unwrap_err().0[0].code, ErrorCode::PasswordTooShort);
        assert_eq!(check_new("p", "xxAigul2024xx", "aigul").unwrap_err().0[0].code, ErrorCode::PasswordContainsLogin);
        assert!(check_new("p", "тұрақты-құпия", "aigul").is_ok());
        assert_eq!(check_new("p", &"я".repeat(129), "aigul").unwrap_err().0[0].code, ErrorCode::TooLong);
        assert_eq!(one_time().len(), 14);
    }

    #[test]
    fn policy_rejects_guessable_passwords_of_any_length() {
        for weak in ["aaaaaaaaaaaa", "123456789012", "password1234", "qwertyuiop12", "1234567890aa", "Password2026!"] {
            let err = check_new("p", weak, "aigul").expect_err(weak);
            assert_eq!(err.0[0].code, ErrorCode::PasswordWeak, "{weak}");
        }
        for strong in ["Тест-пароль-2026", "Жаңа-құпиясөз-1", "Нан-2026-тамыз", "correct horse battery staple"]
        {
            assert!(check_new("p", strong, "aigul").is_ok(), "{strong}");
        }
        // One-time passwords pass the policy they are replaced under.
        for _ in 0..50 {
            assert!(check_new("p", &one_time(), "aigul").is_ok());
        }
    }
}
