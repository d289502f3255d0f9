# tetragond and tetra in one image, for linux/amd64 and linux/arm64:
#
#   docker buildx build --platform linux/amd64,linux/arm64 -t tetragon-rs .
#   docker build -t tetragon-rs .                     # this machine's platform
#
#   docker run --name tetragon-container --rm --pid=host --cgroupns=host --privileged \
#     -v /sys/kernel/btf/vmlinux:/var/lib/tetragon/btf tetragon-rs
#   docker exec tetragon-container tetra getevents -o compact
#
# Words after the image name are the daemon's flags (`tetragon-rs
# --tracing-policy /tp.yaml`) or a whole command (`tetragon-rs
# /usr/bin/tetragon --export-filename /var/log/tetragon/tetragon.log`).
#
# The builder runs on the build machine's platform and cross-compiles for the
# target's (the BPF programs too: build-support passes the target's
# __TARGET_ARCH); both base images are arguments, so machines without a
# registry can use images made locally (scripts/container-test-env.sh).

ARG BUILDER_IMAGE=docker.io/library/rust:1.95-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12

FROM --platform=$BUILDPLATFORM ${BUILDER_IMAGE} AS builder
ARG TARGETARCH
ARG BUILDARCH
# clang and the libbpf and kernel headers for the BPF programs (clang-19
# where the distribution has it: clang 14, bookworm's default, emits jumps
# too long for the generic hook); for another target architecture, its C
# cross compiler (linker, ring's C code), its kernel headers and its Rust
# standard library; protoc for the CRI client's protos.
RUN set -eux; \
    apt-get update -qq; \
    clang=clang; \
    if apt-cache show clang-19 >/dev/null 2>&1; then clang=clang-19; fi; \
    packages="$clang libbpf-dev linux-libc-dev protobuf-compiler"; \
    if [ -n "$TARGETARCH" ] && [ "$TARGETARCH" != "${BUILDARCH:-$TARGETARCH}" ]; then \
        dpkg --add-architecture "$TARGETARCH"; \
        case "$TARGETARCH" in \
            arm64) packages="$packages gcc-aarch64-linux-gnu libc6-dev-arm64-cross linux-libc-dev:arm64" ;; \
            amd64) packages="$packages gcc-x86-64-linux-gnu libc6-dev-amd64-cross linux-libc-dev:amd64" ;; \
        esac; \
        apt-get update -qq; \
    fi; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null; \
    rm -rf /var/lib/apt/lists/*; \
    if [ -n "$TARGETARCH" ] && [ "$TARGETARCH" != "${BUILDARCH:-$TARGETARCH}" ] && command -v rustup >/dev/null; then \
        case "$TARGETARCH" in \
            arm64) rustup target add aarch64-unknown-linux-gnu ;; \
            amd64) rustup target add x86_64-unknown-linux-gnu ;; \
        esac; \
    fi
WORKDIR /src
COPY . .
# The crate downloads and the build directory live in caches that outlast
# this build, so a rebuild compiles only what changed. CLANG names the
# compiler, so that the BPF objects in the cache are rebuilt when it changes.
RUN --mount=type=cache,id=tetragon-rs-cargo-registry,target=/usr/local/cargo/registry \
    --mount=type=cache,id=tetragon-rs-target-${TARGETARCH},target=/src/target \
    CLANG=$(command -v clang-19 || command -v clang) \
    scripts/release.sh --no-cross-check --out /out ${TARGETARCH:+--arch $TARGETARCH} \
 && mv /out/rootfs-* /out/rootfs

FROM ${RUNTIME_IMAGE}
ARG TETRAGON_VERSION=dev
LABEL org.opencontainers.image.title="tetragon-rs" \
      org.opencontainers.image.description="eBPF security observability and runtime enforcement: tetragond and tetra, drop-in for Cilium Tetragon" \
      org.opencontainers.image.source="https://github.com/tetragon-rs/tetragon-rs" \
      org.opencontainers.image.version="${TETRAGON_VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=builder /out/rootfs/ /
# The daemon's defaults: gRPC on localhost:54321 (and its address in
# /var/run/tetragon/tetragon-info.json, where tetra looks), BTF from
# /sys/kernel/btf/vmlinux or /var/lib/tetragon/btf, policies from
# /etc/tetragon/tetragon.tp.d, settings from /etc/tetragon/tetragon.conf.d
# and TETRAGON_* variables.
ENTRYPOINT ["/usr/bin/tetragon-entrypoint"]
