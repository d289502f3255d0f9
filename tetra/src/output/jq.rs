//! `tetra getevents --jq PROGRAM`: a jq program run over every event, with
//! output byte-identical to `jq -c` (and `jq -r -c` with `-r`).
//!
//! The interpreter is jaq (jaq-core, jaq-std, jaq-json). Where jaq and jq
//! disagree, this module sides with jq 1.6, the jq of Debian 12 and of CI
//! (jq 1.7 agrees on everything the tests exercise):
//!
//! - Values are [`JqVal`], jaq's JSON value with jq's rules: numbers print
//!   as jq prints its doubles (`1.0` -> `1`, `1e17` -> `1e+17`, `0.00001` ->
//!   `1e-05`, NaN -> `null`, infinities -> `±1.7976931348623157e+308`),
//!   strings with jq's escapes (`\u007f`, `\u001b`, `/` and non-ASCII as they
//!   are), objects in the order of the event's JSON. The same formatting is
//!   behind `tostring`, `tojson`, string interpolation and error messages.
//! - Paths behave as in jq: `null | .a.b = 1` builds objects, `.[5] = 1`
//!   pads with nulls, `.[1.5]` is null, `null | .[0:2]` is null, deleting a
//!   key keeps the order of the others, `.a |= empty` deletes `.a`.
//! - Arithmetic and indexing errors use jq's words (`number (1) and string
//!   ("a") cannot be added`, `Cannot index number with "b"`), so `try ...
//!   catch .` sees what jq would; division by zero is an error as in jq.
//! - `join`, `del`, `to_entries`/`from_entries`, `@csv`, `@tsv`, `@sh`,
//!   `@uri`, `@base64d`, `ltrimstr`, `indices`, `walk`, `todate`,
//!   `fromdate`, ... are jq 1.6's definitions.
//! - `debug`, `stderr` and `halt_error` write to stderr as jq does.
//!
//! Not supported (a compile error names them): `input`, `inputs`,
//! `$__loc__`, `input_line_number`, `input_filename`, `@base32d`, modules.
//! `@base32` is jq 1.7's (jq 1.6 lists it but fails on it).
//! Known differences left: jq 1.6's `limit(0; f)` yields one output (a bug
//! 1.7 fixed; here none), and `[...] | .[] |= empty` deletes every element
//! here where 1.6 skips every other one; regexes are the regex crate's
//! (no look-around or back-references), jq's are Oniguruma's; `-0` in the
//! input prints as `0`; error texts of jaq's own builtins (`implode`,
//! `splits`, dates, ...) are jaq's words, not jq's.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};
use std::ops::{Add, Div, Mul, Neg, Rem, Sub};

use jaq_core::box_iter::{BoxIter, box_once};
use jaq_core::load::parse::Def;
use jaq_core::load::{self, Arena, File, Loader};
use jaq_core::native::{Filter, Fun, bome, run, v};
use jaq_core::path::Opt;
use jaq_core::{Compiler, Ctx, Exn, RunPtr, ValR, ValX, Vars, data};
use jaq_json::{Num, Rc, Val};

type Data = data::JustLut<JqVal>;
type Error = jaq_core::Error<JqVal>;
/// A result whose error is a jq error.
type Res<T> = Result<T, Error>;

/// jq 1.6's definitions (from its builtin.jq, or written to match its C
/// builtins) of the filters that jaq defines differently or not at all.
/// They come after jaq's standard library, so they may use all of it.
const JQ_DEFS: &str = r#"
def join($x): reduce .[] as $i (null;
            (if .==null then "" else .+$x end) +
            ($i | if type=="boolean" or type=="number" then tostring else .//"" end)
        ) // "";
def del(f): delpaths([path(f)]);
def to_entries: [keys_unsorted[] as $k | {key: $k, value: .[$k]}];
def from_entries: map({(.key // .Key // .name // .Name): (if has("value") then .value else .Value end)}) | add | .//={};
def with_entries(f): to_entries | map(f) | from_entries;
def indices($i): if type == "array" and ($i|type) == "array" then .[$i]
  elif type == "array" then .[[$i]]
  elif type == "string" and ($i|type) == "string" then _strindices($i)
  else .[$i] end;
def index($i):   indices($i) | .[0];
def rindex($i):  indices($i) | .[-1:][0];
def in(xs): . as $x | xs | has($x);
def inside(xs): . as $x | xs | contains($x);
def scalars_or_empty: select(. == null or . == true or . == false or type == "number" or type == "string" or ((type=="array" or type=="object") and length==0));
def leaf_paths: paths(scalars);
def recurse_down: recurse;
def transpose:
  if . == [] then []
  else . as $in
  | (map(length) | max) as $max
  | length as $length
  | reduce range(0; $max) as $j
      ([]; . + [reduce range(0;$length) as $i ([]; . + [ $in[$i][$j] ] )] )
  end;
def walk(f):
  . as $in
  | if type == "object" then
      reduce keys_unsorted[] as $key
        ( {}; . + { ($key):  ($in[$key] | walk(f)) } ) | f
  elif type == "array" then map( walk(f) ) | f
  else f
  end;
def bsearch(target):
  if length == 0 then -1
  elif length == 1 then
     if target == .[0] then 0 elif target < .[0] then -1 else -2 end
  else . as $in
    | [0, length-1, null]
    | until( .[0] > .[1] ;
             if .[2] != null then (.[1] = -1)
             else
               ( ( (.[1] + .[0]) / 2 ) | floor ) as $mid
               | $in[$mid] as $monkey
               | if $monkey == target  then (.[2] = $mid)
                 elif .[0] == .[1]     then (.[1] = -1)
                 elif $monkey < target then (.[0] = ($mid + 1))
                 else (.[1] = ($mid - 1))
                 end
             end )
    | if .[2] == null then
         if $in[ .[0] ] < target then (-2 -.[0])
         else (-1 -.[0])
         end
      else .[2]
      end
  end;
def INDEX(stream; idx_expr):
  reduce stream as $row ({};
    .[$row|idx_expr|
      if type != "string" then tojson
      else .
      end] |= $row);
def INDEX(idx_expr): INDEX(.[]; idx_expr);
def JOIN($idx; idx_expr): [.[] | [., $idx[idx_expr]]];
def JOIN($idx; stream; idx_expr): stream | [., $idx[idx_expr]];
def JOIN($idx; stream; idx_expr; join_expr): stream | [., $idx[idx_expr]] | join_expr;
def IN(s): reduce (first(select(. == s)) | true) as $v (false; if . or $v then true else false end);
def IN(src; s): reduce (src|IN(s)) as $v (false; if . or $v then true else false end);
def match(re; mode): _match_impl(re; mode; false)|.[];
def match($val): ($val|type) as $vt | if $vt == "string" then match($val; null)
   elif $vt == "array" and ($val | length) > 1 then match($val[0]; $val[1])
   elif $vt == "array" and ($val | length) > 0 then match($val[0]; null)
   else error( $vt + " not a string or array") end;
def test(re; mode): _match_impl(re; mode; true);
def test($val): ($val|type) as $vt | if $vt == "string" then test($val; null)
   elif $vt == "array" and ($val | length) > 1 then test($val[0]; $val[1])
   elif $vt == "array" and ($val | length) > 0 then test($val[0]; null)
   else error( $vt + " not a string or array") end;
def capture(re; mods): match(re; mods) | reduce ( .captures | .[] | select(.name != null) | { (.name) : .string } ) as $pair ({}; . + $pair);
def capture($val): ($val|type) as $vt | if $vt == "string" then capture($val; null)
   elif $vt == "array" and ($val | length) > 1 then capture($val[0]; $val[1])
   elif $vt == "array" and ($val | length) > 0 then capture($val[0]; null)
   else error( $vt + " not a string or array") end;
def scan(re):
  match(re; "g")
  |  if (.captures|length > 0)
      then [ .captures | .[] | .string ]
      else .string
      end ;
def _nwise(a; $n): if a|length <= $n then a else a[0:$n] , _nwise(a[$n:]; $n) end;
def _nwise($n): _nwise(.; $n);
def splits($re; flags): . as $s
  | [ match($re; "g" + flags) | (.offset, .offset + .length) ]
  | [0] + . +[$s|length]
  | _nwise(2)
  | $s[.[0]:.[1] ] ;
def splits($re): splits($re; null);
def split($re; flags): [ splits($re; flags) ];
def sub($re; s):
  . as $in
  | [match($re)]
  | if length == 0 then $in
    else .[0]
    | . as $r
    | reduce ( $r | .captures | .[] | select(.name != null) | { (.name) : .string } ) as $pair
        ({}; . + $pair)
    | $in[0:$r.offset] + s + $in[$r.offset+$r.length:]
    end ;
def sub($re; s; flags):
  def subg: [explode[] | select(. != 103)] | implode;
  def sub1(fla; gs):
    def mysub:
      . as $in
      | [match($re; fla)]
      | if length == 0 then $in
        else .[0] as $edit
        | ($edit | .offset + .length) as $len
        | reduce ( $edit | .captures | .[] | select(.name != null) | { (.name) : .string } ) as $pair
            ({}; . + $pair)
        | $in[0:$edit.offset]
          + s
          + ($in[$len:] | if length > 0 and gs then mysub else . end)
        end ;
    mysub ;
    (flags | index("g")) as $gs
    | (flags | if $gs then subg else . end) as $fla
    | sub1($fla; $gs);
def gsub($re; s; flags): sub($re; s; flags + "g");
def gsub($re; s): sub($re; s; "g");
def fromdateiso8601: strptime("%Y-%m-%dT%H:%M:%SZ")|mktime;
def todateiso8601: strftime("%Y-%m-%dT%H:%M:%SZ");
def fromdate: fromdateiso8601;
def todate: todateiso8601;
def __tetra_sh1:
  if type == "string" then "'" + (__tetra_nul | split("'") | join("'\\''")) + "'"
  elif type == "array" or type == "object" then error("\(type) (\(__tetra_trunc)) can not be escaped for shell")
  else tojson end;
def @sh: if type == "array" then map(__tetra_sh1) | join(" ") else __tetra_sh1 end;
def __tetra_row(quote; what):
  if type == "array" then
    map(if type == "string" then quote
        elif type == "number" or type == "boolean" then tojson
        elif type == "null" then ""
        else error("\(type) (\(__tetra_trunc)) is not valid in a csv row") end)
  else error("\(type) (\(__tetra_trunc)) cannot be \(what)-formatted, only an array can be") end;
def @csv: __tetra_row("\"" + (__tetra_nul | split("\"") | join("\"\"")) + "\""; "csv") | join(",");
def @tsv: __tetra_row(__tetra_nul | split("\\") | join("\\\\") | split("\t") | join("\\t")
                      | split("\n") | join("\\n") | split("\r") | join("\\r"); "tsv") | join("\t");
def @uri: tostring | __tetra_uri;
def @html: tostring | __tetra_nul | escape_html;
def @base32: tostring | __tetra_base32;
def halt_error($exit_code): __tetra_halt_message, halt($exit_code);
def halt_error: halt_error(5);
def truncate_stream(stream):
  . as $n | null | stream | . as $input | if (.[0]|length) > $n then setpath([0];$input[0][$n:]) else empty end;
def fromstream(i):
  foreach i as $item (
    [null,false,null,false];
    if ($item[0]|length) == 0 then [null,false,.[2],.[3]]
    elif ($item|length) == 1 and ($item[0]|length) < 2 then [null,false,.[0],.[1]]
    else . end |
    . as $state |
    if ($item|length) > 1 and ($item[0]|length) > 0 then
      [.[0]|setpath(($item|.[0]); ($item|.[1])),
      true,
      $state[2],
      $state[3]]
    else .
    end;
    if ($item[0]|length) == 1 and ($item|length == 1) and .[3] then .[2] else empty end,
    if ($item[0]|length) == 0 then $item[1] else empty end
    );
def tostream:
  {string:true,number:true,boolean:true,null:true} as $leaf_types |
  . as $dot |
  if $leaf_types[$dot|type] or length==0 then [[],$dot]
  else
    keys_unsorted as $keys |
    $keys[-1] as $last|
    (($keys[] | . as $key |
      $dot[$key] | . as $dot |
      tostream|.[0]|=[$key]+.),
     [[$last]])
  end;
"#;

/// jaq definitions dropped in favour of [`JQ_DEFS`] (or that rely on jaq's
/// own natives, which are not used here): `name` for all arities,
/// `name/N` for one.
const DROPPED_DEFS: &[&str] = &[
    "delpaths",
    "del",
    "join",
    "to_entries",
    "from_entries",
    "with_entries",
    "in",
    "inside",
    "index",
    "rindex",
    "transpose",
    "walk",
    "@sh",
    "@uri",
    "@html",
    "halt_error",
    "nan",
    "infinite",
    "fromdateiso8601",
    "todateiso8601",
    "fromdate",
    "todate",
    "match",
    "test",
    "capture",
    "scan",
    "splits",
    "split/2",
    "sub",
    "gsub",
];

/// jaq-std natives replaced by the ones in [`natives`].
const REPLACED_NATIVES: &[&str] = &[
    "ltrimstr",
    "rtrimstr",
    "decode_base64",
    "debug_empty",
    "stderr_empty",
];

/// A compiled `--jq` program.
pub struct JqProgram {
    filter: jaq_core::Filter<Data>,
    env: JqVal,
}

/// The program did not compile; the message names the position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JqError {
    message: String,
}

impl fmt::Display for JqError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JqError {}

/// Running the program over one event went wrong.
#[derive(Debug)]
pub enum JqRunError {
    /// The program raised an error (jq: `jq: error (at <stdin>:N): ...`).
    /// The outputs before the error were written; the next event goes on.
    Program(ProgramError),
    /// The program called `halt` or `halt_error`: stop with this exit code.
    Halt(i32),
    /// The event text was not JSON.
    Input(String),
    /// Writing the output failed.
    Io(io::Error),
}

/// The value of a jq `error`: a message, or any other value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramError {
    /// The message, or the value as JSON when it is not a string.
    pub message: String,
    /// False for `error({...})` and the like (jq: `(not a string)`).
    pub is_string: bool,
}

impl ProgramError {
    /// jq's wording, with the event number in place of the input line:
    /// `error (at event 3): Cannot index number with "b"`.
    pub fn report(&self, event: u64) -> String {
        if self.is_string {
            format!("error (at event {event}): {}", self.message)
        } else {
            format!("error (at event {event}) (not a string): {}", self.message)
        }
    }
}

impl fmt::Display for JqRunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JqRunError::Program(e) if e.is_string => write!(f, "error: {}", e.message),
            JqRunError::Program(e) => write!(f, "error (not a string): {}", e.message),
            JqRunError::Halt(code) => write!(f, "halted with exit code {code}"),
            JqRunError::Input(e) => write!(f, "event is not JSON: {e}"),
            JqRunError::Io(e) => write!(f, "writing output: {e}"),
        }
    }
}

impl std::error::Error for JqRunError {}

impl From<io::Error> for JqRunError {
    fn from(e: io::Error) -> Self {
        JqRunError::Io(e)
    }
}

impl JqProgram {
    /// Parses and compiles a jq program; errors name the line and column.
    pub fn compile(src: &str) -> Result<JqProgram, JqError> {
        let filter = compile_text(src).map_err(|message| JqError { message })?;
        let env = std::env::vars_os()
            .map(|(k, v)| {
                (
                    Val::from(k.to_string_lossy().into_owned()),
                    Val::from(v.to_string_lossy().into_owned()),
                )
            })
            .collect();
        Ok(JqProgram {
            filter,
            env: JqVal(Val::obj(env)),
        })
    }

    /// Runs the program over one event (its JSON text) and writes each
    /// output on its own line, as `jq -c` (`jq -r -c` when `raw`) would.
    /// On an error, the outputs before it stay written.
    pub fn run(&self, event_json: &str, raw: bool, out: &mut impl Write) -> Result<(), JqRunError> {
        let input = jaq_json::read::parse_single(event_json.as_bytes())
            .map_err(|e| JqRunError::Input(e.to_string()))?;
        let ctx = Ctx::<Data>::new(&self.filter.lut, Vars::new([self.env.clone()]));
        let mut buf = Vec::with_capacity(256);
        for result in self.filter.id.run((ctx, JqVal(input))) {
            let value = match result {
                Ok(value) => value.0,
                Err(exn) => {
                    return match exn.get_err() {
                        Ok(err) => match program_error(err.into_val().0) {
                            Some(e) => Err(JqRunError::Program(e)),
                            // jq: `error(null)` ends the input without a word.
                            None => Ok(()),
                        },
                        Err(exn) => match exn.get_halt() {
                            Ok(code) => Err(JqRunError::Halt(code)),
                            Err(exn) => Err(JqRunError::Program(ProgramError {
                                message: format!("{exn:?}"),
                                is_string: true,
                            })),
                        },
                    };
                }
            };
            buf.clear();
            match &value {
                Val::TStr(s) | Val::BStr(s) if raw => buf.extend_from_slice(jq_text(s).as_bytes()),
                _ => write_json(&mut buf, &value),
            }
            buf.push(b'\n');
            out.write_all(&buf)?;
        }
        Ok(())
    }
}

fn program_error(value: Val) -> Option<ProgramError> {
    match &value {
        Val::Null => None,
        Val::TStr(s) | Val::BStr(s) => Some(ProgramError {
            message: jq_text(s).into_owned(),
            is_string: true,
        }),
        other => Some(ProgramError {
            message: to_json_string(other),
            is_string: false,
        }),
    }
}

/// The prelude: jaq's standard library with jq's definitions where they differ.
fn prelude() -> Vec<Def<&'static str>> {
    let kept = |d: &Def<&'static str>| {
        let arity = format!("{}/{}", d.name, d.args.len());
        !DROPPED_DEFS.iter().any(|x| *x == d.name || *x == arity)
    };
    let jq_defs = load::parse(JQ_DEFS, |p| p.defs()).expect("the jq definitions parse");
    jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs())
        .filter(kept)
        .chain(jq_defs)
        .collect()
}

fn compile_text(code: &str) -> Result<jaq_core::Filter<Data>, String> {
    let funs = jaq_core::funs::<Data>()
        .chain(jaq_std::funs::<Data>())
        .filter(|(name, _, _)| !REPLACED_NATIVES.contains(name))
        .chain(natives());
    let arena = Arena::default();
    let modules = Loader::new(prelude())
        .load(&arena, File { code, path: () })
        .map_err(|errs| load_error(code, errs))?;
    Compiler::default()
        .with_funs(funs)
        .with_global_vars(["$ENV"])
        .compile(modules)
        .map_err(|errs| {
            let mut messages = Vec::new();
            for (_file, undefined) in errs {
                for (name, kind) in undefined {
                    let what = match kind {
                        jaq_core::compile::Undefined::Filter(arity) => {
                            format!("undefined filter `{name}/{arity}`")
                        }
                        other => format!("undefined {} `{name}`", other.as_str()),
                    };
                    messages.push(format!("{what} {}", position(code, name)));
                }
            }
            messages.dedup();
            messages.join("; ")
        })
}

fn load_error(code: &str, errs: load::Errors<&str, ()>) -> String {
    let mut messages = Vec::new();
    for (_file, err) in errs {
        match err {
            load::Error::Io(errs) => {
                for (path, e) in errs {
                    messages.push(format!("cannot load module `{path}`: {e}"));
                }
            }
            load::Error::Lex(errs) => {
                for (expect, at) in errs {
                    let what = match (expect, at.chars().next()) {
                        (load::lex::Expect::Token, Some(c)) => format!("unexpected `{c}`"),
                        (expect, _) => format!("expected {}", expect.as_str()),
                    };
                    messages.push(format!("{what} {}", position(code, at)));
                }
            }
            load::Error::Parse(errs) => {
                for (expect, found) in errs {
                    let shown = if found.is_empty() {
                        "end of program".to_string()
                    } else {
                        format!("`{}`", shorten(found))
                    };
                    let what = match expect {
                        load::parse::Expect::Nothing => format!("unexpected {shown}"),
                        expect => format!("expected {}, found {shown}", expect.as_str()),
                    };
                    messages.push(format!("{what} {}", position(code, found)));
                }
            }
        }
    }
    messages.dedup();
    messages.join("; ")
}

/// `at column 12` (`at line 2, column 5` in a program of several lines)
/// for a slice of `code`; a slice from elsewhere means the end of the program.
fn position(code: &str, part: &str) -> String {
    let start = code.as_ptr() as usize;
    let at = part.as_ptr() as usize;
    let offset = if (start..=start + code.len()).contains(&at) {
        at - start
    } else {
        code.len()
    };
    let before = &code[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    if code.contains('\n') {
        let line = before.matches('\n').count() + 1;
        format!("at line {line}, column {column}")
    } else {
        format!("at column {column}")
    }
}

/// The start of a token, for error messages (a block token is the whole block).
fn shorten(s: &str) -> String {
    let first_line = s.lines().next().unwrap_or("");
    let mut short: String = first_line.chars().take(24).collect();
    if short.len() < s.len() {
        short.push_str("...");
    }
    short
}

/// Natives with jq's behaviour; jaq-json's own natives work on jaq's value
/// type only, so `length`, `has`, `contains`, `tojson` and `fromjson` are
/// here too.
fn natives() -> impl Iterator<Item = Fun<Data>> {
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

// ---------------------------------------------------------------------------
// Values

/// A jq value: jaq's JSON value, with jq's rules for printing, paths,
/// arithmetic and errors.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JqVal(pub Val);

fn fail(message: impl Into<String>) -> Error {
    Error::str(message.into())
}

/// jaq's own errors (rare here: parsing numbers), in jaq's words.
fn from_jaq(e: jaq_core::Error<Val>) -> Error {
    fail(e.to_string())
}

/// `number (1)`, `string ("abcdefghij...)`: a value in a jq error message.
fn desc(v: &Val) -> String {
    format!("{} ({})", kind(v), dump_trunc(v))
}

/// jq's `jv_dump_string_trunc` with its 15-byte buffers: the JSON text cut
/// to 11 bytes and `...` when longer than 14.
fn dump_trunc(v: &Val) -> String {
    let text = to_json_string(v);
    if text.len() <= 14 {
        return text;
    }
    let mut cut = text.as_bytes()[..11].to_vec();
    cut.extend_from_slice(b"...");
    jq_text(&cut).into_owned()
}

fn binop_error(l: &Val, r: &Val, what: &str) -> Error {
    fail(format!("{} and {} cannot be {what}", desc(l), desc(r)))
}

fn kind(v: &Val) -> &'static str {
    match v {
        Val::Null => "null",
        Val::Bool(_) => "boolean",
        Val::Num(_) => "number",
        Val::TStr(_) | Val::BStr(_) => "string",
        Val::Arr(_) => "array",
        Val::Obj(_) => "object",
    }
}

fn num_f64(n: &Num) -> f64 {
    match n {
        Num::Int(i) => *i as f64,
        Num::BigInt(i) => i.to_string().parse().unwrap_or(f64::NAN),
        Num::Float(f) => *f,
        Num::Dec(d) => d.parse().unwrap_or(f64::NAN),
    }
}

fn as_f64(v: &Val) -> Option<f64> {
    match v {
        Val::Num(n) => Some(num_f64(n)),
        _ => None,
    }
}

/// C's `(int)x` for the index arithmetic jq does in `int`.
fn c_int(x: f64) -> i64 {
    x.trunc().clamp(i32::MIN as f64, i32::MAX as f64) as i64
}

fn is_str(v: &Val) -> bool {
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
            v => box_once(Err(fail(format!("Cannot iterate over {}", desc(&v))))),
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
        let first = |v: Val| f(JqVal(v)).next().transpose();
        match self.0 {
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
            v => opt.fail(JqVal(v), |v| {
                Exn::from(fail(format!("Cannot iterate over {}", desc(&v.0))))
            }),
        }
    }

    fn map_index<'a, I: Iterator<Item = ValX<'a, Self>>>(
        self,
        index: &Self,
        opt: Opt,
        f: impl Fn(Self) -> I,
    ) -> ValX<'a, Self> {
        let first = |v: Val| f(JqVal(v)).next().transpose();
        let key = &index.0;
        let mut v = self.0;
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
                let i = c_int(num_f64(n));
                let at = if i < 0 { i + a.len() as i64 } else { i };
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

    fn map_range<'a, I: Iterator<Item = ValX<'a, Self>>>(
        self,
        range: jaq_core::val::Range<&Self>,
        opt: Opt,
        f: impl Fn(Self) -> I,
    ) -> ValX<'a, Self> {
        let (from, upto) = (range.start.map(|v| &v.0), range.end.map(|v| &v.0));
        let mut items = match self.0 {
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
            (Val::Num(_), Val::Num(d)) if num_f64(d) == 0.0 => Err(fail(format!(
                "{} and {} cannot be divided because the divisor is zero",
                desc(&self.0),
                desc(&rhs.0)
            ))),
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
                    return Err(fail(format!(
                        "{} and {} cannot be divided (remainder) because the divisor is zero",
                        desc(&self.0),
                        desc(&rhs.0)
                    )));
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

// ---------------------------------------------------------------------------
// jq's paths (jv_get, jv_set, jv_dels, parse_slice)

/// jq's `jv_is_integer` for array indices.
fn is_int_index(n: &Num) -> bool {
    let x = num_f64(n);
    x == x.trunc() && (i32::MIN as f64..=i32::MAX as f64).contains(&x)
}

/// `.[key]`: missing keys and out-of-range indices are null; so is any
/// key of null.
fn get(v: &Val, key: &Val) -> Result<Val, String> {
    match (v, key) {
        (Val::Obj(o), Val::TStr(_) | Val::BStr(_)) => Ok(o.get(key).cloned().unwrap_or_default()),
        (Val::Arr(a), Val::Num(n)) => {
            if !is_int_index(n) {
                return Ok(Val::Null);
            }
            let i = c_int(num_f64(n));
            let i = if i < 0 { i + a.len() as i64 } else { i };
            Ok(usize::try_from(i)
                .ok()
                .and_then(|i| a.get(i).cloned())
                .unwrap_or_default())
        }
        (Val::Arr(_) | Val::TStr(_) | Val::BStr(_) | Val::Null, Val::Obj(o)) => {
            let from = o.get(&Val::from("start".to_string()));
            let upto = o.get(&Val::from("end".to_string()));
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
fn slice(v: &Val, from: Option<&Val>, upto: Option<&Val>) -> Result<Val, String> {
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
fn slice_bounds(
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
fn set(v: Val, key: &Val, value: Val) -> Result<Val, String> {
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
            let i = c_int(num_f64(n));
            let i = if i < 0 { i + a.len() as i64 } else { i };
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
            let from = o.get(&Val::from("start".to_string()));
            let upto = o.get(&Val::from("end".to_string()));
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
fn delpaths(v: Val, paths: &Val) -> Result<Val, String> {
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
fn dels(mut v: Val, keys: &[Val]) -> Result<Val, String> {
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
                        let i = c_int(num_f64(n));
                        let i = if i < 0 { i + len as i64 } else { i };
                        if (0..len as i64).contains(&i) {
                            gone[i as usize] = true;
                        }
                    }
                    Val::Obj(o) => {
                        let from = o.get(&Val::from("start".to_string()));
                        let upto = o.get(&Val::from("end".to_string()));
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

// ---------------------------------------------------------------------------
// jq's C builtins

fn length(v: &Val) -> Res<Val> {
    Ok(match v {
        Val::Null => Val::from(0isize),
        Val::Bool(_) => return Err(fail(format!("{} has no length", desc(v)))),
        Val::Num(n) => Val::from(num_f64(n).abs()),
        Val::TStr(s) | Val::BStr(s) => Val::from(jq_text(s).chars().count()),
        Val::Arr(a) => Val::from(a.len()),
        Val::Obj(o) => Val::from(o.len()),
    })
}

fn has(v: &Val, key: &Val) -> Res<bool> {
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

fn contains_checked(a: &Val, b: &Val) -> Res<bool> {
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
fn strindices(v: &Val, needle: &Val) -> Res<Val> {
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

/// jq 1.6's `_match_impl` (Oniguruma there, the regex crate here): with
/// `test`, whether the regex matches; else the array of matches, offsets
/// and lengths in code points, unmatched groups as `{"offset":-1,
/// "string":null,"length":0,"name":...}`.
fn match_impl(input: &Val, re: &Val, flags: &Val, test: bool) -> Res<Val> {
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
    let key = |k: &str| Val::from(k.to_string());
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
                let m: jaq_json::Map = [
                    (key("offset"), cp(whole.start())),
                    (key("length"), Val::from(0usize)),
                    (key("string"), Val::from(String::new())),
                    (key("captures"), Val::Arr(Rc::default())),
                ]
                .into_iter()
                .collect();
                out.push(Val::obj(m));
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
            let cap: jaq_json::Map = match caps.get(i) {
                None => [
                    (key("offset"), Val::from(-1isize)),
                    (key("string"), Val::Null),
                    (key("length"), Val::from(0usize)),
                    (key("name"), name),
                ]
                .into_iter()
                .collect(),
                Some(m) if m.start() == m.end() => [
                    (key("offset"), cp(m.start())),
                    (key("string"), Val::from(String::new())),
                    (key("length"), Val::from(0usize)),
                    (key("name"), name),
                ]
                .into_iter()
                .collect(),
                Some(m) => [
                    (key("offset"), cp(m.start())),
                    (key("length"), Val::from(m.as_str().chars().count())),
                    (key("string"), text(m.start(), m.end())),
                    (key("name"), name),
                ]
                .into_iter()
                .collect(),
            };
            captures.push(Val::obj(cap));
        }
        let m: jaq_json::Map = [
            (key("offset"), cp(whole.start())),
            (key("length"), Val::from(whole.as_str().chars().count())),
            (key("string"), text(whole.start(), whole.end())),
            (key("captures"), Val::Arr(Rc::new(captures))),
        ]
        .into_iter()
        .collect();
        out.push(Val::obj(m));
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

/// jq's `ltrimstr`/`rtrimstr`: the input as it is unless both are strings.
fn trim_str(v: Val, affix: &Val, left: bool) -> Val {
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

fn fromjson(v: &Val) -> Res<Val> {
    let (Val::TStr(s) | Val::BStr(s)) = v else {
        return Err(fail(format!("{} only strings can be parsed", desc(v))));
    };
    jaq_json::read::parse_single(s)
        .map_err(|e| fail(format!("{e} (while parsing '{}')", jq_text(s))))
}

/// jq's `@uri`: everything but `A-Za-z0-9-_.!~*'()` as `%XX`.
fn uri_encode(v: &Val) -> Val {
    let bytes = jaq_std::ValT::as_bytes(v).unwrap_or_default();
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Val::from(out)
}

/// `@base32`: RFC 4648 with padding.
fn base32_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for chunk in bytes.chunks(5) {
        let mut block = [0u8; 5];
        block[..chunk.len()].copy_from_slice(chunk);
        let bits = block.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b));
        let used = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < used {
                out.push(ALPHABET[(bits >> (35 - 5 * i) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// jq's `@base64d`: decoding stops at the first `=`, padding is optional,
/// and bytes that are not UTF-8 become U+FFFD as in every jq string.
fn base64_decode(text: &[u8]) -> Result<Val, &'static str> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut code, mut read) = (0u32, 0);
    for &c in text.iter().take_while(|c| **c != b'=') {
        let sextet = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err("is not valid base64 data"),
        };
        code = code << 6 | u32::from(sextet);
        read += 1;
        if read == 4 {
            out.extend_from_slice(&code.to_be_bytes()[1..]);
            (code, read) = (0, 0);
        }
    }
    match read {
        3 => out.extend_from_slice(&(code << 6).to_be_bytes()[1..3]),
        2 => out.push((code >> 4) as u8),
        1 => return Err("trailing base64 byte found"),
        _ => {}
    }
    Ok(Val::from(jq_text(&out).into_owned()))
}

// ---------------------------------------------------------------------------
// Output

/// Bytes as a jq string: valid UTF-8 as it is; otherwise each bad sequence
/// becomes U+FFFD the way jq's `jvp_utf8_next` reads it (a lead byte whose
/// sequence runs past the end swallows the rest, for instance).
fn jq_text(bytes: &[u8]) -> Cow<'_, str> {
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

/// A value as `jq -c` prints it.
pub fn to_json_string(v: &Val) -> String {
    let mut buf = Vec::new();
    write_json(&mut buf, v);
    // Only UTF-8 is written.
    String::from_utf8(buf).unwrap_or_else(|e| jq_text(e.as_bytes()).into_owned())
}

/// Writes a value as `jq -c` does.
pub fn write_json(buf: &mut Vec<u8>, v: &Val) {
    match v {
        Val::Null => buf.extend_from_slice(b"null"),
        Val::Bool(true) => buf.extend_from_slice(b"true"),
        Val::Bool(false) => buf.extend_from_slice(b"false"),
        Val::Num(n) => write_num(buf, n),
        Val::TStr(s) | Val::BStr(s) => write_str(buf, s),
        Val::Arr(items) => {
            buf.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    buf.push(b',');
                }
                write_json(buf, item);
            }
            buf.push(b']');
        }
        Val::Obj(entries) => {
            buf.push(b'{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    buf.push(b',');
                }
                match key {
                    Val::TStr(s) | Val::BStr(s) => write_str(buf, s),
                    other => write_str(buf, to_json_string(other).as_bytes()),
                }
                buf.push(b':');
                write_json(buf, value);
            }
            buf.push(b'}');
        }
    }
}

/// A JSON string as jq escapes it: `"` `\` and the control characters
/// (`\b \f \n \r \t`, else `\u00XX`, and DEL as `\u007f`); everything else,
/// `/` and non-ASCII included, as it is.
fn write_str(buf: &mut Vec<u8>, bytes: &[u8]) {
    let text = jq_text(bytes);
    buf.push(b'"');
    let mut plain = 0;
    for (i, c) in text.char_indices() {
        let escape: &[u8] = match c {
            '"' => b"\\\"",
            '\\' => b"\\\\",
            '\n' => b"\\n",
            '\t' => b"\\t",
            '\r' => b"\\r",
            '\u{8}' => b"\\b",
            '\u{c}' => b"\\f",
            '\u{0}'..='\u{1f}' | '\u{7f}' => b"",
            _ => continue,
        };
        buf.extend_from_slice(&text.as_bytes()[plain..i]);
        if escape.is_empty() {
            buf.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
        } else {
            buf.extend_from_slice(escape);
        }
        plain = i + c.len_utf8();
    }
    buf.extend_from_slice(&text.as_bytes()[plain..]);
    buf.push(b'"');
}

/// Numbers are doubles in jq: integers up to 2^53 print as they are,
/// anything else as jq prints a double.
fn write_num(buf: &mut Vec<u8>, n: &Num) {
    const EXACT: usize = 1 << 53;
    match n {
        Num::Int(i) if i.unsigned_abs() <= EXACT => buf.extend_from_slice(i.to_string().as_bytes()),
        other => write_f64(buf, num_f64(other)),
    }
}

/// jq's `jvp_dtoa_fmt`: the shortest digits that read back as the same
/// double, in positional notation unless the exponent is below -4 or the
/// number would need more than 15 padding zeros (`1e+17`, `1e-05`); NaN as
/// `null` and the infinities as the largest finite doubles.
pub fn write_f64(buf: &mut Vec<u8>, x: f64) {
    if x.is_nan() {
        buf.extend_from_slice(b"null");
        return;
    }
    let x = x.clamp(-f64::MAX, f64::MAX);
    if x.is_sign_negative() {
        buf.push(b'-');
    }
    if x == 0.0 {
        buf.push(b'0');
        return;
    }
    // `{:e}` gives the shortest round-trip digits: `1.2345e-7`, `1e17`.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: Vec<u8> = mantissa.bytes().filter(|b| *b != b'.').collect();
    let decpt = exponent.parse::<i32>().unwrap_or(0) + 1;
    let n = digits.len() as i32;
    if decpt <= -4 || decpt > n + 15 {
        buf.push(digits[0]);
        if n > 1 {
            buf.push(b'.');
            buf.extend_from_slice(&digits[1..]);
        }
        let e = decpt - 1;
        let sign = if e < 0 { '-' } else { '+' };
        buf.extend_from_slice(format!("e{sign}{:02}", e.abs()).as_bytes());
    } else if decpt <= 0 {
        buf.extend_from_slice(b"0.");
        buf.extend(std::iter::repeat_n(b'0', (-decpt) as usize));
        buf.extend_from_slice(&digits);
    } else if n <= decpt {
        buf.extend_from_slice(&digits);
        buf.extend(std::iter::repeat_n(b'0', (decpt - n) as usize));
    } else {
        buf.extend_from_slice(&digits[..decpt as usize]);
        buf.push(b'.');
        buf.extend_from_slice(&digits[decpt as usize..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENT: &str = r#"{"process_exec":{"process":{"exec_id":"a2luZC1jb250cm9sLXBsYW5lOjEwMDAwMDoxMDA=","pid":100,"uid":0,"binary":"/tmp/nc","arguments":"ebpf.io 1234","pod":{"namespace":"default","name":"xwing"}}},"node_name":"kind-control-plane","time":"2023-10-31T18:44:22.777962637Z"}"#;

    /// Every output of `program` over `input`, as `jq -c` (`-r`) prints
    /// them, and the error that ended the run if any.
    fn jq(program: &str, input: &str, raw: bool) -> (String, Option<String>) {
        let program = JqProgram::compile(program).unwrap_or_else(|e| panic!("{program}: {e}"));
        let mut out = Vec::new();
        let err = match program.run(input, raw, &mut out) {
            Ok(()) => None,
            Err(JqRunError::Program(e)) => Some(e.report(7)),
            Err(e) => Some(e.to_string()),
        };
        (String::from_utf8(out).unwrap(), err)
    }

    /// The outputs of a program that must not fail.
    fn c(program: &str, input: &str) -> String {
        let (out, err) = jq(program, input, false);
        assert_eq!(err, None, "{program}");
        out
    }

    #[test]
    fn the_documents_exec_recipe() {
        let recipe = r#"select(.process_exec != null) | select(.process_exec.process.binary | contains("/tmp/")) | "\(.time) \(.process_exec.process.pod.namespace) \(.process_exec.process.pod.name) \(.process_exec.process.binary) \(.process_exec.process.arguments)""#;
        assert_eq!(
            c(recipe, EVENT),
            "\"2023-10-31T18:44:22.777962637Z default xwing /tmp/nc ebpf.io 1234\"\n"
        );
        assert_eq!(
            jq(recipe, EVENT, true).0,
            "2023-10-31T18:44:22.777962637Z default xwing /tmp/nc ebpf.io 1234\n"
        );
        assert_eq!(c(recipe, r#"{"process_exit":{},"time":"t"}"#), "");
    }

    #[test]
    fn numbers_print_as_jq_prints_doubles() {
        let cases = [
            ("1.0", "1"),
            ("1.5", "1.5"),
            ("1e17", "1e+17"),
            ("1e16", "1e+16"),
            ("123e15", "123000000000000000"),
            ("1e15", "1000000000000000"),
            ("0.00001", "1e-05"),
            ("0.0001", "0.0001"),
            ("1e300", "1e+300"),
            ("5e-324", "5e-324"),
            ("1e1000", "1.7976931348623157e+308"),
            ("-1e1000", "-1.7976931348623157e+308"),
            ("100000000000000000000", "1e+20"),
            ("12345678901234567", "12345678901234568"),
            ("9007199254740993", "9007199254740992"),
            ("9007199254740992", "9007199254740992"),
            ("4294967295", "4294967295"),
            ("-17", "-17"),
            ("123456789.123", "123456789.123"),
        ];
        for (input, printed) in cases {
            assert_eq!(c(".", input), format!("{printed}\n"), "{input}");
        }
        assert_eq!(
            c(
                "0.1 + 0.2, 1 / 3, 10 / 4, 100 / 10, .pid * 1.0, .pid / 3",
                r#"{"pid":100}"#
            ),
            "0.30000000000000004\n0.3333333333333333\n2.5\n10\n100\n33.333333333333336\n"
        );
        assert_eq!(
            c("nan, infinite, -infinite, ([nan] | tojson)", "null"),
            "null\n1.7976931348623157e+308\n-1.7976931348623157e+308\n\"[null]\"\n"
        );
        assert_eq!(
            c(r#""\(1.0) \([1.5, 2.0]) \(1e17)""#, "null"),
            "\"1 [1.5,2] 1e+17\"\n"
        );
        assert_eq!(c("1.0 | tostring, tojson", "null"), "\"1\"\n\"1\"\n");
        assert_eq!(c("-0, -(.a)", r#"{"a":0}"#), "-0\n-0\n");
    }

    #[test]
    fn strings_escape_as_jq_escapes_them() {
        let input = r#""\u007f\u0001\u001b\b\f\n\r\t\"\\/é😀\u2028""#;
        assert_eq!(
            c(".", input),
            "\"\\u007f\\u0001\\u001b\\b\\f\\n\\r\\t\\\"\\\\/é😀\u{2028}\"\n"
        );
        assert_eq!(
            jq(".", input, true).0,
            "\u{7f}\u{1}\u{1b}\u{8}\u{c}\n\r\t\"\\/é😀\u{2028}\n"
        );
        assert_eq!(c("length", input), "14\n");
    }

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

    #[test]
    fn several_outputs_each_on_a_line_and_empty_prints_nothing() {
        assert_eq!(c(".[], empty, (.[] | select(. > 1))", "[1,2]"), "1\n2\n2\n");
        assert_eq!(c("empty", EVENT), "");
        assert_eq!(jq(".[]", r#"["a","b"]"#, true).0, "a\nb\n");
    }

    #[test]
    fn errors_use_jqs_words_and_keep_earlier_outputs() {
        let (out, err) = jq(".a, (.a | .b), .c", r#"{"a":1}"#, false);
        assert_eq!(out, "1\n");
        assert_eq!(
            err.unwrap(),
            "error (at event 7): Cannot index number with string \"b\""
        );
        let cases = [
            ("1 + \"a\"", "number (1) and string (\"a\") cannot be added"),
            (
                "\"abcdefghijklmnopqrstuvwxyz\" - 1",
                "string (\"abcdefghij...) and number (1) cannot be subtracted",
            ),
            ("{} | .[0]", "Cannot index object with number"),
            ("5 | .[]", "Cannot iterate over number (5)"),
            (
                "1 / 0",
                "number (1) and number (0) cannot be divided because the divisor is zero",
            ),
            ("true | length", "boolean (true) has no length"),
            ("-\"a\"", "string (\"a\") cannot be negated"),
            (
                "null | test(\"a\")",
                "null (null) cannot be matched, as it is not a string",
            ),
        ];
        for (program, message) in cases {
            assert_eq!(
                c(&format!("try ({program}) catch ."), "null"),
                format!("\"{}\"\n", message.replace('"', "\\\""))
            );
        }
        let (out, err) = jq("error({\"a\":1})", "null", false);
        assert_eq!(
            (out.as_str(), err.unwrap().as_str()),
            ("", "error (at event 7) (not a string): {\"a\":1}")
        );
        // jq: `error(null)` ends the input silently.
        assert_eq!(
            jq("1, error(null), 2", "null", false),
            ("1\n".to_string(), None)
        );
    }

    #[test]
    fn halt_stops_with_its_exit_code() {
        let program = JqProgram::compile("1, halt, 2").unwrap();
        let mut out = Vec::new();
        assert!(matches!(
            program.run("null", false, &mut out),
            Err(JqRunError::Halt(0))
        ));
        assert_eq!(out, b"1\n");
    }

    #[test]
    fn compile_errors_name_the_position() {
        let err = |p: &str| JqProgram::compile(p).err().map(|e| e.to_string());
        assert_eq!(
            err(".a | foo(1)").unwrap(),
            "undefined filter `foo/1` at column 6"
        );
        assert_eq!(
            err(".a | (").unwrap(),
            "expected closing parenthesis at column 7"
        );
        assert_eq!(err("$x").unwrap(), "undefined variable `$x` at column 1");
        assert_eq!(
            err(".a |\n .b | ]").unwrap(),
            "unexpected `]` at line 2, column 7"
        );
        assert!(
            err("select(.process_exec != null) | .time )")
                .unwrap()
                .ends_with("at column 39")
        );
        assert_eq!(err(".a"), None);
    }

    #[test]
    fn writes_doubles_like_jvp_dtoa_fmt() {
        let f = |x: f64| {
            let mut buf = Vec::new();
            write_f64(&mut buf, x);
            String::from_utf8(buf).unwrap()
        };
        assert_eq!(f(0.0), "0");
        assert_eq!(f(f64::NAN), "null");
        assert_eq!(f(1.0e-4), "0.0001");
        assert_eq!(f(1.5e-5), "1.5e-05");
        assert_eq!(f(-0.0), "-0");
        assert_eq!(f(2.0f64.powi(60)), "1152921504606847000");
        assert_eq!(f(2.0f64.powi(70)), "1180591620717411300000");
        assert_eq!(f(2.0f64.powi(110)), "1.298074214633707e+33");
        assert_eq!(f(-123.456), "-123.456");
    }

    #[test]
    fn bad_utf8_becomes_replacement_characters_as_in_jq() {
        assert_eq!(jq_text(b"a\xffb"), "a\u{fffd}b");
        // A lead byte whose sequence runs past the end swallows the rest.
        assert_eq!(jq_text(b"\x9e\xe9e"), "\u{fffd}\u{fffd}");
        assert_eq!(jq_text(b"\xe9ex"), "\u{fffd}ex");
        assert_eq!(c("@base64d", r#""null""#), "\"\u{fffd}\u{fffd}\"\n");
    }
}
