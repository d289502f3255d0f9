//! `tetra tp add -m enforce|monitor`: the policy's YAML with its mode set,
//! as upstream does it: `spec.options` gets `policy-mode` (replacing any
//! earlier one), so the policy is loaded in that mode from the start.

use serde_yaml::{Mapping, Value};

pub fn set_mode(yaml: &str, mode: &str) -> Result<String, String> {
    if !matches!(mode, "enforce" | "monitor") {
        return Err(format!("invalid mode: {mode:?}"));
    }
    let mut doc: Value = serde_yaml::from_str(yaml).map_err(|e| e.to_string())?;
    let spec = doc
        .get_mut("spec")
        .ok_or("yaml does not include spec section")?;
    let spec = spec
        .as_mapping_mut()
        .ok_or("spec has unexpected type: not a mapping")?;
    let key = Value::from("options");
    let mut options = match spec.remove(&key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Sequence(options)) => options,
        Some(_) => return Err("spec.options has unexpected type: not a list".into()),
    };
    for (i, opt) in options.iter().enumerate() {
        if !opt.is_mapping() {
            return Err(format!(
                "spec.options[{i}] has unexpected type: not a mapping"
            ));
        }
    }
    options.retain(|opt| opt.get("name").and_then(Value::as_str) != Some("policy-mode"));
    let mut opt = Mapping::new();
    opt.insert("name".into(), "policy-mode".into());
    opt.insert("value".into(), mode.into());
    options.push(Value::Mapping(opt));
    spec.insert(key, Value::Sequence(options));
    serde_yaml::to_string(&doc).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = "\
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: p
spec:
  tracepoints:
  - subsystem: syscalls
    event: sys_enter_openat
";

    #[test]
    fn adds_the_policy_mode_option() {
        let out = set_mode(POLICY, "monitor").unwrap();
        assert!(
            out.ends_with("  options:\n  - name: policy-mode\n    value: monitor\n"),
            "{out}"
        );
        assert!(out.starts_with("apiVersion: cilium.io/v1alpha1\n"), "{out}");
    }

    #[test]
    fn replaces_an_earlier_mode_and_keeps_other_options() {
        let yaml = format!(
            "{POLICY}  options:\n  - name: disable-kprobe-multi\n    value: \"1\"\n  - name: policy-mode\n    value: enforce\n"
        );
        let out = set_mode(&yaml, "monitor").unwrap();
        let doc: Value = serde_yaml::from_str(&out).unwrap();
        let options = doc["spec"]["options"].as_sequence().unwrap();
        assert_eq!(options.len(), 2);
        assert_eq!(options[0]["name"], "disable-kprobe-multi");
        assert_eq!(options[1]["value"], "monitor");
    }

    #[test]
    fn bad_input_is_explained() {
        assert_eq!(
            set_mode(POLICY, "loud").unwrap_err(),
            "invalid mode: \"loud\""
        );
        assert!(
            set_mode("kind: TracingPolicy\n", "enforce")
                .unwrap_err()
                .contains("spec section")
        );
        assert!(set_mode("spec: [1]\n", "enforce").is_err());
        assert!(set_mode("spec: {options: 3}\n", "enforce").is_err());
    }
}
