import { formatEndpoint } from '../util/endpoint.js';
import type { DnsQuery } from './analysis-input.js';
import { formatCount, plural } from './format-number.js';
import { tally } from './tally.js';

/**
 * Which resolvers one build's DNS went to. The lab hands out one (DHCP's DNS
 * option) and redirects every port 53 flow to its recorder whatever the
 * destination, so a firmware with a hard-coded resolver is still recorded;
 * this says that it did so.
 */
export interface ResolverStats {
  readonly build: string;
  /** The resolver the lab handed out, `10.200.0.1:53`. */
  readonly labResolver: string;
  readonly queries: number;
  /** Queries whose destination the lab could not tell. */
  readonly unknown: number;
  /** Queries to any other resolver. */
  readonly elsewhere: number;
  /** Every resolver seen, `address:port`, most used first. */
  readonly resolvers: readonly { readonly resolver: string; readonly count: number; readonly lab: boolean }[];
}

export function resolverStats(
  build: string,
  queries: readonly DnsQuery[],
  labResolver: { readonly address: string; readonly port: number },
): ResolverStats {
  const lab = formatEndpoint(labResolver);
  const known = queries.flatMap((q) => (q.resolver === undefined ? [] : [formatEndpoint(q.resolver)]));
  const resolvers = tally(known).map(({ key, count }) => ({ resolver: key, count, lab: key === lab }));
  return {
    build,
    labResolver: lab,
    queries: queries.length,
    unknown: queries.length - known.length,
    elsewhere: resolvers.filter((r) => !r.lab).reduce((sum, r) => sum + r.count, 0),
    resolvers,
  };
}

/**
 * One line for reports, or undefined when every query went to the lab's
 * resolver: "12 of 40 queries went to resolvers other than the lab's
 * 10.200.0.1:53: 8.8.8.8:53 x12".
 */
export function otherResolversText(s: ResolverStats): string | undefined {
  if (s.elsewhere === 0) return undefined;
  const others = s.resolvers.filter((r) => !r.lab).map((r) => `${r.resolver} x${formatCount(r.count)}`).join(', ');
  return `${formatCount(s.elsewhere)} of ${plural(s.queries, 'query', 'queries')} went to resolvers other than the lab's ${s.labResolver}: ${others}`;
}
