//! Field-name case conversions: proto's snake_case to protobuf JSON's
//! lowerCamelCase, and the upper-camel key both spellings map onto.

/// `exec_id` -> `execId` (with `first_upper`: `ExecId`); letters already
/// upper case stay so, so `execId` -> `ExecId` too.
pub(crate) fn camel(name: &str, first_upper: bool) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = first_upper;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::camel;

    #[test]
    fn converts_snake_case() {
        assert_eq!(camel("parent_exec_id", false), "parentExecId");
        assert_eq!(camel("parent_exec_id", true), "ParentExecId");
        assert_eq!(camel("execId", true), "ExecId");
        assert_eq!(camel("binary", false), "binary");
    }
}
