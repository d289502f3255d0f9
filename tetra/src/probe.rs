//! `tetra probe`: what the running kernel provides for tetragond, asked
//! directly (no daemon needed). Loads and attaches small programs for a
//! moment, so it needs root for true answers; it changes no mounts.

use std::io::Write;

use tetragon_probe::KernelReport;

/// Probes the running kernel and prints the report: one line per feature,
/// or the report as JSON.
pub fn run(json: bool) -> anyhow::Result<()> {
    let report = tetragon_probe::probe(None);
    let mut out = std::io::stdout().lock();
    out.write_all(render(&report, json)?.as_bytes())?;
    out.flush()?;
    Ok(())
}

fn render(report: &KernelReport, json: bool) -> anyhow::Result<String> {
    Ok(if json {
        serde_json::to_string_pretty(report)? + "\n"
    } else {
        report.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tetragon_probe::Feature;

    fn report() -> KernelReport {
        KernelReport {
            kernel_release: "6.18.0".into(),
            arch: "x86_64".into(),
            privileged: true,
            btf_file: Some("/sys/kernel/btf/vmlinux".into()),
            lockdown: Some("integrity".into()),
            lsms: Some(vec!["lockdown".into(), "bpf".into()]),
            features: vec![Feature {
                name: "ring_buffer".into(),
                available: true,
                detail: "created a 4096-byte ring buffer map".into(),
            }],
        }
    }

    #[test]
    fn renders_text_and_json() {
        let text = render(&report(), false).unwrap();
        assert!(
            text.contains("ring_buffer  yes  created a 4096-byte ring buffer map"),
            "{text}"
        );
        let json = render(&report(), true).unwrap();
        let back: KernelReport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, report());
        assert!(json.ends_with("}\n"));
    }
}
