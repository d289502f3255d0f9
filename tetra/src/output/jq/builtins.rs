//! jq's C builtins that jaq lacks or words differently: `length`, `has`, `contains`,
//! `_strindices`, `ltrimstr`/`rtrimstr`, `fromjson`.

use jaq_json::{Rc, Val};

use super::Res;
use super::errors::{desc, fail};
use super::text::jq_text;
use super::value::{kind, num_f64};

/// jq's `length`: absolute value of a number, code points of a string, 0 for null.
pub(super) fn length(v: &Val) -> Res<Val> {
    Ok(match v {
        Val::Null => Val::from(0isize),
        Val::Bool(_) => return Err(fail(format!("{} has no length", desc(v)))),
        Val::Num(n) => Val::from(num_f64(n).abs()),
        Val::TStr(s) | Val::BStr(s) => Val::from(jq_text(s).chars().count()),
        Val::Arr(a) => Val::from(a.len()),
        Val::Obj(o) => Val::from(o.len()),
    })
}

/// jq's `has(key)`: false for any key of null.
pub(super) fn has(v: &Val, key: &Val) -> Res<bool> {
    match (v, key) {
        (Val::Obj(o), Val::TStr(_) | Val::BStr(_)) => Ok(o.contains_key(key)),
        (Val::Arr(a), Val::Num(n)) => {
            let i = num_f64(n);
            Ok(i >= 0.0 && i < a.len() as f64)
        }
        (Val::Null, Val::TStr(_) | Val::BStr(_) | Val::Num(_)) => Ok(false),
        (v, k) => Err(fail(format!(
            "Cannot check whether {} has a {} key",
            kind(v),
            kind(k)
        ))),
    }
}

/// jq's `contains`: an error unless both values are of the same type.
pub(super) fn contains_checked(a: &Val, b: &Val) -> Res<bool> {
    let same_kind = kind(a) == kind(b);
    if same_kind {
        Ok(contains(a, b))
    } else {
        Err(fail(format!(
            "{} and {} cannot have their containment checked",
            desc(a),
            desc(b)
        )))
    }
}

/// jq's `jv_contains`: substrings, every element of `b` in some element of
/// `a`, every key of `b` in `a`; otherwise equality.
fn contains(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Obj(a), Val::Obj(b)) => b
            .iter()
            .all(|(k, bv)| a.get(k).is_some_and(|av| contains(av, bv))),
        (Val::Arr(a), Val::Arr(b)) => b.iter().all(|bv| a.iter().any(|av| contains(av, bv))),
        (Val::TStr(a) | Val::BStr(a), Val::TStr(b) | Val::BStr(b)) => {
            b.is_empty() || a.windows(b.len()).any(|w| w == &b[..])
        }
        (a, b) => kind(a) == kind(b) && a == b,
    }
}

/// jq 1.6's `_strindices`: byte offsets of every occurrence.
pub(super) fn strindices(v: &Val, needle: &Val) -> Res<Val> {
    let (Some(hay), Some(needle)) = (jaq_std::ValT::as_bytes(v), jaq_std::ValT::as_bytes(needle))
    else {
        return Err(fail("_strindices/1 requires string inputs"));
    };
    if needle.is_empty() {
        return Ok(Val::Arr(Rc::default()));
    }
    Ok(hay
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| Val::from(i))
        .collect())
}

/// jq's `ltrimstr`/`rtrimstr`: the input as it is unless both are strings.
pub(super) fn trim_str(v: Val, affix: &Val, left: bool) -> Val {
    let (Some(s), Some(a)) = (jaq_std::ValT::as_bytes(&v), jaq_std::ValT::as_bytes(affix)) else {
        return v;
    };
    let rest = if left {
        s.strip_prefix(a)
    } else {
        s.strip_suffix(a)
    };
    match rest {
        Some(rest) => Val::from(jq_text(rest).into_owned()),
        None => v,
    }
}

/// jq's `fromjson`: an error for anything but a string.
pub(super) fn fromjson(v: &Val) -> Res<Val> {
    let (Val::TStr(s) | Val::BStr(s)) = v else {
        return Err(fail(format!("{} only strings can be parsed", desc(v))));
    };
    jaq_json::read::parse_single(s)
        .map_err(|e| fail(format!("{e} (while parsing '{}')", jq_text(s))))
}

#[cfg(test)]
mod tests {
    use crate::output::jq::testing::c;

    #[test]
    fn builtins_follow_jq() {
        assert_eq!(c(r#"join(",")"#, r#"[1,null,"a",true]"#), "\"1,,a,true\"\n");
        assert_eq!(
            c("@base64d", r#""a2luZC1jb250cm9sLXBsYW5lOjEwMDAwMDoxMDA=""#),
            "\"kind-control-plane:100000:100\"\n"
        );
        assert_eq!(c("@base64d", r#""YWI""#), "\"ab\"\n");
        assert_eq!(
            c("@csv, @tsv, @sh", r#"[1.5,"a\"b\tc",null,true]"#),
            "\"1.5,\\\"a\\\"\\\"b\\tc\\\",,true\"\n\"1.5\\ta\\\"b\\\\tc\\t\\ttrue\"\n\"1.5 'a\\\"b\\tc' null true\"\n"
        );
        assert_eq!(c("@uri", r#""a b'!é""#), "\"a%20b'!%C3%A9\"\n");
        assert_eq!(
            c("ltrimstr(\"x\"), (.a | ltrimstr(\"x\"))", r#"{"a":"xy"}"#),
            "{\"a\":\"xy\"}\n\"y\"\n"
        );
        assert_eq!(
            c("[.[] | length]", r#"[null,-5,"é",[1],{"a":1}]"#),
            "[0,5,1,1,1]\n"
        );
        assert_eq!(
            c("\"x\" * 0, \"x\" * 2.7, 5 % 3, -5 % 3, 5.5 % 2", "null"),
            "null\n\"xx\"\n2\n-2\n1\n"
        );
        assert_eq!(
            c("index(\"b\"), [match(\"(?<n>x)?b\"; \"g\")]", r#""abab""#),
            "1\n[{\"offset\":1,\"length\":1,\"string\":\"b\",\"captures\":[{\"offset\":-1,\"string\":null,\"length\":0,\"name\":\"n\"}]},{\"offset\":3,\"length\":1,\"string\":\"b\",\"captures\":[{\"offset\":-1,\"string\":null,\"length\":0,\"name\":\"n\"}]}]\n"
        );
        assert_eq!(
            c(
                "test(\"A\"; \"i\"), sub(\"(?<l>a)\"; \"<\\(.l)>\"; \"g\")",
                r#""abab""#
            ),
            "true\n\"<a>b<a>b\"\n"
        );
        assert_eq!(c("$ENV | type", "null"), "\"object\"\n");
        assert_eq!(c("@base32", r#""foobar""#), "\"MZXW6YTBOI======\"\n");
    }
}
