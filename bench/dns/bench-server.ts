/**
 * The recorder alone in its own process for benchmarks: prints
 * `{"port":N,"pids":[...]}` on stdout once listening (this process, then any
 * workers), records to the log file given as argv[2], and on SIGTERM stops,
 * flushes and prints `{"queries":N,"malformed":M}`. argv[3] is the number of
 * workers: 0 (default) runs the in-process DnsRecorder the lab uses, N >= 1 the
 * DnsRecorderCluster with N workers.
 */
import { DnsRecorderCluster } from '../../harness/dns/dns-recorder-cluster.js';
import { DnsRecorder } from '../../harness/dns/dns-recorder.js';

const logFile = process.argv[2];
const workers = Number(process.argv[3] ?? 0);
const options = {
  listen: [{ host: '127.0.0.1', port: 0 }],
  rules: [{ match: '*.safethings.avira.com', answers: [{ type: 'A' as const, data: '203.0.113.10' }], ttl: 300 }],
  ...(logFile ? { logFile } : {}),
  keepRecords: false,
};
// Counts come from the recorder, not from `query` listeners, so the figures include no subscriber's cost.
const rec = workers > 0 ? await DnsRecorderCluster.start({ ...options, workers }) : await DnsRecorder.start(options);
rec.on('error', (e) => process.stderr.write(`bench-server: ${e instanceof Error ? e.message : String(e)}\n`));
const pids = [process.pid, ...(rec instanceof DnsRecorderCluster ? rec.pids() : [])];
process.stdout.write(JSON.stringify({ port: rec.addresses()[0]!.port, pids }) + '\n');
process.once('SIGTERM', () => {
  void rec.stop().then(() => {
    process.stdout.write(JSON.stringify(rec.counts) + '\n');
    process.exit(0);
  });
});
