//! Compiles BPF C programs from a build script, the one way every crate of
//! the project does it: `clang -O2 -g -target bpf -D__TARGET_ARCH_<arch>
//! -Wall -Werror`, CO-RE, headers from libbpf-dev and the kernel UAPI.

use std::{
    env,
    path::{Path, PathBuf},
    process::Command,
};

/// Compiles `<src_dir>/<name>.bpf.c` into `$OUT_DIR/<name>.bpf.o` for each
/// name, and tells cargo when to do it again. Panics with what to install
/// when clang or a header is missing: a build script has no other way to
/// fail.
pub fn compile_programs(src_dir: &Path, names: &[&str]) {
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let target_arch = env::var("CARGO_CFG_TARGET_ARCH").expect("cargo sets the target arch");
    let (bpf_arch, multiarch) = match target_arch.as_str() {
        "x86_64" => ("x86", "x86_64-linux-gnu"),
        "aarch64" => ("arm64", "aarch64-linux-gnu"),
        other => panic!("no eBPF build for target arch {other}: add it to ebpf/build-support"),
    };
    let clang = find_clang();

    println!("cargo:rerun-if-env-changed=CLANG");
    println!("cargo:rerun-if-changed={}", src_dir.display());
    for name in names {
        let src = src_dir.join(format!("{name}.bpf.c"));
        let obj = out_dir.join(format!("{name}.bpf.o"));
        let output = Command::new(&clang)
            .args(["-O2", "-g", "-target", "bpf", "-Wall", "-Werror"])
            .arg(format!("-D__TARGET_ARCH_{bpf_arch}"))
            .arg(format!("-I/usr/include/{multiarch}"))
            .arg("-c")
            .arg(&src)
            .arg("-o")
            .arg(&obj)
            .output()
            .unwrap_or_else(|e| {
                panic!("running {clang}: {e}; install clang (scripts/install-deps.sh)")
            });
        if !output.status.success() {
            panic!(
                "{clang} failed on {}:\n{}",
                src.display(),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

/// `$CLANG`, else the newest versioned clang on PATH, else plain `clang`.
fn find_clang() -> String {
    if let Ok(clang) = env::var("CLANG") {
        return clang;
    }
    // clang 14 emits jumps the verifier rejects in the policy programs.
    (18..=21)
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
            panic!("no clang found: install clang >= 18 (Debian: clang-19) and libbpf-dev (scripts/install-deps.sh), or set CLANG")
        })
}
