//! Regexes: jq 1.6's `_match_impl`, behind `match`, `test`, `capture`, `scan`, `split`,
//! `sub` and `gsub`.

use jaq_json::{Rc, Val};

use super::Res;
use super::errors::{desc, fail};
use super::text::jq_text;

/// jq 1.6's `_match_impl` (Oniguruma there, the regex crate here): with
/// `test`, whether the regex matches; else the array of matches, offsets
/// and lengths in code points, unmatched groups as `{"offset":-1,
/// "string":null,"length":0,"name":...}`.
pub(super) fn match_impl(input: &Val, re: &Val, flags: &Val, test: bool) -> Res<Val> {
    let (Val::TStr(hay) | Val::BStr(hay)) = input else {
        return Err(fail(format!(
            "{} cannot be matched, as it is not a string",
            desc(input)
        )));
    };
    let (Val::TStr(pattern) | Val::BStr(pattern)) = re else {
        return Err(fail(format!("{} is not a string", desc(re))));
    };
    let flags = match flags {
        Val::Null => String::new(),
        Val::TStr(f) | Val::BStr(f) => jq_text(f).into_owned(),
        other => return Err(fail(format!("{} is not a string", desc(other)))),
    };
    let (mut global, mut not_empty) = (false, false);
    let mut options = [false; 3];
    for c in flags.chars() {
        match c {
            'g' => global = true,
            'n' => not_empty = true,
            'i' => options[0] = true,
            'x' => options[1] = true,
            'p' => options[2] = true,
            's' | 'l' => {}
            _ => return Err(fail(format!("{flags} is not a valid modifier string"))),
        }
    }
    let pattern = jq_text(pattern).into_owned();
    let regex = compiled_regex(&pattern, options).map_err(|e| {
        let why = e.to_string();
        let why = why.lines().last().unwrap_or_default().trim().to_string();
        fail(format!(
            "{pattern} (at offset 0) is not a valid regex: {why}"
        ))
    })?;
    let hay = jq_text(hay);
    let hay = hay.as_ref();
    if test {
        return Ok(Val::Bool(regex.is_match(hay)));
    }
    let cp = |byte: usize| Val::from(hay[..byte].chars().count());
    let text = |a: usize, b: usize| Val::from(hay[a..b].to_string());
    let names: Vec<Option<&str>> = regex.capture_names().collect();
    let mut out = Vec::new();
    let mut start = 0;
    while start <= hay.len() {
        let Some(caps) = regex.captures_at(hay, start) else {
            break;
        };
        let whole = caps.get(0).expect("group 0 always matches");
        if whole.start() == whole.end() {
            // jq: a zero-width match has no captures; the search moves on a byte.
            if !not_empty {
                out.push(object([
                    ("offset", cp(whole.start())),
                    ("length", Val::from(0usize)),
                    ("string", Val::from(String::new())),
                    ("captures", Val::Arr(Rc::default())),
                ]));
            }
            start = whole.start() + 1;
            while start < hay.len() && !hay.is_char_boundary(start) {
                start += 1;
            }
            if !global || start >= hay.len() {
                break;
            }
            continue;
        }
        let mut captures = Vec::new();
        for (i, name) in names.iter().enumerate().skip(1) {
            let name = name.map_or(Val::Null, |n| Val::from(n.to_string()));
            let cap = match caps.get(i) {
                None => object([
                    ("offset", Val::from(-1isize)),
                    ("string", Val::Null),
                    ("length", Val::from(0usize)),
                    ("name", name),
                ]),
                Some(m) if m.start() == m.end() => object([
                    ("offset", cp(m.start())),
                    ("string", Val::from(String::new())),
                    ("length", Val::from(0usize)),
                    ("name", name),
                ]),
                Some(m) => object([
                    ("offset", cp(m.start())),
                    ("length", Val::from(m.as_str().chars().count())),
                    ("string", text(m.start(), m.end())),
                    ("name", name),
                ]),
            };
            captures.push(cap);
        }
        out.push(object([
            ("offset", cp(whole.start())),
            ("length", Val::from(whole.as_str().chars().count())),
            ("string", text(whole.start(), whole.end())),
            ("captures", Val::Arr(Rc::new(captures))),
        ]));
        start = whole.end();
        if !global || start == hay.len() {
            break;
        }
    }
    Ok(Val::Arr(Rc::new(out)))
}

/// A regex for (case-insensitive, extended, dot-all) from a small cache:
/// programs test the same few regexes on every event.
fn compiled_regex(pattern: &str, options: [bool; 3]) -> Result<regex::Regex, regex::Error> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static CACHE: RefCell<HashMap<(String, [bool; 3]), regex::Regex>> =
            RefCell::new(HashMap::new());
    }
    let key = (pattern.to_string(), options);
    if let Some(regex) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return Ok(regex);
    }
    let regex = regex::RegexBuilder::new(pattern)
        .case_insensitive(options[0])
        .ignore_whitespace(options[1])
        .dot_matches_new_line(options[2])
        .build()?;
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= 64 {
            cache.clear();
        }
        cache.insert(key, regex.clone());
    });
    Ok(regex)
}

/// An object with these keys, in this order.
fn object<const N: usize>(fields: [(&str, Val); N]) -> Val {
    let map: jaq_json::Map = fields
        .into_iter()
        .map(|(key, value)| (Val::from(key.to_string()), value))
        .collect();
    Val::obj(map)
}
