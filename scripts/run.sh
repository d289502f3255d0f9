#!/usr/bin/env bash
# Builds tetragond and tetra, starts the daemon with its embedded defaults,
# and streams its events as `tetra getevents -o compact` until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cargo build --release -p tetragond -p tetra

./target/release/tetragond "$@" &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null' EXIT INT TERM

# Wait until the daemon says where it listens.
for _ in $(seq 1 100); do
    [ -S /var/run/tetragon/tetragon.sock ] || [ -f /var/run/tetragon/tetragon-info.json ] && break
    kill -0 "$daemon" 2>/dev/null || { echo "tetragond exited" >&2; exit 1; }
    sleep 0.1
done
./target/release/tetra getevents -o compact </dev/null
