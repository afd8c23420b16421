import { expect } from 'chai';
import { ARCH_TABLE, kernelNamed } from '../../../harness/emulator/arch-table.js';
import { buildQemuArgv, formatArgv } from '../../../harness/emulator/qemu-argv.js';
import { DEFAULT_LAYOUT } from '../../../harness/emulator/guest-layout.js';

/** The value after each occurrence of `flag`. */
function values(argv: string[], flag: string): string[] {
  return argv.flatMap((a, i) => (a === flag ? [argv[i + 1]!] : []));
}

describe('buildQemuArgv', () => {
  const base = { rootfsImage: '/firmlab/rootfs.squashfs', configDisk: '/run/firmlab/config.img' };

  for (const kernel of ARCH_TABLE.filter((k) => k.bus === 'mmio')) {
    describe(`kernel ${kernel.name}`, () => {
      const argv = buildQemuArgv({ ...base, kernel });

      it('starts the QEMU of the kernel with its board and CPU', () => {
        expect(argv[0]).to.equal(kernel.qemuBinary);
        expect(values(argv, '-M')).to.deep.equal(['virt']);
        expect(values(argv, '-cpu')).to.deep.equal([kernel.cpu]);
        expect(values(argv, '-kernel')).to.deep.equal([kernel.kernelPath]);
        expect(values(argv, '-initrd')).to.deep.equal(kernel.initrdPath === undefined ? [] : [kernel.initrdPath]);
      });

      it('bounds memory and the translation cache, one CPU, reboots in place', () => {
        expect(values(argv, '-accel')).to.deep.equal(['tcg,tb-size=32']);
        expect(values(argv, '-m')).to.deep.equal(['128']);
        expect(values(argv, '-smp')).to.deep.equal(['1']);
        expect(argv).to.include('-nographic');
        // A guest reboot must restart the guest, not end QEMU (the scenario's reboot step).
        expect(argv).to.not.include('-no-reboot');
        expect(values(argv, '-monitor')).to.deep.equal(['none']);
      });

      it('boots the squashfs read-only from /dev/vda on the kernel console', () => {
        const wait = kernel.rootAppend.map((w) => ` ${w}`).join('');
        expect(values(argv, '-append')).to.deep.equal([`console=${kernel.console} root=/dev/vda rootfstype=squashfs ro${wait} panic=-1 printk.time=1`]);
      });

      it('lists disks and NICs in reverse so the root is vda and WAN is eth0', () => {
        expect(values(argv, '-drive')).to.deep.equal([
          'if=none,id=config,file=/run/firmlab/config.img,format=raw',
          'if=none,id=rootfs,file=/firmlab/rootfs.squashfs,format=raw,readonly=on',
        ]);
        expect(values(argv, '-device')).to.deep.equal([
          `${kernel.blockDevice},drive=config`,
          `${kernel.blockDevice},drive=rootfs`,
          `${kernel.netDevice},netdev=lan,mac=52:54:00:f1:00:02`,
          `${kernel.netDevice},netdev=wan,mac=52:54:00:f1:00:01`,
        ]);
        expect(values(argv, '-netdev')).to.deep.equal([
          'tap,id=lan,ifname=tap-lan,script=no,downscript=no,vnet_hdr=off',
          'tap,id=wan,ifname=tap-wan,script=no,downscript=no,vnet_hdr=off',
        ]);
      });

      it('dumps WAN to a pcap and puts the console on a socket with a log', () => {
        expect(values(argv, '-object')).to.deep.equal(['filter-dump,id=wandump,netdev=wan,file=/run/firmlab/wan.pcap']);
        expect(values(argv, '-chardev')).to.deep.equal([
          'socket,id=s0,path=/run/firmlab/console.sock,server=on,wait=off,logfile=/run/firmlab/console.log,logappend=on',
        ]);
        expect(values(argv, '-serial')).to.deep.equal(['chardev:s0']);
      });
    });
  }

  it('takes memory, tb-size, taps, MACs, run dir and extra kernel words', () => {
    const argv = buildQemuArgv({
      ...base, kernel: kernelNamed('armhf'), layout: { ...DEFAULT_LAYOUT, memoryMb: 256 }, tbSizeMb: 64, runDir: '/r', wanTap: 'w0', lanTap: 'l0',
      macs: { wan: '02:00:00:00:00:0a', lan: '02:00:00:00:00:0b' }, extraAppend: ['quiet', 'firmlab.debug=1'],
    });
    expect(values(argv, '-m')).to.deep.equal(['256']);
    expect(values(argv, '-accel')).to.deep.equal(['tcg,tb-size=64']);
    expect(values(argv, '-append')[0]).to.match(/ panic=-1 printk.time=1 quiet firmlab\.debug=1$/);
    expect(values(argv, '-netdev')[1]).to.equal('tap,id=wan,ifname=w0,script=no,downscript=no,vnet_hdr=off');
    expect(values(argv, '-device')).to.include('virtio-net-device,netdev=wan,mac=02:00:00:00:00:0a');
    expect(values(argv, '-object')[0]).to.equal('filter-dump,id=wandump,netdev=wan,file=/r/wan.pcap');
  });

  it('takes the translation cache from the layout (a device profile\'s), an explicit tb-size over it', () => {
    const layout = { ...DEFAULT_LAYOUT, translationCacheMb: 12 };
    expect(values(buildQemuArgv({ ...base, kernel: kernelNamed('arm64-virt'), layout }), '-accel')).to.deep.equal(['tcg,tb-size=12']);
    expect(values(buildQemuArgv({ ...base, kernel: kernelNamed('arm64-virt'), layout, tbSizeMb: 20 }), '-accel')).to.deep.equal(['tcg,tb-size=20']);
  });

  it('opens QMP on a socket in the run directory, and loads a saved state only when given one', () => {
    const cold = buildQemuArgv({ ...base, kernel: kernelNamed('arm64'), runDir: '/r' });
    expect(values(cold, '-qmp')).to.deep.equal(['unix:/r/qmp.sock,server=on,wait=off']);
    expect(cold).to.not.include('-incoming');
    const restore = buildQemuArgv({ ...base, kernel: kernelNamed('arm64'), runDir: '/r', incomingState: '/firmlab/vmstate' });
    expect(values(restore, '-incoming')).to.deep.equal(['exec:cat /firmlab/vmstate']);
    // Everything else is the cold argv: QEMU loads a state only into the same machine.
    expect(restore.slice(0, -2)).to.deep.equal(cold);
  });

  const bad: [string, object][] = [
    ['a MAC that is not one', { macs: { wan: 'nope', lan: '02:00:00:00:00:0b' } }],
    ['a kernel word with a space', { extraAppend: ['a b'] }],
    ['zero memory', { layout: { ...DEFAULT_LAYOUT, memoryMb: 0 } }],
    ['a layout without a LAN NIC', { layout: { ...DEFAULT_LAYOUT, nics: ['wan', 'wan'] } }],
    ['a path with a comma', { rootfsImage: '/x,y' }],
    ['an init that is no absolute path', { layout: { ...DEFAULT_LAYOUT, init: 'etc/preinit' } }],
    ['an init with a space', { layout: { ...DEFAULT_LAYOUT, init: '/sbin/init quiet' } }],
    ['a saved state path with a space', { incomingState: '/firmlab/vm state' }],
  ];
  for (const [name, extra] of bad) {
    it(`refuses ${name}`, () => {
      expect(() => buildQemuArgv({ ...base, kernel: kernelNamed('arm64'), ...extra })).to.throw(TypeError);
    });
  }

  describe('kernel malta-be (MIPS, PCI)', () => {
    const openwrt = {
      ...DEFAULT_LAYOUT,
      nics: ['lan', 'wan'] as const,
      flash: { kind: 'mtd' as const, name: 'rootfs_data', bytes: 8 << 20, eraseBytes: 65536 },
    };
    const argv = buildQemuArgv({ ...base, kernel: kernelNamed('malta-be'), layout: openwrt });

    it('boots the monolithic kernel on malta without an initramfs or default devices', () => {
      expect(argv[0]).to.equal('qemu-system-mips');
      expect(values(argv, '-M')).to.deep.equal(['malta']);
      expect(values(argv, '-cpu')).to.deep.equal(['24Kc']);
      expect(argv).to.not.include('-initrd');
      expect(argv).to.include('-nodefaults');
    });

    it('waits for the root and hands the flash disk to block2mtd as rootfs_data', () => {
      expect(values(argv, '-append')).to.deep.equal([
        'console=ttyS0 root=/dev/vda rootfstype=squashfs ro rootwait panic=-1 printk.time=1 block2mtd.block2mtd=/dev/vdb,65536,rootfs_data',
      ]);
    });

    it('starts the init the layout names (OpenWrt: /etc/preinit)', () => {
      const pre = buildQemuArgv({ ...base, kernel: kernelNamed('malta-be'), layout: { ...openwrt, init: '/etc/preinit' } });
      expect(values(pre, '-append')[0]).to.match(/ panic=-1 printk.time=1 block2mtd\.block2mtd=\/dev\/vdb,65536,rootfs_data init=\/etc\/preinit$/);
    });

    it('puts root, flash, then the NICs in the layout order on consecutive PCI slots from 0x12, NICs without option ROM', () => {
      expect(values(argv, '-device')).to.deep.equal([
        'virtio-blk-pci,drive=rootfs,addr=0x12',
        'virtio-blk-pci,drive=config,addr=0x13',
        'virtio-net-pci,netdev=lan,mac=52:54:00:f1:00:02,romfile=,addr=0x14',
        'virtio-net-pci,netdev=wan,mac=52:54:00:f1:00:01,romfile=,addr=0x15',
      ]);
    });

    it('gives a VLAN layout one NIC (the WAN MAC) on a UDP socket to vlan-trunk, and dumps that trunk', () => {
      const trunk = buildQemuArgv({ ...base, kernel: kernelNamed('malta-be'), layout: { ...openwrt, nics: { vlans: { wan: 2, lan: 3 } } } });
      expect(values(trunk, '-netdev')).to.deep.equal(['socket,id=trunk,udp=127.0.0.1:4001,localaddr=127.0.0.1:4000']);
      expect(values(trunk, '-device').slice(2)).to.deep.equal(['virtio-net-pci,netdev=trunk,mac=52:54:00:f1:00:01,romfile=,addr=0x14']);
      expect(values(trunk, '-object')).to.deep.equal(['filter-dump,id=wandump,netdev=trunk,file=/run/firmlab/wan.pcap']);
    });

    for (const [what, vlans] of [['the same VLAN for both sides', { wan: 2, lan: 2 }], ['VLAN 0', { wan: 0, lan: 3 }], ['VLAN 4095', { wan: 2, lan: 4095 }]] as const) {
      it(`refuses a VLAN layout with ${what}`, () => {
        expect(() => buildQemuArgv({ ...base, kernel: kernelNamed('malta-be'), layout: { ...openwrt, nics: { vlans } } })).to.throw(TypeError, /VLAN/);
      });
    }

    it('leaves the second disk out when the profile emulates no flash', () => {
      const noFlash = buildQemuArgv({ ...base, kernel: kernelNamed('malta-be'), layout: { ...openwrt, flash: { kind: 'none' } } });
      expect(values(noFlash, '-drive')).to.deep.equal(['if=none,id=rootfs,file=/firmlab/rootfs.squashfs,format=raw,readonly=on']);
      expect(values(noFlash, '-append')[0]).to.not.include('block2mtd');
      expect(values(noFlash, '-device')[1]).to.equal('virtio-net-pci,netdev=lan,mac=52:54:00:f1:00:02,romfile=,addr=0x13');
    });
  });

  it('formats an argv for a shell', () => {
    expect(formatArgv(['qemu', '-append', "console=ttyAMA0 ro", "it's"])).to.equal(`qemu -append 'console=ttyAMA0 ro' 'it'\\''s'`);
  });
});
