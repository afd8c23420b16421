import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { DnsRecord } from './dns-query-record.js';
import type { DnsRecorderEvents, DnsRecorderOptions } from './dns-recorder.js';
import type { DnsRule } from './dns-rule.js';
import { DnsWorkerError } from './dns-worker-error.js';
import { JsonlWriter } from '../util/jsonl-writer.js';
import type { ListenAddress } from '../util/listen-address.js';
import { ListenError } from '../util/listen-error.js';
import type { WorkerCommand, WorkerReport } from './recorder-worker-protocol.js';
import { TypedEvents } from '../util/typed-events.js';

export interface DnsRecorderClusterOptions extends Omit<DnsRecorderOptions, 'now' | 'sharedBind' | 'originalDestination'> {
  /** How many worker processes answer queries (node:cluster; they share each socket). */
  workers: number;
  /** How often workers ship records (and so the delay before they reach the log). Default 50 ms. */
  shipEveryMs?: number;
}

interface WorkerSlot {
  index: number;
  worker: Worker;
  /** Shipped but not yet merged: lines and their logging times, from `head` on. */
  lines: string[];
  loggedAt: number[];
  head: number;
  upToMs: number;
  live: boolean;
  stopped: boolean;
}

const WORKER_SCRIPT = fileURLToPath(new URL('./recorder-worker.js', import.meta.url));

/**
 * The recorder spread over N node:cluster worker processes, for rates one event
 * loop cannot carry (`firmlab dns serve --workers N`, the benchmark). Workers share
 * the primary's one UDP socket and TCP listener per address, answer by the same
 * rules and ship their records here in batches; this primary merges them by the
 * time each was logged (ties between workers within the same instant fall in worker
 * order), keeps the one log, writes dns.jsonl and emits the events, like DnsRecorder.
 * The clock is each worker's own wall clock (no injected `now`).
 */
export class DnsRecorderCluster implements AsyncDisposable {
  private readonly events = new TypedEvents<DnsRecorderEvents>((e) => this.events.emit('error', e));
  private readonly log: DnsRecord[] = [];
  private readonly slots: WorkerSlot[] = [];
  private writer: JsonlWriter | undefined;
  private bound: ListenAddress[] = [];
  private version = 0;
  private readonly waiters = new Map<string, () => void>();
  private stopping = false;
  private stopped: Promise<void> | undefined;
  private readonly counted = { queries: 0, malformed: 0 };
  /** Workers that died or failed while running, in the order it happened. */
  readonly failures: DnsWorkerError[] = [];

  private constructor(private readonly options: DnsRecorderClusterOptions) {}

  static async start(options: DnsRecorderClusterOptions): Promise<DnsRecorderCluster> {
    if (!cluster.isPrimary) throw new Error('DnsRecorderCluster must be started from the primary process');
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new RangeError(`workers must be a positive integer, got ${options.workers}`);
    const rec = new DnsRecorderCluster(options);
    try {
      if (options.logFile !== undefined) {
        rec.writer = await JsonlWriter.open(options.logFile, { onError: (e) => rec.events.emit('error', e) });
      }
      cluster.setupPrimary({ exec: WORKER_SCRIPT, args: [], silent: false });
      // Every worker asks for the same addresses as given: cluster shares one handle per
      // requested (address, port), so port 0 too resolves to the first worker's socket.
      rec.bound = await rec.fork(0, options.listen);
      const rest = await Promise.all(Array.from({ length: options.workers - 1 }, (_, i) => rec.fork(i + 1, options.listen)));
      for (const got of rest) {
        if (got.some((a, i) => a.port !== rec.bound[i]?.port)) throw new Error(`workers bound different ports: ${JSON.stringify([rec.bound, got])}`);
      }
    } catch (e) {
      await rec.stop();
      throw e;
    }
    return rec;
  }

  addresses(): ListenAddress[] {
    return this.bound.map((a) => ({ ...a }));
  }

  /** Merged records so far (in logging order); empty when `keepRecords` is false. */
  get records(): readonly DnsRecord[] {
    return this.log;
  }

  get counts(): { queries: number; malformed: number } {
    return { ...this.counted };
  }

  /** Worker process ids, in worker order (for CPU accounting). */
  pids(): number[] {
    return this.slots.map((s) => s.worker.process.pid ?? 0);
  }

  on<K extends keyof DnsRecorderEvents>(event: K, fn: (value: DnsRecorderEvents[K]) => void): () => void {
    return this.events.on(event, fn);
  }

  /** Swaps the rules in every worker; resolves once each live worker has applied them. */
  setRules(rules: readonly DnsRule[]): Promise<void> {
    const version = ++this.version;
    return this.everyLive('rules-applied', version, { t: 'rules', rules, version });
  }

  /** Resolves when every record each worker logged before this call is merged and written. */
  async flush(): Promise<void> {
    const version = ++this.version;
    await this.everyLive('flushed', version, { t: 'flush', version });
    // Each worker logs a query just after sending its answer, so another worker's watermark may
    // already be past a record logged late; once every worker has acknowledged, release all
    // (only records logged while flush() runs can then land out of order, by under a ms).
    this.merge(true);
    await this.writer?.flush();
  }

  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    // Done once each worker's IPC channel is closed (every message it sent has been read) and it has exited.
    await Promise.all(
      this.slots.map(async (s) => {
        const exited = s.live ? new Promise<void>((resolve) => s.worker.once('exit', () => resolve())) : Promise.resolve();
        const drained = s.worker.isConnected() ? new Promise<void>((resolve) => s.worker.once('disconnect', () => resolve())) : Promise.resolve();
        this.command(s, { t: 'stop' });
        await Promise.all([exited, drained]);
      }),
    );
    this.merge(true);
    await this.writer?.close();
  }

  private fork(index: number, listen: ListenAddress[]): Promise<ListenAddress[]> {
    const worker = cluster.fork();
    const slot: WorkerSlot = { index, worker, lines: [], loggedAt: [], head: 0, upToMs: -Infinity, live: true, stopped: false };
    this.slots.push(slot);
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on('message', (m: WorkerReport) => {
        if (m.t === 'hello') {
          this.command(slot, this.startCommand(listen));
        } else if (m.t === 'ready') {
          ready = true;
          resolve(m.addresses);
        } else if (m.t === 'failed' && !ready) {
          reject(new ListenError('DNS recorder worker', listen[0] ?? { host: '?', port: 0 }, new Error(m.message)));
        } else {
          this.onReport(slot, m);
        }
      });
      // Sending to a worker that just died fails with EPIPE; its 'exit' is what gets reported.
      worker.on('error', () => {});
      worker.on('exit', (code, signal) => {
        slot.live = false;
        if (!ready) reject(new DnsWorkerError(index, worker.process.pid, `exited before it was ready (code ${code}, signal ${signal})`));
        // After a stop request a clean exit may be seen before the worker's last messages are read.
        else if (!slot.stopped && !(this.stopping && code === 0)) this.fail(slot, `exited unexpectedly (code ${code}, signal ${signal}); records it had not shipped are lost`);
        // A dead worker no longer holds the merge back, and no longer owes acknowledgements.
        for (const [key, done] of this.waiters) if (key.startsWith(`${index}:`)) done();
        this.merge();
      });
    });
  }

  private startCommand(listen: ListenAddress[]): WorkerCommand {
    const o = this.options;
    return {
      t: 'start',
      listen,
      rules: o.rules ?? [],
      shipEveryMs: o.shipEveryMs ?? 50,
      ...(o.seed === undefined ? {} : { seed: o.seed }),
      ...(o.sinkhole === undefined ? {} : { sinkhole: o.sinkhole }),
      ...(o.tcpIdleMs === undefined ? {} : { tcpIdleMs: o.tcpIdleMs }),
    };
  }

  private onReport(slot: WorkerSlot, m: WorkerReport): void {
    switch (m.t) {
      case 'records':
        for (let i = 0; i < m.lines.length; i++) {
          slot.lines.push(m.lines[i]!);
          slot.loggedAt.push(m.loggedAt[i]!);
        }
        slot.upToMs = m.upToMs;
        this.merge();
        return;
      case 'rules-applied':
      case 'flushed':
        this.waiters.get(`${slot.index}:${m.t}:${m.version}`)?.();
        return;
      case 'hello':
      case 'ready':
        return;
      case 'stopped':
        slot.stopped = true;
        return;
      case 'failed':
        this.fail(slot, `failed: ${m.message}`);
        return;
    }
  }

  private fail(slot: WorkerSlot, what: string): void {
    const error = new DnsWorkerError(slot.index, slot.worker.process.pid, what);
    this.failures.push(error);
    this.events.emit('error', error);
  }

  private command(slot: WorkerSlot, c: WorkerCommand): void {
    if (slot.worker.isConnected()) slot.worker.send(c);
  }

  private everyLive(kind: 'rules-applied' | 'flushed', version: number, c: WorkerCommand): Promise<void> {
    return Promise.all(
      this.slots
        .filter((s) => s.live)
        .map(
          (s) =>
            new Promise<void>((resolve) => {
              const key = `${s.index}:${kind}:${version}`;
              this.waiters.set(key, () => {
                this.waiters.delete(key);
                resolve();
              });
              this.command(s, c);
            }),
        ),
    ).then(() => undefined);
  }

  /**
   * Releases, in logging order, every shipped record no live worker can still
   * precede: those logged up to the smallest watermark among live workers
   * (all of them when `all`, after every worker has stopped).
   */
  private merge(all = false): void {
    let limit = Infinity;
    if (!all) for (const s of this.slots) if (s.live && s.upToMs < limit) limit = s.upToMs;
    const parse = this.options.keepRecords !== false || this.events.has('query') || this.events.has('malformed');
    for (;;) {
      let next: WorkerSlot | undefined;
      for (const s of this.slots) {
        if (s.head < s.lines.length && s.loggedAt[s.head]! <= limit && (next === undefined || s.loggedAt[s.head]! < next.loggedAt[next.head]!)) next = s;
      }
      if (next === undefined) break;
      this.release(next.lines[next.head]!, parse);
      next.head++;
    }
    for (const s of this.slots) {
      if (s.head > 0 && s.head === s.lines.length) {
        s.lines = [];
        s.loggedAt = [];
        s.head = 0;
      }
    }
  }

  private release(line: string, parse: boolean): void {
    this.writer?.writeLine(line);
    // The line says its kind up front (recordLine writes `kind` first), so counting needs no parse.
    const isQuery = line.startsWith('{"kind":"dns-query"');
    if (isQuery) this.counted.queries++;
    else this.counted.malformed++;
    if (!parse) return;
    const record = JSON.parse(line) as DnsRecord;
    if (this.options.keepRecords !== false) this.log.push(record);
    if (record.kind === 'dns-query') this.events.emit('query', record);
    else this.events.emit('malformed', record);
  }
}
