//! Updating in place (`|=`, and the assignments built on it): jq's rules for a value that
//! `f` turns into nothing (the key, element or slice is deleted) or that is missing (null).

use jaq_core::path::Opt;
use jaq_core::{Exn, ValX};
use jaq_json::{Rc, Val};

use super::errors::{cannot_iterate, fail};
use super::paths::{array_index, dels, get, is_int_index, set, slice_bounds};
use super::value::{JqVal, is_str, kind};

/// `.[] |= f`: each value becomes the first output of `f`; a value without one is deleted.
pub(super) fn values<'a, I: Iterator<Item = ValX<'a, JqVal>>>(
    v: Val,
    opt: Opt,
    f: impl Fn(JqVal) -> I,
) -> ValX<'a, JqVal> {
    let first = |v: Val| f(JqVal(v)).next().transpose();
    match v {
        Val::Obj(o) => {
            let mut o = Rc::unwrap_or_clone(o);
            let mut gone = Vec::new();
            for (k, slot) in o.iter_mut() {
                match first(std::mem::take(slot))? {
                    Some(y) => *slot = y.0,
                    None => gone.push(k.clone()),
                }
            }
            for k in gone {
                o.shift_remove(&k);
            }
            Ok(JqVal(Val::obj(o)))
        }
        Val::Arr(a) => {
            let mut kept = Vec::with_capacity(a.len());
            for x in Rc::unwrap_or_clone(a) {
                if let Some(y) = first(x)? {
                    kept.push(y.0);
                }
            }
            Ok(JqVal(Val::Arr(Rc::new(kept))))
        }
        v => opt.fail(JqVal(v), |v| Exn::from(cannot_iterate(&v.0))),
    }
}

/// `.[key] |= f`: the value at `key` (null when missing) becomes the first output of `f`;
/// without one, the key is deleted. `.a |= empty` deletes `.a`.
pub(super) fn index<'a, I: Iterator<Item = ValX<'a, JqVal>>>(
    mut v: Val,
    index: &JqVal,
    opt: Opt,
    f: impl Fn(JqVal) -> I,
) -> ValX<'a, JqVal> {
    let first = |v: Val| f(JqVal(v)).next().transpose();
    let key = &index.0;
    match (&mut v, key) {
        (Val::Obj(o), Val::TStr(_) | Val::BStr(_)) => {
            let o = Rc::make_mut(o);
            match o.get_mut(key) {
                Some(slot) => match first(std::mem::take(slot))? {
                    Some(y) => *slot = y.0,
                    None => {
                        o.shift_remove(key);
                    }
                },
                None => {
                    if let Some(y) = first(Val::Null)? {
                        o.insert(key.clone(), y.0);
                    }
                }
            }
            Ok(JqVal(v))
        }
        (Val::Arr(a), Val::Num(n)) if is_int_index(n) => {
            let at = array_index(n, a.len());
            if (0..a.len() as i64).contains(&at) {
                let a = Rc::make_mut(a);
                match first(std::mem::take(&mut a[at as usize]))? {
                    Some(y) => a[at as usize] = y.0,
                    None => {
                        a.remove(at as usize);
                    }
                }
                Ok(JqVal(v))
            } else {
                match first(Val::Null)? {
                    Some(y) => set(v, key, y.0).map(JqVal).map_err(|e| Exn::from(fail(e))),
                    None => Ok(JqVal(v)),
                }
            }
        }
        _ => {
            let current = match get(&v, key) {
                Ok(current) => current,
                Err(e) => return opt.fail(JqVal(v), |_| Exn::from(fail(e))),
            };
            let original = matches!(opt, Opt::Optional).then(|| v.clone());
            let result = match first(current)? {
                Some(y) => set(v, key, y.0),
                None => dels(v, std::slice::from_ref(key)),
            };
            match (result, original) {
                (Ok(v), _) => Ok(JqVal(v)),
                (Err(_), Some(original)) => Ok(JqVal(original)),
                (Err(e), None) => Err(Exn::from(fail(e))),
            }
        }
    }
}

/// `.[from:upto] |= f`: the slice becomes the first output of `f`, which must be an array;
/// without one, the slice is deleted.
pub(super) fn range<'a, I: Iterator<Item = ValX<'a, JqVal>>>(
    v: Val,
    range: jaq_core::val::Range<&JqVal>,
    opt: Opt,
    f: impl Fn(JqVal) -> I,
) -> ValX<'a, JqVal> {
    let (from, upto) = (range.start.map(|v| &v.0), range.end.map(|v| &v.0));
    let mut items = match v {
        Val::Null => Vec::new(),
        Val::Arr(a) => Rc::unwrap_or_clone(a),
        v => {
            let e = if is_str(&v) {
                "Cannot update field at object index of string".to_string()
            } else {
                format!("Cannot index {} with object", kind(&v))
            };
            return opt.fail(JqVal(v), |_| Exn::from(fail(e)));
        }
    };
    let (start, end) = slice_bounds(items.len(), from, upto).map_err(|e| Exn::from(fail(e)))?;
    let part = JqVal(Val::Arr(Rc::new(items[start..end].to_vec())));
    match f(part).next().transpose()? {
        Some(JqVal(Val::Arr(new))) => {
            items.splice(start..end, Rc::unwrap_or_clone(new));
        }
        Some(_) => {
            return Err(Exn::from(fail(
                "A slice of an array can only be assigned another array",
            )));
        }
        None => {
            items.drain(start..end);
        }
    }
    Ok(JqVal(Val::Arr(Rc::new(items))))
}
