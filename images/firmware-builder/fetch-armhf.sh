#!/usr/bin/env bash
# Downloads Debian's armhf busybox, dnsmasq (with the shared libraries it
# loads) and the armmp-lpae kernel, and unpacks them without debootstrap:
#   OUT/userland/  merged-/usr tree (usr/bin, usr/sbin, usr/lib) to copy into a rootfs
#   OUT/kernel/zImage, OUT/kernel/version
#   OUT/versions.txt  package=version lines, for the record
# Usage: fetch-armhf.sh OUT   (runs inside `docker build`)
set -euo pipefail
out="$1"
mkdir -p "$out/userland/usr/bin" "$out/userland/usr/sbin" "$out/userland/usr/lib" "$out/kernel"
dpkg --add-architecture armhf
# The armhf index of the security suite has been seen out of sync with its
# Release file; the main suite alone is enough, and its versions move less.
mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
[ -n "$mirror" ] || mirror="$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list)"
apt_dir="$(mktemp -d)"
mkdir -p "$apt_dir/parts" "$apt_dir/lists/partial"
echo "deb [arch=armhf signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm main" \
  >"$apt_dir/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/parts"
  -o "Dir::State::Lists=$apt_dir/lists")
apt-get "${apt_opts[@]}" update

# dnsmasq-base and the libraries its ELF NEEDED entries resolve to (checked below:
# the list is explicit so a new dependency fails the build instead of the boot).
libs="libc6 libgcc-s1 libdbus-1-3 libsystemd0 libcap2 libgcrypt20 libgpg-error0
  liblz4-1 liblzma5 libzstd1 libgmp10 libhogweed6 libnettle8 libidn2-0 libunistring2
  libnetfilter-conntrack3 libnfnetlink0 libmnl0 libnftables1 libnftnl11 libjansson4
  libxtables12"
kernel_pkg="$(apt-cache "${apt_opts[@]}" show linux-image-armmp-lpae:armhf \
  | sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p' | head -n1)"
[ -n "$kernel_pkg" ] || { echo "no linux-image-armmp-lpae:armhf candidate" >&2; exit 1; }

debs="$(mktemp -d)"
cd "$debs"
pkgs="busybox-static dnsmasq-base $libs $kernel_pkg"
apt-get "${apt_opts[@]}" download $(for p in $pkgs; do echo "$p:armhf"; done)

for deb in *.deb; do
  dpkg-deb --showformat='${Package}=${Version}\n' -W "$deb" >>"$out/versions.txt"
done
sort -o "$out/versions.txt" "$out/versions.txt"

# Userland: fold /lib, /bin, /sbin into /usr (Debian armhf is merged-/usr).
for deb in *.deb; do
  case "$deb" in linux-image-*) continue ;; esac
  x="$(mktemp -d)"
  dpkg-deb -x "$deb" "$x"
  for d in bin sbin lib; do
    if [ -d "$x/$d" ]; then cp -a "$x/$d/." "$out/userland/usr/$d/"; fi
  done
  for d in usr/bin usr/sbin usr/lib; do
    if [ -d "$x/$d" ]; then cp -a "$x/$d/." "$out/userland/$d/"; fi
  done
  rm -rf "$x"
done
# Only what runs on the router: no docs, locale data, gconv modules or systemd units.
rm -rf "$out/userland/usr/lib/arm-linux-gnueabihf/gconv" "$out/userland/usr/lib/systemd" \
       "$out/userland/usr/lib/arm-linux-gnueabihf/audit" "$out/userland/usr/lib/tmpfiles.d"
mv "$out/userland/usr/bin/busybox" "$out/userland/usr/bin/busybox" 2>/dev/null || true

# Kernel: only the zImage and its version; modules come from the emulator's initramfs.
x="$(mktemp -d)"
dpkg-deb -x "$kernel_pkg"_*.deb "$x"
cp "$x"/boot/vmlinuz-* "$out/kernel/zImage"
basename "$x"/boot/vmlinuz-* | sed 's/^vmlinuz-//' >"$out/kernel/version"
rm -rf "$x"

# Every library dnsmasq needs must now be present.
missing=0
for lib in $(arm-linux-gnueabihf-readelf -d "$out/userland/usr/sbin/dnsmasq" \
    | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
  if ! find "$out/userland/usr/lib" -name "$lib" | grep -q .; then
    echo "dnsmasq needs $lib, which no downloaded package provides" >&2
    missing=1
  fi
done
[ "$missing" = 0 ]

cd /
rm -rf "$debs" "$apt_dir"
echo "armhf packages:" && cat "$out/versions.txt"
