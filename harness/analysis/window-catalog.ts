import type { AnalysisInput, ObservationWindow } from './analysis-input.js';

export interface WindowSpan {
  /** Inclusive. */
  readonly startMs: number;
  /** Exclusive: windows are half-open, [startMs, endMs). */
  readonly endMs: number;
}

/** All spans observed under one (build, window) name, pooled. */
export interface ResolvedWindow {
  readonly build: string;
  readonly window: string;
  readonly spans: readonly WindowSpan[];
  readonly durationMs: number;
  /** True only when the lab was shown live in every span. */
  readonly labLive: boolean;
  /** Why a span's lab was not shown live (the first such span's proof), when one was not. */
  readonly notLiveBecause?: string;
}

export type WindowLookup =
  | { readonly ok: true; readonly window: ResolvedWindow }
  | { readonly ok: false; readonly message: string };

/** True when t lies in one of the half-open spans. */
export function inSpans(t: number, spans: readonly WindowSpan[]): boolean {
  return spans.some((s) => t >= s.startMs && t < s.endMs);
}

/**
 * Finds windows by build and name, and says which names exist when one does
 * not (a typo in a scenario's `expect:` must not read as "no queries").
 */
export class WindowCatalog {
  private readonly byBuild = new Map<string, Map<string, ObservationWindow[]>>();

  constructor(input: Pick<AnalysisInput, 'records' | 'windows'>) {
    for (const r of input.records) this.windowsOf(r.build);
    for (const w of input.windows) {
      const named = this.windowsOf(w.build);
      named.set(w.window, [...(named.get(w.window) ?? []), w]);
    }
  }

  get builds(): string[] {
    return [...this.byBuild.keys()].sort();
  }

  windowNames(build: string): string[] {
    return [...(this.byBuild.get(build)?.keys() ?? [])].sort();
  }

  lookup(build: string, window: string): WindowLookup {
    const named = this.byBuild.get(build);
    if (!named) {
      return { ok: false, message: `unknown build "${build}" (known builds: ${list(this.builds)})` };
    }
    const parts = named.get(window);
    if (!parts) {
      return {
        ok: false,
        message: `build ${build} has no window "${window}" (known windows: ${list(this.windowNames(build))})`,
      };
    }
    const spans = parts
      .map((p) => ({ startMs: p.startMs, endMs: p.endMs }))
      .sort((a, b) => a.startMs - b.startMs);
    return {
      ok: true,
      window: {
        build,
        window,
        spans,
        durationMs: spans.reduce((sum, s) => sum + Math.max(0, s.endMs - s.startMs), 0),
        labLive: parts.every((p) => p.labLive),
        ...notLive(parts),
      },
    };
  }

  /** Every (build, window) pair, builds and windows in name order. */
  all(): ResolvedWindow[] {
    const out: ResolvedWindow[] = [];
    for (const build of this.builds) {
      for (const window of this.windowNames(build)) {
        const found = this.lookup(build, window);
        if (found.ok) out.push(found.window);
      }
    }
    return out;
  }

  private windowsOf(build: string): Map<string, ObservationWindow[]> {
    let named = this.byBuild.get(build);
    if (!named) this.byBuild.set(build, (named = new Map()));
    return named;
  }
}

function notLive(parts: readonly ObservationWindow[]): { notLiveBecause?: string } {
  const dead = parts.find((p) => !p.labLive);
  return dead?.liveness === undefined ? {} : { notLiveBecause: dead.liveness.proof };
}

function list(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}
