//! Operators against argument types, and filter values against operators and types.

use std::net::IpAddr;

use super::Validator;
use crate::arg_type::{ArgType, IntWidth};
use crate::capabilities::Capability;
use crate::limits::{MAX_INLINE_INT_VALUES, MAX_STRING_VALUE_LEN, MAX_STRING_VALUES};
use crate::selectors::{ArgOp, ArgSelector};
use crate::yaml::{parse_int, shorten};

/// File types the FileType operators take, as upstream names them.
const FILE_TYPES: &[&str] = &[
    "sock", "socket", "lnk", "link", "reg", "regular", "blk", "block", "dir", "chr", "char",
    "fifo", "pipe",
];

/// What the operator applies to, for the hint when it is used on the wrong type.
fn applies_to(op: ArgOp) -> String {
    let what = match op {
        ArgOp::Equal | ArgOp::NotEqual => "string-like, integer and capability-set types",
        o if o.is_string_op() => {
            "string-like types: string, char_buf, char_iovec, fd, filename, file, path, dentry, linux_binprm, data_loc, net_device, sockaddr_un"
        }
        ArgOp::Mask => "integer and capability-set types",
        o if o.is_integer_op() => {
            "integer types: int, int8, uint8, int16, uint16, int32, uint32, int64, uint64, size_t, long"
        }
        ArgOp::Family => "sock, socket, skb, sockaddr and sockaddr_un",
        o if o.is_socket_op() => "sock, socket, skb and sockaddr",
        ArgOp::CapabilitiesGained => {
            "kernel_cap_t, cap_inheritable, cap_permitted and cap_effective"
        }
        ArgOp::FileType | ArgOp::NotFileType => "fd, file, path, dentry and linux_binprm",
        _ => "every type",
    };
    format!("{} applies to {what}", op.name())
}

/// Whether `op` can compare an argument of type `ty`.
fn applies(op: ArgOp, ty: ArgType) -> bool {
    match op {
        ArgOp::Equal | ArgOp::NotEqual => {
            ty.is_string_like() || ty.is_integer() || ty.is_capability_set()
        }
        o if o.is_string_op() => ty.is_string_like(),
        ArgOp::Mask => ty.is_integer() || ty.is_capability_set(),
        o if o.is_integer_op() => ty.is_integer(),
        ArgOp::Family => ty.is_socket() || ty == ArgType::SockaddrUn,
        o if o.is_socket_op() => {
            ty.is_socket()
                && !(ty == ArgType::Sockaddr
                    && matches!(
                        o,
                        ArgOp::DPort
                            | ArgOp::NotDPort
                            | ArgOp::DPortPriv
                            | ArgOp::NotDPortPriv
                            | ArgOp::DAddr
                            | ArgOp::NotDAddr
                            | ArgOp::Protocol
                            | ArgOp::State
                    ))
        }
        ArgOp::CapabilitiesGained => ty.is_capability_set(),
        ArgOp::FileType | ArgOp::NotFileType => ty.is_file(),
        _ => true,
    }
}

impl Validator<'_> {
    /// Checks a filter's operator against the argument type (when known) and its values.
    pub(super) fn filter_values(
        &mut self,
        p: &str,
        m: &ArgSelector,
        ty: Option<ArgType>,
        desc: &str,
    ) {
        let op = m.operator;
        let vp = format!("{p}.values");
        if op.takes_no_values() {
            if !m.values.is_empty() {
                self.err(
                    &vp,
                    format!("operator `{}` takes no values", op.name()),
                    None,
                );
            }
        } else if m.values.is_empty() && !self.bad(&vp) {
            self.err(
                p,
                format!("operator `{}` needs at least one value", op.name()),
                None,
            );
        }
        if op.is_inline() && m.values.len() > MAX_INLINE_INT_VALUES {
            self.err(
                &vp,
                format!(
                    "too many values for operator `{}`: {} (at most {MAX_INLINE_INT_VALUES})",
                    op.name(),
                    m.values.len()
                ),
                Some("use InMap or NotInMap for longer sets".into()),
            );
        } else if m.values.len() > MAX_STRING_VALUES {
            self.err(
                &vp,
                format!(
                    "too many values: {} (at most {MAX_STRING_VALUES})",
                    m.values.len()
                ),
                None,
            );
        }
        let Some(ty) = ty else { return };
        if !applies(op, ty) {
            self.err(
                &format!("{p}.operator"),
                format!("operator `{}` does not apply to {desc}", op.name()),
                Some(applies_to(op)),
            );
            return;
        }
        for (i, v) in m.values.iter().enumerate() {
            let ip = format!("{vp}[{i}]");
            if self.bad(&ip) {
                continue;
            }
            if let Some((message, hint)) = self.check_value(op, ty, v) {
                self.err(&ip, message, hint);
            }
        }
    }

    /// The problem with value `v` for `op` on type `ty`, if any.
    fn check_value(&self, op: ArgOp, ty: ArgType, v: &str) -> Option<(String, Option<String>)> {
        let width = ty.int_width();
        match op {
            _ if op.is_port_op() => {
                let ok = match v.split_once(':') {
                    Some((a, b)) => port(a) && port(b),
                    None => port(v),
                };
                (!ok).then(|| {
                    (
                        format!("invalid port `{}`", shorten(v)),
                        Some("expected a port (0 to 65535) or a range min:max".into()),
                    )
                })
            }
            _ if op.is_addr_op() => (!is_addr_or_cidr(v)).then(|| {
                (
                    format!("invalid address `{}`", shorten(v)),
                    Some("expected an IP address or a CIDR such as 10.0.0.0/8".into()),
                )
            }),
            ArgOp::Protocol | ArgOp::Family | ArgOp::State => {
                let ok = parse_int(v).is_some_and(|n| n >= 0)
                    || (!v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
                (!ok).then(|| {
                    (
                        format!("invalid {} value `{}`", op.name(), shorten(v)),
                        None,
                    )
                })
            }
            ArgOp::CapabilitiesGained => capability_value(v, false),
            ArgOp::FileType | ArgOp::NotFileType => (!FILE_TYPES.contains(&v)).then(|| {
                (
                    format!("unknown file type `{}`", shorten(v)),
                    Some(format!("expected one of {}", FILE_TYPES.join(", "))),
                )
            }),
            ArgOp::CelExpr => None,
            ArgOp::InRange | ArgOp::NotInRange => {
                let w = width?;
                match v.split_once(':') {
                    Some((a, b)) => int_value(a.trim(), ty, w, false)
                        .or_else(|| int_value(b.trim(), ty, w, false)),
                    None => Some((
                        format!("value `{}` is not a range", shorten(v)),
                        Some("write ranges as min:max".into()),
                    )),
                }
            }
            ArgOp::InMap | ArgOp::NotInMap => {
                let w = width?;
                if let Some(name) = v.strip_prefix("list:") {
                    return match self.spec().list(name) {
                        None => Some((
                            format!("`{}` names no list in spec.lists", shorten(v)),
                            None,
                        )),
                        Some(l) if !l.ty.is_syscalls() => Some((
                            format!("list `{}` is not a syscalls list", shorten(name)),
                            Some("InMap takes lists of type syscalls or generated_syscalls".into()),
                        )),
                        Some(_) => None,
                    };
                }
                match v.split_once(':') {
                    Some((a, b)) => int_value(a.trim(), ty, w, false)
                        .or_else(|| int_value(b.trim(), ty, w, false)),
                    None => int_value(v, ty, w, false),
                }
            }
            _ if ty.is_capability_set() => capability_value(v, true),
            _ if ty.is_integer() => int_value(v, ty, width?, op == ArgOp::Mask),
            _ => (v.len() > MAX_STRING_VALUE_LEN).then(|| {
                (
                    format!(
                        "value is {} bytes long (at most {MAX_STRING_VALUE_LEN})",
                        v.len()
                    ),
                    None,
                )
            }),
        }
    }
}

/// The problem with integer value `v` for type `ty`, if any. Masks may use the whole
/// unsigned range of the width.
fn int_value(v: &str, ty: ArgType, w: IntWidth, mask: bool) -> Option<(String, Option<String>)> {
    let Some(n) = parse_int(v.trim()) else {
        return Some((format!("value `{}` is not an integer", shorten(v)), None));
    };
    let max = if mask {
        IntWidth {
            bits: w.bits,
            signed: false,
        }
        .max()
    } else {
        w.max()
    };
    if n < w.min() || n > max {
        return Some((
            format!(
                "value `{}` is out of range for {} ({} to {max})",
                shorten(v),
                ty.name(),
                w.min()
            ),
            None,
        ));
    }
    None
}

/// A capability name (or, for capability sets compared with Equal/Mask, a number).
fn capability_value(v: &str, numbers: bool) -> Option<(String, Option<String>)> {
    if Capability::from_name(v).is_some() || (numbers && parse_int(v).is_some_and(|n| n >= 0)) {
        return None;
    }
    Some((
        format!("unknown capability `{}`", shorten(v)),
        Some("expected a capability name such as CAP_SYS_ADMIN".into()),
    ))
}

fn port(s: &str) -> bool {
    parse_int(s.trim()).is_some_and(|n| (0..=65535).contains(&n))
}

fn is_addr_or_cidr(v: &str) -> bool {
    match v.split_once('/') {
        Some((addr, bits)) => match (addr.parse::<IpAddr>(), bits.parse::<u8>()) {
            (Ok(IpAddr::V4(_)), Ok(b)) => b <= 32,
            (Ok(IpAddr::V6(_)), Ok(b)) => b <= 128,
            _ => false,
        },
        None => v.parse::<IpAddr>().is_ok(),
    }
}

/// `http://host...` or `https://host...` with a non-empty host and no blanks.
pub(super) fn is_http_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let rest = if lower.starts_with("http://") {
        &s[7..]
    } else if lower.starts_with("https://") {
        &s[8..]
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty() && !s.chars().any(char::is_whitespace)
}

/// A domain name: dot-separated labels of letters, digits, `-` and `_`, 1 to 63
/// characters each, not starting or ending with `-`, 253 characters at most.
pub(super) fn is_fqdn(s: &str) -> bool {
    let s = s.strip_suffix('.').unwrap_or(s);
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_names() {
        assert!(is_http_url("http://ebpf.io"));
        assert!(is_http_url("https://canary.example.com/x?y=1"));
        assert!(!is_http_url("ftp://ebpf.io"));
        assert!(!is_http_url("http://"));
        assert!(!is_http_url("ebpf.io"));
        assert!(is_fqdn("ebpf.io"));
        assert!(is_fqdn("ebpf.io."));
        assert!(!is_fqdn("-bad.io"));
        assert!(!is_fqdn("a..b"));
        assert!(!is_fqdn("has space.io"));
    }

    #[test]
    fn addrs() {
        assert!(is_addr_or_cidr("10.0.0.1"));
        assert!(is_addr_or_cidr("10.0.0.0/8"));
        assert!(is_addr_or_cidr("::1/128"));
        assert!(!is_addr_or_cidr("10.0.0.0/33"));
        assert!(!is_addr_or_cidr("example.com"));
    }

    #[test]
    fn ints_for_types() {
        let w = ArgType::Uint8.int_width().unwrap();
        assert!(int_value("255", ArgType::Uint8, w, false).is_none());
        assert!(int_value("256", ArgType::Uint8, w, false).is_some());
        assert!(int_value("-1", ArgType::Uint8, w, false).is_some());
        let w = ArgType::Int.int_width().unwrap();
        assert!(int_value("-1", ArgType::Int, w, false).is_none());
        assert!(int_value("0xffffffff", ArgType::Int, w, true).is_none());
        assert!(int_value("0xffffffff", ArgType::Int, w, false).is_some());
        assert!(int_value("abc", ArgType::Int, w, false).is_some());
    }
}
