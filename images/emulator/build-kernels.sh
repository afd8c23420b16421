#!/usr/bin/env bash
# Downloads Debian's generic ARM kernels and builds one initramfs per kernel:
#   OUT/<kernel>/vmlinuz     the kernel QEMU boots (-kernel)
#   OUT/<kernel>/initrd.gz   busybox (of the kernel's own arch) + the modules
#                            the guest needs + initramfs-init.sh as /init
#   OUT/<kernel>/version     the kernel release (uname -r)
#   OUT/<kernel>/busybox     static busybox of that arch (for test guest roots)
#   OUT/versions.txt         package=version lines, for the record
# <kernel> is `arm64` (linux-image-*-arm64:arm64, runs 32-bit armhf userland
# too) or `armhf` (linux-image-*-armmp-lpae:armhf). The harness's arch table
# names these paths. Usage: build-kernels.sh OUT   (runs inside `docker build`)
set -euo pipefail
out="$1"
here="$(cd "$(dirname "$0")" && pwd)"
# What the guest needs from the kernel (docs/contracts.md "The guest"): virtio
# over MMIO (QEMU -M virt), two virtio-net NICs, two virtio-blk disks, squashfs.
wanted="failover net_failover virtio virtio_ring virtio_mmio virtio_net virtio_blk squashfs"

dpkg --add-architecture armhf
dpkg --add-architecture arm64
# The bookworm-security armhf index has been seen inconsistent mid-sync; the main
# suite has every package needed, and a missing one fails `apt-get download` below.
apt-get update || echo "build-kernels: some package indexes failed to update; going on with the rest" >&2

# Resolve the real package behind the metapackage: no hard-coded kernel ABI.
kernel_pkg() {
  apt-cache show "$1" | sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p' | head -n1
}

build_one() {
  local name="$1" arch="$2" meta="$3"
  local pkg; pkg="$(kernel_pkg "$meta")"
  [ -n "$pkg" ] || { echo "no candidate for $meta" >&2; exit 1; }
  local work; work="$(mktemp -d)"
  (cd "$work" && apt-get download "$pkg:$arch" "busybox-static:$arch")
  for deb in "$work"/*.deb; do
    dpkg-deb -f "$deb" Package Version Architecture | paste -sd' ' >>"$out/versions.txt"
  done
  mkdir -p "$work/k" "$work/bb" "$out/$name"
  dpkg-deb -x "$work"/linux-image-*.deb "$work/k"
  dpkg-deb -x "$work"/busybox-static_*.deb "$work/bb"

  local kver; kver="$(basename "$work"/k/boot/vmlinuz-* | sed 's/^vmlinuz-//')"
  cp "$work"/k/boot/vmlinuz-"$kver" "$out/$name/vmlinuz"
  echo "$kver" >"$out/$name/version"
  local moddir="$work/k/lib/modules/$kver"
  [ -d "$moddir" ] || { echo "no lib/modules/$kver in $pkg" >&2; exit 1; }
  # The package ships no modules.dep (postinst makes it): build it here.
  depmod -b "$work/k" "$kver"

  # Module load order: dependencies first, each once; built-ins need nothing.
  local order=() seen=" "
  add_module() {
    local m="${1//-/_}" line path dep
    case "$seen" in *" $m "*) return ;; esac
    seen="$seen$m "
    line="$(awk -v m="$m" -F: '{ n=$1; sub(/.*\//, "", n); sub(/\.ko(\.[a-z]+)?$/, "", n); gsub(/-/, "_", n); if (n == m) { print; exit } }' "$moddir/modules.dep")"
    if [ -z "$line" ]; then
      if grep -Eq "/${m//_/[-_]}\.ko\$" "$moddir/modules.builtin"; then
        echo "  $name: $m is built in" >&2; return
      fi
      echo "$name kernel $kver has no module $m" >&2; exit 1
    fi
    path="${line%%:*}"
    for dep in ${line#*:}; do
      dep="$(basename "$dep")"; dep="${dep%%.ko*}"
      add_module "$dep"
    done
    order+=("$path")
  }
  for m in $wanted; do add_module "$m"; done
  # squashfs-xz needs the kernel's xz decompressor; Debian builds it in.
  grep -q '^CONFIG_SQUASHFS_XZ=y' "$work"/k/boot/config-"$kver" \
    || { echo "$name kernel lacks CONFIG_SQUASHFS_XZ" >&2; exit 1; }

  local root="$work/root"
  mkdir -p "$root"/{bin,dev,proc,sys,newroot,lib/modules,etc}
  cp "$work/bb/bin/busybox" "$root/bin/busybox"
  # Also kept beside the kernel: tests build tiny guest roots from it.
  cp "$work/bb/bin/busybox" "$out/$name/busybox"
  for applet in sh mount umount mkdir insmod switch_root poweroff sleep cat echo ls; do
    ln -s busybox "$root/bin/$applet"
  done
  : >"$root/etc/firmlab-modules"
  for path in "${order[@]}"; do
    local base; base="$(basename "$path")"
    case "$base" in
      *.ko.xz) xz -dc "$moddir/$path" >"$root/lib/modules/${base%.xz}"; base="${base%.xz}" ;;
      *.ko.zst) echo "zstd-compressed modules are not handled" >&2; exit 1 ;;
      *) cp "$moddir/$path" "$root/lib/modules/$base" ;;
    esac
    echo "$base" >>"$root/etc/firmlab-modules"
  done
  echo "  $name ($pkg $kver) modules: $(paste -sd' ' "$root/etc/firmlab-modules")" >&2
  cp "$here/initramfs-init.sh" "$root/init"
  chmod 0755 "$root/init"
  # The kernel opens /dev/console before /init runs (devtmpfs is not up yet).
  mknod -m 0600 "$root/dev/console" c 5 1
  mknod -m 0666 "$root/dev/null" c 1 3
  (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9) >"$out/$name/initrd.gz"
  rm -rf "$work"
}

mkdir -p "$out"
: >"$out/versions.txt"
build_one arm64 arm64 linux-image-arm64:arm64
build_one armhf armhf linux-image-armmp-lpae:armhf
rm -rf /var/lib/apt/lists/*
ls -l "$out"/*/
cat "$out/versions.txt"
