#!/bin/sh
# /init of the emulator's initramfs (busybox sh): load the virtio and squashfs
# modules, mount the firmware's squashfs from /dev/vda read-only and hand over
# to the firmware's own /sbin/init (docs/contracts.md "The guest").
# Lines start with `firmlab-initramfs:` so the harness can tell them apart.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

fail() {
  echo "firmlab-initramfs: ERROR: $*" >/dev/console
  sleep 1
  poweroff -f
}

for m in $(cat /etc/firmlab-modules); do
  insmod "/lib/modules/$m" 2>/dev/console || echo "firmlab-initramfs: insmod $m failed" >/dev/console
done

# Probing is asynchronous: give the root disk a moment to appear.
i=0
while [ ! -b /dev/vda ] && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -b /dev/vda ] || fail "no /dev/vda (root disk missing)"

mount -t squashfs -o ro /dev/vda /newroot || fail "cannot mount /dev/vda as squashfs root"
[ -x /newroot/sbin/init ] || [ -L /newroot/sbin/init ] || fail "firmware root has no /sbin/init"

if [ -d /newroot/dev ]; then
  mount --move /dev /newroot/dev
else
  umount /dev
fi
umount /sys
umount /proc
echo "firmlab-initramfs: switching to firmware /sbin/init" >/newroot/dev/console 2>/dev/null \
  || echo "firmlab-initramfs: switching to firmware /sbin/init"
exec switch_root /newroot /sbin/init
fail "switch_root failed"
