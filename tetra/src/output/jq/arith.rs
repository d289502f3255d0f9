//! Arithmetic (`+ - * / %`, negation) with jq's rules and error messages.

use std::ops::{Add, Div, Mul, Neg, Rem, Sub};

use jaq_core::ValR;
use jaq_json::{Num, Val};

use super::errors::{binop_error, desc, fail, from_jaq};
use super::text::jq_text;
use super::value::{JqVal, num_f64};

impl Add for JqVal {
    type Output = ValR<JqVal>;
    fn add(self, rhs: Self) -> Self::Output {
        match (&self.0, &rhs.0) {
            (Val::Null, _) => Ok(rhs),
            (_, Val::Null) => Ok(self),
            (Val::Num(_), Val::Num(_))
            | (Val::TStr(_) | Val::BStr(_), Val::TStr(_) | Val::BStr(_))
            | (Val::Arr(_), Val::Arr(_))
            | (Val::Obj(_), Val::Obj(_)) => (self.0 + rhs.0).map(JqVal).map_err(from_jaq),
            (l, r) => Err(binop_error(l, r, "added")),
        }
    }
}

impl Sub for JqVal {
    type Output = ValR<JqVal>;
    fn sub(self, rhs: Self) -> Self::Output {
        match (&self.0, &rhs.0) {
            (Val::Num(_), Val::Num(_)) | (Val::Arr(_), Val::Arr(_)) => {
                (self.0 - rhs.0).map(JqVal).map_err(from_jaq)
            }
            (l, r) => Err(binop_error(l, r, "subtracted")),
        }
    }
}

impl Mul for JqVal {
    type Output = ValR<JqVal>;
    fn mul(self, rhs: Self) -> Self::Output {
        match (&self.0, &rhs.0) {
            (Val::Num(_), Val::Num(_)) | (Val::Obj(_), Val::Obj(_)) => {
                (self.0 * rhs.0).map(JqVal).map_err(from_jaq)
            }
            // jq repeats the string `(int)(n - 1)` more times; below 0, null.
            (s @ (Val::TStr(_) | Val::BStr(_)), Val::Num(n))
            | (Val::Num(n), s @ (Val::TStr(_) | Val::BStr(_))) => {
                let more = (num_f64(n) - 1.0).trunc();
                if more.is_nan() || more < 0.0 {
                    return Ok(JqVal(Val::Null));
                }
                let bytes = jaq_std::ValT::as_bytes(s).unwrap_or_default();
                let times = (more as usize).saturating_add(1);
                Ok(JqVal::from(jq_text(&bytes.repeat(times)).into_owned()))
            }
            (l, r) => Err(binop_error(l, r, "multiplied")),
        }
    }
}

impl Div for JqVal {
    type Output = ValR<JqVal>;
    fn div(self, rhs: Self) -> Self::Output {
        match (&self.0, &rhs.0) {
            (l @ Val::Num(_), r @ Val::Num(d)) if num_f64(d) == 0.0 => {
                Err(binop_error(l, r, "divided because the divisor is zero"))
            }
            (Val::Num(_), Val::Num(_)) | (Val::TStr(_), Val::TStr(_)) => {
                (self.0 / rhs.0).map(JqVal).map_err(from_jaq)
            }
            (l, r) => Err(binop_error(l, r, "divided")),
        }
    }
}

impl Rem for JqVal {
    type Output = ValR<JqVal>;
    /// jq: both sides as integers (`(intmax_t)`), C's `%`.
    fn rem(self, rhs: Self) -> Self::Output {
        match (&self.0, &rhs.0) {
            (Val::Num(l), Val::Num(r)) => {
                let (l, r) = (num_f64(l) as i64, num_f64(r) as i64);
                if r == 0 {
                    let why = "divided (remainder) because the divisor is zero";
                    return Err(binop_error(&self.0, &rhs.0, why));
                }
                Ok(JqVal(Val::Num(Num::from_integral(l.wrapping_rem(r)))))
            }
            (l, r) => Err(binop_error(l, r, "divided (remainder)")),
        }
    }
}

impl Neg for JqVal {
    type Output = ValR<JqVal>;
    fn neg(self) -> Self::Output {
        match self.0 {
            // jq's numbers are doubles: `-0` stays negative.
            Val::Num(Num::Int(0)) => Ok(JqVal::from(-0.0)),
            Val::Num(_) => (-self.0).map(JqVal).map_err(from_jaq),
            v => Err(fail(format!("{} cannot be negated", desc(&v)))),
        }
    }
}
