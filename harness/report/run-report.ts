import type { RunAnalysis } from '../analysis/index.js';
import type { BlockedEgress, SnapshotUse } from '../lab/lab.js';
import type { PlacedUnit, ShardSpec } from '../scenario/shard.js';

/** One build's identity and timings, as the report shows them. */
export interface BuildReport {
  build: string;
  firmware: { path: string; sha256?: string; version?: string; model?: string; format?: string };
  kernel?: string;
  runDir: string;
  timings: Record<string, number>;
  ok: boolean;
  error?: { code: string; message: string };
  queries: number;
  /** What the guest sent that the lab counted and dropped: all its IPv6 by kind, IPv4 the sinkhole did not take. */
  blockedEgress?: BlockedEgress;
  /** Restored from a snapshot (no boot), or booted and saved; absent with snapshots off. */
  snapshot?: SnapshotUse;
}

/**
 * Which run and shard a report belongs to, written into every report.json
 * so a shard's result directory describes itself: merge-reports joins only
 * shards that agree on all of it.
 */
export interface RunIdentity {
  /** Shared by every shard of one run (`--run-id`, or the CI engine's run id). */
  id: string;
  /** firmlab's version. */
  harness: string;
  shard: ShardSpec;
  /** Every scenario file of the run, in command-line order. */
  scenarios: { file: string; name: string; sha256: string }[];
  /** This report's scenario, an index into `scenarios`. */
  scenario: number;
  /** The whole run's units and the shard of each. */
  units: PlacedUnit[];
  /** A merged report: the shard directories it was joined from (`firmlab merge-reports`). */
  mergedFrom?: string[];
}

/** Everything one scenario run produced; report.json is this, serialised. */
export interface RunReport {
  run: RunIdentity;
  scenario: { name: string; file: string; description?: string };
  startedAtMs: number;
  finishedAtMs: number;
  durationMs: number;
  runDir: string;
  builds: BuildReport[];
  analysis: RunAnalysis;
  exitCode: number;
  /** A run-level failure (infra) that stopped it before analysis could decide. */
  error?: { code: string; message: string };
}
