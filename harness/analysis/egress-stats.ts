import { formatEndpoint } from '../util/endpoint.js';
import type { EgressEvent } from './analysis-input.js';
import { tally } from './tally.js';
import { inSpans, type ResolvedWindow } from './window-catalog.js';

/** Non-DNS traffic the sinkhole caught in one window. */
export interface EgressStats {
  readonly build: string;
  readonly window: string;
  readonly count: number;
  readonly bytes: number;
  /** egressDestination() of each record, most contacted first. */
  readonly destinations: readonly { readonly destination: string; readonly count: number }[];
}

/** `tcp 203.0.113.10:443 sni a.example`, `tcp [2001:db8::1]:80 host b.example`, `udp 198.51.100.7:123`. */
export function egressDestination(e: EgressEvent): string {
  const name = e.sni !== undefined ? ` sni ${e.sni}` : e.httpHost !== undefined ? ` host ${e.httpHost}` : '';
  return `${e.transport} ${formatEndpoint(e.destination)}${name}`;
}

export function egressStats(events: readonly EgressEvent[], window: ResolvedWindow): EgressStats {
  const inWindow = events.filter((e) => inSpans(e.atMs, window.spans));
  return {
    build: window.build,
    window: window.window,
    count: inWindow.length,
    bytes: inWindow.reduce((sum, e) => sum + e.bytes, 0),
    destinations: tally(inWindow.map(egressDestination)).map(({ key, count }) => ({ destination: key, count })),
  };
}
