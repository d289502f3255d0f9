//! jq strings: bytes read as jq reads UTF-8.

use std::borrow::Cow;

/// Bytes as a jq string: valid UTF-8 as it is; otherwise each bad sequence
/// becomes U+FFFD the way jq's `jvp_utf8_next` reads it (a lead byte whose
/// sequence runs past the end swallows the rest, for instance).
pub(super) fn jq_text(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.into();
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    let mut i = 0;
    while i < bytes.len() {
        let first = bytes[i];
        let (len, bits) = match first {
            0x00..=0x7f => (1, u32::from(first)),
            0xc2..=0xdf => (2, u32::from(first & 0x1f)),
            0xe0..=0xef => (3, u32::from(first & 0x0f)),
            0xf0..=0xf4 => (4, u32::from(first & 0x07)),
            _ => (0, 0),
        };
        let (taken, codepoint) = if len == 0 {
            (1, None)
        } else if i + len > bytes.len() {
            (bytes.len() - i, None)
        } else {
            let mut cp = bits;
            let mut taken = len;
            for (k, &b) in bytes[i + 1..i + len].iter().enumerate() {
                if b & 0xc0 != 0x80 {
                    taken = k + 1;
                    break;
                }
                cp = cp << 6 | u32::from(b & 0x3f);
            }
            let min = [0, 0, 0x80, 0x800, 0x10000][len];
            let ok = taken == len && cp >= min;
            (taken, ok.then(|| char::from_u32(cp)).flatten())
        };
        out.push(codepoint.unwrap_or('\u{fffd}'));
        i += taken;
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::jq::testing::c;

    #[test]
    fn bad_utf8_becomes_replacement_characters_as_in_jq() {
        assert_eq!(jq_text(b"a\xffb"), "a\u{fffd}b");
        // A lead byte whose sequence runs past the end swallows the rest.
        assert_eq!(jq_text(b"\x9e\xe9e"), "\u{fffd}\u{fffd}");
        assert_eq!(jq_text(b"\xe9ex"), "\u{fffd}ex");
        assert_eq!(c("@base64d", r#""null""#), "\"\u{fffd}\u{fffd}\"\n");
    }
}
