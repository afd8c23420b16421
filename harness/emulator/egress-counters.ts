/** Packets the guest sent that the lab neither recorded nor sinkholed, by protocol. */
export interface EgressCounters {
  packets: number;
  bytes: number;
  byProtocol: Record<string, { packets: number; bytes: number }>;
}

const PROTOCOLS: Record<string, string> = { '0': 'all', '1': 'icmp', '6': 'tcp', '17': 'udp', all: 'all', icmp: 'icmp', tcp: 'tcp', udp: 'udp' };

/**
 * Reads `iptables -L FIRMLAB_EGRESS -v -x -n` (images/emulator/lab-entry.sh
 * puts one DROP rule per protocol, then a catch-all). iptables-nft prints
 * protocol numbers, iptables-legacy names: both are accepted.
 */
export function parseEgressCounters(text: string): EgressCounters {
  const t = tallyRules(text, 'iptables', (cols) => {
    const proto = cols[2] === 'DROP' || cols[2] === 'RETURN' || cols[2] === 'ACCEPT' ? cols[3]! : cols[2]!;
    return PROTOCOLS[proto] === 'all' ? 'other' : PROTOCOLS[proto] ?? proto;
  });
  return { packets: t.packets, bytes: t.bytes, byProtocol: t.by };
}

type Tally = { packets: number; bytes: number };

/**
 * Sums the packet and byte counters of an `iptables`/`ip6tables -L CHAIN -v -x -n`
 * listing by the key `keyOf` gives each rule row (its columns and whole line).
 */
function tallyRules(text: string, tool: string, keyOf: (cols: string[], line: string) => string): Tally & { by: Record<string, Tally> } {
  const out: Tally & { by: Record<string, Tally> } = { packets: 0, bytes: 0, by: {} };
  let header = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const cols = line.split(/\s+/);
    if (cols[0] === 'pkts') { header = true; continue; }
    if (!header || cols.length < 4 || !/^\d+$/.test(cols[0]!) || !/^\d+$/.test(cols[1]!)) continue;
    const [packets, bytes] = [Number(cols[0]), Number(cols[1])];
    const key = keyOf(cols, line);
    const cur = out.by[key] ?? { packets: 0, bytes: 0 };
    out.by[key] = { packets: cur.packets + packets, bytes: cur.bytes + bytes };
    out.packets += packets;
    out.bytes += bytes;
  }
  if (!header) throw new Error(`not ${tool} -v -x -n output: ${text.slice(0, 200)}`);
  return out;
}

/** IPv6 the guest sent, by kind: the lab routes none of it, so this is all there is to see. */
export type Ipv6Kind = 'routerSolicitation' | 'icmpv6' | 'dhcpv6' | 'dns' | 'udp' | 'tcp' | 'other';

export interface Ipv6Counters {
  packets: number;
  bytes: number;
  byKind: Partial<Record<Ipv6Kind, { packets: number; bytes: number }>>;
}

/**
 * Reads `ip6tables -L FIRMLAB_EGRESS6 -v -x -n` (lab-entry.sh: one DROP rule
 * per kind, most specific first). The kind comes from each rule's own match
 * text, not its position, so a reordered chain still reads right.
 */
export function parseIpv6Counters(text: string): Ipv6Counters {
  const t = tallyRules(text, 'ip6tables', (cols, line): Ipv6Kind => {
    const proto = cols[3]!;
    if (/ipv6-icmptype 133\b/.test(line)) return 'routerSolicitation';
    if (proto === 'ipv6-icmp' || proto === '58' || proto === 'icmpv6') return 'icmpv6';
    if (/dpt:547\b/.test(line)) return 'dhcpv6';
    if (/dpt:53\b/.test(line)) return 'dns';
    if (proto === 'udp' || proto === '17') return 'udp';
    return proto === 'tcp' || proto === '6' ? 'tcp' : 'other';
  });
  return { packets: t.packets, bytes: t.bytes, byKind: t.by };
}
