//! Colours: when to colour (`--color`) and the ANSI codes around each part of a line.

use super::CompactEncoder;

/// When the compact output is coloured (`--color`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorMode {
    /// Colours when stdout is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`.
    #[default]
    Auto,
    /// Always colour (even with `NO_COLOR` set: an explicit flag wins, as upstream).
    Always,
    /// Never colour.
    Never,
}

impl ColorMode {
    /// Whether to colour, given whether stdout is a terminal; reads `NO_COLOR` and `TERM`.
    pub fn resolve(self, is_terminal: bool) -> bool {
        let no_color = std::env::var_os("NO_COLOR");
        let term = std::env::var_os("TERM");
        // A value that is not UTF-8 is still a non-empty value.
        let no_color = no_color.as_deref().map(|v| v.to_str().unwrap_or("?"));
        self.resolve_with(
            is_terminal,
            no_color,
            term.as_deref().and_then(|v| v.to_str()),
        )
    }

    /// [`resolve`](Self::resolve) with the environment passed in: `no_color` and `term` are the
    /// values of `NO_COLOR` and `TERM` (`None` when unset).
    pub fn resolve_with(
        self,
        is_terminal: bool,
        no_color: Option<&str>,
        term: Option<&str>,
    ) -> bool {
        match self {
            ColorMode::Always => true,
            ColorMode::Never => false,
            ColorMode::Auto => {
                is_terminal && no_color.is_none_or(str::is_empty) && term != Some("dumb")
            }
        }
    }
}

/// The foreground colour of a part of the line (its SGR code).
#[derive(Clone, Copy)]
pub(super) enum Paint {
    Red = 31,
    Green = 32,
    Yellow = 33,
    Blue = 34,
    Magenta = 35,
    Cyan = 36,
}

/// The code that ends every coloured part.
pub(super) const RESET: &str = "\x1b[0m";

impl CompactEncoder {
    /// `text` in `paint` when colouring, as it is otherwise.
    pub(super) fn paint(&self, paint: Paint, text: &str) -> String {
        if self.color {
            format!("\x1b[{}m{text}{RESET}", paint as u8)
        } else {
            text.to_owned()
        }
    }

    /// The colour of the details (arguments, paths, sockets, bpf attributes).
    pub(super) fn cyan(&self, text: &str) -> String {
        self.paint(Paint::Cyan, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::compact::fixtures::ev;
    use serde_json::json;

    #[test]
    fn color_mode_resolution() {
        use ColorMode::*;
        assert!(Always.resolve_with(false, None, None));
        assert!(Always.resolve_with(false, Some("1"), Some("dumb")));
        assert!(!Never.resolve_with(true, None, None));
        assert!(Auto.resolve_with(true, None, Some("xterm-256color")));
        assert!(Auto.resolve_with(true, Some(""), None));
        assert!(!Auto.resolve_with(false, None, None));
        assert!(!Auto.resolve_with(true, Some("1"), None));
        assert!(!Auto.resolve_with(true, None, Some("dumb")));
        assert!(!Never.resolve(true));
        assert!(Always.resolve(false));
    }

    #[test]
    fn colours() {
        let enc = CompactEncoder::new(true, false, true);
        let event = ev(json!({"process_exec": {"process": {"binary": "/bin/cat",
            "arguments": "/etc/shadow", "pod": {"namespace": "default", "name": "xwing"}}}}));
        let head = "\x1b[34m🚀 process\x1b[0m \x1b[32mdefault/xwing\x1b[0m \x1b[35m/bin/cat\x1b[0m \x1b[36m/etc/shadow\x1b[0m";
        assert_eq!(head.len(), 83);
        // The empty caps trailer is still a coloured (non-empty) string: the line gets padded
        // to 120 bytes, the 9-character escape pair right-aligned in the remaining 37.
        let expected = format!("{head} {}\x1b[35m\x1b[0m", " ".repeat(28));
        assert_eq!(enc.encode(&event).unwrap(), expected);

        let event = ev(json!({"process_exit": {"process": {"binary": "/bin/cat",
            "arguments": "/etc/shadow", "cap": {"effective": ["CAP_SYS_ADMIN"]}},
            "signal": "SIGKILL"}, "node_name": "my-node"}));
        let head = "\x1b[34m💥 exit   \x1b[0m \x1b[32mmy-node\x1b[0m \x1b[35m/bin/cat\x1b[0m \x1b[36m/etc/shadow\x1b[0m \x1b[31mSIGKILL\x1b[0m";
        let caps = "\x1b[35m🛑 CAP_SYS_ADMIN\x1b[0m";
        let pad = 120 - head.len() - caps.chars().count();
        assert_eq!(
            enc.encode(&event).unwrap(),
            format!("{head} {}{caps}", " ".repeat(pad))
        );

        let event = ev(json!({"process_throttle": {"type": "THROTTLE_STOP", "cgroup": "/c"}}));
        assert_eq!(
            enc.encode(&event).unwrap(),
            "\x1b[31m🧬 throttle\x1b[0m \x1b[32mSTOP \x1b[0m /c"
        );
    }
}
