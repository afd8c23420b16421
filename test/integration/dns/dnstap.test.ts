import { expect } from 'chai';
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DnsQueryRecord } from '../../../harness/dns/dns-query-record.js';
import { DnsRecorder } from '../../../harness/dns/dns-recorder.js';
import { encodeQuery } from '../../../harness/dns/dns-codec.js';
import { createSocket } from 'node:dgram';
import { dig } from './dig-client.js';

/**
 * dns.dnstap read back by BIND's own reader (dnstap-read, Debian's
 * bind9-dnsutils): every query dns.jsonl holds is in it, over UDP and TCP,
 * IPv4 and IPv6, answered or dropped, with the answer where one was sent.
 */
describe('dns.dnstap, read back with dnstap-read', function () {
  this.timeout(60_000);
  let dir: string;
  let jsonl: DnsQueryRecord[];
  let readBack: string;
  let yaml: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firmlab-dnstap-'));
    const rec = await DnsRecorder.start({
      listen: [{ host: '127.0.0.1', port: 0 }, { host: '::1', port: 0 }], logFile: join(dir, 'dns.jsonl'), dnstapFile: join(dir, 'dns.dnstap'), seed: 1,
      rules: [
        { match: '*.safethings.avira.com', answers: [{ type: 'A', data: '203.0.113.10' }], ttl: 300 },
        { match: 'drop.example', answers: [], fault: 'drop' },
      ],
    });
    const [v4, v6] = rec.addresses();
    await dig(v4!.port, ['+norec', '+tries=1', 'dfp.safethings.avira.com', 'A']);
    await dig(v4!.port, ['+tcp', 'q1.safethings.avira.com', 'AAAA']);
    await dig(v6!.port, ['+norec', 'v6.safethings.avira.com', 'TXT'], 'dig', '::1');
    await dig(v4!.port, ['+tries=1', '+timeout=1', 'drop.example', 'A']);
    await rec.stop();
    jsonl = (await readFile(join(dir, 'dns.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as DnsQueryRecord);
    readBack = (await execa('dnstap-read', [join(dir, 'dns.dnstap')])).stdout;
    yaml = (await execa('dnstap-read', ['-y', join(dir, 'dns.dnstap')])).stdout;
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('holds a client query for every query in dns.jsonl, with its transport, name and type', () => {
    expect(jsonl.length).to.be.at.least(4);
    const queries = readBack.split('\n').filter((l) => / CQ /.test(l));
    expect(queries).to.have.length(jsonl.length);
    for (const q of jsonl) {
      const line = queries.find((l) => l.includes(`${q.nameAsSent}/IN/${q.type}`) && l.includes(q.transport.toUpperCase()));
      expect(line, `${q.transport} ${q.name} ${q.type}`).to.not.equal(undefined);
      expect(line).to.contain(` ${q.client.address}:${q.client.port} -> `);
    }
  });

  it('holds the answer sent for every answered query, none for the dropped one', () => {
    const responses = readBack.split('\n').filter((l) => / CR /.test(l));
    expect(responses).to.have.length(jsonl.filter((q) => q.response !== null).length);
    expect(responses.some((l) => l.includes('drop.example'))).to.equal(false);
    // Each answer decodes as a DNS message (over TCP without its length prefix): BIND prints its question.
    for (const l of responses) expect(l, l).to.match(/ [a-z0-9.]+\/IN\/[A-Z]+$/);
    expect(yaml).to.contain('203.0.113.10');
    expect(yaml).to.contain('socket_protocol: TCP');
    expect(yaml).to.contain('socket_family: INET6');
  });

  it('keeps a query whose record is logged after the sockets closed (the lab going down mid-lookup) in both files', async () => {
    const d = await mkdtemp(join(tmpdir(), 'firmlab-dnstap-late-'));
    try {
      // The resolver lookup answers only after stop() has closed the sockets.
      const rec = await DnsRecorder.start({
        listen: [{ host: '127.0.0.1', port: 0 }], logFile: join(d, 'dns.jsonl'), dnstapFile: join(d, 'dns.dnstap'),
        originalDestination: () => new Promise((resolve) => setTimeout(() => resolve(undefined), 300)),
      });
      const sock = createSocket('udp4');
      await new Promise<void>((resolve) => sock.send(encodeQuery({ id: 7, name: 'late.example' }), rec.addresses()[0]!.port, '127.0.0.1', () => resolve()));
      await new Promise((r) => setTimeout(r, 100));
      sock.close();
      await rec.stop();
      const lines = (await readFile(join(d, 'dns.jsonl'), 'utf8')).trim().split('\n');
      expect(lines).to.have.length(1);
      const tap = (await execa('dnstap-read', [join(d, 'dns.dnstap')])).stdout;
      expect(tap).to.match(/ CQ 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+ UDP \d+b late\.example\/IN\/A/);
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  });
});
