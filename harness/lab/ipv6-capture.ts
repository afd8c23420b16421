import { readFile } from 'node:fs/promises';
import { blockedQueryRecord, type DnsRecord } from '../dns/index.js';
import { guestIpv6Packets, ipv6EgressRecords, type EgressRecord } from '../egress/index.js';
import { writeFileAtomic } from '../report/atomic-write.js';

/** What the guest sent over IPv6 in one lab: DNS queries (by name) and other egress, none of it answered. */
export interface Ipv6Records {
  dns: DnsRecord[];
  egress: EgressRecord[];
}

/**
 * Reads the guest's IPv6 TCP and UDP out of its WAN capture once QEMU has
 * stopped (the lab routes no IPv6, so no listener saw it) and keeps them in
 * `ipv6.jsonl` beside dns.jsonl and egress.jsonl (a trunk's capture: its WAN `vlan` only). No capture (the emulator
 * never started): nothing. A capture that is no pcap throws CaptureFormatError.
 */
export async function readIpv6Capture(pcapPath: string, guestMac: string, logPath: string, vlan?: number): Promise<Ipv6Records> {
  let pcap: Buffer;
  try {
    pcap = await readFile(pcapPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { dns: [], egress: [] };
    throw e;
  }
  const packets = guestIpv6Packets(pcap, guestMac, vlan);
  const dns = packets.filter((p) => !p.linkScoped && p.transport === 'udp' && p.destination.port === 53).map(blockedQueryRecord);
  const egress = ipv6EgressRecords(packets);
  const lines = [...dns, ...egress].sort((a, b) => a.atMs - b.atMs).map((r) => JSON.stringify(r));
  if (lines.length > 0) await writeFileAtomic(logPath, `${lines.join('\n')}\n`);
  return { dns, egress };
}
