import { expect } from 'chai';
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerEngine, newId } from '../../harness/engine/index.js';
import type { DnsQueryRecord } from '../../harness/dns/index.js';
import { LAB_WIRING } from '../../harness/emulator/lab-wiring.js';
import { Lab } from '../../harness/lab/lab.js';
import { prepareLab } from '../../harness/lab/prepare-lab.js';
import { projectRoot } from '../../harness/paths.js';
import { copyFromImage } from '../integration/emulator/tiny-lab.js';
import { leftovers } from './lab-support.js';
import { countPackets, firstQuery } from './real-firmware-support.js';

/*
 * Issue #9: stock TP-Link firmware expects one NIC carrying WAN as VLAN 2 and
 * LAN as VLAN 3 (its switch's CPU port). A little-endian MIPS root that tags
 * them itself (test/e2e/make-vlan-root.sh) boots with the profile's NICs
 * overridden to `{ vlans: { wan: 2, lan: 3 } }`: its lease, its DNS and its
 * web UI must all cross the lab's trunk, each on its own VLAN.
 */
describe('e2e: one guest NIC carrying WAN and LAN as VLANs (stock TP-Link\'s switch)', function () {
  this.timeout(600_000);
  const session = `e2e-vlan-${newId()}`;
  let engine: DockerEngine;
  let dir: string;
  let lab: Lab | undefined;
  let web: { status: number; body: string };
  let probe: DnsQueryRecord;

  before(async () => {
    engine = await DockerEngine.connect();
    dir = await mkdtemp(join(tmpdir(), 'fl-vlan-'));
    const image = (await engine.buildImage('emulator')).tag;
    const network = await engine.createNetwork({ session, run: 'copy' });
    let busybox: string;
    try {
      busybox = await copyFromImage(engine, { image, network: network.name, session }, '/opt/firmlab/malta-le/busybox', join(dir, 'bin'));
    } finally {
      await network.remove();
    }
    const root = join(dir, 'vlan-root.squashfs');
    await execa('bash', [join(projectRoot(), 'test', 'e2e', 'make-vlan-root.sh'), busybox, root]);
    const prepared = await prepareLab(engine, {
      file: root, session, run: 'vlan', runDir: join(dir, 'run'), env: { ...process.env, FIRMLAB_CACHE_DIR: join(dir, 'cache') },
      profile: { nics: { vlans: { wan: 2, lan: 3 } }, lanAddress: '192.168.0.1' },
    });
    lab = await Lab.up(engine, prepared.spec, { timeoutMs: 120_000 });
    await lab.start();
    probe = await firstQuery(lab, /^vlan-probe\.example$/, 60_000);
    const res = await fetch(await lab.emulator.webBaseUrl());
    web = { status: res.status, body: await res.text() };
  });

  after(async () => {
    await lab?.down();
    expect(await leftovers(engine, session)).to.deep.equal([]);
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the guest one NIC and its kernel two VLANs on it', async () => {
    expect(lab!.emulator.argv.filter((a) => a.startsWith('virtio-net-pci'))).to.have.length(1);
    expect(await readFile(join(lab!.runDir, 'console.log'), 'utf8')).to.contain('vlanroot: 2 VLANs on eth0');
  });

  it('was ready when its web UI answered on VLAN 3, the LAN the lab joined', async () => {
    expect(lab!.boot.phases.readyBy).to.include('webUiReady');
    expect(web.status).to.equal(200);
    expect(web.body).to.contain('vlan root web ui');
    expect(await countPackets(lab!.emulator.wanPcapPath, 'vlan 3 and tcp src port 80'), 'its answers, tagged 3').to.be.at.least(1);
    expect(await countPackets(lab!.emulator.wanPcapPath, 'vlan 2 and tcp port 80'), 'none on the WAN VLAN').to.equal(0);
  });

  it('took its WAN lease from the lab\'s DHCP server over VLAN 2', async () => {
    expect(await readFile(join(lab!.runDir, 'dhcp.log'), 'utf8')).to.include(`sending ACK to ${LAB_WIRING.wanGuest}`);
    expect(await readFile(join(lab!.runDir, 'console.log'), 'utf8')).to.contain(`vlanroot: lease ${LAB_WIRING.wanGuest} on eth0.2, dns ${LAB_WIRING.wanGateway}`);
    expect(await countPackets(lab!.emulator.wanPcapPath, 'vlan 2 and udp src port 67'), 'the server\'s answers, tagged 2').to.be.at.least(1);
  });

  it('its DNS, sent to the resolver its lease named, was recorded: as many queries as tcpdump counts on VLAN 2', async () => {
    expect(probe.resolver).to.deep.equal({ address: LAB_WIRING.wanGateway, port: 53 });
    await lab!.recorder.flush();
    const pcap = lab!.emulator.wanPcapPath;
    const sent = await countPackets(pcap, 'vlan 2 and udp dst port 53');
    const recorded = lab!.recorder.records.filter((r) => r.kind === 'dns-query').length;
    // The capture runs on while we count: allow the query in flight.
    expect(recorded).to.be.within(sent - 1, sent + 1);
    expect(await countPackets(pcap, 'vlan 3 and udp dst port 53'), 'no DNS on the LAN VLAN').to.equal(0);
  });
});
