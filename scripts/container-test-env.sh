#!/usr/bin/env bash
# Makes the local base images the container test (tests/tests/container.rs)
# builds and runs the Dockerfile with. There is no registry to pull from:
# everything comes from Debian's mirror and this machine. Images already
# there are kept, so a second run does nothing.
#
#   DOCKER_HOST=unix:///path/docker.sock [ARCHES="amd64 arm64"] \
#       scripts/container-test-env.sh [CACHE_DIR]
#
# CACHE_DIR (default /var/cache/tetragon-rs-test) keeps the debootstrap root
# file system as a tarball, so a new Docker data root imports it again
# without downloading. Prints the images as NAME=VALUE lines on stdout:
#
#   BOOKWORM        Debian bookworm, `debootstrap --variant=minbase` (+ busybox-static)
#   BUILDER         bookworm + clang-19, libbpf-dev, gcc and this machine's Rust
#                   toolchain: the Dockerfile's BUILDER_IMAGE
#   RUST_TARGETS    the targets whose standard library that toolchain has
#   RUNTIME         a distroless-style root for this machine's architecture:
#                   glibc and libgcc_s, /etc/passwd, /tmp; the Dockerfile's
#                   RUNTIME_IMAGE
#   RUNTIME_<ARCH>  the same for each architecture in ARCHES (default: this
#                   machine's), for `docker build --platform linux/<arch>`
#   BUSYBOX         busybox, for a container whose processes the daemon watches
set -euo pipefail

cache=${1:-/var/cache/tetragon-rs-test}
mkdir -p "$cache"
docker=${DOCKER:-docker}
repo=tetragon-rs-test

log() { echo "container-test-env: $*" >&2; }
have_image() { "$docker" image inspect "$1" >/dev/null 2>&1; }

case "$(uname -m)" in
    x86_64) arch=amd64 ;;
    aarch64) arch=arm64 ;;
    *) log "unsupported machine $(uname -m)"; exit 1 ;;
esac

work=$(mktemp -d "$cache/work.XXXXXX")
trap 'rm -rf "$work"' EXIT

# 1. The bookworm root file system, from the cached tarball or debootstrap.
rootfs_tar=$cache/bookworm-minbase-$arch.tar
rootfs=
unpack_rootfs() {
    if [ -z "$rootfs" ]; then
        rootfs=$work/rootfs
        mkdir "$rootfs"
        tar -C "$rootfs" -xf "$rootfs_tar"
    fi
}
if [ ! -s "$rootfs_tar" ]; then
    command -v debootstrap >/dev/null 2>&1 || { log "debootstrap is missing (apt-get install debootstrap)"; exit 1; }
    log "debootstrap bookworm (minbase) into $rootfs_tar"
    debootstrap --variant=minbase --arch="$arch" --include=busybox-static \
        bookworm "$work/bootstrap" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
        { cat "$work/debootstrap.log" >&2; exit 1; }
    # Apt's downloads are not part of an image.
    rm -rf "$work/bootstrap"/var/cache/apt/archives/*.deb "$work/bootstrap"/var/lib/apt/lists/*
    tar -C "$work/bootstrap" --numeric-owner -cf "$rootfs_tar.tmp" .
    mv "$rootfs_tar.tmp" "$rootfs_tar"
    rm -rf "$work/bootstrap"
fi

bookworm=$repo/bookworm:12
if ! have_image "$bookworm"; then
    log "importing $bookworm"
    "$docker" import --change 'CMD ["/bin/bash"]' "$rootfs_tar" "$bookworm" >/dev/null
fi

# 2. The builder: bookworm, the BPF build's packages, and the Rust toolchain
# this machine builds with (rustup cannot download here), as the public
# rust:bookworm image has it: cargo and rustc in /usr/local/cargo/bin.
sysroot=$(rustc --print sysroot)
rust_version=$(rustc --version | awk '{print $2}')
builder_dockerfile="FROM $bookworm
RUN apt-get update -qq \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \\
      ca-certificates gcc libc6-dev binutils clang-19 libbpf-dev linux-libc-dev >/dev/null \\
 && rm -rf /var/lib/apt/lists/*
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY toolchain/ /usr/local/cargo/
ENV CARGO_HOME=/usr/local/cargo \\
    PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN cargo --version && rustc --version"
rust_targets=$(cd "$sysroot/lib/rustlib" && for t in *-linux-*; do [ -d "$t/lib" ] && echo "$t"; done | tr '\n' ' ')
# Named after the toolchain, its targets and this recipe, so a change to any
# makes a new one.
builder=$repo/rust-builder:$rust_version-$(printf '%s %s' "$builder_dockerfile" "$rust_targets" | sha256sum | cut -c1-12)
if ! have_image "$builder"; then
    log "building $builder from $sysroot"
    ctx=$work/builder
    mkdir -p "$ctx/toolchain/bin"
    # Hard links where the file system allows: the context is large.
    cp -al "$sysroot/lib" "$ctx/toolchain/lib" 2>/dev/null || cp -a "$sysroot/lib" "$ctx/toolchain/lib"
    for tool in cargo rustc; do
        cp -p "$sysroot/bin/$tool" "$ctx/toolchain/bin/$tool"
    done
    [ ! -d "$sysroot/libexec" ] || cp -a "$sysroot/libexec" "$ctx/toolchain/libexec"
    # The certificate authorities this machine trusts (a TLS-inspecting
    # proxy's among them, where there is one), for cargo's downloads.
    cp /etc/ssl/certs/ca-certificates.crt "$ctx/ca-certificates.crt"
    printf '%s\n' "$builder_dockerfile" >"$ctx/Dockerfile"
    DOCKER_BUILDKIT=1 "$docker" build -q --network host -t "$builder" "$ctx" >/dev/null
    rm -rf "$ctx"
    # Builders of other toolchains or recipes are not used again, nor is
    # what BuildKit kept of their builds and of builds on them (cargo's
    # caches included: a new toolchain rebuilds everything anyway).
    "$docker" images "$repo/rust-builder" --format '{{.Repository}}:{{.Tag}}' |
        { grep -vxF "$builder" || true; } | xargs -r "$docker" rmi >/dev/null
    "$docker" builder prune -af >/dev/null
fi

# 3. The runtime base, for each architecture: what the binaries need (ldd:
# libc, libm, libgcc_s and the loader, from bookworm's libc6 and libgcc-s1 of
# that architecture) and what a root needs, nothing else: no shell, no
# package manager. Laid out with merged /usr as bookworm has it.
make_runtime() {
    local a=$1 image=$2 debs=$work/debs-$1 x=$work/x-$1 rt=$work/runtime-$1
    log "making $image"
    mkdir -p "$debs" "$x"
    "$docker" run --rm --network host -v "$debs:/out" "$bookworm" sh -c "
        set -e
        dpkg --add-architecture $a
        apt-get update -qq
        cd /out && apt-get download -qq libc6:$a libgcc-s1:$a 2>/dev/null" >&2
    for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$x"; done
    mkdir -p "$rt/usr/bin" "$rt/usr/sbin" "$rt/usr/lib" "$rt/etc" "$rt/root" "$rt/run" \
        "$rt/tmp" "$rt/var/lib" "$rt/var/log" "$rt/proc" "$rt/sys" "$rt/dev"
    chmod 1777 "$rt/tmp"
    chmod 0700 "$rt/root"
    for d in bin sbin lib; do ln -s "usr/$d" "$rt/$d"; done
    if [ -d "$x/lib64" ]; then mkdir -p "$rt/usr/lib64" && ln -s usr/lib64 "$rt/lib64"; fi
    ln -s ../run "$rt/var/run"
    # The shared libraries and the loader's links, /lib moved under /usr.
    (cd "$x" && for d in lib lib64 usr/lib; do
        [ ! -d "$d" ] || find "$d" \( -type f -o -type l \) -name '*.so*'
    done) |
        grep -v -e /gconv/ -e /audit/ | while IFS= read -r path; do
            dest=$path
            case "$dest" in lib/* | lib64/*) dest=usr/$dest ;; esac
            mkdir -p "$rt/$(dirname "$dest")"
            cp -a "$x/$path" "$rt/$dest"
        done
    printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$rt/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$rt/etc/group"
    printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rt/etc/nsswitch.conf"
    load_image "$rt" "$a" "$image"
}

# Loads the directory $1 as a one-layer image $3 for architecture $2.
# (`docker import` records this machine's architecture whatever the files
# are, and BuildKit wants the platform it builds for.) Writes what `docker
# save` would: the layer, its config and a manifest.
load_image() {
    local dir=$1 a=$2 image=$3 out=$work/image-$2 diff config
    mkdir -p "$out/layer"
    tar -C "$dir" --numeric-owner --sort=name -cf "$out/layer/layer.tar" .
    diff=$(sha256sum "$out/layer/layer.tar" | cut -d' ' -f1)
    printf '{"architecture":"%s","os":"linux","created":"1970-01-01T00:00:00Z","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
        "$a" "$diff" >"$out/config.json"
    config=$(sha256sum "$out/config.json" | cut -d' ' -f1)
    mv "$out/config.json" "$out/$config.json"
    printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["layer/layer.tar"]}]' \
        "$config" "$image" >"$out/manifest.json"
    tar -C "$out" -cf - manifest.json "$config.json" layer | "$docker" load >/dev/null
    rm -rf "$out"
}

runtimes=()
for a in ${ARCHES:-$arch}; do
    image=$repo/runtime:12-$a
    have_image "$image" || make_runtime "$a" "$image"
    runtimes+=("RUNTIME_$(echo "$a" | tr '[:lower:]' '[:upper:]')=$image")
done

# 4. Busybox: the static binary from bookworm's busybox-static and a link
# per applet.
busybox=$repo/busybox:1
if ! have_image "$busybox"; then
    log "making $busybox"
    unpack_rootfs
    bb=$work/busybox
    mkdir -p "$bb/bin" "$bb/tmp" "$bb/etc" "$bb/proc" "$bb/sys" "$bb/dev"
    chmod 1777 "$bb/tmp"
    cp "$rootfs/bin/busybox" "$bb/bin/busybox"
    for applet in $("$bb/bin/busybox" --list); do
        [ "$applet" = busybox ] || ln -sf busybox "$bb/bin/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\n' >"$bb/etc/passwd"
    printf 'root:x:0:\n' >"$bb/etc/group"
    tar -C "$bb" --numeric-owner -cf "$work/busybox.tar" .
    "$docker" import --change 'CMD ["sh"]' "$work/busybox.tar" "$busybox" >/dev/null
fi

echo "BOOKWORM=$bookworm"
echo "BUILDER=$builder"
echo "RUST_TARGETS=$rust_targets"
echo "RUNTIME=$repo/runtime:12-$arch"
printf '%s\n' "${runtimes[@]}"
echo "BUSYBOX=$busybox"
