import { expect } from 'chai';
import { PROFILES } from '../../harness/profiles/index.js';
import { execa, type ResultPromise } from 'execa';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerEngine } from '../../harness/engine/index.js';
import type { DnsQueryRecord } from '../../harness/dns/index.js';
import type { Console } from '../../harness/emulator/console.js';
import { LAB_WIRING } from '../../harness/emulator/lab-wiring.js';
import type { EgressCounters } from '../../harness/emulator/egress-counters.js';
import type { Lab } from '../../harness/lab/lab.js';
import { fixtureLab, leftovers } from './lab-support.js';

// Only the documentation ranges (RFC 5737). The probes avoid 192.0.2.0/24: some
// CI hosts (this one) sit on it, so a leak there would reach a real LAN.
const DOC_NETS = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'];
const TO_DOC_NETS = `(${DOC_NETS.map((n) => `dst net ${n}`).join(' or ')})`;
/** Sources on the lab's side: the guest's own WAN/LAN nets and the lab network (the host's own traffic is not ours). */
const fromLab = (labSubnet: string) => `(src net ${labSubnet} or src net 10.200.0.0/24 or src net 192.168.0.0/24)`;

/** Packets in a pcap matching a filter, read back with tcpdump. */
async function countPackets(pcap: string, filter = ''): Promise<number> {
  const r = await execa('tcpdump', ['-r', pcap, '-n', ...(filter ? [filter] : [])], { reject: false });
  if (r.exitCode !== 0) throw new Error(`tcpdump -r ${pcap} failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.trim() !== '').length;
}

describe('lab e2e: the lab is sealed', function () {
  let engine: DockerEngine;
  let lab: Lab | undefined;
  let con: Console;
  let capture: ResultPromise | undefined;
  let capturePath: string;
  let before_: EgressCounters;
  let after_: EgressCounters;
  let escaped = -1;
  let recorderSeen = -1;
  const stopCapture = () => { capture?.kill('SIGINT'); };

  before(async () => {
    engine = await DockerEngine.connect();
    lab = await fixtureLab(engine, '1.0.9', { sinkhole: false });
    const rec = lab.recorder.addresses()[0]!;
    capturePath = join(await mkdtemp(join(tmpdir(), 'fl-sealed-')), 'host.pcap');
    // On the host, every interface: anything that left the emulator container
    // towards a documentation address would cross the lab bridge here. The
    // recorder's DNS traffic is the positive control that the capture works.
    const filter = `(${TO_DOC_NETS} and ${fromLab(lab.network.subnet)}) or (udp and dst host ${rec.host} and dst port ${rec.port})`;
    capture = execa('tcpdump', ['-i', 'any', '-n', '-U', '-w', capturePath, filter], { reject: false, buffer: false });
    process.once('exit', stopCapture);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('tcpdump did not start listening within 10 s')), 10_000);
      capture!.stderr!.on('data', (b: Buffer) => { if (/listening on/.test(b.toString())) { clearTimeout(t); resolve(); } });
      capture!.once('exit', () => { clearTimeout(t); reject(new Error('tcpdump exited before it listened')); });
    });
    con = await lab.boot.boot();
    before_ = await lab.emulator.egressCounters();
    const probes = [
      'nslookup sealed-probe.example 198.51.100.53',
      'echo hi | nc -w 1 203.0.113.10 443',
      // busybox nc has no -u here: traceroute's probes are UDP (first TTL 5, past the container's hop).
      'traceroute -n -f 5 -m 5 -q 1 -w 1 198.51.100.20',
      'ping -c 1 -W 1 203.0.113.7',
    ];
    for (const p of probes) await con.exec(`${p} >/dev/null 2>&1; true`, { timeoutMs: 20_000 });
    after_ = await lab.emulator.egressCounters();
    await new Promise((r) => setTimeout(r, 500));
    capture.kill('SIGINT');
    await capture;
    escaped = await countPackets(capturePath, `${TO_DOC_NETS} and ${fromLab(lab.network.subnet)}`);
    recorderSeen = await countPackets(capturePath, `udp and dst port ${rec.port}`);
  });

  after(async () => {
    stopCapture();
    process.removeListener('exit', stopCapture);
    await capture?.catch(() => undefined);
    if (lab) {
      await lab.down();
      expect(await leftovers(engine, lab.spec.session)).to.deep.equal([]);
    }
  });

  it('runs on an internal Docker network (no route off the machine)', async () => {
    const nets = await engine.client.listNetworks(`firmlab.session=${lab!.spec.session}`);
    expect(nets.map((n) => [n.name, n.internal])).to.deep.equal([[lab!.network.name, true]]);
  });

  it('its emulator container has least privilege: network capabilities only, no new privileges, a read-only image, the run dir its only writable host mount, caps on memory, pids and CPU', async () => {
    // The engine's own view of the running container, as `docker inspect` prints it.
    const r = await execa('docker', ['inspect', lab!.emulator.handle.name]);
    const [info] = JSON.parse(r.stdout) as [{ HostConfig: Record<string, unknown>; Mounts: { Destination: string; RW: boolean; Type: string }[] }];
    const h = info.HostConfig;
    expect(h.CapDrop).to.deep.equal(['ALL']);
    expect(h.CapAdd).to.deep.equal(['NET_ADMIN', 'NET_RAW', 'NET_BIND_SERVICE']);
    expect(h.Privileged).to.equal(false);
    expect(h.SecurityOpt).to.deep.equal(['no-new-privileges']);
    expect(h.ReadonlyRootfs).to.equal(true);
    expect(h.Memory).to.be.within(128 * 2 ** 20, 1024 * 2 ** 20);
    // The caps are the device profile's: the fixture family's limits.
    const limits = PROFILES.find((p) => p.name === 'fixture')!.limits;
    expect(h.PidsLimit).to.equal(limits.pids);
    expect(h.NanoCpus).to.equal(limits.cpus * 1e9);
    const writable = info.Mounts.filter((m) => m.RW && m.Type === 'bind').map((m) => m.Destination);
    expect(writable).to.deep.equal(['/run/firmlab']);
    expect(Object.keys(h.Tmpfs as Record<string, string>).sort()).to.deep.equal(['/run', '/tmp']);
  });

  it('the guest really sent every probe (its own WAN capture)', async () => {
    const wan = lab!.emulator.wanPcapPath;
    expect(await countPackets(wan, 'dst host 198.51.100.53 and udp port 53')).to.be.at.least(1);
    expect(await countPackets(wan, 'dst host 203.0.113.10 and tcp port 443')).to.be.at.least(1);
    expect(await countPackets(wan, 'dst host 198.51.100.20 and udp')).to.be.at.least(1);
    expect(await countPackets(wan, 'dst host 203.0.113.7 and icmp')).to.be.at.least(1);
  });

  it('the DNS query to a made-up resolver was recorded by the lab recorder, with the resolver it was sent to', () => {
    const q = lab!.recorder.records.filter((r): r is DnsQueryRecord => r.kind === 'dns-query' && r.name === 'sealed-probe.example');
    expect(q.length).to.be.at.least(1);
    expect(q.map((r) => r.resolver)).to.deep.include({ address: '198.51.100.53', port: 53 });
  });

  it('the firmware\'s own queries to the resolver its lease named are recorded as sent to its gateway', () => {
    const own = lab!.recorder.records.filter((r): r is DnsQueryRecord => r.kind === 'dns-query' && r.name !== 'sealed-probe.example' && !r.name.endsWith('.in-addr.arpa'));
    expect(own.length, 'the fixture resolves its services at boot').to.be.at.least(1);
    for (const r of own) expect(r.resolver, r.name).to.deep.equal({ address: LAB_WIRING.wanGateway, port: 53 });
  });

  it('the TCP, UDP and ICMP probes were counted as blocked inside the lab', () => {
    const grew = (p: string) => (after_.byProtocol[p]?.packets ?? 0) - (before_.byProtocol[p]?.packets ?? 0);
    expect(grew('tcp'), 'tcp').to.be.at.least(1);
    expect(grew('udp'), 'udp').to.be.at.least(1);
    expect(grew('icmp'), 'icmp').to.be.at.least(1);
  });

  it('a capture on the host saw none of them leave, while it did see the lab\'s own DNS traffic', () => {
    expect(recorderSeen, 'positive control: DNS to the recorder on the lab bridge').to.be.at.least(1);
    expect(escaped, 'packets to documentation ranges seen on the host').to.equal(0);
  });
});
