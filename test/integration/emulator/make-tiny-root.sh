#!/usr/bin/env bash
# Builds a tiny guest root for the emulator's integration test: a static armhf
# busybox whose init shows the same boot marker as the fixture firmware
# (askfirst: "Please press Enter to activate this console."), brings up WAN
# 10.200.0.2/24 and LAN 192.168.0.1/24, serves /www with httpd on the LAN, and
# sends one ping and one DNS query to documentation addresses (to be counted / recorded).
# Usage: make-tiny-root.sh BUSYBOX OUT.squashfs
set -euo pipefail
busybox="$1" out="$2"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,etc/init.d,dev,proc,sys,tmp,www/cgi-bin,root}
install -m 0755 "$busybox" "$root/bin/busybox"
for a in sh ash cat echo ls mount umount ip ping sleep httpd nslookup nc ifconfig uname mkdir ps kill; do
  ln -s busybox "$root/bin/$a"
done
ln -s ../bin/busybox "$root/sbin/init"
cat >"$root/etc/inittab" <<'INITTAB'
::sysinit:/etc/init.d/rcS
::askfirst:-/bin/sh
INITTAB
cat >"$root/etc/init.d/rcS" <<'RCS'
#!/bin/sh
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
ip link set lo up
ip addr add 10.200.0.2/24 dev eth0 && ip link set eth0 up && ip route add default via 10.200.0.1
ip addr add 192.168.0.1/24 dev eth1 && ip link set eth1 up
httpd -p 192.168.0.1:80 -h /www
echo "tinyroot: up kernel=$(uname -m) eth0=$(cat /sys/class/net/eth0/address) eth1=$(cat /sys/class/net/eth1/address) root=$(grep ' / ' /proc/mounts | head -n1)"
# One packet to a documentation address: the lab must count and drop it.
(ping -c 1 -W 1 198.51.100.7 >/dev/null 2>&1 &)
# A DNS query to a made-up resolver: the lab must carry it to its recorder.
(nslookup firmlab-probe.test 198.51.100.53 >/dev/null 2>&1 &)
RCS
chmod 0755 "$root/etc/init.d/rcS"
echo '<html><body>tinyroot web ui</body></html>' >"$root/www/index.html"
rm -f "$out"
mksquashfs "$root" "$out" -comp xz -all-root -noappend -quiet >/dev/null
