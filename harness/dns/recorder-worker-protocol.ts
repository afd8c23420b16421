import type { DnsRule, SinkholeAnswer } from './dns-rule.js';
import type { ListenAddress } from '../util/listen-address.js';

/** What a DnsRecorderCluster primary tells one worker (node:cluster IPC, JSON). */
export type WorkerCommand =
  | {
      t: 'start';
      listen: ListenAddress[];
      rules: readonly DnsRule[];
      seed?: number;
      sinkhole?: SinkholeAnswer;
      tcpIdleMs?: number;
      /** Ship a batch at least this often (it doubles as the merge watermark). */
      shipEveryMs: number;
    }
  | { t: 'rules'; rules: readonly DnsRule[]; version: number }
  | { t: 'flush'; version: number }
  | { t: 'stop' };

/**
 * What a worker reports. `records` carries dns.jsonl lines in the worker's logging
 * order with, per line, the time it was logged (the machine's monotonic clock, ms);
 * `upToMs` promises nothing logged later by this worker will carry an earlier time.
 */
export type WorkerReport =
  /** Listening for commands (cluster's `online` comes before an ES module worker has its listener). */
  | { t: 'hello' }
  | { t: 'ready'; addresses: ListenAddress[] }
  | { t: 'records'; lines: string[]; loggedAt: number[]; upToMs: number }
  | { t: 'rules-applied'; version: number }
  | { t: 'flushed'; version: number }
  | { t: 'stopped' }
  | { t: 'failed'; message: string };
