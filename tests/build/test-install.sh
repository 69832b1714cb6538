#!/usr/bin/env bash
# Installs the build into a scratch folder, then compiles and runs
# tests/build/hello.c against it through pkg-config: the installed headers
# and libcustseg.so, nothing from the source tree.
#   test-install.sh BUILD_DIR SRC_DIR VERSION SANITIZE
set -euo pipefail
build=$1 src=$2 version=$3 sanitize=$4
command -v pkg-config >/dev/null || { echo "pkg-config is not installed" >&2; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --no-rebuild --quiet --destdir "$tmp/root" >/dev/null
pc=$(find "$tmp/root" -name custseg.pc | head -1)
[ -n "$pc" ] || { echo "no custseg.pc was installed" >&2; exit 1; }
prefix=$(sed -n 's/^prefix=//p' "$pc")
export PKG_CONFIG_PATH=$(dirname "$pc")
flags=$(pkg-config --define-variable=prefix="$tmp/root$prefix" --cflags --libs custseg)
case "$flags" in *"$src"*) echo "pkg-config points into the source tree: $flags" >&2; exit 1;; esac
san=()
[ "$sanitize" != none ] && san=(-fsanitize="$sanitize")
cc -std=c17 -Wall -Wextra -Werror "${san[@]}" "$src/tests/build/hello.c" $flags -lm -o "$tmp/hello"
libdir=$(pkg-config --define-variable=prefix="$tmp/root$prefix" --variable=libdir custseg)
LD_LIBRARY_PATH="$libdir" "$tmp/hello" "$version"
