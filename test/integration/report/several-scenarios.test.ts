import { expect } from 'chai';
import { execa } from 'execa';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { projectRoot } from '../../../harness/paths.js';
import { loadScenario } from '../../../harness/scenario/load-scenario.js';
import { runScenarios } from '../../../harness/scenario/runner.js';
import { placeUnits, runUnits } from '../../../harness/scenario/shard.js';

/*
 * `firmlab run a.yaml b.yaml --junit F --ctrf G`: F and G hold both
 * scenarios, not the last one. A shard that runs none of their builds
 * still writes a report per scenario, so this needs no lab.
 */
describe('one run of several scenario files: one --junit and one --ctrf file for all of them', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'firmlab-several-')); });
  after(() => rm(dir, { recursive: true, force: true }));

  it('writes a suite per scenario into the JUnit file and every scenario into the CTRF document', async () => {
    const files = ['homeshield-dns-request-logic.yaml', 'openwrt-ntp.yaml'].map((f) => join(projectRoot(), 'scenarios', f));
    const quiet = new PassThrough().resume();
    const junit = join(dir, 'all.xml');
    const ctrf = join(dir, 'all.json');
    // A shard none of the two scenarios' units is placed on: no lab boots (checked before anything runs).
    const total = 4;
    const placed = placeUnits(runUnits(await Promise.all(files.map((f) => loadScenario(f)))), total);
    const index = [1, 2, 3, 4].find((i) => !placed.some((u) => u.shard === i))!;
    expect(index, 'a shard with nothing to run').to.be.a('number');
    const reports = await runScenarios(files, {
      reportDir: join(dir, 'runs'), junitFile: junit, ctrfFile: ctrf, shard: { index, total }, runId: 'several-1',
      cwd: dir, env: { ...process.env, FIRMLAB_SNAPSHOTS: 'off' }, stdout: quiet, stderr: quiet,
    });
    expect(reports.map((r) => r.builds.length), 'this shard ran no build').to.deep.equal([0, 0]);
    expect((await readdir(join(dir, 'runs'))).sort()).to.deep.equal(['1', '2']);
    const names = (await execa('xmllint', ['--xpath', '//testsuite/@name', junit])).stdout;
    expect(names).to.contain('name="homeshield-dns-request-logic"').and.contain('name="openwrt-ntp"');
    const doc = JSON.parse(await readFile(ctrf, 'utf8')) as { results: { extra: { scenarios: { name: string }[] } } };
    expect(doc.results.extra.scenarios.map((s) => s.name)).to.deep.equal(['homeshield-dns-request-logic', 'openwrt-ntp']);
  });
});
