//! Reading only the parts of an event that a program can see.
//!
//! Most `--jq` programs read a handful of fields (`select(.process_exec !=
//! null) | "\(.time) \(.process_exec.process.binary)"`), yet building the
//! whole event as a value is most of the cost of running them. Before the
//! first event, [`Need::of_program`] works out, from the program's syntax
//! and conservatively, which object paths of the input it can observe and
//! how:
//!
//! - fully (the value is printed, compared, passed to a function, bound to
//!   a variable, ...): the subtree is parsed by jaq's own parser, exactly;
//! - only through `.key` steps, truthiness (`select(.a)`, `and`, `not`,
//!   `if`) or `== null` / `!= null`: an object there keeps only the keys
//!   the program reads (any other value is parsed fully), which none of
//!   these can tell from the whole object.
//!
//! Anything the analysis does not know (any other builtin, `.[]`, `..`,
//! paths with computed keys, `try`, `reduce`, objects, ...) reads its input
//! fully; a program with a `def` (which could redefine `select`) or whose
//! whole input is read is not projected at all.
//!
//! [`parse_projected`] then reads the line: the skipped parts are checked
//! to be strict JSON (RFC 8259, which jaq's parser accepts), and a line
//! that is anything else (comments, `NaN`, a top level that is not an
//! object, bad escapes, ...) is left to jaq's parser, so a line is
//! accepted or rejected, with the same message, exactly as before.

use jaq_core::load::lex::StrPart;
use jaq_core::load::parse::{BinaryOp, Pattern, Term};
use jaq_core::ops::Cmp;
use jaq_core::path::{Part, Path};
use jaq_json::{Map, Val};

/// What a program reads of one value: all of it, or (for an object) only
/// some keys.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Need {
    full: bool,
    children: Vec<(Vec<u8>, Need)>,
}

/// What a term outputs: the input's value at a path (from the event's
/// root), or values whose parts from the input are all read fully.
#[derive(Clone, Debug)]
enum Out {
    At(Vec<Vec<u8>>),
    Done,
}

impl Need {
    /// The parts of its input that `program` can observe; `None` when that
    /// is the whole input, or the analysis cannot tell.
    pub(super) fn of_program(program: &str) -> Option<Need> {
        let term: Term<&str> = jaq_core::load::parse(program, |p| p.term())?;
        let mut a = Analysis::default();
        let out = a.term(&term, &Out::At(Vec::new()));
        a.full(&out);
        (!a.bail && !a.need.full).then_some(a.need)
    }

    fn mark(&mut self, path: &[Vec<u8>], full: bool) {
        if self.full {
            return;
        }
        match path.split_first() {
            None if full => {
                self.full = true;
                self.children = Vec::new();
            }
            None => {}
            Some((key, rest)) => {
                let i = match self.children.iter().position(|(k, _)| k == key) {
                    Some(i) => i,
                    None => {
                        self.children.push((key.clone(), Need::default()));
                        self.children.len() - 1
                    }
                };
                self.children[i].1.mark(rest, full);
            }
        }
    }

    fn child(&self, key: &[u8]) -> Option<&Need> {
        self.children
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, need)| need)
    }
}

#[derive(Default)]
struct Analysis {
    need: Need,
    bail: bool,
}

impl Analysis {
    /// The output is read fully.
    fn full(&mut self, out: &Out) {
        if let Out::At(path) = out {
            self.need.mark(path, true);
        }
    }

    /// Only the output's truthiness (or whether it is null) is read.
    fn truthy(&mut self, out: &Out) {
        if let Out::At(path) = out {
            self.need.mark(path, false);
        }
    }

    /// Records what `t` reads of its input `ctx`; returns what it outputs.
    fn term(&mut self, t: &Term<&str>, ctx: &Out) -> Out {
        if !matches!(ctx, Out::At(_)) {
            // Whatever it reads, it reads from values read fully.
            return Out::Done;
        }
        match t {
            Term::Id => ctx.clone(),
            Term::Num(_) | Term::Var(_) | Term::Arr(None) => Out::Done,
            Term::Str(_, parts) => {
                for part in parts {
                    if let StrPart::Term(t) = part {
                        let out = self.term(t, ctx);
                        self.full(&out);
                    }
                }
                Out::Done
            }
            Term::Arr(Some(t)) => {
                let out = self.term(t, ctx);
                self.full(&out);
                Out::Done
            }
            Term::Path(base, path) => match literal_keys(path) {
                Some(keys) => match self.term(base, ctx) {
                    Out::At(mut at) => {
                        at.extend(keys);
                        Out::At(at)
                    }
                    Out::Done => Out::Done,
                },
                // Computed indices read the input too.
                None => self.fallback(ctx),
            },
            Term::BinOp(l, op, r) => match op {
                BinaryOp::Pipe(None) => {
                    let out = self.term(l, ctx);
                    self.term(r, &out)
                }
                BinaryOp::Pipe(Some(Pattern::Var(_))) => {
                    let out = self.term(l, ctx);
                    self.full(&out);
                    self.term(r, ctx)
                }
                BinaryOp::Or | BinaryOp::And => {
                    for t in [l, r] {
                        let out = self.term(t, ctx);
                        self.truthy(&out);
                    }
                    Out::Done
                }
                BinaryOp::Cmp(Cmp::Eq | Cmp::Ne) if is_null(l) || is_null(r) => {
                    for t in [l, r] {
                        let out = self.term(t, ctx);
                        self.truthy(&out);
                    }
                    Out::Done
                }
                BinaryOp::Comma | BinaryOp::Alt | BinaryOp::Math(_) | BinaryOp::Cmp(_) => {
                    for t in [l, r] {
                        let out = self.term(t, ctx);
                        self.full(&out);
                    }
                    Out::Done
                }
                _ => self.fallback(ctx),
            },
            Term::IfThenElse(branches, otherwise) => {
                for (cond, then) in branches {
                    let out = self.term(cond, ctx);
                    self.truthy(&out);
                    let out = self.term(then, ctx);
                    self.full(&out);
                }
                match otherwise {
                    Some(t) => {
                        let out = self.term(t, ctx);
                        self.full(&out);
                    }
                    None => self.full(ctx),
                }
                Out::Done
            }
            // jaq's definitions (no `def` in the program can shadow them):
            // `def select(f): if f then . else empty end;`,
            // `def not: if . then false else true end;`.
            Term::Call(name, args) => match (*name, args.as_slice()) {
                ("select", [f]) => {
                    let out = self.term(f, ctx);
                    self.truthy(&out);
                    ctx.clone()
                }
                ("not", []) => {
                    self.truthy(ctx);
                    Out::Done
                }
                ("empty" | "null" | "true" | "false", []) => Out::Done,
                _ => self.fallback(ctx),
            },
            Term::Def(..) => {
                self.bail = true;
                Out::Done
            }
            _ => self.fallback(ctx),
        }
    }

    /// A term the analysis does not follow: it may read all of its input.
    fn fallback(&mut self, ctx: &Out) -> Out {
        self.full(ctx);
        Out::Done
    }
}

/// `null` as written (jaq's `def null: [][0];`).
fn is_null(t: &Term<&str>) -> bool {
    matches!(t, Term::Call("null", args) if args.is_empty())
}

/// The keys of a path made only of `.key`, `."key"` and `.["key"]` steps
/// (with or without `?`).
fn literal_keys(path: &Path<Term<&str>>) -> Option<Vec<Vec<u8>>> {
    path.0
        .iter()
        .map(|(part, _opt)| match part {
            Part::Index(Term::Str(None, parts)) => {
                let mut key = String::new();
                for part in parts {
                    match part {
                        StrPart::Str(s) => key.push_str(s),
                        StrPart::Char(c) => key.push(*c),
                        StrPart::Term(_) => return None,
                    }
                }
                Some(key.into_bytes())
            }
            _ => None,
        })
        .collect()
}

/// The event of one line with only what `need` asks for (see the module
/// documentation); `None` when the line is not a strict JSON object, or
/// jaq's parser must decide.
pub(super) fn parse_projected(line: &[u8], need: &Need) -> Option<Val> {
    let mut r = Reader { s: line, i: 0 };
    r.ws();
    if r.peek()? != b'{' {
        return None;
    }
    let v = r.object(need, 0)?;
    r.ws();
    (r.i == line.len()).then_some(v)
}

/// Deeper than this, jaq's parser decides.
const MAX_DEPTH: usize = 256;

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// The object at `i` (at its `{`), with what `need` asks for.
    fn object(&mut self, need: &Need, depth: usize) -> Option<Val> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.i += 1;
        let mut map = Map::default();
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(Val::obj(map));
        }
        loop {
            self.ws();
            let key_start = self.i;
            if self.peek()? != b'"' {
                return None;
            }
            let escaped = self.string()?;
            let key_end = self.i;
            let key_text = &self.s[key_start + 1..key_end - 1];
            self.eat(b':')?;
            self.ws();
            let decoded;
            let key = if escaped {
                decoded = match parse_exact(&self.s[key_start..key_end])? {
                    Val::TStr(b) => b,
                    _ => return None,
                };
                &decoded[..]
            } else {
                key_text
            };
            match need.child(key) {
                None => self.skip(depth + 1)?,
                Some(child) => {
                    let key = parse_exact(&self.s[key_start..key_end])?;
                    let value = if !child.full && self.peek()? == b'{' {
                        self.object(child, depth + 1)?
                    } else {
                        let start = self.i;
                        self.skip(depth + 1)?;
                        parse_exact(&self.s[start..self.i])?
                    };
                    // As jaq: a repeated key keeps its place, the last value.
                    map.insert(key, value);
                }
            }
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(Val::obj(map));
                }
                _ => return None,
            }
        }
    }

    /// Skips the strict JSON value at `i`.
    fn skip(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => {
                let start = self.i;
                if self.string()? {
                    // Escapes as jaq reads them (`\u` surrogates, ...).
                    parse_exact(&self.s[start..self.i])?;
                }
                Some(())
            }
            b'{' => {
                self.i += 1;
                self.ws();
                if self.peek()? == b'}' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    self.ws();
                    if self.peek()? != b'"' {
                        return None;
                    }
                    self.skip(depth)?;
                    self.eat(b':')?;
                    self.ws();
                    self.skip(depth + 1)?;
                    self.ws();
                    match self.peek()? {
                        b',' => self.i += 1,
                        b'}' => {
                            self.i += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.i += 1;
                self.ws();
                if self.peek()? == b']' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    self.ws();
                    self.skip(depth + 1)?;
                    self.ws();
                    match self.peek()? {
                        b',' => self.i += 1,
                        b']' => {
                            self.i += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// The string at `i` (at its `"`): moves past it; whether it has
    /// escapes. `None` for a control character or no closing quote.
    fn string(&mut self) -> Option<bool> {
        let s = self.s;
        let mut i = self.i + 1;
        let mut escaped = false;
        loop {
            // Eight bytes at a time while none is `"`, `\` or below 0x20.
            while let Some(chunk) = s.get(i..i + 8) {
                let w = u64::from_le_bytes(chunk.try_into().ok()?);
                if has_special(w) {
                    break;
                }
                i += 8;
            }
            match *s.get(i)? {
                b'"' => {
                    self.i = i + 1;
                    return Some(escaped);
                }
                b'\\' => {
                    escaped = true;
                    // The escaped byte (checked by jaq's parser later).
                    s.get(i + 1)?;
                    i += 2;
                }
                0..=0x1f => return None,
                _ => i += 1,
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.s[self.i..]
            .starts_with(word)
            .then(|| self.i += word.len())
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.one_or_more_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            self.one_or_more_digits()?;
        }
        Some(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
    }

    fn one_or_more_digits(&mut self) -> Option<()> {
        let start = self.i;
        self.digits();
        (self.i > start).then_some(())
    }
}

/// Whether a byte of `w` is `"`, `\\` or a control character (below 0x20).
fn has_special(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let quote = zero_byte(w ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(w ^ (ONES * u64::from(b'\\')));
    // Bytes below 0x20 (a byte at 0x80 or above never counts).
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    (quote | backslash | control) != 0
}

/// Parses exactly one value with jaq's parser (as it parses the whole
/// line).
fn parse_exact(slice: &[u8]) -> Option<Val> {
    jaq_json::read::parse_single(slice).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::jq::JqProgram;
    use crate::output::jq::testing::EVENT;

    const RECIPE: &str = r#"select(.process_exec != null) | select(.process_exec.process.binary | contains("/tmp/")) | "\(.time) \(.process_exec.process.pod.namespace) \(.process_exec.process.pod.name) \(.process_exec.process.binary) \(.process_exec.process.arguments)""#;

    /// What a program prints (and the error) with and without the
    /// projection.
    fn both(program: &str, input: &str, raw: bool) -> [(String, Option<String>); 2] {
        let projected = JqProgram::compile(program).unwrap();
        let mut whole = JqProgram::compile(program).unwrap();
        whole.need = None;
        [projected, whole].map(|p| {
            let mut out = Vec::new();
            let err = p.run(input, raw, &mut out).err().map(|e| match e {
                crate::output::jq::JqRunError::Program(e) => e.report(1),
                other => other.to_string(),
            });
            (String::from_utf8(out).unwrap(), err)
        })
    }

    fn same(program: &str, input: &str) {
        for raw in [false, true] {
            let [projected, whole] = both(program, input, raw);
            assert_eq!(projected, whole, "{program} on {input} (raw: {raw})");
        }
    }

    #[test]
    fn what_programs_read() {
        let need = Need::of_program(RECIPE).unwrap();
        let exec = need.child(b"process_exec").unwrap();
        assert!(!exec.full);
        let process = exec.child(b"process").unwrap();
        for key in ["binary", "arguments"] {
            assert!(process.child(key.as_bytes()).unwrap().full, "{key}");
        }
        assert!(process.child(b"pid").is_none());
        assert!(need.child(b"time").unwrap().full);
        assert!(need.child(b"node_name").is_none());
        for whole in [
            ".",
            "keys",
            "tojson",
            ".a, .",
            "select(.a) | tostring",
            ".[]",
            "..",
            "if .a then .b end",
            "def select(f): .; select(.a) | .b",
            "def f: .; .a | f",
            ".a as $x | $x, .",
            "{a: .a}",
            "path(.a)",
        ] {
            assert_eq!(Need::of_program(whole), None, "{whole}");
        }
        let need = Need::of_program(r#".a."b c".["d"]? | length"#).unwrap();
        let d = need.child(b"a").unwrap().child(b"b c").unwrap();
        assert!(d.child(b"d").unwrap().full);
    }

    #[test]
    fn projected_runs_print_what_whole_runs_print() {
        let programs = [
            RECIPE,
            ".a",
            ".missing",
            ".a.b, .c, .a",
            ".s",
            "select(.a != null) | .n",
            "select(null == .a) | .n",
            "select(.a.b) | .n, .a.c",
            "select(.a and (.c | not)) | [.n, .m]",
            "if .a.b then .s elif .c then .n else .m end",
            ".a as $x | $x.b, .n",
            ".a.b? // .n",
            ".n + 1, .m * 2, (.n | tostring)",
            r#""\(.s) \(.n) \(.m) \(.big)""#,
            ".a | length",
            ".a.b.c",
            ".s.x?",
            ".s.x",
            ".arr.x",
            ".a | has(\"b\")",
            "empty, null, true, false",
            ".\"k\\u00e9y\", .\"kéy\"",
            "[.n, .m, .big, .neg, .exp]",
            "(.a.b, .c), .e",
            "error(.s)",
            ".x, error(.n)",
        ];
        let inputs = [
            EVENT,
            r#"{"a":{"b":1,"c":[1,2,{"d":null}]},"c":false,"n":1.0,"m":1e3,"big":123456789012345678901234567890,"neg":-0,"exp":1.5E-7,"s":"\u00e9\ud83d\ude00 \"q\" \\ / \u001b é","arr":[1]}"#,
            r#"{"a":{"b":{"c":2}},"a":{"b":null},"n":3}"#,
            r#"{"k\u00e9y":1,"kéy":2,"n":"x\ny"}"#,
            r#"  { "a" : { "b" : true } , "s" : "x" , "n" : [ ] , "skip" : { } }  "#,
            r#"{"a":"str","c":null,"s":{"x":1},"arr":[{"x":1}]}"#,
            r#"{"a":[1,2],"n":null}"#,
            r#"{}"#,
            r#"{"skip":[1,-2.5e+3,0,true,false,null,"\u2028",{"x":[]}],"n":7}"#,
            // Not strict JSON, or not JSON: jaq's parser decides.
            r#"[1,2]"#,
            r#""text""#,
            r#"{"skip":NaN,"n":1}"#,
            r#"{"skip":01,"n":1}"#,
            r#"{"skip":1,"n":1,}"#,
            r#"{"skip":"\x","n":1}"#,
            r#"{"skip":"\ud800","n":1}"#,
            "{\"skip\":\"tab\there\",\"n\":1}",
            "{\"skip\":\"\u{1}\",\"n\":1}",
            r#"{"skip":"#,
            r#"{"skip":"abc"#,
            r#"{"n":1} x"#,
            r#"{"n":1}{"n":2}"#,
            r#"{"n":1 # comment
            }"#,
            r#"{"skip":+1,"n":1}"#,
            r#"{"skip":1.,"n":1}"#,
            r#"{"skip":tru,"n":1}"#,
            r#"{1:2,"n":1}"#,
            "{\"skip\":\"\u{7f}\u{ff}\",\"n\":1}",
            "not json",
            "",
        ];
        for program in programs {
            for input in inputs {
                same(program, input);
            }
        }
    }

    /// The projected runs print what the real `jq -c` (`-r`) prints, when
    /// jq is here.
    #[test]
    fn projected_runs_print_what_jq_prints() {
        use std::io::Write;
        use std::process::{Command, Stdio};
        if Command::new("jq").arg("--version").output().is_err() {
            return;
        }
        let lines = [
            EVENT,
            r#"{"process_exec":{"process":{"binary":"/tmp/\u00e9\ud83d\ude00 \"x\"\t","arguments":"a\u001b\u007f\u2028/","pod":null}},"time":1.0}"#,
            r#"{"process_exit":{"process":{"binary":"/tmp/x"}},"time":1e3,"n":[1.0,1e3,12345678901234567890,-0.0,0.00001,1.5e300]}"#,
            r#"{"process_exec":{"process":{"binary":"/tmp/y","arguments":12345678901234567,"pod":{"namespace":1e17,"name":true}}},"time":null}"#,
            r#"{"process_exec":null,"time":"t","n":{"a":1}}"#,
        ];
        let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
        for program in [
            RECIPE,
            ".time",
            ".process_exec.process.binary, .process_exec.process.arguments",
            ".missing, .process_exec.process.pod",
            "select(.process_exec != null) | .process_exec.process.pod.name",
            "select(.process_exit) | .n",
            r#".n as $n | "\($n) \(.time)""#,
        ] {
            for raw in [false, true] {
                let mut jq = Command::new("jq")
                    .args(["-c", if raw { "-r" } else { "-c" }, program])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .spawn()
                    .unwrap();
                jq.stdin
                    .take()
                    .unwrap()
                    .write_all(input.as_bytes())
                    .unwrap();
                let theirs = jq.wait_with_output().unwrap().stdout;
                let ours = JqProgram::compile(program).unwrap();
                assert!(ours.need.is_some(), "{program}");
                let mut out = Vec::new();
                for line in lines {
                    ours.run(line, raw, &mut out).unwrap();
                }
                assert_eq!(
                    String::from_utf8_lossy(&out),
                    String::from_utf8_lossy(&theirs),
                    "{program} (raw: {raw})"
                );
            }
        }
    }

    #[test]
    fn a_line_that_is_not_json_is_an_input_error() {
        let [projected, whole] = both(".n", r#"{"n":1,"skip":[}"#, false);
        assert_eq!(projected, whole);
        assert!(
            projected
                .1
                .as_deref()
                .unwrap()
                .starts_with("event is not JSON"),
            "{projected:?}"
        );
        let [projected, _] = both(".n", r#"{"skip":"\x","n":1}"#, false);
        assert!(projected.1.is_some());
    }

    #[test]
    fn special_bytes_are_found_in_words() {
        for (bytes, special) in [
            (*b"abcdefgh", false),
            (*b"abc\"efgh", true),
            (*b"abcdefg\\", true),
            (*b"\x1fbcdefgh", true),
            (*b"\x20\x7f\x80\xff\xe9abc", false),
            (*b"abcd\x00fgh", true),
        ] {
            assert_eq!(has_special(u64::from_le_bytes(bytes)), special, "{bytes:?}");
        }
    }
}
