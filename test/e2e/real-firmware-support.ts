import { execa } from 'execa';
import { join } from 'node:path';
import type { DnsQueryRecord } from '../../harness/dns/index.js';
import type { Lab } from '../../harness/lab/lab.js';
import { projectRoot } from '../../harness/paths.js';

/** Real third-party firmware in test/fixtures/real (provenance in its README). */
export const real = (name: string) => join(projectRoot(), 'test', 'fixtures', 'real', name);
export const OPENWRT = real('openwrt-15.05.1-r49587-ar71xx-tl-wr841n-v9-squashfs-factory.bin');

/** Packets in a pcap matching a filter, counted by tcpdump (a real tool, not our parser). */
export async function countPackets(pcap: string, filter: string): Promise<number> {
  const r = await execa('tcpdump', ['-r', pcap, '-n', filter], { reject: false });
  if (r.exitCode !== 0) throw new Error(`tcpdump -r ${pcap} failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.trim() !== '').length;
}

/** Resolves with the first recorded query matching `pattern` (or rejects after `ms`). */
export function firstQuery(lab: Lab, pattern: RegExp, ms: number): Promise<DnsQueryRecord> {
  return new Promise((resolve, reject) => {
    const seen = lab.recorder.records.find((r): r is DnsQueryRecord => r.kind === 'dns-query' && pattern.test(r.name));
    if (seen) return resolve(seen);
    const t = setTimeout(() => reject(new Error(`no DNS query matching ${pattern} within ${ms} ms; console: ${lab.boot.console?.tail.slice(-5).join(' | ')}`)), ms);
    lab.recorder.on('query', (q) => { if (pattern.test(q.name)) { clearTimeout(t); resolve(q); } });
  });
}
