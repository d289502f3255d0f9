#!/bin/sh
# Stops and removes what install.sh installed: the files recorded in
# /usr/local/lib/tetragon/installed, then the directories it made, each only
# when empty (your drop-ins and policies in /etc/tetragon stay; remove that
# directory yourself to purge them). Event logs in /var/log/tetragon stay too.
#
# DESTDIR=/some/root uninstalls from under that root and leaves systemd alone.
set -eu

src=$(cd "$(dirname "$0")" && pwd)
root=${DESTDIR:-}
root=${root%/}
manifest=usr/local/lib/tetragon/installed

if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
    echo "uninstall.sh: run as root (or set DESTDIR to uninstall from another root)" >&2
    exit 1
fi

systemd=false
if [ -z "$root" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemd=true
    systemctl disable --now tetragon || true
fi

list=$(mktemp "${TMPDIR:-/tmp}/tetragon-uninstall.XXXXXX")
trap 'rm -f "$list"' EXIT
if [ -f "$root/$manifest" ]; then
    grep -v '^#' "$root/$manifest" >"$list"
else
    # Installed by hand or by an older script: the files this tarball holds.
    echo "uninstall.sh: no $root/$manifest; removing the files this tarball holds" >&2
    (cd "$src" && find usr \( -type f -o -type l \) -print | sed 's|^|f /|') >"$list"
fi

grep '^f ' "$list" | cut -c3- | while IFS= read -r path; do
    if [ -e "$root$path" ] || [ -L "$root$path" ]; then
        rm -f "$root$path"
        echo "removed $path"
    fi
done

# Deepest first, so a parent is empty by the time it comes up.
grep '^d ' "$list" | cut -c3- | LC_ALL=C sort -r | while IFS= read -r dir; do
    [ -d "$root$dir" ] || continue
    if rmdir "$root$dir" 2>/dev/null; then
        echo "removed $dir/"
    else
        echo "kept $dir/: not empty"
    fi
done

if $systemd; then
    systemctl daemon-reload
fi
echo "Tetragon uninstalled."
