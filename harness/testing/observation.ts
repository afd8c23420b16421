import {
  AnalysisContext, TrafficTarget, evaluateExpectation,
  type DnsQuery, type Expectation, type Verdict, type WindowStats,
} from '../analysis/index.js';
import { FirmlabError } from '../errors.js';

/** A recorded span, half-open `[startMs, endMs)` as everywhere in analysis. */
export interface ObservedWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * What the chai plugin asserts on when rates matter: the records and the span
 * they were recorded over (a rate needs a duration; the records alone do not
 * say how long nothing happened). `labLive: false` makes every assertion
 * fail the way analysis does for a window whose liveness check failed.
 */
export interface DnsObservation {
  readonly records: readonly unknown[];
  readonly window?: ObservedWindow;
  readonly labLive?: boolean;
  /** Names the subject in messages; default "records". */
  readonly label?: string;
}

/** A wrong subject or a misused chain: a bug in the test, not in the firmware. */
export class ChaiFirmlabUsageError extends FirmlabError {
  constructor(message: string) {
    super('FIRMLAB_CHAI_USAGE', message, { exitKind: 'usage' });
  }
}

/** Build and window names analysis sees; messages strip them again. */
const BUILD = 'observed';
const WINDOW = 'window';

/**
 * The subject of an assertion, checked once: an array of `DnsQueryRecord`s
 * (dns.jsonl lines; `dns-malformed` and other kinds are skipped) or a
 * `DnsObservation`. Verdicts come from analysis' own `evaluateExpectation`,
 * so a chai assertion and a scenario `expect:` entry decide alike.
 */
export class Observation {
  private analysis: AnalysisContext | undefined;

  private constructor(
    readonly label: string,
    readonly queries: readonly DnsQuery[],
    readonly window: ObservedWindow | undefined,
    readonly labLive: boolean,
  ) {}

  static from(subject: unknown): Observation {
    if (Array.isArray(subject)) return new Observation('records', queriesOf(subject), undefined, true);
    if (isObservation(subject)) {
      const w = subject.window;
      if (w !== undefined && !(Number.isFinite(w.startMs) && Number.isFinite(w.endMs) && w.endMs > w.startMs)) {
        throw new ChaiFirmlabUsageError(
          `observation window must have finite startMs < endMs (got ${JSON.stringify(w)})`);
      }
      return new Observation(subject.label ?? 'records', queriesOf(subject.records), w, subject.labLive ?? true);
    }
    throw new ChaiFirmlabUsageError(
      'expected an array of DNS query records or { records, window: { startMs, endMs } }, '
      + `got ${subject === null ? 'null' : typeof subject}`);
  }

  /**
   * One expectation judged by analysis over this observation. Without a
   * window, the span of the records stands in (fine for counts and TTLs,
   * never used for rates: see `requireWindow`).
   */
  judge(kind: Record<string, unknown>, domain: string): Verdict {
    const expectation = { build: BUILD, window: WINDOW, domain, ...kind } as Expectation;
    const verdict = evaluateExpectation(expectation, this.context());
    // Messages name the subject, not the build/window names made up above.
    const prefix = `${BUILD}/${WINDOW} ${domain}: `;
    const refused = verdict.status === 'error' ? verdict.message.indexOf(': error: ') : -1;
    const message = refused >= 0 ? verdict.message.slice(refused + 2)
      : verdict.message.startsWith(prefix) ? verdict.message.slice(prefix.length) : verdict.message;
    return { ...verdict, message: message.replaceAll(`${BUILD}/${WINDOW}`, this.label) };
  }

  /** Count, names and the rest for `domain` in the window (or all records). Throws on a bad pattern. */
  stats(domain: string): WindowStats {
    const found = this.context().catalog.lookup(BUILD, WINDOW);
    if (!found.ok) throw new Error(found.message); // unreachable: the context holds exactly this window
    return this.context().stats(found.window, TrafficTarget.parse({ domain }));
  }

  requireWindow(what: string): ObservedWindow {
    if (this.window) return this.window;
    throw new ChaiFirmlabUsageError(
      `${what} needs a duration: assert on { records, window: { startMs, endMs } } instead of a bare array`);
  }

  private context(): AnalysisContext {
    if (!this.analysis) {
      const span = this.window ?? this.recordSpan();
      this.analysis = new AnalysisContext({
        records: [{ build: BUILD, dns: this.queries }],
        windows: [{ build: BUILD, window: WINDOW, ...span, labLive: this.labLive }],
      });
    }
    return this.analysis;
  }

  private recordSpan(): ObservedWindow {
    if (this.queries.length === 0) return { startMs: 0, endMs: 1 };
    const startMs = this.queries.reduce((m, q) => Math.min(m, q.atMs), Infinity);
    const endMs = this.queries.reduce((m, q) => Math.max(m, q.atMs), -Infinity) + 1;
    return { startMs, endMs };
  }
}

function isObservation(v: unknown): v is DnsObservation {
  return typeof v === 'object' && v !== null && Array.isArray((v as DnsObservation).records);
}

function queriesOf(records: readonly unknown[]): DnsQuery[] {
  return records.filter((r): r is DnsQuery => {
    if (typeof r !== 'object' || r === null) return false;
    const q = r as { kind?: unknown; name?: unknown; atMs?: unknown };
    return (q.kind === undefined || q.kind === 'dns-query') && typeof q.name === 'string' && typeof q.atMs === 'number';
  }).map((q) => (q.response === undefined || q.type === undefined
    // Hand-made records may leave these out; analysis reads both. No response: an answer without a TTL.
    ? { ...q, type: q.type ?? 'A', response: q.response ?? { rcode: 'NOERROR' } }
    : q));
}
