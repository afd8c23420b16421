import type { EgressEvent } from './analysis-input.js';
import { inSpans, type ResolvedWindow } from './window-catalog.js';

/** Non-DNS traffic the sinkhole caught in one window. */
export interface EgressStats {
  readonly build: string;
  readonly window: string;
  readonly count: number;
  readonly bytes: number;
  /** `transport address:port` (with ` sni` when seen), most contacted first. */
  readonly destinations: readonly { readonly destination: string; readonly count: number }[];
}

export function egressStats(events: readonly EgressEvent[], window: ResolvedWindow): EgressStats {
  const inWindow = events.filter((e) => inSpans(e.atMs, window.spans));
  const perDestination = new Map<string, number>();
  for (const e of inWindow) {
    const host = e.destination.address.includes(':') ? `[${e.destination.address}]` : e.destination.address;
    const key = `${e.transport} ${host}:${e.destination.port}${e.sni ? ` ${e.sni}` : ''}`;
    perDestination.set(key, (perDestination.get(key) ?? 0) + 1);
  }
  return {
    build: window.build,
    window: window.window,
    count: inWindow.length,
    bytes: inWindow.reduce((sum, e) => sum + e.bytes, 0),
    destinations: [...perDestination]
      .map(([destination, count]) => ({ destination, count }))
      .sort((a, b) => b.count - a.count || a.destination.localeCompare(b.destination)),
  };
}
