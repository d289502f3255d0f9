//! The jq definitions every program starts with: jaq's standard library, with jq 1.6's
//! definitions where the two differ.

use jaq_core::load::{self, parse::Def};

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

/// The prelude: jaq's standard library with jq's definitions where they differ.
pub(super) fn prelude() -> Vec<Def<&'static str>> {
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
