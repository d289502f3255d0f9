//! How a process's command line and binary are shown.

/// argv[1..] joined by spaces; an argument holding a space is wrapped in
/// double quotes, so `sh -c "curl x"` reads back as it was typed.
pub fn join_arguments(argv: &[String]) -> String {
    let mut out = String::new();
    for (i, arg) in argv.iter().skip(1).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if arg.contains(' ') {
            out.push('"');
            out.push_str(arg);
            out.push('"');
        } else {
            out.push_str(arg);
        }
    }
    out
}

/// The executed path made absolute against `cwd` when relative, cleaned of
/// `.` and `..` the way a path join does; symlinks are left as they are.
pub fn absolute_binary(filename: &str, cwd: &str) -> String {
    if filename.starts_with('/') || filename.is_empty() {
        return filename.to_string();
    }
    let mut parts: Vec<&str> = cwd.split('/').filter(|p| !p.is_empty()).collect();
    for part in filename.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn drops_argv0_and_quotes_arguments_with_spaces() {
        assert_eq!(
            join_arguments(&argv(&[
                "sh",
                "-c",
                "curl https://ebpf.io/applications/#tetragon"
            ])),
            "-c \"curl https://ebpf.io/applications/#tetragon\""
        );
        assert_eq!(
            join_arguments(&argv(&["cat", "/etc/shadow"])),
            "/etc/shadow"
        );
        assert_eq!(join_arguments(&argv(&["true"])), "");
        assert_eq!(join_arguments(&[]), "");
    }

    #[test]
    fn relative_binaries_are_made_absolute() {
        assert_eq!(absolute_binary("./run.sh", "/tmp/x"), "/tmp/x/run.sh");
        assert_eq!(absolute_binary("../bin/a", "/tmp/x"), "/tmp/bin/a");
        assert_eq!(absolute_binary("a", "/"), "/a");
        assert_eq!(absolute_binary("/bin/sh", "/tmp"), "/bin/sh");
    }
}
