import type { AnalysisInput } from './analysis-input.js';
import type { DomainPattern } from '../util/domain-pattern.js';

export const DEFAULT_BIN_MS = 10_000;

/**
 * Queries per fixed bin for one build, per domain pattern, with that build's
 * windows and setting changes as offsets on the same axis: what the HTML
 * report draws. Each build has its own origin (builds run at different wall
 * times): the earliest of its queries, windows and markers. Bins are
 * half-open, [origin + i * binMs, origin + (i + 1) * binMs).
 */
export interface BuildTimeline {
  readonly build: string;
  readonly originMs: number;
  readonly binMs: number;
  readonly series: readonly { readonly domain: string; readonly counts: readonly number[] }[];
  /** Everything else the build sent (TLS, plain TCP and UDP that reached the sinkhole), per bin: a series of its own. */
  readonly egress: readonly number[];
  readonly windows: readonly {
    readonly window: string;
    readonly startOffsetMs: number;
    readonly endOffsetMs: number;
    readonly labLive: boolean;
  }[];
  readonly markers: readonly {
    readonly offsetMs: number; readonly feature: string; readonly state: string; readonly via?: string; readonly fellBack?: string;
  }[];
}

export function timeline(
  input: AnalysisInput,
  patterns: readonly DomainPattern[],
  binMs: number = DEFAULT_BIN_MS,
): BuildTimeline[] {
  if (!(binMs > 0)) throw new RangeError(`timeline bin must be > 0 ms (got ${binMs})`);
  const builds = [...new Set([...input.records.map((r) => r.build), ...input.windows.map((w) => w.build)])].sort();
  return builds.map((build) => {
    const queries = input.records.filter((r) => r.build === build).flatMap((r) => r.dns);
    const egressEvents = input.records.filter((r) => r.build === build).flatMap((r) => r.egress ?? []);
    const windows = input.windows.filter((w) => w.build === build);
    const markers = (input.markers ?? []).filter((m) => m.build === build);
    const times = [
      ...queries.map((q) => q.atMs),
      ...egressEvents.map((e) => e.atMs),
      ...windows.flatMap((w) => [w.startMs, w.endMs]),
      ...markers.map((m) => m.atMs),
    ];
    const originMs = times.length === 0 ? 0 : times.reduce((a, b) => Math.min(a, b));
    const lastMs = times.length === 0 ? 0 : times.reduce((a, b) => Math.max(a, b));
    const binCount = times.length === 0 ? 0 : Math.floor((lastMs - originMs) / binMs) + 1;
    const series = patterns.map((pattern) => {
      const counts = new Array<number>(binCount).fill(0);
      for (const q of queries) {
        if (pattern.matches(q.name)) counts[Math.floor((q.atMs - originMs) / binMs)]! += 1;
      }
      return { domain: pattern.source, counts };
    });
    const egress = new Array<number>(binCount).fill(0);
    for (const e of egressEvents) egress[Math.floor((e.atMs - originMs) / binMs)]! += 1;
    return {
      build,
      originMs,
      binMs,
      series,
      egress,
      windows: windows
        .map((w) => ({
          window: w.window, startOffsetMs: w.startMs - originMs, endOffsetMs: w.endMs - originMs,
          labLive: w.labLive,
        }))
        .sort((a, b) => a.startOffsetMs - b.startOffsetMs),
      markers: markers
        .map((m) => ({
          offsetMs: m.atMs - originMs, feature: m.feature, state: m.state,
          ...(m.via !== undefined && { via: m.via }), ...(m.fellBack !== undefined && { fellBack: m.fellBack }),
        }))
        .sort((a, b) => a.offsetMs - b.offsetMs),
    };
  });
}
