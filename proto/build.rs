use std::env;
use std::path::{Path, PathBuf};

use prost::Message;
use prost_types::DescriptorProto;

const PROTO_FILES: &[&str] = &[
    "tetragon/bpf.proto",
    "tetragon/capabilities.proto",
    "tetragon/tetragon.proto",
    "tetragon/events.proto",
    "tetragon/stack.proto",
    "tetragon/sensors.proto",
    "tetragon/eventlogservice.proto",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?).join("proto");
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);

    println!("cargo:rerun-if-changed={}", root.display());
    for file in PROTO_FILES {
        println!("cargo:rerun-if-changed={}", root.join(file).display());
    }

    let fds = protox::compile(PROTO_FILES, [&root])?;
    let fds_bytes = fds.encode_to_vec();
    std::fs::write(out_dir.join("tetragon_descriptor.bin"), &fds_bytes)?;

    let messages: Vec<(String, DescriptorProto)> = fds
        .file
        .iter()
        .filter(|f| f.package() == "tetragon")
        .flat_map(|f| collect_messages("tetragon", &f.message_type))
        .collect();

    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .compile_well_known_types(true)
        // pbjson_types encodes these two differently from protojson
        // (Timestamp with "+00:00", FieldMask as an object), so they come from crate::wkt.
        .extern_path(".google.protobuf.Timestamp", "crate::wkt::Timestamp")
        .extern_path(".google.protobuf.FieldMask", "crate::wkt::FieldMask")
        .extern_path(".google.protobuf", "::pbjson_types")
        // BTreeMap keeps map keys sorted in JSON, as protojson does.
        .btree_map(".")
        .compile_fds(fds)?;

    pbjson_build::Builder::new()
        .register_descriptors(&fds_bytes)?
        .preserve_proto_field_names()
        .ignore_unknown_fields()
        .btree_map(["."])
        .build(&[".tetragon"])?;

    reorder_oneof_keys(&out_dir.join("tetragon.serde.rs"), &messages)?;
    Ok(())
}

fn collect_messages(prefix: &str, msgs: &[DescriptorProto]) -> Vec<(String, DescriptorProto)> {
    let mut out = Vec::new();
    for m in msgs {
        let name = format!("{prefix}.{}", m.name());
        out.extend(collect_messages(&name, &m.nested_type));
        out.push((name, m.clone()));
    }
    out
}

/// pbjson writes a message's oneof after all its plain fields; protojson
/// writes keys in declaration order. Where they differ (GetEventsResponse:
/// the event goes first; KprobeArgument: the arg goes before `label`),
/// reorder the generated `serialize_field` blocks to declaration order.
fn reorder_oneof_keys(
    serde_rs: &Path,
    messages: &[(String, DescriptorProto)],
) -> Result<(), Box<dyn std::error::Error>> {
    let mut code = std::fs::read_to_string(serde_rs)?;
    for (full_name, msg) in messages {
        // Declaration order of JSON "items": plain fields and (real) oneofs.
        let mut declared: Vec<String> = Vec::new();
        for f in &msg.field {
            let item = match f.oneof_index {
                Some(i) if !f.proto3_optional() => msg.oneof_decl[i as usize].name().to_owned(),
                _ => f.name().to_owned(),
            };
            if !declared.contains(&item) {
                declared.push(item);
            }
        }
        let plain = msg
            .field
            .iter()
            .filter(|f| f.oneof_index.is_none() || f.proto3_optional())
            .map(|f| f.name().to_owned());
        let oneofs = declared
            .iter()
            .filter(|d| !plain.clone().any(|p| &p == *d))
            .cloned();
        let pbjson_order: Vec<String> = plain.clone().chain(oneofs).collect();
        if pbjson_order == declared {
            continue;
        }
        for item in &declared {
            assert!(
                item.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{full_name}: cannot map `{item}` to a Rust field name"
            );
        }
        code = reorder_message(&code, full_name, &declared);
    }
    std::fs::write(serde_rs, code)?;
    Ok(())
}

fn reorder_message(code: &str, full_name: &str, declared: &[String]) -> String {
    const INDENT: &str = "        ";
    let start_marker = format!("serializer.serialize_struct(\"{full_name}\", len)?;");
    let end_marker = format!("{INDENT}struct_ser.end()");
    let lines: Vec<&str> = code.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim_end().ends_with(&start_marker))
        .unwrap_or_else(|| panic!("{full_name}: serializer not found in pbjson output"))
        + 1;
    let end = start
        + lines[start..]
            .iter()
            .position(|l| l.trim_end() == end_marker)
            .unwrap_or_else(|| panic!("{full_name}: end of serializer not found"));

    // Each top-level statement starts at exactly INDENT and is one field's block.
    let mut blocks: Vec<(usize, Vec<&str>)> = Vec::new();
    for line in &lines[start..end] {
        let top = line.starts_with(INDENT)
            && !line[INDENT.len()..].starts_with([' ', '}'])
            && !line.trim().is_empty();
        if top {
            let ident = line
                .split("self.")
                .nth(1)
                .map(|rest| {
                    rest.trim_start_matches("r#")
                        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or_default()
                })
                .unwrap_or_else(|| panic!("{full_name}: unexpected line {line:?}"));
            let pos = declared
                .iter()
                .position(|d| d == ident)
                .unwrap_or_else(|| panic!("{full_name}: unknown field `{ident}`"));
            blocks.push((pos, vec![line]));
        } else {
            blocks
                .last_mut()
                .unwrap_or_else(|| panic!("{full_name}: unexpected line {line:?}"))
                .1
                .push(line);
        }
    }
    assert_eq!(blocks.len(), declared.len(), "{full_name}: field count");
    blocks.sort_by_key(|(pos, _)| *pos);

    let mut out: Vec<&str> = lines[..start].to_vec();
    out.extend(blocks.into_iter().flat_map(|(_, b)| b));
    out.extend(&lines[end..]);
    let mut s = out.join("\n");
    s.push('\n');
    s
}
