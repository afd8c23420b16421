/** One end of a flow as conntrack prints it. */
export interface FlowEndpoint {
  address: string;
  port: number;
}

/** One tracked TCP or UDP flow: the tuple the guest sent, and the tuple the answers come back on. */
export interface NatEntry {
  transport: 'tcp' | 'udp';
  original: { source: FlowEndpoint; destination: FlowEndpoint };
  reply: { source: FlowEndpoint; destination: FlowEndpoint };
  /** The destination was rewritten (DNAT'd to the recorder or the sinkhole). */
  dnat: boolean;
}

/**
 * Parses `conntrack -L` (default or `-o extended` output) into its TCP and
 * UDP flows; other protocols and lines that are not flows (the tool's
 * "N flow entries" summary) are skipped. Each flow line holds two tuples,
 * `src= dst= sport= dport=` twice: the original direction, then the reply.
 */
export function parseConntrack(text: string): NatEntry[] {
  const out: NatEntry[] = [];
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/);
    const transport = words.find((w) => w === 'tcp' || w === 'udp');
    if (transport !== 'tcp' && transport !== 'udp') continue;
    const tuples: Record<string, string>[] = [];
    for (const w of words) {
      const m = /^(src|dst|sport|dport)=(.+)$/.exec(w);
      if (!m) continue;
      if (m[1] === 'src') tuples.push({});
      const t = tuples.at(-1);
      if (t) t[m[1]!] = m[2]!;
    }
    const [o, r] = tuples;
    if (!o || !r) continue;
    const end = (addr: string | undefined, port: string | undefined) =>
      addr !== undefined && port !== undefined && /^\d+$/.test(port) ? { address: addr, port: Number(port) } : undefined;
    const os = end(o.src, o.sport), od = end(o.dst, o.dport), rs = end(r.src, r.sport), rd = end(r.dst, r.dport);
    if (!os || !od || !rs || !rd) continue;
    out.push({
      transport,
      original: { source: os, destination: od },
      reply: { source: rs, destination: rd },
      dnat: od.address !== rs.address || od.port !== rs.port,
    });
  }
  return out;
}

/**
 * Where the flow a listener saw from `client` was really going: the DNAT'd
 * entry whose reply tuple comes back from `local` (the listener) to `client`
 * (the emulator container's address and port after masquerading).
 */
export function originalDestinationOf(
  entries: readonly NatEntry[],
  flow: { transport: 'tcp' | 'udp'; client: FlowEndpoint; local?: FlowEndpoint },
): FlowEndpoint | undefined {
  // Node reports IPv4 peers of a dual-stack socket as ::ffff:a.b.c.d.
  const plain = (a: string) => a.replace(/^::ffff:(?=\d+\.)/i, '');
  const same = (a: FlowEndpoint, b: FlowEndpoint) => plain(a.address) === plain(b.address) && a.port === b.port;
  const hit = entries.find((e) =>
    e.dnat && e.transport === flow.transport && same(e.reply.destination, flow.client) &&
    (flow.local === undefined || same(e.reply.source, flow.local)));
  return hit?.original.destination;
}
