import { formatIpv6 } from '../util/ip-address.js';
import type { Endpoint } from '../util/endpoint.js';
import type { EgressRecord } from './egress-record.js';

/*
 * What the guest sent over IPv6, read from the lab's capture of its WAN
 * (wan.pcap, QEMU's filter-dump). The lab routes no IPv6 (lab-entry.sh drops
 * it and only counts it), so no recorder or sinkhole ever sees it: the
 * capture is the one place each packet is, with its time, destination and
 * payload. Read after the lab is down, so judging can count IPv6 contacts
 * like any other (issue #10: every kind of contact can fail an expectation).
 *
 * Written here rather than with the npm `pcap-parser` (last released 2014,
 * event-stream API, no IPv6 decoding): a pcap file is a 24-byte header and
 * 16-byte record headers, and what matters is the IPv6 walk below.
 */

/** One TCP or UDP packet the guest sent over IPv6. */
export interface GuestIpv6Packet {
  atMs: number;
  transport: 'tcp' | 'udp';
  client: Endpoint;
  destination: Endpoint;
  /** TCP: a SYN without ACK (a connection attempt). */
  syn: boolean;
  /**
   * To interface- or link-local multicast (ff01::/16, ff02::/16): DHCPv6
   * solicits, mDNS, LLMNR, the link's own housekeeping (the IPv4 lab serves
   * its counterpart, DHCP), never a contact with anything beyond the link.
   */
  linkScoped: boolean;
  /** The transport payload (a UDP datagram's data, TCP segment data). */
  payload: Buffer;
}

export class CaptureFormatError extends Error {}

const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const LINKTYPE_ETHERNET = 1;
/** Extension headers walked past: hop-by-hop, routing, destination options (RFC 8200 4.x). */
const EXTENSIONS = new Set([0, 43, 60]);
const FRAGMENT = 44;
const AUTH = 51;

/**
 * The TCP and UDP packets over IPv6 whose Ethernet source is `guestMac` in a
 * pcap file (classic format, either byte order, micro- or nanosecond
 * stamps). A capture cut short (the lab stopped mid-write) keeps the whole
 * records before the cut; a file that is no Ethernet pcap throws. With
 * `vlan`, the capture is a trunk's: only frames tagged with that VLAN count.
 */
export function guestIpv6Packets(pcap: Buffer, guestMac: string, vlan?: number): GuestIpv6Packet[] {
  if (pcap.length === 0) return [];
  if (pcap.length < 24) throw new CaptureFormatError(`capture too short for a pcap header (${pcap.length} bytes)`);
  const magic = pcap.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const be = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  if (!le && !be) throw new CaptureFormatError(`not a pcap file (magic 0x${magic.toString(16)})`);
  const u32 = (off: number) => (le ? pcap.readUInt32LE(off) : pcap.readUInt32BE(off));
  const nanos = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  const linktype = u32(20) & 0x0fffffff;
  if (linktype !== LINKTYPE_ETHERNET) throw new CaptureFormatError(`capture link type ${linktype} is not Ethernet`);
  const mac = Buffer.from(guestMac.split(':').map((h) => parseInt(h, 16)));
  const out: GuestIpv6Packet[] = [];
  for (let off = 24; off + 16 <= pcap.length;) {
    const atMs = u32(off) * 1000 + Math.floor(u32(off + 4) / (nanos ? 1e6 : 1e3));
    const length = u32(off + 8);
    const frame = pcap.subarray(off + 16, off + 16 + length);
    if (frame.length < length) break;
    off += 16 + length;
    if (frame.length < 14 || !frame.subarray(6, 12).equals(mac)) continue;
    let type = frame.readUInt16BE(12);
    let ip = 14;
    let vid: number | undefined;
    if (type === ETHERTYPE_VLAN && frame.length >= 18) {
      vid = frame.readUInt16BE(14) & 0x0fff;
      type = frame.readUInt16BE(16);
      ip = 18;
    }
    if (vlan !== undefined && vid !== vlan) continue;
    if (type !== ETHERTYPE_IPV6) continue;
    const p = transportOf(frame.subarray(ip), atMs);
    if (p) out.push(p);
  }
  return out;
}

/** An IPv6 packet's TCP or UDP part; undefined for anything else (ICMPv6, a later fragment, a cut header). */
function transportOf(ip: Buffer, atMs: number): GuestIpv6Packet | undefined {
  if (ip.length < 40 || ip[0]! >> 4 !== 6) return undefined;
  const end = Math.min(ip.length, 40 + ip.readUInt16BE(4));
  let next = ip[6]!;
  let off = 40;
  for (;;) {
    if (EXTENSIONS.has(next) || next === AUTH) {
      if (off + 2 > end) return undefined;
      const len = next === AUTH ? (ip[off + 1]! + 2) * 4 : (ip[off + 1]! + 1) * 8;
      next = ip[off]!;
      off += len;
    } else if (next === FRAGMENT) {
      if (off + 8 > end) return undefined;
      if ((ip.readUInt16BE(off + 2) & 0xfff8) !== 0) return undefined; // not the first fragment: no ports in it
      next = ip[off]!;
      off += 8;
    } else break;
  }
  const src = formatIpv6(ip.subarray(8, 24));
  const dst = formatIpv6(ip.subarray(24, 40));
  const linkScoped = ip[24] === 0xff && (ip[25]! & 0x0f) <= 2;
  if (next === 17 && off + 8 <= end) {
    return {
      atMs, transport: 'udp', syn: false, linkScoped,
      client: { address: src, port: ip.readUInt16BE(off) }, destination: { address: dst, port: ip.readUInt16BE(off + 2) },
      payload: Buffer.from(ip.subarray(off + 8, end)),
    };
  }
  if (next === 6 && off + 20 <= end) {
    const flags = ip[off + 13]!;
    const dataAt = off + (ip[off + 12]! >> 4) * 4;
    return {
      atMs, transport: 'tcp', syn: (flags & 0x12) === 0x02, linkScoped,
      client: { address: src, port: ip.readUInt16BE(off) }, destination: { address: dst, port: ip.readUInt16BE(off + 2) },
      payload: Buffer.from(ip.subarray(Math.min(dataAt, end), end)),
    };
  }
  return undefined;
}

/**
 * The sinkhole-style records of what the guest sent over IPv6 beyond its
 * link, DNS to port 53 over UDP left out (the recorder's module reads
 * those): one per UDP
 * datagram, one per TCP connection attempt (a SYN; its retransmissions are
 * the same attempt). Each says `blocked: 'ipv6'`: no answer ever came.
 */
export function ipv6EgressRecords(packets: readonly GuestIpv6Packet[], maxBytes = 64): EgressRecord[] {
  const out: EgressRecord[] = [];
  const attempts = new Set<string>();
  for (const p of packets) {
    if (p.linkScoped || (p.transport === 'udp' && p.destination.port === 53)) continue;
    if (p.transport === 'tcp') {
      const flow = `${p.client.address}.${p.client.port}>${p.destination.address}.${p.destination.port}`;
      if (!p.syn || attempts.has(flow)) continue;
      attempts.add(flow);
    }
    out.push({
      kind: 'egress', atMs: p.atMs, transport: p.transport, client: p.client, destination: p.destination,
      bytes: p.payload.length, firstBytesHex: p.payload.subarray(0, maxBytes).toString('hex'), durationMs: 0, blocked: 'ipv6',
    });
  }
  return out;
}
