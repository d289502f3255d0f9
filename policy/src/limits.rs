//! The engine's limits on a policy. Errors quote them; the crate docs have the table.

/// Selectors per hook.
pub const MAX_SELECTORS: usize = 5;
/// Arguments (`args`) per hook.
pub const MAX_ARGS: usize = 5;
/// Highest argument `index` of a kprobe or uprobe (registers 0..=4 are read).
pub const MAX_ARG_INDEX: u32 = 4;
/// Highest argument `index` of a raw tracepoint.
pub const MAX_RAW_TRACEPOINT_ARG_INDEX: u32 = 5;
/// `matchArgs` entries per selector.
pub const MAX_MATCH_ARGS: usize = 5;
/// Values of one `matchPIDs` entry.
pub const MAX_MATCH_PIDS_VALUES: usize = 16;
/// Values of a `matchArgs` entry compared inline: Mask, GreaterThan, LessThan, InRange, NotInRange.
pub const MAX_INLINE_INT_VALUES: usize = 8;
/// Bytes of one string value (string `matchArgs` values, `matchBinaries` values).
pub const MAX_STRING_VALUE_LEN: usize = 248;
/// Values of one selector filter held in a map (string and integer Equal, Prefix, InMap...).
pub const MAX_STRING_VALUES: usize = 1024;
/// Values of one `matchBinaries` / `matchParentBinaries` entry.
pub const MAX_BINARY_VALUES: usize = 128;
/// `matchBinaries` (and `matchParentBinaries`) entries per selector.
pub const MAX_MATCH_BINARIES: usize = 1;
/// Values of one `matchNamespaces` entry.
pub const MAX_NAMESPACE_VALUES: usize = 8;
/// `matchNamespaces` entries per selector.
pub const MAX_MATCH_NAMESPACES: usize = 10;
/// `matchNamespaceChanges` entries per selector.
pub const MAX_MATCH_NAMESPACE_CHANGES: usize = 1;
/// Actions per selector (`matchActions`, and `matchReturnActions` separately).
pub const MAX_ACTIONS: usize = 4;
/// Tags per hook.
pub const MAX_TAGS: usize = 16;
/// Bytes of a hook's `message`.
pub const MAX_MESSAGE_LEN: usize = 256;
/// Bytes of a `char_buf` argument read without `maxData`.
pub const MAX_CHAR_BUF: usize = 4096;
/// Bytes of a `char_buf` argument read with `maxData: true`.
pub const MAX_DATA: usize = 32736;
/// Highest signal number of the Signal action's `argSig`.
pub const MAX_SIGNAL: u32 = 64;
/// `killers` (and `enforcers`) entries per policy.
pub const MAX_KILLERS: usize = 1;
/// Length of `metadata.name`.
pub const MAX_NAME_LEN: usize = 253;
