//! Actions: what a selector does when it matches (`matchActions[]`, `matchReturnActions[]`).

use std::time::Duration;

/// An action's `action`, matched ignoring case as upstream does (`post`, `Post`, `POST`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[allow(missing_docs)]
pub enum ActionKind {
    #[default]
    Post,
    NoPost,
    Sigkill,
    Signal,
    Override,
    FollowFD,
    UnfollowFD,
    CopyFD,
    GetUrl,
    DnsLookup,
    TrackSock,
    UntrackSock,
    NotifyKiller,
    NotifyEnforcer,
    CleanupEnforcerNotification,
    Set,
}

const ACTIONS: &[(ActionKind, &str)] = &[
    (ActionKind::Post, "Post"),
    (ActionKind::NoPost, "NoPost"),
    (ActionKind::Sigkill, "Sigkill"),
    (ActionKind::Signal, "Signal"),
    (ActionKind::Override, "Override"),
    (ActionKind::FollowFD, "FollowFD"),
    (ActionKind::UnfollowFD, "UnfollowFD"),
    (ActionKind::CopyFD, "CopyFD"),
    (ActionKind::GetUrl, "GetUrl"),
    (ActionKind::DnsLookup, "DnsLookup"),
    (ActionKind::TrackSock, "TrackSock"),
    (ActionKind::UntrackSock, "UntrackSock"),
    (ActionKind::NotifyKiller, "NotifyKiller"),
    (ActionKind::NotifyEnforcer, "NotifyEnforcer"),
    (
        ActionKind::CleanupEnforcerNotification,
        "CleanupEnforcerNotification",
    ),
    (ActionKind::Set, "Set"),
];

impl ActionKind {
    /// Parses an action name, ignoring case.
    pub fn from_name(s: &str) -> Option<ActionKind> {
        ACTIONS
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(s))
            .map(|(k, _)| *k)
    }

    /// The canonical name (`Sigkill`, `FollowFD`...).
    pub fn name(&self) -> &'static str {
        ACTIONS
            .iter()
            .find(|(k, _)| k == self)
            .map(|(_, n)| *n)
            .unwrap_or("Post")
    }

    /// Every canonical name.
    pub fn all_names() -> impl Iterator<Item = &'static str> {
        ACTIONS.iter().map(|(_, n)| *n)
    }
}

impl std::fmt::Display for ActionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `rateLimitScope`: what the Post rate limit counts per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RateLimitScope {
    /// `thread` (default).
    #[default]
    Thread,
    /// `process`: all threads of a process together.
    Process,
    /// `global`: every process together.
    Global,
}

impl RateLimitScope {
    /// Parses `thread`, `process` or `global` (any case).
    pub fn from_name(s: &str) -> Option<RateLimitScope> {
        [
            RateLimitScope::Thread,
            RateLimitScope::Process,
            RateLimitScope::Global,
        ]
        .into_iter()
        .find(|r| r.name().eq_ignore_ascii_case(s))
    }

    /// `thread`, `process` or `global`.
    pub fn name(&self) -> &'static str {
        match self {
            RateLimitScope::Thread => "thread",
            RateLimitScope::Process => "process",
            RateLimitScope::Global => "global",
        }
    }

    pub(crate) const NAMES: &'static [&'static str] = &["thread", "process", "global"];
}

/// Parses a `rateLimit`: a whole number of seconds, or a number followed by `s`, `m` or
/// `h` (any case): `5`, `5s`, `1m`, `2h`. The number must fit in 32 bits, as upstream.
pub fn parse_rate_limit(s: &str) -> Option<Duration> {
    let (digits, unit) = match s.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&s[..i], c.to_ascii_lowercase()),
        Some(_) => (s, 's'),
        None => return None,
    };
    let mult = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        _ => return None,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    Some(Duration::from_secs(u64::from(n) * mult))
}

/// `matchActions` / `matchReturnActions` entry. Unset numeric arguments are 0, as upstream.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActionSelector {
    /// `action`.
    pub action: ActionKind,
    /// `argError`: the return value for Override (and NotifyKiller / NotifyEnforcer).
    pub arg_error: i32,
    /// `argSig`: the signal for Signal (and NotifyKiller / NotifyEnforcer).
    pub arg_sig: u32,
    /// `argFd`: the `args` index holding the fd (FollowFD, UnfollowFD, CopyFD).
    pub arg_fd: u32,
    /// `argName`: the `args` index holding the name (FollowFD, CopyFD).
    pub arg_name: u32,
    /// `argUrl`: the URL GetUrl requests.
    pub arg_url: Option<String>,
    /// `argFqdn`: the name DnsLookup resolves.
    pub arg_fqdn: Option<String>,
    /// `argSock`: the `args` index holding the socket (TrackSock, UntrackSock).
    pub arg_sock: u32,
    /// `argIndex`: the argument Set writes.
    pub arg_index: u32,
    /// `argValue`: the value Set writes.
    pub arg_value: u32,
    /// `argRegs`: register overrides (uprobe Override).
    pub arg_regs: Vec<String>,
    /// `argNewSymbol`: call redirection target (uprobe Override).
    pub arg_new_symbol: Option<String>,
    /// `argNewAddr`: call redirection target (uprobe Override).
    pub arg_new_addr: Option<u64>,
    /// `argNewOffset`: call redirection target (uprobe Override).
    pub arg_new_offset: Option<i64>,
    /// `rateLimit` (Post only): at most one event per this period for the same arguments.
    pub rate_limit: Option<Duration>,
    /// `rateLimitScope` (Post only).
    pub rate_limit_scope: RateLimitScope,
    /// `stackTrace`: older spelling of `kernelStackTrace` (Post only).
    pub stack_trace: bool,
    /// `kernelStackTrace` (Post only).
    pub kernel_stack_trace: bool,
    /// `userStackTrace` (Post only).
    pub user_stack_trace: bool,
    /// `imaHash`: add the IMA hash of the file (Post only).
    pub ima_hash: bool,
}

impl ActionSelector {
    /// Whether the kernel stack is wanted (`kernelStackTrace` or its older spelling `stackTrace`).
    pub fn wants_kernel_stack(&self) -> bool {
        self.stack_trace || self.kernel_stack_trace
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits() {
        assert_eq!(parse_rate_limit("5"), Some(Duration::from_secs(5)));
        assert_eq!(parse_rate_limit("5s"), Some(Duration::from_secs(5)));
        assert_eq!(parse_rate_limit("1m"), Some(Duration::from_secs(60)));
        assert_eq!(parse_rate_limit("2H"), Some(Duration::from_secs(7200)));
        assert_eq!(parse_rate_limit("m"), None);
        assert_eq!(parse_rate_limit(""), None);
        assert_eq!(parse_rate_limit("5x"), None);
        assert_eq!(parse_rate_limit("-5"), None);
        assert_eq!(parse_rate_limit("1.5m"), None);
        assert_eq!(parse_rate_limit("99999999999"), None);
        assert_eq!(parse_rate_limit("5 m"), None);
    }

    #[test]
    fn action_names() {
        assert_eq!(ActionKind::from_name("post"), Some(ActionKind::Post));
        assert_eq!(
            ActionKind::from_name("followfd"),
            Some(ActionKind::FollowFD)
        );
        assert_eq!(ActionKind::from_name("Kill"), None);
    }
}
