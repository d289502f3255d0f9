//! Settings that are fine alone but contradict each other, checked once
//! every source has been read; each error names the settings and where
//! they were set.

use anyhow::{Result, bail};

use super::Config;

pub fn check(config: &Config) -> Result<()> {
    server_tls(config)
}

/// The gRPC server's TLS settings, as upstream checks them: certificate
/// and key together, client certificates only with CA files and the
/// other way round, and TLS only for a TCP address.
fn server_tls(config: &Config) -> Result<()> {
    let from = |name: &str| match config.source_of(name) {
        Some(source) => format!("--{name} (from {source})"),
        None => format!("--{name}"),
    };
    let cert = config.server_tls_cert_file.is_some();
    let key = config.server_tls_key_file.is_some();
    if cert != key {
        let (given, missing) = if cert {
            ("server-tls-cert-file", "server-tls-key-file")
        } else {
            ("server-tls-key-file", "server-tls-cert-file")
        };
        bail!("{} needs --{missing} too", from(given));
    }
    let require = config.server_tls_require_client_cert;
    let cas = !config.server_tls_client_ca_files.is_empty();
    if require && !cert {
        bail!(
            "{} needs --server-tls-cert-file and --server-tls-key-file",
            from("server-tls-require-client-cert")
        );
    }
    if require && !cas {
        bail!(
            "{} needs at least one --server-tls-client-ca-files",
            from("server-tls-require-client-cert")
        );
    }
    if cas && !require {
        bail!(
            "{} only takes effect with --server-tls-require-client-cert=true",
            from("server-tls-client-ca-files")
        );
    }
    if cert && config.server_address.starts_with("unix://") {
        bail!(
            "{} needs a TCP {}, not `{}`: TLS does not apply to unix sockets",
            from("server-tls-cert-file"),
            from("server-address"),
            config.server_address
        );
    }
    Ok(())
}
