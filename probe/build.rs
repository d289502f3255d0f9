//! Compiles the feature-probe programs in `ebpf/` with clang and leaves the
//! object in OUT_DIR, where `src/programs.rs` embeds it.
//!
//! The clang flags and the clang lookup are the same as tetragond/build.rs
//! (DESIGN.md, "Kernel side"), so both crates build with the same compiler.

use std::{
    env,
    path::{Path, PathBuf},
    process::Command,
};

fn main() {
    let ebpf_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("ebpf");
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let target_arch = env::var("CARGO_CFG_TARGET_ARCH").expect("cargo sets the target arch");
    let (bpf_arch, multiarch) = match target_arch.as_str() {
        "x86_64" => ("x86", "x86_64-linux-gnu"),
        "aarch64" => ("arm64", "aarch64-linux-gnu"),
        other => panic!("no eBPF build for target arch {other}: add it to probe/build.rs"),
    };
    let clang = find_clang();

    println!("cargo:rerun-if-env-changed=CLANG");
    println!("cargo:rerun-if-changed={}", ebpf_dir.display());
    let src = ebpf_dir.join("probes.bpf.c");
    let obj = out_dir.join("probes.bpf.o");
    let output = Command::new(&clang)
        .args(["-O2", "-g", "-target", "bpf", "-Wall", "-Werror"])
        .arg(format!("-D__TARGET_ARCH_{bpf_arch}"))
        .arg(format!("-I/usr/include/{multiarch}"))
        .arg("-c")
        .arg(&src)
        .arg("-o")
        .arg(&obj)
        .output()
        .unwrap_or_else(|e| panic!("running {clang}: {e}; install clang (apt-get install clang)"));
    if !output.status.success() {
        panic!(
            "{clang} failed on {}:\n{}",
            src.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// `$CLANG`, else the newest versioned clang on PATH, else plain `clang`.
fn find_clang() -> String {
    if let Ok(clang) = env::var("CLANG") {
        return clang;
    }
    (14..=21)
        .rev()
        .map(|v| format!("clang-{v}"))
        .chain(std::iter::once("clang".to_string()))
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .unwrap_or_else(|| {
            panic!("no clang found: install clang >= 14 and libbpf-dev, or set CLANG")
        })
}
