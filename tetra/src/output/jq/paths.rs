//! jq's paths (`jv_get`, `jv_set`, `jv_dels`, `parse_slice`): reading, setting and deleting
//! one step of a path.

use jaq_json::{Map, Num, Rc, Val};

use super::text::jq_text;
use super::value::{is_str, kind, num_f64};

/// C's `(int)x` for the index arithmetic jq does in `int`.
fn c_int(x: f64) -> i64 {
    x.trunc().clamp(i32::MIN as f64, i32::MAX as f64) as i64
}

/// The position an index names in an array of `len` elements: truncated to an `int` as jq
/// does, negative indices counting from the end (the result may still be out of range).
pub(super) fn array_index(n: &Num, len: usize) -> i64 {
    let i = c_int(num_f64(n));
    if i < 0 { i + len as i64 } else { i }
}

/// The bounds of a slice key `{"start": ..., "end": ...}`.
fn slice_ends(key: &Map) -> (Option<&Val>, Option<&Val>) {
    let start = key.get(&Val::from("start".to_string()));
    let end = key.get(&Val::from("end".to_string()));
    (start, end)
}

/// jq's `jv_is_integer` for array indices.
pub(super) fn is_int_index(n: &Num) -> bool {
    let x = num_f64(n);
    x == x.trunc() && (i32::MIN as f64..=i32::MAX as f64).contains(&x)
}

/// `.[key]`: missing keys and out-of-range indices are null; so is any
/// key of null.
pub(super) fn get(v: &Val, key: &Val) -> Result<Val, String> {
    match (v, key) {
        (Val::Obj(o), Val::TStr(_) | Val::BStr(_)) => Ok(o.get(key).cloned().unwrap_or_default()),
        (Val::Arr(a), Val::Num(n)) => {
            if !is_int_index(n) {
                return Ok(Val::Null);
            }
            let i = array_index(n, a.len());
            Ok(usize::try_from(i)
                .ok()
                .and_then(|i| a.get(i).cloned())
                .unwrap_or_default())
        }
        (Val::Arr(_) | Val::TStr(_) | Val::BStr(_) | Val::Null, Val::Obj(o)) => {
            let (from, upto) = slice_ends(o);
            slice(v, from, upto)
        }
        (Val::Arr(_), Val::Arr(_)) => {
            <Val as jaq_core::ValT>::index(v.clone(), key).map_err(|e| e.to_string())
        }
        (Val::Null, Val::TStr(_) | Val::BStr(_) | Val::Num(_)) => Ok(Val::Null),
        (v, Val::TStr(s) | Val::BStr(s)) => Err(format!(
            "Cannot index {} with string \"{}\"",
            kind(v),
            jq_text(s)
        )),
        (v, k) => Err(format!("Cannot index {} with {}", kind(v), kind(k))),
    }
}

/// `.[from:upto]` of an array or string (by code points); null for null.
pub(super) fn slice(v: &Val, from: Option<&Val>, upto: Option<&Val>) -> Result<Val, String> {
    match v {
        Val::Null => Ok(Val::Null),
        Val::Arr(a) => {
            let (start, end) = slice_bounds(a.len(), from, upto)?;
            Ok(Val::Arr(Rc::new(a[start..end].to_vec())))
        }
        Val::TStr(s) | Val::BStr(s) => {
            let text = jq_text(s);
            let (start, end) = slice_bounds(text.chars().count(), from, upto)?;
            Ok(Val::from(
                text.chars()
                    .skip(start)
                    .take(end - start)
                    .collect::<String>(),
            ))
        }
        other => Err(format!("Cannot index {} with object", kind(other))),
    }
}

/// jq's `parse_slice`: negative bounds count from the end, both are
/// clipped to `0..=len`, the start is truncated and the end rounded up.
pub(super) fn slice_bounds(
    len: usize,
    from: Option<&Val>,
    upto: Option<&Val>,
) -> Result<(usize, usize), String> {
    let bound = |b: Option<&Val>, default: f64| match b {
        None | Some(Val::Null) => Ok(default),
        Some(Val::Num(n)) => Ok(num_f64(n)),
        Some(_) => Err("Start and end indices of an array slice must be numbers".to_string()),
    };
    let len_f = len as f64;
    let mut start = bound(from, 0.0)?;
    let mut end = bound(upto, len_f)?;
    if start < 0.0 {
        start += len_f;
    }
    if end < 0.0 {
        end += len_f;
    }
    let start = start.clamp(0.0, len_f);
    let end = end.clamp(start, len_f);
    Ok((start.trunc() as usize, (end.ceil() as usize).min(len)))
}

/// `setpath([key]; value)`: null becomes an object or an array, arrays
/// grow with nulls, slices take arrays.
pub(super) fn set(v: Val, key: &Val, value: Val) -> Result<Val, String> {
    match (v, key) {
        (Val::Null, Val::TStr(_) | Val::BStr(_)) => {
            Ok(Val::obj([(key.clone(), value)].into_iter().collect()))
        }
        (Val::Obj(mut o), Val::TStr(_) | Val::BStr(_)) => {
            Rc::make_mut(&mut o).insert(key.clone(), value);
            Ok(Val::Obj(o))
        }
        (v @ (Val::Null | Val::Arr(_)), Val::Num(n)) => {
            let mut a = match v {
                Val::Arr(a) => Rc::unwrap_or_clone(a),
                _ => Vec::new(),
            };
            let i = array_index(n, a.len());
            let i = usize::try_from(i).map_err(|_| "Out of bounds negative array index")?;
            if i >= a.len() {
                a.resize(i + 1, Val::Null);
            }
            a[i] = value;
            Ok(Val::Arr(Rc::new(a)))
        }
        (v @ (Val::Null | Val::Arr(_)), Val::Obj(o)) => {
            let mut a = match v {
                Val::Arr(a) => Rc::unwrap_or_clone(a),
                _ => Vec::new(),
            };
            let (from, upto) = slice_ends(o);
            let (start, end) = slice_bounds(a.len(), from, upto)?;
            let Val::Arr(new) = value else {
                return Err("A slice of an array can only be assigned another array".into());
            };
            a.splice(start..end, Rc::unwrap_or_clone(new));
            Ok(Val::Arr(Rc::new(a)))
        }
        (v, _) => Err(format!(
            "Cannot update field at object index of {}",
            kind(&v)
        )),
    }
}

/// jq's `delpaths`: the paths sorted, each key deleted in place, so the
/// other keys keep their order.
pub(super) fn delpaths(v: Val, paths: &Val) -> Result<Val, String> {
    let Val::Arr(paths) = paths else {
        return Err("Paths must be specified as an array".into());
    };
    let mut sorted = Vec::with_capacity(paths.len());
    for path in paths.iter() {
        match path {
            Val::Arr(p) => sorted.push(p.as_slice()),
            _ => return Err("Path must be specified as an array".into()),
        }
    }
    sorted.sort();
    match sorted.first() {
        None => Ok(v),
        Some([]) => Ok(Val::Null),
        Some(_) => del_sorted(v, &sorted, 0),
    }
}

fn del_sorted(mut v: Val, paths: &[&[Val]], depth: usize) -> Result<Val, String> {
    let mut delete = Vec::new();
    let mut i = 0;
    while i < paths.len() {
        let key = &paths[i][depth];
        let mut j = i;
        while j < paths.len() && &paths[j][depth] == key {
            j += 1;
        }
        if paths[i].len() == depth + 1 {
            delete.push(key.clone());
        } else {
            let sub = get(&v, key)?;
            if !matches!(sub, Val::Null) {
                let sub = del_sorted(sub, &paths[i..j], depth + 1)?;
                v = set(v, key, sub)?;
            }
        }
        i = j;
    }
    dels(v, &delete)
}

/// jq's `jv_dels`: the keys (or indices, or slices) of one container.
pub(super) fn dels(mut v: Val, keys: &[Val]) -> Result<Val, String> {
    if keys.is_empty() {
        return Ok(v);
    }
    match &mut v {
        Val::Null => {}
        Val::Arr(a) => {
            let len = a.len();
            let mut gone = vec![false; len];
            for key in keys {
                match key {
                    Val::Num(n) => {
                        let i = array_index(n, len);
                        if (0..len as i64).contains(&i) {
                            gone[i as usize] = true;
                        }
                    }
                    Val::Obj(o) => {
                        let (from, upto) = slice_ends(o);
                        let (start, end) = slice_bounds(len, from, upto)?;
                        gone[start..end].iter_mut().for_each(|g| *g = true);
                    }
                    other => return Err(format!("Cannot delete {} element of array", kind(other))),
                }
            }
            let mut i = 0;
            Rc::make_mut(a).retain(|_| {
                i += 1;
                !gone[i - 1]
            });
        }
        Val::Obj(o) => {
            let o = Rc::make_mut(o);
            for key in keys {
                if !is_str(key) {
                    return Err(format!("Cannot delete field at index of {}", kind(key)));
                }
                o.shift_remove(key);
            }
        }
        other => return Err(format!("Cannot delete fields from {}", kind(other))),
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use crate::output::jq::testing::c;

    #[test]
    fn keys_keep_the_events_order() {
        let input = r#"{"b":1,"a":2,"c":{"z":1,"y":2}}"#;
        assert_eq!(c(".", input), format!("{input}\n"));
        assert_eq!(
            c("keys, keys_unsorted", input),
            "[\"a\",\"b\",\"c\"]\n[\"b\",\"a\",\"c\"]\n"
        );
        assert_eq!(
            c("del(.b), del(.c.z)", input),
            "{\"a\":2,\"c\":{\"z\":1,\"y\":2}}\n{\"b\":1,\"a\":2,\"c\":{\"y\":2}}\n"
        );
        assert_eq!(
            c(".b |= empty", input),
            "{\"a\":2,\"c\":{\"z\":1,\"y\":2}}\n"
        );
        assert_eq!(c("to_entries | map(.key)", input), "[\"b\",\"a\",\"c\"]\n");
        assert_eq!(
            c("with_entries(.value |= type)", input),
            "{\"b\":\"number\",\"a\":\"number\",\"c\":\"object\"}\n"
        );
        assert_eq!(
            c(". + {a: 9, d: 0}", input),
            "{\"b\":1,\"a\":9,\"c\":{\"z\":1,\"y\":2},\"d\":0}\n"
        );
    }

    #[test]
    fn paths_behave_as_in_jq() {
        assert_eq!(c(".a.b = 1", "null"), "{\"a\":{\"b\":1}}\n");
        assert_eq!(c(".x[2] = 1", "{}"), "{\"x\":[null,null,1]}\n");
        assert_eq!(
            c(".[1.5], .[1.0], .[-1], .[9], .[1:], .[1.2:2.5]", "[1,2,3]"),
            "null\n2\n3\nnull\n[2,3]\n[2,3]\n"
        );
        assert_eq!(c(".a[0:2], .missing.deep", r#"{"a":null}"#), "null\nnull\n");
        assert_eq!(c("del(.[0,2])", "[1,2,3]"), "[2]\n");
        assert_eq!(c(".[1:] = [\"x\"]", "[1,2,3]"), "[1,\"x\"]\n");
        assert_eq!(c("[paths]", r#"{"a":[1]}"#), "[[\"a\"],[\"a\",0]]\n");
        assert_eq!(c("getpath([\"a\",\"b\"])", "null"), "null\n");
        assert_eq!(
            c("[tostream] | fromstream(.[])", r#"{"a":[1,{"b":2}]}"#),
            "{\"a\":[1,{\"b\":2}]}\n"
        );
    }
}
