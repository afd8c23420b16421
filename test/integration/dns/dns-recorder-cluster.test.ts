import { expect } from 'chai';
import { createSocket } from 'node:dgram';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMessage, encodeQuery } from '../../../harness/dns/dns-codec.js';
import type { DnsQueryRecord } from '../../../harness/dns/dns-query-record.js';
import { DnsRecorderCluster } from '../../../harness/dns/dns-recorder-cluster.js';
import type { DnsRule } from '../../../harness/dns/dns-rule.js';
import { dig } from './dig-client.js';

const rules: DnsRule[] = [{ match: '*.safethings.avira.com', answers: [{ type: 'A', data: '203.0.113.10' }], ttl: 300 }];

/** Sends one UDP query per name (ids 0..n-1, a window at a time) and returns each answer's first A record by name. */
async function queryAll(port: number, names: string[], window = 200): Promise<Map<string, string[]>> {
  const sock = createSocket('udp4');
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  const answers = new Map<string, string[]>();
  let resolveOne: (() => void) | undefined;
  sock.on('message', (msg) => {
    const m = decodeMessage(msg);
    const name = names[m.id]!;
    answers.set(name, [...(answers.get(name) ?? []), ...m.answers.map((a) => String(a.data))]);
    resolveOne?.();
  });
  try {
    for (let start = 0; start < names.length; start += window) {
      const batch = names.slice(start, start + window);
      batch.forEach((name, i) => sock.send(encodeQuery({ id: start + i, name }), port, '127.0.0.1'));
      // Loopback UDP into an 8 MiB buffer: nothing is lost at this size; a resend would hide a bug.
      const giveUp = Date.now() + 10_000;
      while (Date.now() < giveUp && batch.some((n) => !answers.has(n))) {
        await new Promise<void>((r) => {
          resolveOne = r;
          setTimeout(r, 50);
        });
      }
    }
  } finally {
    sock.close();
  }
  return answers;
}

describe('DnsRecorderCluster (--workers N)', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firmlab-dns-cluster-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers and records every query exactly once across 2 workers; the log and dns.jsonl agree after stop', async () => {
    const logFile = join(dir, 'dns.jsonl');
    const rec = await DnsRecorderCluster.start({ listen: [{ host: '127.0.0.1', port: 0 }], rules, workers: 2, logFile });
    const seen: DnsQueryRecord[] = [];
    rec.on('query', (r) => seen.push(r));
    const port = rec.addresses()[0]!.port;
    expect(rec.pids()).to.have.length(2);
    const names = Array.from({ length: 3000 }, (_, i) => (i % 2 ? `n${i}.safethings.avira.com` : `n${i}.bench.example`));
    const answers = await queryAll(port, names);
    const tcp = await dig(port, ['+tcp', 'over-tcp.safethings.avira.com']);
    await rec.stop();

    expect(names.filter((n) => !answers.has(n)).slice(0, 5)).to.deep.equal([]);
    expect(answers.size).to.equal(names.length);
    for (const [i, name] of names.entries()) expect(answers.get(name), name).to.deep.equal([i % 2 ? '203.0.113.10' : '198.51.100.1']);
    expect(tcp.answers).to.deep.equal(['A 203.0.113.10']);

    const recorded = rec.records.filter((r): r is DnsQueryRecord => r.kind === 'dns-query');
    const counts = new Map<string, number>();
    for (const r of recorded) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
    for (const name of [...names, 'over-tcp.safethings.avira.com']) expect(counts.get(name), name).to.equal(1);
    expect(recorded).to.have.length(names.length + 1);
    expect(rec.counts).to.deep.equal({ queries: names.length + 1, malformed: 0 });
    expect(seen).to.deep.equal(recorded);
    const lines = (await readFile(logFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as DnsQueryRecord);
    expect(lines).to.deep.equal(recorded);
    expect(rec.failures).to.deep.equal([]);
  });

  it('flush() makes everything logged so far reach dns.jsonl while running', async () => {
    const logFile = join(dir, 'dns.jsonl');
    const rec = await DnsRecorderCluster.start({ listen: [{ host: '127.0.0.1', port: 0 }], rules, workers: 2, logFile, shipEveryMs: 60_000 });
    try {
      await queryAll(rec.addresses()[0]!.port, ['a.safethings.avira.com', 'b.example']);
      await rec.flush();
      const names = (await readFile(logFile, 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as DnsQueryRecord).name);
      expect(names.sort()).to.deep.equal(['a.safethings.avira.com', 'b.example']);
    } finally {
      await rec.stop();
    }
  });

  it('a rules swap reaches every worker before setRules resolves', async () => {
    const rec = await DnsRecorderCluster.start({ listen: [{ host: '127.0.0.1', port: 0 }], rules, workers: 2 });
    try {
      const port = rec.addresses()[0]!.port;
      await rec.setRules([{ match: '*.safethings.avira.com', answers: [{ type: 'A', data: '192.0.2.7' }], ttl: 5 }]);
      const names = Array.from({ length: 1000 }, (_, i) => `s${i}.safethings.avira.com`);
      const answers = await queryAll(port, names);
      const got = new Set([...answers.values()].flat());
      expect([...got]).to.deep.equal(['192.0.2.7']);
      await rec.flush();
      const rulesSeen = new Set(rec.records.map((r) => (r.kind === 'dns-query' ? r.response?.answers[0]?.data : undefined)));
      expect([...rulesSeen]).to.deep.equal(['192.0.2.7']);
    } finally {
      await rec.stop();
    }
  });

  it('reports a worker that dies (FIRMLAB_DNS_WORKER_FAILED) and keeps answering with the others', async () => {
    const rec = await DnsRecorderCluster.start({ listen: [{ host: '127.0.0.1', port: 0 }], rules, workers: 2 });
    try {
      const errors: unknown[] = [];
      rec.on('error', (e) => errors.push(e));
      const victim = rec.pids()[1]!;
      process.kill(victim, 'SIGKILL');
      for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(errors).to.have.length(1);
      expect(errors[0]).to.have.property('code', 'FIRMLAB_DNS_WORKER_FAILED');
      expect((errors[0] as Error).message).to.contain(`pid ${victim}`).and.contain('SIGKILL');
      expect(rec.failures).to.have.length(1);
      const answers = await queryAll(rec.addresses()[0]!.port, ['after.safethings.avira.com']);
      expect(answers.get('after.safethings.avira.com')).to.deep.equal(['203.0.113.10']);
    } finally {
      await rec.stop();
    }
    expect(rec.records.map((r) => (r.kind === 'dns-query' ? r.name : ''))).to.include('after.safethings.avira.com');
  });
});
