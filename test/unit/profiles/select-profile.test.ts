import { expect } from 'chai';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { lanHostAddress, selectProfile } from '../../../harness/profiles/index.js';
import { dirRootView } from '../../../harness/firmware/root-view.js';

/** A firmware root in a temp dir with these files. */
async function root(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'firmlab-profile-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

// The lines OpenWrt 15.05.1's /bin/config_generate writes its LAN defaults with.
const CONFIG_GENERATE_1505 = [
  'generate_network() {',
  '\tcase $1 in',
  '\tlan) uci -q batch <<EOF',
  "set network.$1.type='bridge'",
  "set network.$1.proto='static'",
  "set network.$1.ipaddr='192.168.1.1'",
  'EOF',
  '\t\t;;',
  '\twan) uci -q batch <<EOF',
  "set network.$1.proto='dhcp'",
  'EOF',
].join('\n');

/** selectProfile on an unpacked tree (test/integration/firmware/root-view.test.ts: a squashfs reads the same). */
const select = (dir: string, overrides?: Parameters<typeof selectProfile>[1]) => selectProfile(dirRootView(dir), overrides);

describe('selectProfile', () => {
  const made: string[] = [];
  const mk = async (files: Record<string, string>) => { const d = await root(files); made.push(d); return d; };
  after(async () => { for (const d of made) await rm(d, { recursive: true, force: true }); });

  it('recognises OpenWrt by /etc/openwrt_release: LAN eth0, WAN eth1, LAN address from config_generate, ready on uhttpd, rootfs_data flash', async () => {
    const r = await select(await mk({ '/etc/openwrt_release': "DISTRIB_ID='OpenWrt'\n", '/bin/config_generate': CONFIG_GENERATE_1505, '/usr/sbin/uhttpd': '' }));
    expect(r.profile.name).to.equal('openwrt');
    expect(r.reason).to.equal('found /etc/openwrt_release');
    expect(r.layout.nics).to.deep.equal(['lan', 'wan']);
    expect(r.layout.lan).to.deep.equal({ guest: '192.168.1.1', host: '192.168.1.2', prefix: 24 });
    expect(r.lanSource).to.equal('/bin/config_generate');
    expect(r.layout.flash).to.include({ kind: 'mtd', name: 'rootfs_data' });
    expect(r.readiness).to.include({ http: '/', firstPacket: false });
    expect(r.layout.init, 'no /etc/preinit in this root').to.equal(undefined);
  });

  it('an OpenWrt root with fstools is ready only once its overlay moved onto jffs2, as well as on its web UI', async () => {
    const r = await select(await mk({ '/etc/openwrt_release': '', '/usr/sbin/uhttpd': '', '/sbin/mount_root': '' }));
    expect(r.readiness).to.include({ http: '/', firstPacket: false });
    expect(new RegExp(r.readiness.console!).test('jffs2: notice: (1113) jffs2_build_xattr_subsystem: complete building xattr subsystem, 0 of xdatum')).to.equal(true);
    expect(new RegExp(r.readiness.console!).test('mount_root: no usable overlay filesystem found, using tmpfs overlay')).to.equal(false);
  });

  it('an OpenWrt root with /etc/preinit boots it as init (before procd, only preinit mounts the overlay root)', async () => {
    const r = await select(await mk({ '/etc/openwrt_release': '', '/etc/preinit': '#!/bin/sh\n' }));
    expect(r.layout.init).to.equal('/etc/preinit');
  });

  it('an OpenWrt root with procd and no web server is ready on its console line; without procd, on its first packet', async () => {
    const old = await select(await mk({ '/etc/openwrt_release': '' }));
    expect(old.readiness).to.include({ firstPacket: true });
    const r = await select(await mk({ '/etc/openwrt_release': '', '/sbin/procd': '' }));
    expect(r.readiness.http).to.equal(undefined);
    expect(r.readiness.console).to.match(/Please press Enter/);
    expect(r.lanSource, 'no file says: the profile default').to.match(/default/);
    expect(r.layout.lan.guest).to.equal('192.168.1.1');
  });

  it('reads a LAN address the firmware wrote in /etc/config/network before config_generate', async () => {
    const r = await select(await mk({
      '/etc/openwrt_release': '',
      '/etc/config/network': "config interface 'loopback'\n\toption ipaddr '127.0.0.1'\n\nconfig interface 'lan'\n\toption proto 'static'\n\toption ipaddr '10.9.8.254'\n",
      '/bin/config_generate': CONFIG_GENERATE_1505,
    }));
    expect(r.layout.lan).to.deep.equal({ guest: '10.9.8.254', host: '10.9.8.253', prefix: 24 });
    expect(r.lanSource).to.equal('/etc/config/network');
  });

  it('recognises the fixture: WAN eth0, config disk, console marker AND web UI', async () => {
    const r = await select(await mk({
      '/etc/firmware_info': '', '/usr/sbin/config-restore': '',
      '/etc/defaults/config/network': "config interface 'wan'\n\toption ipaddr '10.200.0.2'\n\nconfig interface 'lan'\n\toption ipaddr '192.168.0.1'\n",
    }));
    expect(r.profile.name).to.equal('fixture');
    expect(r.layout.nics).to.deep.equal(['wan', 'lan']);
    expect(r.layout.lan.guest, 'the lan stanza, not the wan one above it').to.equal('192.168.0.1');
    expect(r.layout.flash.kind).to.equal('config-disk');
    expect(r.readiness).to.include({ http: '/' });
    expect(r.readiness.console).to.be.a('string');
    expect(r.profile.kernel, 'the small monolithic arm64 kernel').to.equal('arm64-virt');
    expect(r.layout.translationCacheMb).to.equal(16);
  });

  it('a root no profile knows boots with the generic one, ready on its first packet, and says so', async () => {
    const r = await select(await mk({ '/bin/sh': '' }));
    expect(r.profile.name).to.equal('generic');
    expect(r.reason).to.match(/no profile recognised/);
    expect(r.readiness.firstPacket).to.equal(true);
    expect(r.layout.flash.kind).to.equal('none');
  });

  it('reads links as the firmware would, never through to the host', async () => {
    // An absolute link resolves inside the root, as the firmware's kernel would see it.
    const dir = await mk({ '/etc/openwrt_release': '', '/inside/network': "config interface 'lan'\n\toption ipaddr '172.16.5.1'\n" });
    await mkdir(join(dir, 'etc/config'), { recursive: true });
    await symlink('/inside/network', join(dir, 'etc/config/network'));
    expect((await select(dir)).layout.lan.guest).to.equal('172.16.5.1');
    const escape = await mk({ '/etc/openwrt_release': '' });
    await mkdir(join(escape, 'etc/config'), { recursive: true });
    await symlink(join(dir, 'inside/network'), join(escape, 'etc/config/network'));
    expect((await select(escape)).layout.lan.guest, 'a host path is not followed').to.equal('192.168.1.1');
  });

  it('applies the scenario overrides and names them as the source', async () => {
    const dir = await mk({ '/etc/openwrt_release': '' });
    const r = await select(dir, { lanAddress: '192.168.8.1', memoryMb: 64, webPorts: [8080], nics: ['wan', 'lan'] });
    expect(r.layout).to.deep.include({ memoryMb: 64, webPorts: [8080], nics: ['wan', 'lan'] });
    expect(r.layout.lan.guest).to.equal('192.168.8.1');
    expect(r.lanSource).to.equal('the scenario');
    expect((await select(dir, { profile: 'generic' })).profile.name).to.equal('generic');
  });

  it('refuses an unknown profile name with FIRMLAB_PROFILE_UNKNOWN naming the known ones', async () => {
    const e = await select(await mk({}), { profile: 'openwrtt' }).catch((x: unknown) => x);
    expect(e).to.have.property('code', 'FIRMLAB_PROFILE_UNKNOWN');
    expect((e as Error).message).to.include('openwrt').and.include('generic');
  });
});

describe('lanHostAddress', () => {
  for (const [guest, prefix, host] of [['192.168.1.1', 24, '192.168.1.2'], ['192.168.0.254', 24, '192.168.0.253'], ['10.0.0.1', 8, '10.0.0.2']] as const) {
    it(`${guest}/${prefix} -> ${host}`, () => expect(lanHostAddress(guest, prefix)).to.equal(host));
  }
  for (const [guest, prefix] of [['300.1.1.1', 24], ['192.168.1.0', 24], ['192.168.1.255', 24], ['192.168.1.1', 31], ['fe80::1', 64]] as const) {
    it(`refuses ${guest}/${prefix} with FIRMLAB_PROFILE_INVALID`, () => {
      expect(() => lanHostAddress(guest, prefix)).to.throw().with.property('code', 'FIRMLAB_PROFILE_INVALID');
    });
  }
});

describe('profile names in the scenario schema', () => {
  it('takes every profile firmlab ships in lab.profile, and refuses another name', async () => {
    const { parseScenario } = await import('../../../harness/scenario/load-scenario.js');
    const { PROFILES, genericProfile } = await import('../../../harness/profiles/index.js');
    const doc = (profile: string) => `name: p\nbuilds: { new: fw.bin }\nlab: { profile: ${profile} }\nsteps:\n  - boot: {}\n`;
    for (const p of [...PROFILES, genericProfile]) expect(parseScenario(doc(p.name), '/s/p.yaml').lab.profile).to.deep.equal({ profile: p.name });
    expect(() => parseScenario(doc('openwrtt'), '/s/p.yaml')).to.throw(/profile/);
  });
});
