import { expect } from 'chai';
import { analyzeRun } from '../../../harness/analysis/analyze-run.js';
import { encodeQuery } from '../../../harness/dns/dns-codec.js';
import { blockedQueryRecord } from '../../../harness/dns/blocked-query.js';
import { LAB_WIRING } from '../../../harness/emulator/lab-wiring.js';
import { guestIpv6Packets, ipv6EgressRecords } from '../../../harness/egress/wan-capture.js';
import ipaddr from 'ipaddr.js';

const GUEST = LAB_WIRING.macs.wan;
const OTHER = '52:54:00:99:99:99';
const mac = (m: string) => Buffer.from(m.split(':').map((h) => parseInt(h, 16)));

/** An Ethernet frame from `from` carrying an IPv6 packet (next header `next`, `extensions` before it). */
function ipv6Frame(from: string, src: string, dst: string, next: number, body: Buffer, extensions: Buffer[] = [], firstNext = next): Buffer {
  const payload = Buffer.concat([...extensions, body]);
  const ip = Buffer.alloc(40);
  ip[0] = 0x60;
  ip.writeUInt16BE(payload.length, 4);
  ip[6] = firstNext;
  ip[7] = 64;
  ip.set(ipaddr.IPv6.parse(src).toByteArray(), 8);
  ip.set(ipaddr.IPv6.parse(dst).toByteArray(), 24);
  return Buffer.concat([mac('33:33:00:00:00:01'), mac(from), Buffer.from([0x86, 0xdd]), ip, payload]);
}
const udp = (sport: number, dport: number, data: Buffer) => {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(sport, 0); h.writeUInt16BE(dport, 2); h.writeUInt16BE(8 + data.length, 4);
  return Buffer.concat([h, data]);
};
const tcp = (sport: number, dport: number, flags: number) => {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(sport, 0); h.writeUInt16BE(dport, 2); h[12] = 5 << 4; h[13] = flags;
  return h;
};
/** A classic pcap (little-endian, microseconds) of frames stamped at the given milliseconds. */
function pcap(frames: [number, Buffer][], bigEndian = false): Buffer {
  const w32 = (b: Buffer, v: number, off: number) => (bigEndian ? b.writeUInt32BE(v, off) : b.writeUInt32LE(v, off));
  const head = Buffer.alloc(24);
  w32(head, 0xa1b2c3d4, 0); w32(head, 65535, 16); w32(head, 1, 20);
  head.writeUInt16LE(2, 4); head.writeUInt16LE(4, 6);
  if (bigEndian) { head.writeUInt16BE(2, 4); head.writeUInt16BE(4, 6); }
  return Buffer.concat([head, ...frames.flatMap(([ms, f]) => {
    const r = Buffer.alloc(16);
    w32(r, Math.floor(ms / 1000), 0); w32(r, (ms % 1000) * 1000, 4); w32(r, f.length, 8); w32(r, f.length, 12);
    return [r, f];
  })]);
}

const SRC = '2001:db8:f1::2';
const QUERY = encodeQuery({ id: 7, name: 'dfp.SafeThings.avira.com', type: 'AAAA' });

describe('egress/wan-capture: the guest\'s IPv6, read from wan.pcap', () => {
  it('finds the guest\'s UDP and TCP over IPv6, with time, endpoints and payload; ignores ICMPv6, IPv4 and other hosts', () => {
    const ipv4 = Buffer.concat([mac('ff:ff:ff:ff:ff:ff'), mac(GUEST), Buffer.from([0x08, 0x00]), Buffer.alloc(20)]);
    const packets = guestIpv6Packets(pcap([
      [1_700_000_000_123, ipv6Frame(GUEST, SRC, '2001:4860:4860::8888', 17, udp(40000, 53, QUERY))],
      [1_700_000_000_200, ipv6Frame(GUEST, SRC, 'ff02::1:ff00:1', 58, Buffer.from([135, 0, 0, 0]))],
      [1_700_000_000_300, ipv6Frame(OTHER, SRC, '2001:db8::10', 6, tcp(1, 443, 0x02))],
      [1_700_000_000_400, ipv4],
      [1_700_000_001_000, ipv6Frame(GUEST, SRC, '2001:db8::10', 6, tcp(50000, 443, 0x02))],
    ]), GUEST);
    expect(packets.map((p) => [p.atMs, p.transport, p.destination.address, p.destination.port, p.syn])).to.deep.equal([
      [1_700_000_000_123, 'udp', '2001:4860:4860::8888', 53, false],
      [1_700_000_001_000, 'tcp', '2001:db8::10', 443, true],
    ]);
    expect(packets[0]!.client).to.deep.equal({ address: SRC, port: 40000 });
    expect(packets[0]!.payload.equals(QUERY)).to.equal(true);
  });

  it('in a trunk\'s capture, counts only the frames tagged with the WAN VLAN', () => {
    const tagged = (vid: number, f: Buffer) => Buffer.concat([f.subarray(0, 12), Buffer.from([0x81, 0x00, vid >> 8, vid & 0xff]), f.subarray(12)]);
    const frames: [number, Buffer][] = [
      [1_000, tagged(2, ipv6Frame(GUEST, SRC, '2001:db8::10', 6, tcp(50000, 443, 0x02)))],
      [2_000, tagged(3, ipv6Frame(GUEST, 'fd00::1', 'ff02::fb', 17, udp(5353, 5353, Buffer.from('mdns'))))],
      [3_000, ipv6Frame(GUEST, SRC, '2001:db8::11', 6, tcp(50001, 443, 0x02))],
    ];
    expect(guestIpv6Packets(pcap(frames), GUEST, 2).map((p) => p.destination.address)).to.deep.equal(['2001:db8::10']);
    expect(guestIpv6Packets(pcap(frames), GUEST).map((p) => p.destination.address), 'no VLAN given: every frame').to.deep.equal(['2001:db8::10', 'ff02::fb', '2001:db8::11']);
  });

  it('walks extension headers, skips later fragments, reads big-endian captures, keeps the records before a cut', () => {
    const hopByHop = Buffer.from([17, 0, 0, 0, 0, 0, 0, 0]); // next: UDP, 8 bytes
    const laterFragment = Buffer.from([17, 0, 0x00, 0x08, 0, 0, 0, 1]); // offset 1 (x8 bytes)
    const full = pcap([
      [5000, ipv6Frame(GUEST, SRC, '2001:db8::53', 17, udp(1, 53, QUERY), [hopByHop], 0)],
      [6000, ipv6Frame(GUEST, SRC, '2001:db8::53', 17, udp(1, 53, QUERY), [laterFragment], 44)],
      [7000, ipv6Frame(GUEST, SRC, '2001:db8::99', 17, udp(2, 9, Buffer.from('x')))],
    ], true);
    expect(guestIpv6Packets(full, GUEST).map((p) => p.destination.address)).to.deep.equal(['2001:db8::53', '2001:db8::99']);
    expect(guestIpv6Packets(full.subarray(0, full.length - 5), GUEST).map((p) => p.atMs)).to.deep.equal([5000]);
  });

  it('refuses what is no Ethernet pcap, and reads an empty capture as nothing', () => {
    expect(() => guestIpv6Packets(Buffer.from('not a capture at all, no'), GUEST)).to.throw(/not a pcap file/);
    const raw = pcap([]);
    raw.writeUInt32LE(101, 20);
    expect(() => guestIpv6Packets(raw, GUEST)).to.throw(/link type 101 is not Ethernet/);
    expect(guestIpv6Packets(Buffer.alloc(0), GUEST)).to.deep.equal([]);
  });

  it('one egress record per connection attempt and per datagram; DNS and link-local multicast left out', () => {
    const packets = guestIpv6Packets(pcap([
      [1000, ipv6Frame(GUEST, SRC, '2001:db8::10', 6, tcp(50000, 443, 0x02))],
      [2000, ipv6Frame(GUEST, SRC, '2001:db8::10', 6, tcp(50000, 443, 0x02))], // retransmitted SYN
      [2500, ipv6Frame(GUEST, SRC, '2001:db8::10', 6, tcp(50000, 443, 0x10))], // ACK: not an attempt
      [3000, ipv6Frame(GUEST, SRC, '2001:db8::7b', 17, udp(123, 123, Buffer.alloc(48, 0x23)))],
      [3500, ipv6Frame(GUEST, 'fe80::2', 'ff02::1:2', 17, udp(546, 547, Buffer.from('solicit')))],
      [4000, ipv6Frame(GUEST, SRC, '2001:4860:4860::8888', 17, udp(40000, 53, QUERY))],
    ]), GUEST);
    const records = ipv6EgressRecords(packets);
    expect(records.map((r) => [r.atMs, r.transport, `${r.destination.address}:${r.destination.port}`, r.bytes, r.blocked])).to.deep.equal([
      [1000, 'tcp', '2001:db8::10:443', 0, 'ipv6'],
      [3000, 'udp', '2001:db8::7b:123', 48, 'ipv6'],
    ]);
  });

  it('a DNS query over IPv6 becomes a record in the recorder\'s shape, unanswered, naming the resolver the guest chose', () => {
    const [p] = guestIpv6Packets(pcap([[4000, ipv6Frame(GUEST, SRC, '2001:4860:4860::8888', 17, udp(40000, 53, QUERY))]]), GUEST);
    const r = blockedQueryRecord(p!);
    expect(r).to.deep.include({
      kind: 'dns-query', atMs: 4000, name: 'dfp.safethings.avira.com', nameAsSent: 'dfp.SafeThings.avira.com', type: 'AAAA',
      response: null, blocked: 'ipv6', resolver: { address: '2001:4860:4860::8888', port: 53 },
    });
    expect(blockedQueryRecord({ ...p!, payload: Buffer.from([1, 2, 3]) })).to.include({ kind: 'dns-malformed' });
  });

  it('such a query fails "no contact while off", and a TCP attempt over IPv6 fails an egress `none` on its address', () => {
    const packets = guestIpv6Packets(pcap([
      [12_000, ipv6Frame(GUEST, SRC, '2001:4860:4860::8888', 17, udp(40000, 53, QUERY))],
      [13_000, ipv6Frame(GUEST, SRC, '2001:db8::10', 6, tcp(50000, 443, 0x02))],
    ]), GUEST);
    const dns = packets.filter((p) => p.destination.port === 53).map(blockedQueryRecord).filter((r) => r.kind === 'dns-query');
    const r = analyzeRun({
      records: [{ build: 'new', dns: dns as never, egress: ipv6EgressRecords(packets) }],
      windows: [{ build: 'new', window: 'disabled', startMs: 10_000, endMs: 20_000, labLive: true }],
    }, [
      { build: 'new', window: 'disabled', domain: '*.safethings.avira.com', none: true },
      { build: 'new', window: 'disabled', egress: { address: '2001:db8::/32' }, none: true },
    ]);
    expect(r.verdicts.map((v) => v.status)).to.deep.equal(['fail', 'fail']);
  });
});
