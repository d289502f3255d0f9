//! Compiles the kernel programs in `ebpf/`; `src/bpf/objects.rs` embeds
//! the objects from OUT_DIR.

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ebpf");
    tetragon_ebpf_build::compile_programs(&dir, &["base_sensor", "generic_hook"]);
}
