#!/usr/bin/env bash
# A tiny router root that wants its switch the way stock TP-Link firmware
# does: one NIC (eth0) carrying WAN as VLAN 2 and LAN as VLAN 3, tagged by
# the guest's own kernel (8021q in the malta kernels). Its WAN takes a lease
# by DHCP (busybox udhcpc), its LAN is 192.168.0.1 with a web UI (busybox
# httpd), and it resolves a name through the DNS server its lease named,
# every 2 s. Nothing of the harness is in it.
# Usage: make-vlan-root.sh BUSYBOX OUT.squashfs
set -euo pipefail
busybox="$1" out="$2"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,etc/init.d,dev,proc,sys,tmp,www,usr/sbin,usr/share/udhcpc}
install -m 0755 "$busybox" "$root/bin/busybox"
for a in sh cat echo ip sleep nslookup vconfig udhcpc mount grep; do ln -s busybox "$root/bin/$a"; done
ln -s ../../bin/busybox "$root/usr/sbin/httpd"
ln -s ../bin/busybox "$root/sbin/init"
cat >"$root/etc/inittab" <<'INITTAB'
::sysinit:/etc/init.d/rcS
::askfirst:-/bin/sh
INITTAB
cat >"$root/usr/share/udhcpc/default.script" <<'SCRIPT'
#!/bin/sh
# busybox udhcpc's hook: take the lease (address, router, DNS) on the WAN VLAN.
case "$1" in
  deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" dev "$interface"
    for r in $router; do ip route replace default via "$r" dev "$interface"; done
    : >/tmp/resolv.conf
    for d in $dns; do echo "nameserver $d" >>/tmp/resolv.conf; done
    echo "vlanroot: lease $ip on $interface, dns $dns" >/dev/console
    ;;
esac
SCRIPT
chmod 0755 "$root/usr/share/udhcpc/default.script"
ln -s ../tmp/resolv.conf "$root/etc/resolv.conf"
cat >"$root/etc/init.d/rcS" <<'RCS'
#!/bin/sh
export PATH=/bin:/sbin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
ip link set lo up
ip link set eth0 up
vconfig add eth0 2 >/dev/null
vconfig add eth0 3 >/dev/null
ip addr add 192.168.0.1/24 dev eth0.3 && ip link set eth0.3 up
echo "vlanroot: $(cat /proc/net/vlan/config | grep -c eth0) VLANs on eth0"
httpd -p 192.168.0.1:80 -h /www
udhcpc -i eth0.2 -b -s /usr/share/udhcpc/default.script >/dev/null 2>&1
(while :; do nslookup vlan-probe.example >/dev/null 2>&1; sleep 2; done &)
RCS
chmod 0755 "$root/etc/init.d/rcS"
echo '<html><body>vlan root web ui</body></html>' >"$root/www/index.html"
rm -f "$out"
mksquashfs "$root" "$out" -comp xz -all-root -noappend -quiet >/dev/null
