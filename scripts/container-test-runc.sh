#!/usr/bin/env bash
# runc, minus the capabilities this machine withholds: the container test's
# engine uses it as its runtime where the capability bounding set of every
# process lacks some capability (our VMs' init drops CAP_SYS_RESOURCE).
#
# Docker 20.10 (Debian bookworm's docker.io) asks runc for every capability
# the kernel knows when a container is --privileged, and runc fails with
# "unable to apply caps: operation not permitted" when one of them is not in
# its bounding set; newer engines leave such capabilities out themselves.
# This removes them from the bundle's config.json (`create`, `run`) or the
# process spec of `exec --process` and runs runc. With a full bounding set
# it changes nothing.
set -euo pipefail

runc=${RUNC:-runc}

# Capability names by number, as the kernel numbers them.
names=(CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP
    LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER
    SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE
    SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP
    MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF
    CHECKPOINT_RESTORE)

bounding=$((16#$(awk '/^CapBnd:/ {print $2}' /proc/self/status)))
missing=()
for i in "${!names[@]}"; do
    if ((((bounding >> i) & 1) == 0)); then missing+=("\"CAP_${names[$i]}\""); fi
done

spec=
prev=
for arg in "$@"; do
    case "$prev" in
        --bundle | -b) spec=$arg/config.json ;;
        --process | -p) spec=$arg ;;
    esac
    case "$arg" in
        --bundle=*) spec=${arg#--bundle=}/config.json ;;
        --process=*) spec=${arg#--process=} ;;
    esac
    prev=$arg
done

if [ ${#missing[@]} -gt 0 ] && [ -n "$spec" ] && [ -f "$spec" ]; then
    drop=$(IFS=,; echo "[${missing[*]}]")
    # shellcheck disable=SC2016 # jq's variables, not the shell's
    filter='def strip: if type == "array" then map(select(. as $c | $drop | index($c) | not)) else . end;
        if .process then .process.capabilities |= (if . then map_values(strip) else . end)
        else .capabilities |= (if . then map_values(strip) else . end) end'
    jq --argjson drop "$drop" "$filter" "$spec" >"$spec.tmp"
    mv "$spec.tmp" "$spec"
fi
exec "$runc" "$@"
