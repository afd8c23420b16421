import type { RunAnalysis } from '../analysis/index.js';
import type { BlockedEgress } from '../lab/lab.js';

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
}

/** Everything one scenario run produced; report.json is this, serialised. */
export interface RunReport {
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
