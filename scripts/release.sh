#!/usr/bin/env bash
# The release build: the one script the Dockerfile's builder stage and CI run.
#
#   scripts/release.sh [--arch amd64|arm64] [--out DIR] [--bin-dir DIR]
#                      [--no-cross-check | --cross-check-only]
#
# Builds tetragond and tetra in release mode for --arch (default: this
# machine's), strips them, and lays out under --out (default target/dist):
#
#   rootfs-<arch>/                       the container image's file tree
#   tetragon-v<version>-<arch>/          the tarball's tree (install.sh ...)
#   tetragon-v<version>-<arch>.tar.gz    the tarball
#
# <version> is the workspace's (Cargo.toml). --bin-dir packages binaries
# already built there instead of building (the tarball test does this).
#
# After a native build the other architecture is cross-built as a check when
# its Rust target, linker and kernel headers are present, and skipped with
# the reason otherwise; --no-cross-check leaves it out, --cross-check-only
# does only that.
set -euo pipefail
shopt -s inherit_errexit

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

usage() {
    sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

arch_of_machine() {
    case "$(uname -m)" in
        x86_64) echo amd64 ;;
        aarch64 | arm64) echo arm64 ;;
        *) echo "release.sh: unsupported machine $(uname -m)" >&2; exit 1 ;;
    esac
}

host_arch=$(arch_of_machine)
arch=$host_arch
out=$root/target/dist
bin_dir=
cross_check=auto
while [ $# -gt 0 ]; do
    case "$1" in
        --arch) arch=$2; shift 2 ;;
        --arch=*) arch=${1#*=}; shift ;;
        --out) out=$2; shift 2 ;;
        --out=*) out=${1#*=}; shift ;;
        --bin-dir) bin_dir=$2; shift 2 ;;
        --bin-dir=*) bin_dir=${1#*=}; shift ;;
        --no-cross-check) cross_check=no; shift ;;
        --cross-check-only) cross_check=only; shift ;;
        -h | --help) usage 0 ;;
        *) echo "release.sh: unknown argument $1" >&2; usage 2 >&2 ;;
    esac
done
case "$out" in /*) ;; *) out=$PWD/$out ;; esac

version=$(sed -n '/^\[workspace\.package\]/,/^\[/ s/^version *= *"\(.*\)"/\1/p' Cargo.toml)
[ -n "$version" ] || { echo "release.sh: no version in Cargo.toml [workspace.package]" >&2; exit 1; }

# Rust target triple, C cross-compiler prefix and kernel-header directory of
# an architecture named the Go/Docker way.
triple_of() {
    case "$1" in
        amd64) echo x86_64-unknown-linux-gnu ;;
        arm64) echo aarch64-unknown-linux-gnu ;;
        *) echo "release.sh: unknown architecture $1 (amd64 or arm64)" >&2; exit 2 ;;
    esac
}
gnu_of() {
    case "$1" in
        amd64) echo x86_64-linux-gnu ;;
        arm64) echo aarch64-linux-gnu ;;
    esac
}
triple_of "$arch" >/dev/null # an unknown --arch stops here
target_dir=${CARGO_TARGET_DIR:-$root/target}
case "$target_dir" in /*) ;; *) target_dir=$root/$target_dir ;; esac

# Why a cross build for $1 cannot run here; empty when it can. Installs the
# Rust target with rustup when rustup is there and can.
cross_blocker() {
    local a=$1 t gnu libdir
    t=$(triple_of "$a")
    gnu=$(gnu_of "$a")
    libdir=$(rustc --print target-libdir --target "$t" 2>/dev/null || true)
    if ! ls "$libdir"/libstd-*.rlib >/dev/null 2>&1; then
        if ! command -v rustup >/dev/null 2>&1; then
            echo "the Rust target $t is not installed and there is no rustup to add it"
            return
        fi
        if ! rustup target add "$t" >/dev/null 2>&1; then
            echo "the Rust target $t is not installed and \`rustup target add $t\` failed"
            return
        fi
    fi
    command -v "$gnu-gcc" >/dev/null 2>&1 ||
        { echo "no linker $gnu-gcc (Debian: gcc-$gnu)"; return; }
    [ -d "/usr/include/$gnu/asm" ] ||
        { echo "no kernel headers for $a in /usr/include/$gnu (Debian: dpkg --add-architecture $a; apt-get install linux-libc-dev:$a)"; return; }
}

# Builds both binaries for architecture $1; prints the directory holding them.
build() {
    local a=$1 t gnu env_triple
    t=$(triple_of "$a")
    gnu=$(gnu_of "$a")
    if [ "$a" = "$host_arch" ]; then
        cargo build --release --locked -p tetragond -p tetra >&2 || return 1
        echo "$target_dir/release"
    else
        env_triple=$(echo "$t" | tr 'a-z-' 'A-Z_')
        env "CARGO_TARGET_${env_triple}_LINKER=$gnu-gcc" "CC_${t//-/_}=$gnu-gcc" \
            cargo build --release --locked --target "$t" -p tetragond -p tetra >&2 || return 1
        echo "$target_dir/$t/release"
    fi
}

cross_check() {
    local other blocker
    if [ "$host_arch" = amd64 ]; then other=arm64; else other=amd64; fi
    blocker=$(cross_blocker "$other")
    if [ -n "$blocker" ]; then
        echo "release.sh: skipping the $other cross-build check: $blocker"
        return
    fi
    echo "release.sh: cross-building for $other as a check"
    build "$other" >/dev/null || { echo "release.sh: the $other cross-build failed" >&2; exit 1; }
    echo "release.sh: $other cross-build works"
}

if [ "$cross_check" = only ]; then
    cross_check
    exit 0
fi

# 1. The binaries.
if [ -n "$bin_dir" ]; then
    built=$bin_dir
elif [ "$arch" = "$host_arch" ]; then
    built=$(build "$arch")
else
    blocker=$(cross_blocker "$arch")
    [ -z "$blocker" ] || { echo "release.sh: cannot build for $arch: $blocker" >&2; exit 1; }
    built=$(build "$arch")
fi
for b in tetragond tetra; do
    [ -x "$built/$b" ] || { echo "release.sh: $built/$b is missing" >&2; exit 1; }
done

gnu=$(gnu_of "$arch")
if [ "$arch" = "$host_arch" ]; then
    cc=${CC:-cc}
    strip=${STRIP:-strip}
else
    cc=$gnu-gcc
    strip=$gnu-strip
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/tetragon-release.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin"
for b in tetragond tetra; do
    cp "$built/$b" "$stage/bin/$b"
    "$strip" --strip-unneeded "$stage/bin/$b"
done

# 2. Completions and man pages. The completions come from the built tetra
# when it runs here; completions/ and man/ hold the same, generated from the
# same definitions (tests/tests/generated_docs.rs keeps them current).
mkdir -p "$stage/completions"
if "$stage/bin/tetra" completion bash >/dev/null 2>&1; then
    "$stage/bin/tetra" completion bash >"$stage/completions/tetra.bash"
    "$stage/bin/tetra" completion zsh >"$stage/completions/_tetra"
    "$stage/bin/tetra" completion fish >"$stage/completions/tetra.fish"
else
    cp completions/tetra.bash completions/_tetra completions/tetra.fish "$stage/completions/"
fi

# Installs the binaries, completions and man pages under $1 with prefix $2
# (usr or usr/local).
install_common() {
    local dest=$1 prefix=$2
    install -d "$dest/$prefix/bin" \
        "$dest/$prefix/share/man/man1" "$dest/$prefix/share/man/man8" \
        "$dest/$prefix/share/bash-completion/completions" \
        "$dest/$prefix/share/fish/vendor_completions.d"
    install -m 0755 "$stage/bin/tetragond" "$stage/bin/tetra" "$dest/$prefix/bin/"
    ln -sf tetragond "$dest/$prefix/bin/tetragon"
    install -m 0644 man/*.1 "$dest/$prefix/share/man/man1/"
    install -m 0644 man/*.8 "$dest/$prefix/share/man/man8/"
    install -m 0644 "$stage/completions/tetra.bash" "$dest/$prefix/share/bash-completion/completions/tetra"
    install -m 0644 "$stage/completions/tetra.fish" "$dest/$prefix/share/fish/vendor_completions.d/tetra.fish"
}

# 3. The image's file tree.
rootfs=$out/rootfs-$arch
rm -rf "$rootfs"
install_common "$rootfs" usr
install -d "$rootfs/usr/share/zsh/vendor-completions"
install -m 0644 "$stage/completions/_tetra" "$rootfs/usr/share/zsh/vendor-completions/_tetra"
"$cc" -O2 -Wall -Wextra -Werror -s -o "$rootfs/usr/bin/tetragon-entrypoint" packaging/container/entrypoint.c
install -d "$rootfs/etc/tetragon/tetragon.tp.d" "$rootfs/etc/tetragon/tetragon.conf.d" \
    "$rootfs/var/lib/tetragon" "$rootfs/var/log/tetragon"

# 4. The tarball.
name=tetragon-v$version-$arch
tree=$out/$name
rm -rf "$tree" "$out/$name.tar.gz"
install_common "$tree" usr/local
install -d "$tree/usr/local/share/zsh/site-functions"
install -m 0644 "$stage/completions/_tetra" "$tree/usr/local/share/zsh/site-functions/_tetra"
install -d "$tree/usr/local/lib/tetragon/tetragon.conf.d" "$tree/usr/lib/systemd/system"
install -m 0644 packaging/tarball/tetragon.conf.d/* "$tree/usr/local/lib/tetragon/tetragon.conf.d/"
install -m 0644 packaging/tarball/tetragon.service "$tree/usr/lib/systemd/system/tetragon.service"
install -m 0755 packaging/tarball/install.sh packaging/tarball/uninstall.sh "$tree/"
tar -C "$out" --owner=0 --group=0 --numeric-owner --sort=name -czf "$out/$name.tar.gz" "$name"

echo "release.sh: $rootfs"
echo "release.sh: $out/$name.tar.gz"

# 5. The other architecture, as a check.
if [ "$cross_check" = auto ] && [ -z "$bin_dir" ] && [ "$arch" = "$host_arch" ]; then
    cross_check
fi
