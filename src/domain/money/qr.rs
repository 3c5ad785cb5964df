//! A QR-code payment names its provider and the provider's transaction
//! number, so a disputed payment can be traced with that provider.

use crate::domain::msg::Msg;
use crate::msg;

/// The payment providers a counter QR code takes, with the words a clerk
/// may type for each (the first is how it is stored).
const PROVIDERS: &[&[&str]] = &[
    &["微信", "wx", "wechat", "weixin"],
    &["支付宝", "ali", "alipay", "zfb"],
    &["云闪付", "up", "unionpay", "ysf"],
    &["数字人民币", "ecny", "e-cny", "szrmb"],
];

/// Reads "provider transaction-number" (e.g. `微信 4200001234567`,
/// `wx 4200001234567`) into the stored form `微信 4200001234567`.
pub fn qr_reference(typed: &str) -> Result<String, Msg> {
    let typed = typed.trim();
    let (word, rest) = match typed.split_once(char::is_whitespace) {
        Some((w, r)) => (w, r.trim()),
        None => {
            // "微信4200…" without a space: the provider is the longest
            // leading name that matches.
            let found = PROVIDERS
                .iter()
                .flat_map(|names| names.iter())
                .filter(|n| typed.to_lowercase().starts_with(&n.to_lowercase()))
                .max_by_key(|n| n.len());
            match found {
                Some(n) => typed.split_at(n.len()),
                None => (typed, ""),
            }
        }
    };
    let provider = PROVIDERS
        .iter()
        .find(|names| names.iter().any(|n| n.eq_ignore_ascii_case(word)))
        .map(|names| names[0])
        .ok_or_else(|| msg!("money.qr_provider"))?;
    let number = rest.trim();
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(msg!("money.qr_number", provider = provider));
    }
    Ok(format!("{provider} {number}"))
}

#[cfg(test)]
mod tests {
    use super::qr_reference;

    #[test]
    fn a_provider_and_a_transaction_number() {
        assert_eq!(
            qr_reference("微信 4200001234").as_deref(),
            Ok("微信 4200001234")
        );
        assert_eq!(
            qr_reference("WX 4200001234").as_deref(),
            Ok("微信 4200001234")
        );
        assert_eq!(
            qr_reference("支付宝2026112422001").as_deref(),
            Ok("支付宝 2026112422001")
        );
        assert_eq!(
            qr_reference(" ysf  ABC123 ").as_deref(),
            Ok("云闪付 ABC123")
        );
        assert_eq!(
            qr_reference("4200001234").map_err(|m| m.key),
            Err("money.qr_provider")
        );
        assert_eq!(
            qr_reference("微信").map_err(|m| m.key),
            Err("money.qr_number")
        );
        assert_eq!(
            qr_reference("微信 42-00").map_err(|m| m.key),
            Err("money.qr_number")
        );
        assert_eq!(
            qr_reference("").map_err(|m| m.key),
            Err("money.qr_provider")
        );
    }
}
