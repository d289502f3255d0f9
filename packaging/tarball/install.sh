#!/bin/sh
# Installs Tetragon from this tarball and starts it as the systemd service
# `tetragon`:
#
#   /usr/local/bin/tetragond, tetragon (-> tetragond), tetra
#   /usr/local/lib/tetragon/tetragon.conf.d/   package defaults (export to
#        /var/log/tetragon/tetragon.log, gRPC on unix:///var/run/tetragon/tetragon.sock)
#   /usr/lib/systemd/system/tetragon.service
#   /etc/tetragon/tetragon.conf.d/, /etc/tetragon/tetragon.tp.d/   yours, left as they are
#   man pages and tetra's shell completions under /usr/local/share/
#
# DESTDIR=/some/root installs under that root instead and leaves systemd
# alone. What was installed, and which directories were made, is recorded in
# /usr/local/lib/tetragon/installed so that uninstall.sh removes exactly that.
# Running it again upgrades in place.
set -eu

src=$(cd "$(dirname "$0")" && pwd)
root=${DESTDIR:-}
root=${root%/}
manifest=usr/local/lib/tetragon/installed

if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run as root (or set DESTDIR to install under another root)" >&2
    exit 1
fi
[ -d "$src/usr" ] || { echo "install.sh: no usr/ beside $0: run it from the unpacked tarball" >&2; exit 1; }
[ -z "$root" ] || mkdir -p "$root"

new=$(mktemp "${TMPDIR:-/tmp}/tetragon-install.XXXXXX")
trap 'rm -f "$new"' EXIT
# Directories an earlier install made stay on the record.
if [ -f "$root/$manifest" ]; then
    grep '^d ' "$root/$manifest" >>"$new" || true
fi

# Makes directory $1 (relative to the root) and its missing parents,
# recording each one made.
make_dir() {
    [ -d "$root/$1" ] && return 0
    parent=$(dirname "$1")
    [ "$parent" = . ] || make_dir "$parent"
    mkdir -m 0755 "$root/$1"
    echo "d /$1" >>"$new"
}

# Every file and symlink of the tarball's usr/, copied next to its place and
# renamed over it, so that a running binary is replaced rather than written.
(cd "$src" && find usr \( -type f -o -type l \) -print | LC_ALL=C sort) >"$new.files"
trap 'rm -f "$new" "$new.files"' EXIT
while IFS= read -r path; do
    make_dir "$(dirname "$path")"
    cp -P -p "$src/$path" "$root/$path.new.$$"
    mv -f "$root/$path.new.$$" "$root/$path"
    echo "f /$path" >>"$new"
    echo "installed /$path"
done <"$new.files"

make_dir etc/tetragon/tetragon.conf.d
make_dir etc/tetragon/tetragon.tp.d

{
    echo "# Written by Tetragon's install.sh: f = installed file, d = directory it made."
    echo "f /$manifest"
    grep '^f ' "$new"
    grep '^d ' "$new" | LC_ALL=C sort -u
} >"$root/$manifest"

if [ -n "$root" ]; then
    echo "Installed under $root; systemd left alone (DESTDIR is set)."
elif [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl daemon-reload
    systemctl enable tetragon
    systemctl restart tetragon
else
    echo "systemd is not running here: start /usr/local/bin/tetragon yourself."
fi
echo "Tetragon installed successfully!"
