#!/usr/bin/env bash
# The whole test suite: unit and golden tests, then the end-to-end tests,
# which run the real daemon (root, real BPF) and the real CLI.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# A one-off build gains nothing from incremental state but its disk space.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# The end-to-end tests run the built binaries.
cargo build --workspace --bins
cargo test --workspace --no-fail-fast "$@"
