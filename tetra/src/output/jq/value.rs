//! The value type: jaq's JSON value with jq's rules, as jaq's interpreter sees it.

use std::fmt;

use jaq_core::box_iter::{BoxIter, box_once};
use jaq_core::path::Opt;
use jaq_core::{ValR, ValX};
use jaq_json::{Num, Rc, Val};

use super::errors::{cannot_iterate, desc, fail, from_jaq};
use super::paths::{get, slice};
use super::print::to_json_string;
use super::update;

/// A jq value: jaq's JSON value, with jq's rules for printing, paths,
/// arithmetic and errors.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JqVal(pub Val);

/// jq's name for the type of a value, as `type` gives it.
pub(super) fn kind(v: &Val) -> &'static str {
    match v {
        Val::Null => "null",
        Val::Bool(_) => "boolean",
        Val::Num(_) => "number",
        Val::TStr(_) | Val::BStr(_) => "string",
        Val::Arr(_) => "array",
        Val::Obj(_) => "object",
    }
}

/// A number as jq holds it: a double.
pub(super) fn num_f64(n: &Num) -> f64 {
    match n {
        Num::Int(i) => *i as f64,
        Num::BigInt(i) => i.to_string().parse().unwrap_or(f64::NAN),
        Num::Float(f) => *f,
        Num::Dec(d) => d.parse().unwrap_or(f64::NAN),
    }
}

/// The double of a number; `None` for other values.
fn as_f64(v: &Val) -> Option<f64> {
    match v {
        Val::Num(n) => Some(num_f64(n)),
        _ => None,
    }
}

/// Whether the value is a string (text or bytes).
pub(super) fn is_str(v: &Val) -> bool {
    matches!(v, Val::TStr(_) | Val::BStr(_))
}

impl fmt::Display for JqVal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&to_json_string(&self.0))
    }
}

impl From<bool> for JqVal {
    fn from(b: bool) -> Self {
        JqVal(Val::Bool(b))
    }
}

impl From<isize> for JqVal {
    fn from(i: isize) -> Self {
        JqVal(Val::from(i))
    }
}

impl From<usize> for JqVal {
    fn from(i: usize) -> Self {
        JqVal(Val::from(i))
    }
}

impl From<f64> for JqVal {
    fn from(f: f64) -> Self {
        JqVal(Val::from(f))
    }
}

impl From<String> for JqVal {
    fn from(s: String) -> Self {
        JqVal(Val::from(s))
    }
}

impl From<jaq_core::val::Range<JqVal>> for JqVal {
    fn from(r: jaq_core::val::Range<JqVal>) -> Self {
        JqVal(Val::from(r.start.map(|v| v.0)..r.end.map(|v| v.0)))
    }
}

impl FromIterator<JqVal> for JqVal {
    fn from_iter<T: IntoIterator<Item = JqVal>>(iter: T) -> Self {
        JqVal(Val::Arr(Rc::new(iter.into_iter().map(|v| v.0).collect())))
    }
}

impl jaq_core::ValT for JqVal {
    fn from_num(n: &str) -> ValR<Self> {
        <Val as jaq_core::ValT>::from_num(n)
            .map(JqVal)
            .map_err(from_jaq)
    }

    fn from_map<I: IntoIterator<Item = (Self, Self)>>(iter: I) -> ValR<Self> {
        let mut map = jaq_json::Map::default();
        for (k, v) in iter {
            if !is_str(&k.0) {
                return Err(fail(format!("Cannot use {} as object key", desc(&k.0))));
            }
            map.insert(k.0, v.0);
        }
        Ok(JqVal(Val::obj(map)))
    }

    fn key_values(self) -> BoxIter<'static, ValR<(Self, Self), Self>> {
        match self.0 {
            Val::Arr(a) => Box::new(
                Rc::unwrap_or_clone(a)
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| Ok((JqVal::from(i), JqVal(v)))),
            ),
            Val::Obj(o) => Box::new(
                Rc::unwrap_or_clone(o)
                    .into_iter()
                    .map(|(k, v)| Ok((JqVal(k), JqVal(v)))),
            ),
            v => box_once(Err(fail(format!("{} has no keys", desc(&v))))),
        }
    }

    fn values(self) -> Box<dyn Iterator<Item = ValR<Self>>> {
        match self.0 {
            Val::Arr(a) => Box::new(Rc::unwrap_or_clone(a).into_iter().map(|v| Ok(JqVal(v)))),
            Val::Obj(o) => Box::new(
                Rc::unwrap_or_clone(o)
                    .into_iter()
                    .map(|(_, v)| Ok(JqVal(v))),
            ),
            v => box_once(Err(cannot_iterate(&v))),
        }
    }

    fn index(self, index: &Self) -> ValR<Self> {
        get(&self.0, &index.0).map(JqVal).map_err(fail)
    }

    fn range(self, range: jaq_core::val::Range<&Self>) -> ValR<Self> {
        let (from, upto) = (range.start.map(|v| &v.0), range.end.map(|v| &v.0));
        slice(&self.0, from, upto).map(JqVal).map_err(fail)
    }

    fn map_values<'a, I: Iterator<Item = ValX<'a, Self>>>(
        self,
        opt: Opt,
        f: impl Fn(Self) -> I,
    ) -> ValX<'a, Self> {
        update::values(self.0, opt, f)
    }

    fn map_index<'a, I: Iterator<Item = ValX<'a, Self>>>(
        self,
        index: &Self,
        opt: Opt,
        f: impl Fn(Self) -> I,
    ) -> ValX<'a, Self> {
        update::index(self.0, index, opt, f)
    }

    fn map_range<'a, I: Iterator<Item = ValX<'a, Self>>>(
        self,
        range: jaq_core::val::Range<&Self>,
        opt: Opt,
        f: impl Fn(Self) -> I,
    ) -> ValX<'a, Self> {
        update::range(self.0, range, opt, f)
    }

    fn as_bool(&self) -> bool {
        !matches!(self.0, Val::Null | Val::Bool(false))
    }

    /// jq's `tostring`, also behind string interpolation.
    fn into_string(self) -> Self {
        match self.0 {
            Val::TStr(_) | Val::BStr(_) => self,
            other => JqVal::from(to_json_string(&other)),
        }
    }
}

impl jaq_std::ValT for JqVal {
    fn into_seq<S: FromIterator<Self>>(self) -> Result<S, Self> {
        match self.0 {
            Val::Arr(a) => Ok(Rc::unwrap_or_clone(a).into_iter().map(JqVal).collect()),
            v => Err(JqVal(v)),
        }
    }

    fn is_int(&self) -> bool {
        jaq_std::ValT::is_int(&self.0)
    }

    fn as_isize(&self) -> Option<isize> {
        jaq_std::ValT::as_isize(&self.0)
    }

    fn as_f64(&self) -> Option<f64> {
        as_f64(&self.0)
    }

    fn is_utf8_str(&self) -> bool {
        jaq_std::ValT::is_utf8_str(&self.0)
    }

    fn as_bytes(&self) -> Option<&[u8]> {
        jaq_std::ValT::as_bytes(&self.0)
    }

    fn as_sub_str(&self, sub: &[u8]) -> Self {
        JqVal(jaq_std::ValT::as_sub_str(&self.0, sub))
    }

    fn from_utf8_bytes(b: impl AsRef<[u8]> + Send + 'static) -> Self {
        JqVal(<Val as jaq_std::ValT>::from_utf8_bytes(b))
    }
}
