import { formatCount, plural } from './format-number.js';
import type { ContactSources, WindowStats } from './window-stats.js';

/**
 * What a window's count is made of, for verdict messages: `24 queries` (DNS
 * only, the build had no sinkhole), `3 contacts (dns 0, sni 3, host 0)` (a
 * domain counted by DNS, TLS SNI and HTTP Host), `3 contacts` (egress).
 */
export function countText(stats: WindowStats): string {
  if (stats.target === 'domain' && stats.sources === undefined) return plural(stats.count, 'query', 'queries');
  const contacts = plural(stats.count, 'contact', 'contacts');
  const s = stats.sources;
  return s === undefined ? contacts : `${contacts} (dns ${formatCount(s.dns)}, sni ${formatCount(s.sni)}, host ${formatCount(s.host)})`;
}

/** The `measured` key of a source count: `dnsCount`, or `newDnsCount` for one side of a comparison. */
export function sourceKey(source: keyof ContactSources, side?: 'new' | 'old'): string {
  return side === undefined ? `${source}Count` : `${side}${source[0]!.toUpperCase()}${source.slice(1)}Count`;
}

/** The `measured` figures of countText's split (none for DNS-only or egress counts). */
export function sourceFigures(stats: WindowStats, side?: 'new' | 'old'): Record<string, number> {
  const s = stats.sources;
  if (s === undefined) return {};
  return { [sourceKey('dns', side)]: s.dns, [sourceKey('sni', side)]: s.sni, [sourceKey('host', side)]: s.host };
}
