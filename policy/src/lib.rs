//! TracingPolicy (`cilium.io/v1alpha1`): the model, the parser and the validator shared by
//! the daemon (`tetragond`) and the CLI (`tetra tracingpolicy validate`).
//!
//! ```
//! let yaml = r#"
//! apiVersion: cilium.io/v1alpha1
//! kind: TracingPolicy
//! metadata:
//!   name: open-etc
//! spec:
//!   kprobes:
//!   - call: sys_openat
//!     syscall: true
//!     args:
//!     - index: 1
//!       type: string
//!     selectors:
//!     - matchArgs:
//!       - index: 1
//!         operator: Prefix
//!         values: ["/etc/"]
//! "#;
//! let policy = tetragon_policy::parse_policy("open-etc.yaml", yaml).unwrap();
//! assert_eq!(policy.spec.kprobes[0].call, "sys_openat");
//! tetragon_policy::check_engine_support(&policy).unwrap();
//! ```
//!
//! [`parse_policy`] reports every problem of a policy at once, each with its file, line,
//! column and field path ([`PolicyError`]): YAML syntax, unknown fields (with the expected
//! ones), wrong value types, unknown enum values (with the valid ones), missing required
//! fields, and the rules across fields (arguments named by selectors and actions, operators
//! against argument types, values against operators, lists, limits).
//! [`check_engine_support`] then refuses what this engine cannot serve yet (kernel-function
//! hooks and what needs them).
//!
//! Field names are upstream's camelCase; as upstream's JSON decoding does, a field written
//! with other letter case (`followforks`) is accepted. Enum values follow upstream's
//! spelling rules: operators exactly as upstream accepts them (`GT`, `gt` and `GreaterThan`
//! alike), actions, namespaces, capability sets and list types in any case.
//!
//! # Decisions
//!
//! - `metadata.name` must be a DNS-1123 subdomain; `metadata.namespace` a DNS-1123 label.
//! - A `TracingPolicyNamespaced` needs `metadata.namespace`; on a `TracingPolicy` a
//!   namespace is ignored (as Kubernetes does for cluster-scoped objects) and the model's
//!   `namespace` is `None`.
//! - `syscall` defaults to false, as documented.
//! - `returnCopy` does not need `return: true`: as upstream, it adds a return probe.
//! - Tracepoint `matchArgs` `index` names a field (an `args[].index`); a position in `args`
//!   is accepted when no field has that index, as upstream does
//!   ([`TracepointSpec::match_arg_position`]).
//! - `InMap`/`NotInMap` values may be `list:NAME` naming a `syscalls` or
//!   `generated_syscalls` list (the syscall numbers), as the documented killer example does.
//! - `sizeArgIndex` must name an integer argument when that argument is declared in `args`;
//!   an undeclared one is read as a raw register value.
//! - Integer `Equal`/`NotEqual`/`InMap` values count against
//!   [`limits::MAX_STRING_VALUES`]; only Mask, GreaterThan, LessThan, InRange and NotInRange
//!   are held to [`limits::MAX_INLINE_INT_VALUES`].
//! - `killers` take their calls under `syscalls` (as documented) or `calls`.
//! - Upstream sections this model does not describe (`spec.lsmhooks`, `spec.usdts`,
//!   `spec.fentries`, `spec.selectorsMacros`) are accepted by the parser and listed in
//!   [`Spec::unsupported`]; [`check_engine_support`] refuses them.
//!
//! # Limits
//!
//! | constant | value | what |
//! | --- | --- | --- |
//! | [`limits::MAX_SELECTORS`] | 5 | selectors per hook |
//! | [`limits::MAX_ARGS`] | 5 | `args` per hook |
//! | [`limits::MAX_ARG_INDEX`] | 4 | highest kprobe/uprobe argument `index` |
//! | [`limits::MAX_RAW_TRACEPOINT_ARG_INDEX`] | 5 | highest raw tracepoint argument `index` |
//! | [`limits::MAX_MATCH_ARGS`] | 5 | `matchArgs` (+ `matchData`) per selector |
//! | [`limits::MAX_MATCH_PIDS_VALUES`] | 16 | values of a `matchPIDs` entry |
//! | [`limits::MAX_INLINE_INT_VALUES`] | 8 | values of Mask, GreaterThan, LessThan, InRange, NotInRange |
//! | [`limits::MAX_STRING_VALUE_LEN`] | 248 | bytes of a string value (`matchArgs`, `matchBinaries`) |
//! | [`limits::MAX_STRING_VALUES`] | 1024 | values of any other selector filter |
//! | [`limits::MAX_BINARY_VALUES`] | 128 | values of a `matchBinaries` entry |
//! | [`limits::MAX_MATCH_BINARIES`] | 1 | `matchBinaries` (and `matchParentBinaries`) entries per selector |
//! | [`limits::MAX_NAMESPACE_VALUES`] | 8 | values of a `matchNamespaces` entry |
//! | [`limits::MAX_MATCH_NAMESPACES`] | 10 | `matchNamespaces` entries per selector |
//! | [`limits::MAX_MATCH_NAMESPACE_CHANGES`] | 1 | `matchNamespaceChanges` entries per selector |
//! | [`limits::MAX_ACTIONS`] | 4 | actions per selector |
//! | [`limits::MAX_TAGS`] | 16 | tags per hook |
//! | [`limits::MAX_MESSAGE_LEN`] | 256 | bytes of a hook's `message` |
//! | [`limits::MAX_CHAR_BUF`] | 4096 | bytes of a `char_buf` read |
//! | [`limits::MAX_DATA`] | 32736 | bytes of a `char_buf` read with `maxData: true` |
//! | [`limits::MAX_SIGNAL`] | 64 | highest `argSig` |
//! | [`limits::MAX_KILLERS`] | 1 | `killers` (and `enforcers`) entries |
//! | [`limits::MAX_NAME_LEN`] | 253 | characters of `metadata.name` |

#![warn(missing_docs)]

mod actions;
mod arg_type;
mod capabilities;
mod decode;
mod engine;
mod error;
mod hooks;
pub mod limits;
mod policy;
mod selectors;
mod source_map;
pub mod syscalls;
mod validate;
mod yaml;

use std::path::Path;

pub use actions::{ActionKind, ActionSelector, RateLimitScope, parse_rate_limit};
pub use arg_type::{ArgType, IntWidth};
pub use capabilities::Capability;
pub use engine::check_engine_support;
pub use error::{PolicyError, PolicyErrors};
pub use hooks::{
    ArgSpec, KProbeIgnore, KProbeSpec, TracepointSpec, UProbeIgnore, UProbeSpec, arg_by_index,
};
pub use policy::{
    API_VERSION, EnforcerSpec, KillerSpec, LabelSelector, LabelSelectorOp,
    LabelSelectorRequirement, ListSpec, ListType, Metadata, OptionSpec, PolicyKind, Spec,
    TracingPolicy, is_dns1123_label, is_dns1123_subdomain,
};
pub use selectors::{
    ArgOp, ArgSelector, BinaryOp, BinarySelector, CapabilitiesSelector, CapabilitySet,
    NamespaceChangesSelector, NamespaceKind, NamespaceSelector, NamespaceValue, PidSelector,
    Selector, SetOp, WorkloadsSelector,
};
pub use source_map::{Pos, SourceMap};
pub use syscalls::syscall_base_name;

/// Parses and validates one policy. `source` names where it came from (a file name, or
/// `<grpc>` for a policy sent to the daemon) and starts every error line.
pub fn parse_policy(source: &str, yaml: &str) -> Result<TracingPolicy, PolicyErrors> {
    let root = match yaml::load(yaml) {
        Ok(root) => root,
        Err(e) => {
            let err = match e {
                yaml::LoadError::Syntax { pos, message } => {
                    PolicyError::new(source, "", message).at(pos.line, pos.column)
                }
                yaml::LoadError::Empty => {
                    PolicyError::new(source, "", "no policy: the document is empty")
                }
                yaml::LoadError::MultipleDocuments { pos, count } => PolicyError::new(
                    source,
                    "",
                    format!("{count} YAML documents: a file holds exactly one policy"),
                )
                .with_hint("split the policies into separate files")
                .at(pos.line, pos.column),
            };
            return Err(err.into());
        }
    };
    let mut cx = decode::Ctx::new(source);
    let mut policy = decode::policy(&mut cx, &root);
    policy.source = source.to_string();
    policy.locations = std::mem::take(&mut cx.locs);
    let mut errors = cx.errors;
    errors.extend(validate::validate(&policy));
    if errors.is_empty() {
        Ok(policy)
    } else {
        let mut errors = PolicyErrors(errors);
        errors.sort();
        Err(errors)
    }
}

/// Reads and parses the policy file at `path` (the path is the errors' source). A file that
/// cannot be read (or is not UTF-8) gives one error.
pub fn parse_policy_file(path: &Path) -> Result<TracingPolicy, PolicyErrors> {
    let source = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        PolicyErrors::from(PolicyError::new(
            &source,
            "",
            format!("cannot read the file: {e}"),
        ))
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        PolicyErrors::from(PolicyError::new(
            &source,
            "",
            format!(
                "the file is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        ))
    })?;
    parse_policy(&source, &text)
}
