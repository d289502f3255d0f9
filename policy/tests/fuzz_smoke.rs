//! Deterministic mutation smoke test: valid policies, mangled 20,000 times (byte flips,
//! line deletions, duplications and swaps, truncation, re-indentation, inserted YAML
//! tokens). Parsing must never panic, and every error must say where it is.

use std::path::Path;

use tetragon_policy::{check_engine_support, parse_policy};

/// Iterations; `POLICY_FUZZ_ITERATIONS` overrides it for a longer local run.
const ITERATIONS: usize = 20_000;

const CORPUS: &[&str] = &[
    r#"apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "fd-install"
  labels: {team: sec}
spec:
  kprobes:
  - call: "fd_install"
    syscall: false
    args:
    - index: 0
      type: "int"
    - index: 1
      type: "file"
    selectors:
    - matchArgs:
      - index: 1
        operator: "Equal"
        values:
        - "/tmp/tetragon"
      matchActions:
      - action: Sigkill
"#,
    r#"apiVersion: cilium.io/v1alpha1
kind: TracingPolicyNamespaced
metadata:
  name: "lseek"
  namespace: default
spec:
  podSelector:
    matchLabels:
      app: "lseek-test"
    matchExpressions:
    - key: tier
      operator: In
      values: [web]
  kprobes:
  - call: "sys_lseek"
    syscall: true
    return: true
    args:
    - index: 0
      type: "int"
    returnArg:
      type: int
    selectors:
    - matchPIDs:
      - operator: NotIn
        followForks: true
        isNamespacePID: true
        values: [0, 1]
      matchArgs:
      - index: 0
        operator: "InRange"
        values: ["-5:-1"]
      matchReturnArgs:
      - operator: LT
        values: [0]
      matchActions:
      - action: Post
        rateLimit: 1m
        rateLimitScope: process
        kernelStackTrace: true
"#,
    r#"apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: "killer"
spec:
  lists:
  - name: "dups"
    type: "syscalls"
    values: ["sys_dup", "x64/sys_dup2", "__x64_sys_dup3"]
  - name: all
    type: generated_syscalls
  - name: ksys
    type: generated_ftrace
    pattern: "^ksys_.*"
  killers:
  - syscalls: ["list:dups"]
  options:
  - name: disable-kprobe-multi
    value: "1"
  tracepoints:
  - subsystem: "raw_syscalls"
    event: "sys_enter"
    raw: false
    tags: [a, b]
    message: "raw enter"
    args:
    - index: 4
      type: "uint64"
    selectors:
    - matchArgs:
      - index: 4
        operator: "InMap"
        values: ["list:dups", "1:3"]
      matchBinaries:
      - operator: "In"
        followChildren: true
        values: ["/usr/bin/bash"]
      matchNamespaces:
      - namespace: Mnt
        operator: In
        values: ["host_ns", "4026531840"]
      matchCapabilities:
      - type: Effective
        operator: NotIn
        values: [CAP_SYS_ADMIN]
      matchNamespaceChanges:
      - operator: In
        values: [Mnt, Net]
      matchActions:
      - action: "NotifyKiller"
        argSig: 9
        argError: -1
"#,
    r#"apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata: {name: uprobes}
spec:
  uprobes:
  - path: /usr/bin/bash
    symbols: [readline]
    refCtrOffsets: [0x10]
    args:
    - {index: 0, type: string}
    selectors:
    - matchArgs: [{index: 0, operator: Prefix, values: [ls]}]
      matchActions: [{action: Signal, argSig: 10}]
  kprobes:
  - call: sys_write
    syscall: true
    args:
    - index: 0
      type: fd
    - index: 1
      type: char_buf
      sizeArgIndex: 3
      returnCopy: true
    - index: 2
      type: size_t
    selectors:
    - matchArgs:
      - index: 0
        operator: Postfix
        values: [".conf"]
      - index: 2
        operator: Mask
        values: ["0xff"]
      matchActions:
      - action: GetUrl
        argUrl: https://canary.example.com/x
      - action: DnsLookup
        argFqdn: canary.example.com
      - action: Override
        argError: -1
"#,
    "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: &n anchors\nspec:\n  kprobes:\n  - &k\n    call: sys_dup\n    syscall: true\n    tags: [*n]\n  - call: sys_dup2\n    syscall: true\n",
];

/// YAML fragments inserted at random places.
const TOKENS: &[&str] = &[
    ":",
    ": ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "*nope",
    "!!str ",
    "!!int ",
    "!custom ",
    "|\n",
    ">-\n",
    "\"",
    "'",
    "#",
    "---\n",
    "...\n",
    "\t",
    "null",
    "~",
    "0x",
    "-1",
    "99999999999999999999999999999999999999999",
    "\n  ",
    "\n",
    "? ",
    "list:",
    "list:dups",
    "CAP_",
    "\\0",
    "\\u00e9",
    "é",
    "\u{feff}",
    "%YAML 1.2\n",
    "<<: *k\n",
    "true",
    "yes",
    "1.5e3",
    ".inf",
    "matchArgs:",
    "operator: ",
    "values: []",
    "index: 7",
    "type: ",
    "action: ",
    "  ",
    "\r\n",
    "\u{0}",
    "😀",
];

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn mutate(rng: &mut Rng, input: &str) -> String {
    let mut bytes = input.as_bytes().to_vec();
    for _ in 0..1 + rng.below(3) {
        match rng.below(8) {
            0 if !bytes.is_empty() => {
                let i = rng.below(bytes.len());
                bytes[i] = (rng.next() & 0xff) as u8;
            }
            1 if !bytes.is_empty() => {
                let i = rng.below(bytes.len());
                bytes[i] ^= 1 << rng.below(8);
            }
            2 => bytes.truncate(rng.below(bytes.len() + 1)),
            3 => {
                let i = rng.below(bytes.len() + 1);
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                bytes.splice(i..i, t.iter().copied());
            }
            k => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let mut lines: Vec<String> = text.split('\n').map(String::from).collect();
                if lines.is_empty() {
                    continue;
                }
                let i = rng.below(lines.len());
                match k {
                    4 => {
                        lines.remove(i);
                    }
                    5 => {
                        let l = lines[i].clone();
                        lines.insert(i, l);
                    }
                    6 => {
                        let j = rng.below(lines.len());
                        lines.swap(i, j);
                    }
                    _ => {
                        if rng.below(2) == 0 {
                            lines[i].insert_str(0, "  ");
                        } else if lines[i].starts_with("  ") {
                            lines[i].replace_range(..2, "");
                        }
                    }
                }
                bytes = lines.join("\n").into_bytes();
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn corpus() -> Vec<String> {
    let mut c: Vec<String> = CORPUS.iter().map(|s| s.to_string()).collect();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/policies");
    if let Ok(dir) = std::fs::read_dir(examples) {
        let mut files: Vec<_> = dir.flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files {
            if let Ok(text) = std::fs::read_to_string(&f) {
                c.push(text);
            }
        }
    }
    c
}

#[test]
fn corpus_is_valid() {
    for (i, p) in CORPUS.iter().enumerate() {
        if let Err(e) = parse_policy("corpus.yaml", p) {
            panic!("corpus entry {i} does not parse:\n{e}");
        }
    }
}

#[test]
fn mutated_policies_never_panic_and_errors_say_where() {
    let corpus = corpus();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut ok, mut failed) = (0usize, 0usize);
    let iterations = std::env::var("POLICY_FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ITERATIONS);
    let seed = std::env::var("POLICY_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15);
    rng.0 = seed;
    for iteration in 0..iterations {
        let base = &corpus[rng.below(corpus.len())];
        let input = mutate(&mut rng, base);
        match parse_policy("fuzz.yaml", &input) {
            Ok(p) => {
                ok += 1;
                if let Err(errs) = check_engine_support(&p) {
                    for e in errs.iter() {
                        assert!(
                            !e.path.is_empty() || e.line.is_some(),
                            "iteration {iteration}: {e}\n{input}"
                        );
                    }
                }
            }
            Err(errs) => {
                failed += 1;
                assert!(
                    !errs.is_empty(),
                    "iteration {iteration}: an Err without errors\n{input}"
                );
                for e in errs.iter() {
                    assert!(
                        !e.path.is_empty()
                            || e.line.is_some()
                            || e.message.starts_with("no policy"),
                        "iteration {iteration}: error without a place: {e}\n{input}"
                    );
                    assert!(!e.message.is_empty());
                }
            }
        }
    }
    // Both outcomes must be exercised for the test to mean anything.
    assert!(ok > 100 && failed > 100, "ok {ok}, failed {failed}");
}
