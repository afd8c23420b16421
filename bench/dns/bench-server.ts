/**
 * The recorder alone in its own process for benchmarks: prints `{"port":N}` on
 * stdout once listening, records to the log file given as argv[2], and on
 * SIGTERM stops, flushes and prints `{"queries":N,"malformed":M}`.
 */
import { DnsRecorder } from '../../harness/dns/dns-recorder.js';

const logFile = process.argv[2];
const rec = await DnsRecorder.start({
  listen: [{ host: '127.0.0.1', port: 0 }],
  rules: [{ match: '*.safethings.avira.com', answers: [{ type: 'A', data: '203.0.113.10' }], ttl: 300 }],
  ...(logFile ? { logFile } : {}),
  keepRecords: false,
});
let queries = 0;
let malformed = 0;
rec.on('query', () => queries++);
rec.on('malformed', () => malformed++);
process.stdout.write(JSON.stringify({ port: rec.addresses()[0]!.port }) + '\n');
process.once('SIGTERM', () => {
  void rec.stop().then(() => {
    process.stdout.write(JSON.stringify({ queries, malformed }) + '\n');
    process.exit(0);
  });
});
