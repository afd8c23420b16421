import type { WindowLiveness } from './window-liveness.js';

/**
 * The parts of recorded events that analysis reads. These are structural
 * subsets of the records in docs/contracts.md (`DnsQueryRecord`,
 * `EgressRecord`), declared here so analysis never imports harness/dns or
 * harness/egress: a full record from dns.jsonl is assignable to `DnsQuery`
 * as it is, one from egress.jsonl to `EgressEvent`.
 */

/** A `DnsQueryRecord` as far as analysis cares. */
export interface DnsQuery {
  readonly atMs: number;
  /** Lower-cased, no trailing dot (the recorder normalises; analysis copes anyway). */
  readonly name: string;
  readonly type: string;
  /** null: dropped on purpose (fault `drop`), the client saw no answer. */
  readonly response: {
    readonly rcode: string;
    /** Smallest answer TTL in seconds; absent when there were no answers. */
    readonly ttl?: number;
  } | null;
  /** Where the guest sent it; absent when the lab could not tell. */
  readonly resolver?: { readonly address: string; readonly port: number };
}

/** An `EgressRecord` (sinkhole) as far as analysis cares. */
export interface EgressEvent {
  readonly atMs: number;
  readonly transport: string;
  /** The original destination (the sinkhole's own address when the lab could not tell). */
  readonly destination: { readonly address: string; readonly port: number };
  readonly bytes: number;
  readonly sni?: string;
  /** The HTTP/1.x Host header as sent, port included. */
  readonly httpHost?: string;
}

/**
 * One observation window of one build: `observe: { for: 30s, as: disabled }`.
 * Half-open: a query at `startMs` belongs to the window, one at `endMs` does not.
 * The same (build, window) name may occur more than once (observed twice);
 * analysis then pools the spans (Poisson counts and exposures add up).
 */
export interface ObservationWindow {
  readonly build: string;
  readonly window: string;
  readonly startMs: number;
  readonly endMs: number;
  /** The lab showed it could have seen contact in this window (see window-liveness.ts). */
  readonly labLive: boolean;
  /** How that was shown, and what each watched feature's service did; the runner always sets it. */
  readonly liveness?: WindowLiveness;
}

/** A setting change made by a step, e.g. HomeShield switched off. */
export interface SettingMarker {
  readonly atMs: number;
  readonly build: string;
  readonly feature: string;
  readonly state: string;
  /** How the step switched it: `web` or `console`. */
  readonly via?: string;
  /** Why it fell back from the web UI to the console (the step allowed it). */
  readonly fellBack?: string;
}

/** Everything one build's lab recorded. Each build has its own recorder and clock span. */
export interface BuildRecords {
  readonly build: string;
  readonly dns: readonly DnsQuery[];
  /** What the sinkhole recorded; absent when there was none (contacts by name are then DNS queries only). */
  readonly egress?: readonly EgressEvent[];
}

export interface AnalysisInput {
  readonly records: readonly BuildRecords[];
  readonly windows: readonly ObservationWindow[];
  readonly markers?: readonly SettingMarker[];
}
