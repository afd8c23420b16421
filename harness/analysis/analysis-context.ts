import type { AnalysisInput, DnsQuery, EgressEvent } from './analysis-input.js';
import type { TrafficTarget } from './traffic-target.js';
import { DEFAULT_TTL_GRACE_MS, findRequeries, type Requery } from './ttl-compliance.js';
import { WindowCatalog, type ResolvedWindow } from './window-catalog.js';
import { windowStats, type WindowStats } from './window-stats.js';

export interface AnalysisOptions {
  /** Grace for TTL compliance; default 1000 ms. */
  readonly ttlGraceMs?: number;
  /** Span of the longest-burst measure; default 1000 ms. */
  readonly burstSpanMs?: number;
}

/**
 * The input indexed once: windows by name, queries, sinkhole records and
 * re-queries by build.
 * Everything derived is computed lazily and kept, so evaluating many
 * expectations over the same run costs one pass per build.
 */
export class AnalysisContext {
  readonly catalog: WindowCatalog;
  readonly options: Required<AnalysisOptions>;
  private readonly queries = new Map<string, readonly DnsQuery[]>();
  private readonly requeries = new Map<string, readonly Requery[]>();
  /** Only builds that had a sinkhole have an entry, so "no sinkhole" is never read as "no egress". */
  private readonly egress = new Map<string, readonly EgressEvent[]>();

  constructor(readonly input: AnalysisInput, options: AnalysisOptions = {}) {
    this.catalog = new WindowCatalog(input);
    this.options = {
      ttlGraceMs: options.ttlGraceMs ?? DEFAULT_TTL_GRACE_MS,
      burstSpanMs: options.burstSpanMs ?? 1000,
    };
    for (const r of input.records) {
      this.queries.set(r.build, [...(this.queries.get(r.build) ?? []), ...r.dns]);
      if (r.egress !== undefined) this.egress.set(r.build, [...(this.egress.get(r.build) ?? []), ...r.egress]);
    }
  }

  /** A build's DNS queries (empty for a build that recorded none). */
  queriesOf(build: string): readonly DnsQuery[] {
    return this.queries.get(build) ?? [];
  }

  /** A build's sinkhole records; undefined when it had no sinkhole. */
  egressOf(build: string): readonly EgressEvent[] | undefined {
    return this.egress.get(build);
  }

  requeriesOf(build: string): readonly Requery[] {
    let found = this.requeries.get(build);
    if (!found) this.requeries.set(build, (found = findRequeries(this.queriesOf(build), this.options.ttlGraceMs)));
    return found;
  }

  stats(window: ResolvedWindow, target: TrafficTarget): WindowStats {
    return windowStats(this.queriesOf(window.build), window, target, {
      burstSpanMs: this.options.burstSpanMs,
      ...(target.pattern !== undefined && { requeries: this.requeriesOf(window.build) }),
      ...(this.egress.has(window.build) && { egress: this.egress.get(window.build) }),
    });
  }
}
