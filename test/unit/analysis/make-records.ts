import type { DnsQuery, ObservationWindow } from '../../../harness/analysis/analysis-input.js';

/** `count` A queries from `startMs`, one every `everyMs`, cycling through `names`, answered with `ttl`. */
export function queries(
  startMs: number,
  count: number,
  options: { everyMs?: number; names?: readonly string[]; ttl?: number; rcode?: string } = {},
): DnsQuery[] {
  const { everyMs = 1000, names = ['a.safethings.avira.com'], ttl = 300, rcode = 'NOERROR' } = options;
  return Array.from({ length: count }, (_, i) => ({
    atMs: startMs + i * everyMs,
    name: names[i % names.length]!,
    type: 'A',
    response: rcode === 'NOERROR' ? { rcode, ttl } : { rcode },
  }));
}

export function window(
  build: string,
  name: string,
  startMs: number,
  durationMs: number,
  labLive = true,
): ObservationWindow {
  return { build, window: name, startMs, endMs: startMs + durationMs, labLive };
}
