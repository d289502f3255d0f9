//! The builtins written in Rust (natives) that replace or complete jaq's.

use jaq_core::RunPtr;
use jaq_core::native::{Filter, Fun, bome, run, v};
use jaq_json::Val;

use super::Data;
use super::builtins::{contains_checked, fromjson, has, length, strindices, trim_str};
use super::errors::{desc, dump_trunc, fail};
use super::formats::{base32_encode, base64_decode, uri_encode};
use super::matching::match_impl;
use super::paths::delpaths;
use super::print::to_json_string;
use super::text::jq_text;
use super::value::JqVal;

/// jaq-std natives replaced by the ones in [`natives`].
pub(super) const REPLACED_NATIVES: &[&str] = &[
    "ltrimstr",
    "rtrimstr",
    "decode_base64",
    "debug_empty",
    "stderr_empty",
];

/// Natives with jq's behaviour; jaq-json's own natives work on jaq's value
/// type only, so `length`, `has`, `contains`, `tojson` and `fromjson` are
/// here too.
pub(super) fn natives() -> impl Iterator<Item = Fun<Data>> {
    let filters: Box<[Filter<RunPtr<Data>>]> = Box::new([
        // jaq defines these as `1 / 0` and `0 / 0`, errors in jq.
        ("nan", v(0), |_| bome(Ok(JqVal::from(f64::NAN)))),
        ("infinite", v(0), |_| bome(Ok(JqVal::from(f64::INFINITY)))),
        ("tojson", v(0), |cv| {
            bome(Ok(JqVal::from(to_json_string(&cv.1.0))))
        }),
        ("fromjson", v(0), |cv| bome(fromjson(&cv.1.0).map(JqVal))),
        ("length", v(0), |cv| bome(length(&cv.1.0).map(JqVal))),
        ("has", v(1), |mut cv| {
            let key = cv.0.pop_var();
            bome(has(&cv.1.0, &key.0).map(|b| JqVal(Val::Bool(b))))
        }),
        ("contains", v(1), |mut cv| {
            let other = cv.0.pop_var();
            bome(contains_checked(&cv.1.0, &other.0).map(|b| JqVal(Val::Bool(b))))
        }),
        ("_match_impl", v(3), |mut cv| {
            let test = cv.0.pop_var();
            let flags = cv.0.pop_var();
            let re = cv.0.pop_var();
            let test = matches!(test.0, Val::Bool(true));
            bome(match_impl(&cv.1.0, &re.0, &flags.0, test).map(JqVal))
        }),
        ("_strindices", v(1), |mut cv| {
            let needle = cv.0.pop_var();
            bome(strindices(&cv.1.0, &needle.0).map(JqVal))
        }),
        ("ltrimstr", v(1), |mut cv| {
            let prefix = cv.0.pop_var();
            bome(Ok(JqVal(trim_str(cv.1.0, &prefix.0, true))))
        }),
        ("rtrimstr", v(1), |mut cv| {
            let suffix = cv.0.pop_var();
            bome(Ok(JqVal(trim_str(cv.1.0, &suffix.0, false))))
        }),
        ("decode_base64", v(0), |cv| {
            let decoded = match &cv.1.0 {
                Val::TStr(s) | Val::BStr(s) => base64_decode(s),
                _ => Err("is not valid base64 data"),
            };
            bome(
                decoded
                    .map(JqVal)
                    .map_err(|e| fail(format!("{} {e}", desc(&cv.1.0)))),
            )
        }),
        ("__tetra_uri", v(0), |cv| {
            bome(Ok(JqVal(uri_encode(&cv.1.0))))
        }),
        // jq's escape_string (behind @html, @sh, @csv, @tsv) writes NUL as `\0`.
        ("__tetra_nul", v(0), |cv| {
            let v = cv.1.0;
            let replaced = match &v {
                Val::TStr(s) | Val::BStr(s) if s.contains(&0) => {
                    Some(Val::from(jq_text(s).replace('\0', "\\0")))
                }
                _ => None,
            };
            bome(Ok(JqVal(replaced.unwrap_or(v))))
        }),
        ("__tetra_base32", v(0), |cv| {
            let bytes = jaq_std::ValT::as_bytes(&cv.1.0).unwrap_or_default();
            bome(Ok(JqVal::from(base32_encode(bytes))))
        }),
        ("__tetra_trunc", v(0), |cv| {
            bome(Ok(JqVal::from(dump_trunc(&cv.1.0))))
        }),
        ("delpaths", v(1), |mut cv| {
            let paths = cv.0.pop_var();
            bome(delpaths(cv.1.0, &paths.0).map(JqVal).map_err(fail))
        }),
        ("debug_empty", v(0), |cv| {
            eprintln!("[\"DEBUG:\",{}]", to_json_string(&cv.1.0));
            Box::new(std::iter::empty())
        }),
        ("stderr_empty", v(0), |cv| {
            eprint!("{}", to_json_string(&cv.1.0));
            Box::new(std::iter::empty())
        }),
        ("__tetra_halt_message", v(0), |cv| {
            match &cv.1.0 {
                Val::Null => {}
                Val::TStr(s) | Val::BStr(s) => eprint!("{}", jq_text(s)),
                other => eprintln!("{}", to_json_string(other)),
            }
            Box::new(std::iter::empty())
        }),
    ]);
    filters.into_vec().into_iter().map(run::<Data>)
}
