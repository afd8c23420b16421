#!/usr/bin/env bash
# Builds the monolithic arm64 virt kernel from Debian's linux-source-6.1:
#   OUT/<name>/Image     the kernel QEMU boots (-kernel), no initramfs needed
#   OUT/<name>/config    the full .config it was built with, for the record
#   OUT/<name>/version   the kernel release (uname -r)
# From `allnoconfig`, so nothing is in it but virt.config and what that needs.
# Usage: build-virt.sh OUT NAME   (inside `docker build`)
set -euo pipefail
out="$1" name="$2"
here="$(cd "$(dirname "$0")" && pwd)"
src="$(mktemp -d)"
tar -C "$src" --strip-components=1 -xf /usr/src/linux-source-6.1.tar.xz
cd "$src"
export ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
make -s allnoconfig
grep -E '^(CONFIG_[A-Z0-9_]+=[yn0-9]+|# CONFIG_[A-Z0-9_]+ is not set)$' "$here/virt.config" >.fragment
cat .fragment >>.config
make -s olddefconfig
missing=0
while read -r line; do
  case "$line" in
    CONFIG_*=*) grep -qx "$line" .config || { echo "build-virt: $line was dropped by olddefconfig" >&2; missing=1; } ;;
    "# CONFIG_"*" is not set") opt="${line#\# }"; opt="${opt%% *}"; ! grep -q "^$opt=" .config || { echo "build-virt: $opt should be off" >&2; missing=1; } ;;
  esac
done <.fragment
[ "$missing" = 0 ] || exit 1
make -s -j"$(nproc)" Image
mkdir -p "$out/$name"
cp arch/arm64/boot/Image "$out/$name/Image"
cp .config "$out/$name/config"
make -s kernelrelease >"$out/$name/version"
echo "build-virt: $name $(cat "$out/$name/version") $(stat -c %s "$out/$name/Image") bytes" >&2
cd /
rm -rf "$src"
