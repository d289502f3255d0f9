//! Compiling a program: jaq's loader and compiler with the jq prelude and natives, and error
//! messages that name the position.

use jaq_core::Compiler;
use jaq_core::load::{self, Arena, File, Loader};

use super::Data;
use super::natives::{REPLACED_NATIVES, natives};
use super::prelude::prelude;

/// The compiled program, or every problem found, each with its position.
pub(super) fn compile_text(code: &str) -> Result<jaq_core::Filter<Data>, String> {
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

#[cfg(test)]
mod tests {
    use crate::output::jq::JqProgram;

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
}
