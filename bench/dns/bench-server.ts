/**
 * The lab's recorder alone in its own process for benchmarks: prints
 * `{"port":N,"pids":[N]}` on stdout once listening, records to the log file
 * given as argv[2], and on SIGTERM stops, flushes and prints
 * `{"queries":N,"malformed":M}`.
 */
import { DnsRecorder } from '../../harness/dns/dns-recorder.js';

const logFile = process.argv[2];
const options = {
  listen: [{ host: '127.0.0.1', port: 0 }],
  rules: [{ match: '*.safethings.avira.com', answers: [{ type: 'A' as const, data: '203.0.113.10' }], ttl: 300 }],
  ...(logFile ? { logFile } : {}),
  keepRecords: false,
};
// Counts come from the recorder, not from `query` listeners, so the figures include no subscriber's cost.
const rec = await DnsRecorder.start(options);
rec.on('error', (e) => process.stderr.write(`bench-server: ${e instanceof Error ? e.message : String(e)}\n`));
process.stdout.write(JSON.stringify({ port: rec.addresses()[0]!.port, pids: [process.pid] }) + '\n');
process.once('SIGTERM', () => {
  void rec.stop().then(() => {
    process.stdout.write(JSON.stringify(rec.counts) + '\n');
    process.exit(0);
  });
});
