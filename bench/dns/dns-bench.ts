/**
 * `make bench` (DNS): dnsperf against the recorder (own process, recording to
 * dns.jsonl) and against dnsmasq answering every name itself, same query file;
 * then 10,000 q/s for 30 s against the recorder, checking every query was recorded.
 * Prints figures; asserts nothing about time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

interface PerfResult {
  sent: number;
  completed: number;
  lost: number;
  qps: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.env.DNS_BENCH_SECONDS ?? 10);
const sustainedSeconds = Number(process.env.DNS_BENCH_SUSTAINED_SECONDS ?? 30);
const sustainedRate = Number(process.env.DNS_BENCH_RATE ?? 10_000);

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${out.slice(-500)}`))));
  });
}

function parsePerf(out: string): PerfResult {
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
  return {
    sent: num(/Queries sent:\s+(\d+)/),
    completed: num(/Queries completed:\s+(\d+)/),
    lost: num(/Queries lost:\s+(\d+)/),
    qps: num(/Queries per second:\s+([\d.]+)/),
  };
}

async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function startRecorder(logFile: string): Promise<{ child: ChildProcess; port: number; lines: AsyncIterator<string> }> {
  const child = spawn(process.execPath, [join(here, 'bench-server.js'), logFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  return { child, port: (JSON.parse(first.value as string) as { port: number }).port, lines };
}

async function stopRecorder(r: { child: ChildProcess; lines: AsyncIterator<string> }): Promise<{ queries: number; malformed: number }> {
  r.child.kill('SIGTERM');
  const last = await r.lines.next();
  return JSON.parse(last.value as string) as { queries: number; malformed: number };
}

async function startDnsmasq(port: number): Promise<ChildProcess> {
  const child = spawn('dnsmasq', ['--no-daemon', '--no-resolv', '--no-hosts', '--address=/#/198.51.100.1', '--cache-size=0',
    `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--conf-file=/dev/null', '--log-facility=/dev/null'], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try {
      await run('dig', ['@127.0.0.1', '-p', String(port), '+short', '+tries=1', '+timeout=1', 'probe.example']);
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error('dnsmasq did not answer');
}

async function countLines(file: string): Promise<number> {
  const text = await readFile(file, 'utf8').catch(() => '');
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'firmlab-dns-bench-'));
  try {
    const fixed = ['a1', 'a2', 'ts', 'cloud', 'update', 'time', 'ping', 'api'].map((l) => `${l}.safethings.avira.com A`);
    const queries = Array.from({ length: 100_000 }, (_, i) => (i % 2 === 0 ? fixed[(i / 2) % fixed.length]! : `u${i.toString(36)}.bench.example A`));
    const queryFile = join(dir, 'queries.txt');
    await writeFile(queryFile, queries.join('\n') + '\n');
    const perf = (port: number, extra: string[]) => run('dnsperf', ['-s', '127.0.0.1', '-p', String(port), '-d', queryFile, ...extra]).then(parsePerf);

    // Alternate the two servers and keep each one's best round: the machine may be shared.
    const rounds = Number(process.env.DNS_BENCH_ROUNDS ?? 2);
    let recMax: PerfResult | undefined;
    let recCount = { queries: 0, malformed: 0 };
    let masqMax: PerfResult | undefined;
    const dnsmasqPort = await freePort();
    for (let round = 0; round < rounds; round++) {
      const rec = await startRecorder(join(dir, `dns-max-${round}.jsonl`));
      const r = await perf(rec.port, ['-l', String(seconds), '-q', '500']);
      const counted = await stopRecorder(rec);
      if (recMax === undefined || r.qps > recMax.qps) [recMax, recCount] = [r, counted];
      const dnsmasq = await startDnsmasq(dnsmasqPort);
      const m = await perf(dnsmasqPort, ['-l', String(seconds), '-q', '500']);
      dnsmasq.kill('SIGTERM');
      await new Promise((resolve) => dnsmasq.once('exit', resolve));
      if (masqMax === undefined || m.qps > masqMax.qps) masqMax = m;
    }
    if (recMax === undefined || masqMax === undefined) throw new Error('DNS_BENCH_ROUNDS must be at least 1');

    const log = join(dir, 'dns-sustained.jsonl');
    const rec2 = await startRecorder(log);
    const sustained = await perf(rec2.port, ['-l', String(sustainedSeconds), '-Q', String(sustainedRate)]);
    const counted = await stopRecorder(rec2);
    const lines = await countLines(log);

    const f = (n: number) => Math.round(n).toLocaleString('en-US');
    const out = process.stdout;
    out.write(`dns bench: max throughput, best of ${rounds} alternating ${seconds}s rounds each, same query file (50% fixed safethings names, 50% unique labels)\n`);
    out.write(`  recorder (recording to dns.jsonl): ${f(recMax.qps)} q/s, sent ${f(recMax.sent)}, lost ${f(recMax.lost)}, recorded ${f(recCount.queries)}\n`);
    out.write(`  dnsmasq (--address=/#/, no cache): ${f(masqMax.qps)} q/s, sent ${f(masqMax.sent)}, lost ${f(masqMax.lost)}\n`);
    out.write(`  ratio recorder/dnsmasq: ${(recMax.qps / masqMax.qps).toFixed(2)}x (target >= 1.2x)\n`);
    out.write(`dns bench: sustained ${f(sustainedRate)} q/s for ${sustainedSeconds}s against the recorder\n`);
    out.write(`  achieved ${f(sustained.qps)} q/s, sent ${f(sustained.sent)}, completed ${f(sustained.completed)}, lost ${f(sustained.lost)} (target 0)\n`);
    out.write(`  records in dns.jsonl ${f(lines)}, missing vs sent ${f(sustained.sent - lines)} (target 0)\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
