//! Field filters: trimming the fields of events before they are sent.
//!
//! A [`FieldFilter`] selects events by type (`event_set`, optionally
//! inverted with `invert_event_set`) and either keeps only (`INCLUDE`) or
//! drops (`EXCLUDE`) the field paths of its `fields` mask inside the event's
//! variant message (`ProcessExec`, `ProcessKprobe`, ...). Paths are relative
//! to that message, dot-separated, and written in snake_case (`process.binary`,
//! `parent.exec_id`); lowerCamelCase segments (`execId`) name the same field.
//!
//! Semantics, as in upstream Tetragon:
//!
//! * An empty `event_set` applies the filter to every event. Otherwise it
//!   applies to the listed types only, or, with `invert_event_set`, to every
//!   type but the listed ones.
//! * The paths form a tree. `INCLUDE` keeps, at each level, the fields named
//!   at that level; a field named as a leaf is kept whole, a field with
//!   longer paths below it is kept (so its parents are kept too) with only
//!   those sub-fields. An `INCLUDE` with no paths keeps everything.
//! * `EXCLUDE` removes the fields named as leaves and descends into those
//!   with longer paths below them; everything else is kept.
//! * A path that is both a leaf and the prefix of a longer path (`process`
//!   and `process.binary`) acts as the longer path.
//! * Repeated message fields apply the sub-paths to each element; map fields
//!   and scalar fields are kept or dropped whole.
//! * A path segment may name a `oneof` (e.g. `args.arg`), which selects
//!   whichever of its members is set, like upstream; naming the member
//!   itself (`args.string_arg`) works as well.
//! * Unknown path segments match nothing: they are not an error.
//! * Fields of `GetEventsResponse` outside the event (`node_name`, `time`,
//!   ...) are never touched.
//!
//! The filter works on the protobuf JSON form of the event (the crate's serde
//! impls), so it is exact rather than fast.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::tetragon::{EventType, FieldFilter, FieldFilterAction, GetEventsResponse};

/// A field filter could not be built or parsed.
#[derive(Debug, thiserror::Error)]
pub enum FieldFilterError {
    /// A path of the `fields` mask has an empty segment (`process..binary`).
    #[error("fields: `{0}` is not a valid field path (empty segment)")]
    InvalidPath(String),
    /// `action` is neither INCLUDE nor EXCLUDE.
    #[error("action: {0} is not a valid field filter action")]
    InvalidAction(i32),
    /// A `--field-filters` value is not valid JSON or not a FieldFilter.
    #[error("line {line}: {message}")]
    Parse { line: usize, message: String },
    /// The event could not be converted to or from its JSON form.
    #[error("cannot apply field filter: {0}")]
    Encode(String),
}

/// One path tree of a mask: each child is keyed by the normalised name of
/// the field (see [`schema::match_key`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct MaskNode {
    children: BTreeMap<String, MaskNode>,
}

impl MaskNode {
    fn from_paths(paths: &[String]) -> Result<Self, FieldFilterError> {
        let mut root = MaskNode::default();
        for path in paths {
            let path = path.trim();
            if path.is_empty() {
                continue;
            }
            let mut node = &mut root;
            for segment in path.split('.') {
                if segment.is_empty() {
                    return Err(FieldFilterError::InvalidPath(path.to_owned()));
                }
                node = node.children.entry(schema::match_key(segment)).or_default();
            }
        }
        Ok(root)
    }

    fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }

    fn get(&self, field_name: &str) -> Option<&MaskNode> {
        self.children.get(&schema::match_key(field_name))
    }
}

/// A [`FieldFilter`] ready to be applied to events.
#[derive(Debug, Clone)]
pub struct CompiledFieldFilter {
    event_set: Vec<i32>,
    invert_event_set: bool,
    action: FieldFilterAction,
    mask: MaskNode,
}

impl CompiledFieldFilter {
    /// Validates `filter` and builds its path tree.
    pub fn new(filter: &FieldFilter) -> Result<Self, FieldFilterError> {
        let action = FieldFilterAction::try_from(filter.action)
            .map_err(|_| FieldFilterError::InvalidAction(filter.action))?;
        let paths = filter
            .fields
            .as_ref()
            .map(|mask| mask.paths.as_slice())
            .unwrap_or_default();
        Ok(Self {
            event_set: filter.event_set.clone(),
            invert_event_set: filter.invert_event_set.as_ref().is_some_and(|b| b.value),
            action,
            mask: MaskNode::from_paths(paths)?,
        })
    }

    /// Whether the filter applies to events of type `event_type` (`None`
    /// for a response without an event, which counts as `UNDEF`).
    pub fn applies_to(&self, event_type: Option<EventType>) -> bool {
        if self.event_set.is_empty() {
            return true;
        }
        let number = event_type.map_or(EventType::Undef as i32, |t| t as i32);
        self.event_set.contains(&number) != self.invert_event_set
    }

    /// Applies the filter to `ev` in place. On failure (an event that has no
    /// JSON form, e.g. holding an enum number unknown to the schema) the
    /// event is left unchanged and the error returned.
    pub fn try_apply(&self, ev: &mut GetEventsResponse) -> Result<(), FieldFilterError> {
        if ev.event.is_none() || !self.applies_to(ev.event_type()) {
            return Ok(());
        }
        if self.mask.is_leaf() {
            // No paths: INCLUDE keeps everything, EXCLUDE removes nothing.
            return Ok(());
        }
        let mut json =
            serde_json::to_value(&*ev).map_err(|e| FieldFilterError::Encode(e.to_string()))?;
        let schema = schema::schema();
        let Some(root) = json.as_object_mut() else {
            return Err(FieldFilterError::Encode(
                "event is not a JSON object".into(),
            ));
        };
        let response = schema
            .message("tetragon.GetEventsResponse")
            .ok_or_else(|| FieldFilterError::Encode("schema lacks GetEventsResponse".into()))?;
        for field in &response.fields {
            if field.oneof.as_deref() != Some("event") {
                continue;
            }
            let Some(Value::Object(variant)) = root.get_mut(&field.name) else {
                continue;
            };
            if let Some(msg) = field.message_type().and_then(|name| schema.message(name)) {
                prune(variant, msg, &self.mask, self.action);
            }
        }
        let filtered: GetEventsResponse =
            serde_json::from_value(json).map_err(|e| FieldFilterError::Encode(e.to_string()))?;
        *ev = filtered;
        Ok(())
    }

    /// Applies the filter to `ev` in place; an event that cannot be filtered
    /// (see [`try_apply`](Self::try_apply)) is left unchanged, as upstream's
    /// server skips a field filter that fails.
    pub fn apply(&self, ev: &mut GetEventsResponse) {
        let _ = self.try_apply(ev);
    }
}

/// Compiles every filter of `filters`.
pub fn compile_all(filters: &[FieldFilter]) -> Result<Vec<CompiledFieldFilter>, FieldFilterError> {
    filters.iter().map(CompiledFieldFilter::new).collect()
}

/// Applies `filters` to `ev`, in order.
pub fn apply_all(filters: &[CompiledFieldFilter], ev: &mut GetEventsResponse) {
    for filter in filters {
        filter.apply(ev);
    }
}

/// Parses the daemon's `--field-filters` value: FieldFilter objects in
/// protobuf JSON (snake_case or lowerCamelCase names), one per line or
/// otherwise separated by whitespace, and/or JSON arrays of them. Blank text
/// gives an empty list. `fields` is a comma-separated string of paths, in
/// snake_case or lowerCamelCase, e.g.
/// `{"event_set":["PROCESS_EXEC"],"fields":"process.binary,parent.exec_id","action":"INCLUDE"}`.
///
/// Unknown field names are rejected, as protobuf JSON parsing does upstream.
pub fn parse_field_filter_lines(text: &str) -> Result<Vec<FieldFilter>, FieldFilterError> {
    crate::filter::parse_messages(text, "tetragon.FieldFilter")
        .map_err(|(line, message)| FieldFilterError::Parse { line, message })
}

/// Removes from `obj`, a message of type `msg`, what `mask` says to remove.
fn prune(
    obj: &mut Map<String, Value>,
    msg: &schema::MessageInfo,
    mask: &MaskNode,
    action: FieldFilterAction,
) {
    let include = action == FieldFilterAction::Include;
    if include && mask.is_leaf() {
        return;
    }
    obj.retain(|key, _| {
        let Some(field) = msg.field(key) else {
            // Not a field of the schema: keep only when excluding.
            return !include;
        };
        match mask_for_field(mask, field) {
            None => !include,
            Some(sub) if sub.is_leaf() => include,
            Some(_) => true,
        }
    });
    // Descend into the fields that have sub-paths.
    for (key, value) in obj.iter_mut() {
        let Some(field) = msg.field(key) else {
            continue;
        };
        let Some(sub) = mask_for_field(mask, field) else {
            continue;
        };
        if sub.is_leaf() || field.map.is_some() {
            continue;
        }
        let Some(sub_msg) = field
            .message_type()
            .and_then(|name| schema::schema().message(name))
        else {
            continue;
        };
        match value {
            Value::Object(inner) => prune(inner, sub_msg, sub, action),
            Value::Array(items) => {
                for item in items {
                    if let Value::Object(inner) = item {
                        prune(inner, sub_msg, sub, action);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The sub-mask that applies to `field`: through its `oneof` name, where
/// the mask names the oneof, else through its own name.
fn mask_for_field<'m>(mask: &'m MaskNode, field: &schema::FieldInfo) -> Option<&'m MaskNode> {
    if let Some(oneof) = &field.oneof
        && let Some(node) = mask.get(oneof)
    {
        if node.is_leaf() {
            return Some(node);
        }
        return node.get(&field.name);
    }
    mask.get(&field.name)
}

/// The message schema of the Tetragon protos, read from the crate's
/// `FILE_DESCRIPTOR_SET`: what field filters and CEL expressions need to know
/// about messages beyond their JSON form.
pub(crate) mod schema {
    use std::collections::HashMap;
    use std::sync::OnceLock;

    use prost::Message;
    use prost_types::field_descriptor_proto::{Label, Type};
    use prost_types::{DescriptorProto, EnumDescriptorProto, FileDescriptorSet};
    use serde_json::Value;

    /// What a field holds (for a map: what its values hold).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) enum Kind {
        Scalar(Type),
        /// Full enum name, without leading dot (`tetragon.EventType`).
        Enum(String),
        /// Full message name, without leading dot (`tetragon.Process`).
        Message(String),
    }

    #[derive(Debug, Clone)]
    pub(crate) struct FieldInfo {
        pub name: String,
        pub json_name: String,
        pub kind: Kind,
        pub repeated: bool,
        /// Key and value kinds of a map field.
        pub map: Option<(Kind, Kind)>,
        /// Name of the (real, not proto3-optional) oneof holding the field.
        pub oneof: Option<String>,
    }

    impl FieldInfo {
        /// The message type of a (non-map) message field.
        pub fn message_type(&self) -> Option<&str> {
            match (&self.kind, &self.map) {
                (Kind::Message(name), None) => Some(name),
                _ => None,
            }
        }
    }

    #[derive(Debug)]
    pub(crate) struct MessageInfo {
        pub full_name: String,
        pub fields: Vec<FieldInfo>,
        by_name: HashMap<String, usize>,
    }

    impl MessageInfo {
        /// The field of that proto name.
        pub fn field(&self, name: &str) -> Option<&FieldInfo> {
            self.by_name.get(name).map(|&i| &self.fields[i])
        }

        /// The field of that proto or JSON (lowerCamelCase) name.
        pub fn field_any_name(&self, name: &str) -> Option<&FieldInfo> {
            self.field(name)
                .or_else(|| self.fields.iter().find(|f| f.json_name == name))
        }
    }

    #[derive(Debug, Default)]
    pub(crate) struct EnumInfo {
        pub values: HashMap<String, i32>,
    }

    #[derive(Debug, Default)]
    pub(crate) struct Schema {
        messages: HashMap<String, MessageInfo>,
        enums: HashMap<String, EnumInfo>,
    }

    impl Schema {
        pub fn message(&self, full_name: &str) -> Option<&MessageInfo> {
            self.messages.get(full_name.trim_start_matches('.'))
        }

        pub fn messages(&self) -> impl Iterator<Item = &MessageInfo> {
            self.messages.values()
        }

        pub fn enum_info(&self, full_name: &str) -> Option<&EnumInfo> {
            self.enums.get(full_name.trim_start_matches('.'))
        }
    }

    /// The schema of the crate's protos, decoded once.
    pub(crate) fn schema() -> &'static Schema {
        static SCHEMA: OnceLock<Schema> = OnceLock::new();
        SCHEMA.get_or_init(|| {
            let fds = FileDescriptorSet::decode(crate::FILE_DESCRIPTOR_SET)
                .expect("FILE_DESCRIPTOR_SET is a valid FileDescriptorSet");
            let mut schema = Schema::default();
            // Map entry messages, collected first: a map field refers to one
            // by name.
            let mut map_entries: HashMap<String, (Kind, Kind)> = HashMap::new();
            for file in &fds.file {
                let package = file.package().to_owned();
                for msg in &file.message_type {
                    collect_map_entries(&package, msg, &mut map_entries);
                }
            }
            for file in &fds.file {
                let package = file.package().to_owned();
                for e in &file.enum_type {
                    add_enum(&package, e, &mut schema);
                }
                for msg in &file.message_type {
                    add_message(&package, msg, &map_entries, &mut schema);
                }
            }
            schema
        })
    }

    fn qualify(scope: &str, name: &str) -> String {
        if scope.is_empty() {
            name.to_owned()
        } else {
            format!("{scope}.{name}")
        }
    }

    fn kind_of(field: &prost_types::FieldDescriptorProto) -> Kind {
        let type_name = field.type_name().trim_start_matches('.').to_owned();
        match field.r#type() {
            Type::Message | Type::Group => Kind::Message(type_name),
            Type::Enum => Kind::Enum(type_name),
            other => Kind::Scalar(other),
        }
    }

    fn collect_map_entries(
        scope: &str,
        msg: &DescriptorProto,
        out: &mut HashMap<String, (Kind, Kind)>,
    ) {
        let full_name = qualify(scope, msg.name());
        if msg.options.as_ref().is_some_and(|o| o.map_entry()) {
            let key = msg.field.iter().find(|f| f.number() == 1).map(kind_of);
            let value = msg.field.iter().find(|f| f.number() == 2).map(kind_of);
            if let (Some(key), Some(value)) = (key, value) {
                out.insert(full_name.clone(), (key, value));
            }
        }
        for nested in &msg.nested_type {
            collect_map_entries(&full_name, nested, out);
        }
    }

    fn add_enum(scope: &str, e: &EnumDescriptorProto, schema: &mut Schema) {
        let info = EnumInfo {
            values: e
                .value
                .iter()
                .map(|v| (v.name().to_owned(), v.number()))
                .collect(),
        };
        schema.enums.insert(qualify(scope, e.name()), info);
    }

    fn add_message(
        scope: &str,
        msg: &DescriptorProto,
        map_entries: &HashMap<String, (Kind, Kind)>,
        schema: &mut Schema,
    ) {
        let full_name = qualify(scope, msg.name());
        let mut fields = Vec::with_capacity(msg.field.len());
        for f in &msg.field {
            let kind = kind_of(f);
            let map = match &kind {
                Kind::Message(name) => map_entries.get(name).cloned(),
                _ => None,
            };
            let oneof = match f.oneof_index {
                Some(i) if !f.proto3_optional() => msg
                    .oneof_decl
                    .get(usize::try_from(i).unwrap_or(usize::MAX))
                    .map(|o| o.name().to_owned()),
                _ => None,
            };
            fields.push(FieldInfo {
                name: f.name().to_owned(),
                json_name: f
                    .json_name
                    .clone()
                    .unwrap_or_else(|| crate::case::camel(f.name(), false)),
                kind,
                repeated: f.label() == Label::Repeated,
                map,
                oneof,
            });
        }
        let by_name = fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.clone(), i))
            .collect();
        for e in &msg.enum_type {
            add_enum(&full_name, e, schema);
        }
        for nested in &msg.nested_type {
            add_message(&full_name, nested, map_entries, schema);
        }
        schema.messages.insert(
            full_name.clone(),
            MessageInfo {
                full_name,
                fields,
                by_name,
            },
        );
    }

    /// The key a field-mask path segment and a proto field name are compared
    /// by: underscores dropped, the first letter and each letter after an
    /// underscore upper-cased (`exec_id`, `execId` and `ExecId` all give
    /// `ExecId`), which is how upstream maps both onto Go field names.
    pub(crate) fn match_key(segment: &str) -> String {
        crate::case::camel(segment, true)
    }

    /// Checks that every key of `value`, a JSON object for a message of type
    /// `msg_name`, names a field of it (by proto or JSON name), recursively
    /// for nested messages. The error names the offending key.
    pub(crate) fn check_known_fields(value: &Value, msg_name: &str) -> Result<(), String> {
        check_known_fields_at(value, msg_name, "")
    }

    fn check_known_fields_at(value: &Value, msg_name: &str, path: &str) -> Result<(), String> {
        let Value::Object(obj) = value else {
            return Ok(());
        };
        let Some(msg) = schema().message(msg_name) else {
            return Ok(());
        };
        if msg.full_name.starts_with("google.protobuf.") {
            return Ok(());
        }
        for (key, inner) in obj {
            let Some(field) = msg.field_any_name(key) else {
                return Err(format!("unknown field `{path}{key}` in {}", msg.full_name));
            };
            if let Some(sub) = field.message_type() {
                let sub_path = format!("{path}{key}.");
                match inner {
                    Value::Array(items) if field.repeated => {
                        for item in items {
                            check_known_fields_at(item, sub, &sub_path)?;
                        }
                    }
                    other => check_known_fields_at(other, sub, &sub_path)?,
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_keys_unify_snake_and_camel_case() {
        assert_eq!(schema::match_key("exec_id"), "ExecId");
        assert_eq!(schema::match_key("execId"), "ExecId");
        assert_eq!(schema::match_key("ExecId"), "ExecId");
        assert_eq!(schema::match_key("binary"), "Binary");
        assert_eq!(schema::match_key("Key"), "Key");
    }

    #[test]
    fn mask_tree_merges_paths() {
        let mask = MaskNode::from_paths(&[
            "process".into(),
            "process.binary".into(),
            " parent.exec_id ".into(),
            "".into(),
        ])
        .unwrap();
        let process = mask.get("process").unwrap();
        assert!(!process.is_leaf());
        assert!(process.get("binary").unwrap().is_leaf());
        assert!(mask.get("parent").unwrap().get("exec_id").is_some());
        assert!(MaskNode::from_paths(&["a.".into()]).is_err());
        assert!(MaskNode::from_paths(&[".a".into()]).is_err());
    }

    #[test]
    fn schema_knows_fields_maps_oneofs_and_enums() {
        let s = schema::schema();
        let process = s.message("tetragon.Process").unwrap();
        let pid = process.field("pid").unwrap();
        assert_eq!(pid.message_type(), Some("google.protobuf.UInt32Value"));
        assert!(process.field_any_name("execId").is_some());
        let pod = s.message(".tetragon.Pod").unwrap();
        let labels = pod.field("pod_labels").unwrap();
        assert!(labels.map.is_some());
        assert_eq!(labels.message_type(), None);
        let arg = s.message("tetragon.KprobeArgument").unwrap();
        assert_eq!(arg.field("sock_arg").unwrap().oneof.as_deref(), Some("arg"));
        assert_eq!(arg.field("label").unwrap().oneof, None);
        let kprobe = s.message("tetragon.ProcessKprobe").unwrap();
        assert!(kprobe.field("args").unwrap().repeated);
        let events = s.enum_info("tetragon.EventType").unwrap();
        assert_eq!(events.values.get("PROCESS_EXIT"), Some(&5));
        let env = s.message("tetragon.EnvVar").unwrap();
        assert!(env.field("Key").is_some());
    }

    #[test]
    fn known_field_check() {
        let ok = serde_json::json!({"event_set": ["PROCESS_EXEC"], "invertEventSet": true});
        assert!(schema::check_known_fields(&ok, "tetragon.FieldFilter").is_ok());
        let bad = serde_json::json!({"event_sets": []});
        assert_eq!(
            schema::check_known_fields(&bad, "tetragon.FieldFilter").unwrap_err(),
            "unknown field `event_sets` in tetragon.FieldFilter"
        );
    }

    #[test]
    fn applies_to_event_types() {
        let mut filter = FieldFilter::default();
        let f = CompiledFieldFilter::new(&filter).unwrap();
        assert!(f.applies_to(Some(EventType::ProcessExec)));
        assert!(f.applies_to(None));
        filter.event_set = vec![EventType::ProcessKprobe as i32];
        let f = CompiledFieldFilter::new(&filter).unwrap();
        assert!(f.applies_to(Some(EventType::ProcessKprobe)));
        assert!(!f.applies_to(Some(EventType::ProcessExec)));
        filter.invert_event_set = Some(true.into());
        let f = CompiledFieldFilter::new(&filter).unwrap();
        assert!(!f.applies_to(Some(EventType::ProcessKprobe)));
        assert!(f.applies_to(Some(EventType::ProcessExec)));
    }
}
