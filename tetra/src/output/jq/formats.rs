//! The encodings behind jq's format strings `@uri`, `@base32` and `@base64d`.

use jaq_json::Val;

use super::text::jq_text;

/// jq's `@uri`: everything but `A-Za-z0-9-_.!~*'()` as `%XX`.
pub(super) fn uri_encode(v: &Val) -> Val {
    let bytes = jaq_std::ValT::as_bytes(v).unwrap_or_default();
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Val::from(out)
}

/// `@base32`: RFC 4648 with padding.
pub(super) fn base32_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for chunk in bytes.chunks(5) {
        let mut block = [0u8; 5];
        block[..chunk.len()].copy_from_slice(chunk);
        let bits = block.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
        let used = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < used {
                out.push(ALPHABET[(bits >> (35 - 5 * i) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// jq's `@base64d`: decoding stops at the first `=`, padding is optional,
/// and bytes that are not UTF-8 become U+FFFD as in every jq string.
pub(super) fn base64_decode(text: &[u8]) -> Result<Val, &'static str> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut code, mut read) = (0u32, 0);
    for &c in text.iter().take_while(|c| **c != b'=') {
        let sextet = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err("is not valid base64 data"),
        };
        code = code << 6 | u32::from(sextet);
        read += 1;
        if read == 4 {
            out.extend_from_slice(&code.to_be_bytes()[1..]);
            (code, read) = (0, 0);
        }
    }
    match read {
        3 => out.extend_from_slice(&(code << 6).to_be_bytes()[1..3]),
        2 => out.push((code >> 4) as u8),
        1 => return Err("trailing base64 byte found"),
        _ => {}
    }
    Ok(Val::from(jq_text(&out).into_owned()))
}
