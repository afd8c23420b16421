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
  const out: EgressCounters = { packets: 0, bytes: 0, byProtocol: {} };
  let header = false;
  for (const raw of text.split('\n')) {
    const cols = raw.trim().split(/\s+/);
    if (cols[0] === 'pkts') { header = true; continue; }
    if (!header || cols.length < 4 || !/^\d+$/.test(cols[0]!) || !/^\d+$/.test(cols[1]!)) continue;
    const [packets, bytes] = [Number(cols[0]), Number(cols[1])];
    const proto = cols[2] === 'DROP' || cols[2] === 'RETURN' || cols[2] === 'ACCEPT' ? cols[3]! : cols[2]!;
    const name = PROTOCOLS[proto] === 'all' ? 'other' : PROTOCOLS[proto] ?? proto;
    const cur = out.byProtocol[name] ?? { packets: 0, bytes: 0 };
    out.byProtocol[name] = { packets: cur.packets + packets, bytes: cur.bytes + bytes };
    out.packets += packets;
    out.bytes += bytes;
  }
  if (!header) throw new Error(`not iptables -v -x -n output: ${text.slice(0, 200)}`);
  return out;
}
