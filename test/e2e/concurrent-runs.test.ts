import { expect } from 'chai';
import { execa } from 'execa';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE_FORMAT } from '../../harness/firmware/firmware-cache.js';
import type { RunReport } from '../../harness/report/index.js';
import { quietScenario, runFirmlab } from './run-firmlab.js';

/*
 * Two CI jobs on one runner, or a developer's run beside a nightly one: two
 * `firmlab run` processes at once must both complete, with their own
 * subnets, containers and report directories, and neither may remove the
 * other's labs (each firmlab start reaps only what dead processes left).
 * Both boot the same firmware from one empty firmware cache, so both
 * unpack it at the same moment: the cache must take the race.
 * (The sharded matrix e2e runs shards at once too, with different firmware.)
 */
const scenario = (name: string) => quietScenario(name, { bootTimeout: '60s', observe: '10s' });

describe('e2e: two firmlab runs at once on one machine', function () {
  this.timeout(600_000);

  it('both complete and pass, each in its own network and report directory, and leave nothing behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firmlab-e2e-concurrent-'));
    const files = await Promise.all(['first', 'second'].map(async (n) => {
      const f = join(dir, `${n}.yaml`);
      await writeFile(f, scenario(n));
      return f;
    }));
    const env = { FIRMLAB_CACHE_DIR: join(dir, 'cache') };
    const [a, b] = await Promise.all(files.map((f, i) => runFirmlab(['run', f, '--report-dir', join(dir, `report-${i}`)], { env })));
    expect(a!.exitCode, a!.stdout + a!.stderr.slice(-1500)).to.equal(0);
    expect(b!.exitCode, b!.stdout + b!.stderr.slice(-1500)).to.equal(0);
    const reports = await Promise.all([0, 1].map(async (i) => JSON.parse(await readFile(join(dir, `report-${i}`, 'report.json'), 'utf8')) as RunReport));
    expect(reports.map((r) => r.scenario.name)).to.deep.equal(['first', 'second']);
    expect(reports.map((r) => r.analysis.verdicts.map((v) => v.status))).to.deep.equal([['pass'], ['pass']]);
    // The two labs overlapped in time: each was live while the other ran.
    const spans = reports.map((r) => [r.startedAtMs, r.finishedAtMs] as const);
    expect(Math.max(spans[0]![0], spans[1]![0])).to.be.below(Math.min(spans[0]![1], spans[1]![1]));
    // Each lab had its own network: run.json keeps the subnet it was given.
    const labs = await Promise.all(reports.map(async (r) => JSON.parse(await readFile(join(r.builds[0]!.runDir, 'run.json'), 'utf8')) as { network: { name: string; subnet: string } }));
    expect(labs[0]!.network.subnet).to.not.equal(labs[1]!.network.subnet);
    expect(labs[0]!.network.name).to.not.equal(labs[1]!.network.name);
    // One cache entry, complete, and no temporary directory of the losing unpack left.
    const entries = await readdir(join(dir, 'cache', `v${CACHE_FORMAT}`));
    expect(entries.filter((e) => !e.startsWith('.'))).to.have.length(1);
    expect(entries.filter((e) => e.includes('tmp'))).to.deep.equal([]);
    for (const r of [a!, b!]) {
      const left = await execa('docker', ['ps', '-a', '--filter', `label=firmlab.owner.pid=${r.pid}`, '--format', '{{.Names}}']);
      expect(left.stdout).to.equal('');
    }
    await rm(dir, { recursive: true, force: true });
  });
});
