#!/usr/bin/env bash
# Builds one monolithic MIPS malta kernel from Debian's linux-source-6.1:
#   OUT/<name>/vmlinux   the ELF QEMU boots (-kernel), no initramfs needed
#   OUT/<name>/config    the full .config it was built with, for the record
#   OUT/<name>/version   the kernel release (uname -r)
# Usage: build-malta.sh OUT big|little CROSS_COMPILE NAME   (inside `docker build`)
set -euo pipefail
out="$1" endian="$2" cross="$3" name="$4"
here="$(cd "$(dirname "$0")" && pwd)"
src="$(mktemp -d)"
tar -C "$src" --strip-components=1 -xf /usr/src/linux-source-6.1.tar.xz
cd "$src"
export ARCH=mips CROSS_COMPILE="$cross"
make -s malta_defconfig
# With MODULES off kconfig would build in every `=m` of the defconfig (hundreds
# of drivers); turn them off first, then add what firmlab's guests need.
sed -i -E 's/^(CONFIG_[A-Za-z0-9_]+)=m$/# \1 is not set/' .config
case "$endian" in
  big) want_endian='CONFIG_CPU_BIG_ENDIAN=y'; drop_endian=CONFIG_CPU_LITTLE_ENDIAN ;;
  little) want_endian='CONFIG_CPU_LITTLE_ENDIAN=y'; drop_endian=CONFIG_CPU_BIG_ENDIAN ;;
  *) echo "build-malta: endian must be big or little, got $endian" >&2; exit 2 ;;
esac
sed -i -E "/^(# )?${drop_endian}[= ]/d" .config
{ echo "$want_endian"; echo "# $drop_endian is not set"
  grep -E '^(CONFIG_[A-Z0-9_]+=y|# CONFIG_[A-Z0-9_]+ is not set)$' "$here/malta.config"; } >.fragment
# Later lines win in kconfig: append the fragment, then let olddefconfig settle dependencies.
cat .fragment >>.config
make -s olddefconfig
missing=0
while read -r line; do
  case "$line" in
    CONFIG_*=y) grep -qx "$line" .config || { echo "build-malta: $line was dropped by olddefconfig" >&2; missing=1; } ;;
    "# CONFIG_"*" is not set") opt="${line#\# }"; opt="${opt%% *}"; ! grep -q "^$opt=" .config || { echo "build-malta: $opt should be off" >&2; missing=1; } ;;
  esac
done <.fragment
[ "$missing" = 0 ] || exit 1
make -s -j"$(nproc)" vmlinux
mkdir -p "$out/$name"
"${cross}strip" -o "$out/$name/vmlinux" vmlinux
cp .config "$out/$name/config"
make -s kernelrelease >"$out/$name/version"
echo "build-malta: $name $(cat "$out/$name/version") $(stat -c %s "$out/$name/vmlinux") bytes" >&2
cd /
rm -rf "$src"
