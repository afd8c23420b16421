/**
 * One DnsRecorderCluster worker (a node:cluster child): a DnsRecorder on the
 * primary's shared sockets, shipping its records to the primary in batches.
 * Not a public entry point; the primary forks it.
 */
import { DnsRecorder } from './dns-recorder.js';
import { recordLine } from './record-line.js';
import type { WorkerCommand, WorkerReport } from './recorder-worker-protocol.js';

/** Resolves once the message is handed to the IPC channel (disconnecting earlier can drop it). */
const report = (m: WorkerReport): Promise<void> =>
  new Promise((resolve) => {
    if (process.send === undefined) return resolve();
    process.send(m, undefined, {}, () => resolve());
  });
// CLOCK_MONOTONIC in ms: one clock for every process on the machine, so it orders records across
// workers (each process's performance.timeOrigin is sampled separately and they differ by up to ~1 ms).
const loggedNow = (): number => Number(process.hrtime.bigint()) / 1e6;

let rec: DnsRecorder | undefined;
let lines: string[] = [];
let loggedAt: number[] = [];
let timer: NodeJS.Timeout | undefined;

function ship(): Promise<void> {
  const sent = report({ t: 'records', lines, loggedAt, upToMs: loggedNow() });
  lines = [];
  loggedAt = [];
  return sent;
}

function keep(line: string): void {
  lines.push(line);
  loggedAt.push(loggedNow());
  // Bounded batches keep IPC messages small and the primary's merge moving.
  if (lines.length >= 2000) void ship();
}

async function onCommand(c: WorkerCommand): Promise<void> {
  switch (c.t) {
    case 'start': {
      rec = await DnsRecorder.start({
        listen: c.listen,
        rules: c.rules,
        keepRecords: false,
        sharedBind: true,
        ...(c.seed === undefined ? {} : { seed: c.seed }),
        ...(c.sinkhole === undefined ? {} : { sinkhole: c.sinkhole }),
        ...(c.tcpIdleMs === undefined ? {} : { tcpIdleMs: c.tcpIdleMs }),
      });
      rec.on('query', (r) => keep(recordLine(r)));
      rec.on('malformed', (r) => keep(recordLine(r)));
      rec.on('error', (e) => void report({ t: 'failed', message: e instanceof Error ? e.message : String(e) }));
      timer = setInterval(() => void ship(), c.shipEveryMs);
      await report({ t: 'ready', addresses: rec.addresses() });
      return;
    }
    case 'rules':
      rec?.setRules(c.rules);
      await report({ t: 'rules-applied', version: c.version });
      return;
    case 'flush':
      void ship();
      await report({ t: 'flushed', version: c.version });
      return;
    case 'stop':
      clearInterval(timer);
      await rec?.stop();
      await ship();
      await report({ t: 'stopped' });
      process.disconnect?.();
      return;
  }
}

process.on('message', (m: WorkerCommand) => {
  onCommand(m).catch((e: unknown) => {
    process.exitCode = 2;
    void report({ t: 'failed', message: e instanceof Error ? e.message : String(e) }).then(() => process.disconnect?.());
  });
});
// Ctrl-C reaches the whole process group; the primary decides when workers stop (so they can ship
// their last records first). If the primary dies, cluster ends this worker on disconnect.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
void report({ t: 'hello' });
