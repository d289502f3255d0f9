//! How this build was made, in GetInfo's shape: the toolchain, and the
//! commit and time from TETRAGON_BUILD_COMMIT / TETRAGON_BUILD_TIME when
//! they were set at build time. One answer for the daemon and the CLI.

use crate::tetragon::get_info_response::BuildInfo;

pub fn this_build() -> BuildInfo {
    BuildInfo {
        go_version: format!("rust {}", env!("CARGO_PKG_RUST_VERSION")),
        commit: option_env!("TETRAGON_BUILD_COMMIT")
            .unwrap_or_default()
            .to_string(),
        time: option_env!("TETRAGON_BUILD_TIME")
            .unwrap_or_default()
            .to_string(),
        modified: String::new(),
    }
}
