import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DnsQueryRecord } from '../../../harness/dns/dns-query-record.js';
import { DnsRecorder } from '../../../harness/dns/dns-recorder.js';
import type { DnsRule } from '../../../harness/dns/dns-rule.js';
import { dig } from './dig-client.js';

const rules: DnsRule[] = [
  { match: '*.safethings.avira.com', answers: [{ type: 'A', data: '203.0.113.10' }], ttl: 300 },
  { match: 'big.example', answers: [{ type: 'TXT', data: 'x'.repeat(700) }], ttl: 60 },
  { match: 'fail.example', answers: [], fault: 'servfail' },
  { match: 'gone.example', answers: [], fault: 'nxdomain' },
  { match: 'no.example', answers: [], fault: 'refused' },
  { match: 'drop.example', answers: [], fault: 'drop' },
  { match: 'tc.example', answers: [{ type: 'A', data: '192.0.2.2' }], fault: 'truncate' },
  { match: 'slow.example', answers: [{ type: 'A', data: '192.0.2.3' }], delayMs: 1500 },
  { match: 'late.example', answers: [], fault: 'servfail', delayMs: 1000 },
];

const hasKdig = (() => {
  try {
    execFileSync('kdig', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('DnsRecorder with dig as the client', function () {
  this.timeout(30_000);
  let dir: string;
  let rec: DnsRecorder;
  let port: number;
  const queries = () => rec.records.filter((r): r is DnsQueryRecord => r.kind === 'dns-query');
  const last = (name: string) => queries().filter((r) => r.name === name).at(-1);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firmlab-dns-'));
    rec = await DnsRecorder.start({ listen: [{ host: '127.0.0.1', port: 0 }, { host: '::1', port: 0 }], rules, logFile: join(dir, 'dns.jsonl'), seed: 1 });
    port = rec.addresses()[0]!.port;
  });
  after(async () => {
    await rec.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers A over UDP by the first matching rule and records it', async () => {
    const r = await dig(port, ['+norec', 'A1.SafeThings.avira.com', 'A']);
    expect(r.status).to.equal('NOERROR');
    expect(r.answers).to.deep.equal(['A 203.0.113.10']);
    expect(last('a1.safethings.avira.com')).to.deep.include({ transport: 'udp', nameAsSent: 'A1.SafeThings.avira.com', type: 'A', rule: '*.safethings.avira.com' });
  });

  it('answers over TCP', async () => {
    const r = await dig(port, ['+tcp', 'x.safethings.avira.com']);
    expect(r.answers).to.deep.equal(['A 203.0.113.10']);
    expect(last('x.safethings.avira.com')?.transport).to.equal('tcp');
  });

  it('answers several queries on one TCP connection', async () => {
    const r = await dig(port, ['+tcp', '+keepopen', 'k1.safethings.avira.com', 'k2.safethings.avira.com', 'k3.example']);
    expect(r.raw.match(/status: NOERROR/g)).to.have.length(3);
    const ports = ['k1.safethings.avira.com', 'k2.safethings.avira.com', 'k3.example'].map((n) => last(n)?.client.port);
    expect(new Set(ports).size).to.equal(1);
  });

  it('sinkholes names no rule matches (A and AAAA) with a short TTL', async () => {
    expect((await dig(port, ['unknown.test', 'A'])).answers).to.deep.equal(['A 198.51.100.1']);
    expect((await dig(port, ['unknown.test', 'AAAA'])).answers).to.deep.equal(['AAAA 2001:db8::1']);
    expect(last('unknown.test')?.response?.ttl).to.equal(30);
  });

  it('passes EDNS through: OPT in the reply, client size recorded', async () => {
    const r = await dig(port, ['+bufsize=1400', 'e.safethings.avira.com']);
    expect(r.ednsUdp).to.equal(1232);
    expect(last('e.safethings.avira.com')?.ednsUdpSize).to.equal(1400);
    await dig(port, ['+noedns', 'n.safethings.avira.com']);
    expect(last('n.safethings.avira.com')).to.not.have.property('ednsUdpSize', 1400);
    expect(last('n.safethings.avira.com')?.ednsUdpSize).to.equal(undefined);
  });

  it('truncates an answer larger than the client UDP size; dig retries over TCP', async () => {
    const r = await dig(port, ['+bufsize=512', 'big.example', 'TXT']);
    expect(r.retriedTcp).to.equal(true);
    expect(r.status).to.equal('NOERROR');
    const both = queries().filter((q) => q.name === 'big.example').slice(-2);
    expect(both.map((q) => [q.transport, q.response?.truncated ?? false, q.response?.answers.length])).to.deep.equal([['udp', true, 0], ['tcp', false, 1]]);
  });

  it('the truncate fault forces a TCP retry, which is answered', async () => {
    const r = await dig(port, ['tc.example']);
    expect([r.retriedTcp, r.answers]).to.deep.equal([true, ['A 192.0.2.2']]);
    expect(queries().filter((q) => q.name === 'tc.example').map((q) => q.response?.fault)).to.deep.equal(['truncate', undefined]);
  });

  for (const [name, status, fault] of [['fail.example', 'SERVFAIL', 'servfail'], ['gone.example', 'NXDOMAIN', 'nxdomain'], ['no.example', 'REFUSED', 'refused']] as const) {
    it(`injects ${fault}`, async () => {
      expect((await dig(port, ['+tries=1', name])).status).to.equal(status);
      expect(last(name)?.response).to.deep.include({ rcode: status, fault });
    });
  }

  it('drops on purpose: the client times out, the query is recorded with a null response', async () => {
    const r = await dig(port, ['+tries=1', '+timeout=1', 'drop.example']);
    expect(r.timedOut).to.equal(true);
    expect(last('drop.example')?.response).to.equal(null);
  });

  it('delays the answer: seen by the client and in answerMs', async () => {
    const r = await dig(port, ['+tries=1', '+timeout=5', 'slow.example']);
    expect(r.answers).to.deep.equal(['A 192.0.2.3']);
    const q = last('slow.example')!;
    expect(q.response?.fault).to.equal('delay');
    expect(q.answerMs).to.be.at.least(1400);
  });

  it('delays a fault: SERVFAIL, sent after the rule\'s delay', async () => {
    const r = await dig(port, ['+tries=1', '+timeout=5', 'late.example']);
    expect(r.status).to.equal('SERVFAIL');
    const q = last('late.example')!;
    expect(q.response).to.deep.include({ rcode: 'SERVFAIL', fault: 'servfail' });
    expect(q.answerMs).to.be.at.least(900);
  });

  it('answers on the IPv6 listener', async () => {
    const v6 = rec.addresses()[1]!;
    const r = await dig(v6.port, ['six.safethings.avira.com'], 'dig', '::1');
    expect(r.answers).to.deep.equal(['A 203.0.113.10']);
    expect(last('six.safethings.avira.com')?.client.address).to.equal('::1');
  });

  it('swaps rules while running', async () => {
    rec.setRules([{ match: '*.safethings.avira.com', answers: [], fault: 'servfail' }]);
    try {
      expect((await dig(port, ['+tries=1', 'swap.safethings.avira.com'])).status).to.equal('SERVFAIL');
    } finally {
      rec.setRules(rules);
    }
    expect((await dig(port, ['swap.safethings.avira.com'])).status).to.equal('NOERROR');
  });

  (hasKdig ? it : it.skip)('answers kdig over UDP and TCP', async () => {
    const u = await dig(port, ['k.safethings.avira.com'], 'kdig');
    const t = await dig(port, ['+tcp', 'k.safethings.avira.com'], 'kdig');
    expect([u.status, t.status]).to.deep.equal(['NOERROR', 'NOERROR']);
    expect(queries().filter((q) => q.name === 'k.safethings.avira.com').map((q) => q.transport)).to.deep.equal(['udp', 'tcp']);
  });

  it('writes every record to dns.jsonl', async () => {
    await rec.flush();
    const lines = (await readFile(join(dir, 'dns.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as DnsQueryRecord);
    expect(lines.length).to.equal(rec.records.length);
    expect(lines.at(-1)).to.deep.equal(JSON.parse(JSON.stringify(rec.records.at(-1))));
  });
});

describe('DnsRecorder: where each query was sent (the originalDestination hook)', function () {
  this.timeout(30_000);
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'firmlab-dns-dst-')); });
  after(() => rm(dir, { recursive: true, force: true }));

  type Flow = { transport: string; client: { address: string; port: number }; local: { address: string; port: number } };
  type Answer = { address: string; port: number } | undefined;

  it('answers at once, and logs each query with the resolver the hook names, in arrival order', async () => {
    const flows: Flow[] = [];
    const gates: ((a: Answer) => void)[] = [];
    const logFile = join(dir, 'ordered.jsonl');
    await using rec = await DnsRecorder.start({
      listen: [{ host: '127.0.0.1', port: 0 }], logFile,
      originalDestination: (flow) => { flows.push(flow); return new Promise<Answer>((resolve) => gates.push(resolve)); },
    });
    const port = rec.addresses()[0]!.port;
    // Answered while the hook has not said anything yet: the guest never waits for the lab's bookkeeping.
    expect((await dig(port, ['first.example'])).status).to.equal('NOERROR');
    expect((await dig(port, ['+tcp', 'second.example'])).status).to.equal('NOERROR');
    expect(rec.records).to.have.length(0);
    gates[1]!({ address: '8.8.8.8', port: 53 });
    await new Promise((r) => setTimeout(r, 50));
    expect(rec.records, 'the second waits for the first').to.have.length(0);
    gates[0]!(undefined);
    await rec.flush();
    const logged = rec.records as DnsQueryRecord[];
    expect(logged.map((r) => [r.name, r.resolver])).to.deep.equal([['first.example', undefined], ['second.example', { address: '8.8.8.8', port: 53 }]]);
    expect(flows.map((f) => [f.transport, f.local.address, f.local.port])).to.deep.equal([['udp', '127.0.0.1', port], ['tcp', '127.0.0.1', port]]);
    expect(flows.map((f) => f.client.port)).to.deep.equal(logged.map((r) => r.client.port));
    const lines = (await readFile(logFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as DnsQueryRecord);
    expect(lines.map((l) => l.resolver)).to.deep.equal([undefined, { address: '8.8.8.8', port: 53 }]);
  });

  it('a hook that fails: the query is still logged, without a resolver, and the failure is an error event', async () => {
    const errors: unknown[] = [];
    await using rec = await DnsRecorder.start({
      listen: [{ host: '127.0.0.1', port: 0 }],
      originalDestination: () => { throw new Error('conntrack is gone'); },
    });
    rec.on('error', (e) => errors.push(e));
    await dig(rec.addresses()[0]!.port, ['third.example']);
    await rec.flush();
    expect(rec.records.map((r) => [r.kind, (r as DnsQueryRecord).resolver])).to.deep.equal([['dns-query', undefined]]);
    expect(errors.map((e) => (e as Error).message)).to.deep.equal(['conntrack is gone']);
  });
});
