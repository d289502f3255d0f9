//! Compiles the feature-probe programs in `ebpf/`; `src/programs.rs`
//! embeds the object from OUT_DIR.

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ebpf");
    tetragon_ebpf_build::compile_programs(&dir, &["probes"]);
}
