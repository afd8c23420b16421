import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { dnsServeCommand } from '../../../harness/cli/commands/dns-serve.js';
import { dig } from './dig-client.js';

describe('firmlab dns serve', function () {
  this.timeout(30_000);

  it('serves the rules file, logs per-second lines, and on abort prints a summary and exits 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firmlab-serve-'));
    try {
      const rulesFile = join(dir, 'rules.yaml');
      await writeFile(rulesFile, 'rules:\n  - { match: "*.safethings.avira.com", answer: 203.0.113.10, ttl: 300 }\n  - { match: fail.example, fault: servfail }\n');
      const port = 20000 + Math.floor(Math.random() * 20000);
      const stderr = new PassThrough();
      let err = '';
      stderr.on('data', (d: Buffer) => (err += d.toString()));
      const abort = new AbortController();
      const ctx = { stdout: new PassThrough(), stderr, env: {}, cwd: dir, signal: abort.signal };
      const done = dnsServeCommand.run({ values: { listen: [`127.0.0.1:${port}`], rules: rulesFile, log: join(dir, 'dns.jsonl') }, positionals: [] }, ctx);
      for (let i = 0; i < 50 && !err.includes('listening'); i++) await new Promise((r) => setTimeout(r, 50));
      expect((await dig(port, ['a.safethings.avira.com'])).answers).to.deep.equal(['A 203.0.113.10']);
      expect((await dig(port, ['+tries=1', 'fail.example'])).status).to.equal('SERVFAIL');
      for (let i = 0; i < 40 && !err.includes('q/s'); i++) await new Promise((r) => setTimeout(r, 50));
      abort.abort();
      expect(await done).to.equal(0);
      expect(err).to.match(/dns serve: \d+ q\/s, \d+ faulted, 0 malformed; top: /);
      expect(err).to.match(/stopped: 2 queries, 1 faulted, 0 malformed, 2 names/);
      expect((await readFile(join(dir, 'dns.jsonl'), 'utf8')).trim().split('\n')).to.have.length(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a bad --seed with a usage error', async () => {
    const ctx = { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: '/', signal: new AbortController().signal };
    const e = await dnsServeCommand.run({ values: { listen: ['127.0.0.1:0'], seed: 'two' }, positionals: [] }, ctx).catch((x: unknown) => x);
    expect(e).to.have.property('code', 'FIRMLAB_USAGE');
  });

  it('rejects a bad rules file with FIRMLAB_RULES_INVALID naming file and line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firmlab-serve-'));
    try {
      const rulesFile = join(dir, 'bad.yaml');
      await writeFile(rulesFile, 'rules:\n  - match: x.example\n    fault: servfial\n');
      const ctx = { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: dir, signal: new AbortController().signal };
      const e = await dnsServeCommand.run({ values: { listen: ['127.0.0.1:0'], rules: rulesFile }, positionals: [] }, ctx).catch((x: unknown) => x);
      expect(e).to.have.property('code', 'FIRMLAB_RULES_INVALID');
      expect((e as Error).message).to.contain(`${rulesFile}:3:`).and.contain('rules[0].fault');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
