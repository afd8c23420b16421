import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProbeName } from '../../harness/analysis/index.js';
import type { RunReport } from '../../harness/report/index.js';
import { loadScenario } from '../../harness/scenario/load-scenario.js';
import { domainPatternFor } from '../../harness/scenario/starter-scenario.js';
import { fixture, runFirmlab } from './run-firmlab.js';

/*
 * "I have a .bin" to a green check (#13): `firmlab init` boots the fixture
 * Archer AX55 1.0.7 once (the buggy build: it resolves Avira names on its
 * own, no setting changed), writes a starter scenario from what it saw, and
 * `firmlab run` of that file as written passes.
 */
describe('e2e: firmlab init, then run what it wrote', function () {
  this.timeout(600_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firmlab-e2e-init-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('writes a scenario from one boot whose expectations name what the baseline contacted, and it passes', async () => {
    const out = join(dir, 'archer.yaml');
    const init = await runFirmlab(['init', fixture('archer-ax55v1-1.0.7.bin'), '--out', out, '--observe', '15s'], { cwd: dir });
    expect(init.exitCode, init.stderr.slice(-2000)).to.equal(0);
    expect(init.stdout.trim()).to.equal(out);

    const s = await loadScenario(out);
    expect(s.models[0]!.firmware.new).to.equal(fixture('archer-ax55v1-1.0.7.bin'));
    expect(s.lab.profile).to.deep.equal({ profile: 'fixture' });
    const baseline = JSON.parse(await readFile(join(dir, '.firmlab', 'init', 'archer-ax55v1-1-0-7', 'report.json'), 'utf8')) as RunReport;
    const seen = (baseline.analysis.names.find((n) => n.window === 'baseline')?.names ?? []).map((n) => n.name).filter((n) => !isProbeName(n));
    expect(seen.some((n) => n.endsWith('.safethings.avira.com')), seen.join(', ')).to.equal(true);
    const domains = s.expect.map((e) => (e as { domain: string }).domain);
    expect(domains.sort()).to.deep.equal([...new Set(seen.map(domainPatternFor))].sort());
    const text = await readFile(out, 'utf8');
    for (const n of seen) expect(text).to.contain(`#   ${n}: `);

    const run = await runFirmlab(['run', out, '--report-dir', join(dir, 'run')], { cwd: dir });
    expect(run.exitCode, run.stdout + run.stderr.slice(-2000)).to.equal(0);
  });

  it('refuses to overwrite a scenario without --force, and a file that is not there', async () => {
    const out = join(dir, 'archer.yaml');
    const again = await runFirmlab(['init', fixture('archer-ax55v1-1.0.7.bin'), '--out', out], { cwd: dir });
    expect(again.exitCode).to.equal(64);
    expect(again.stderr).to.match(/FIRMLAB_USAGE: .*archer\.yaml exists; --force to replace it/);
    const missing = await runFirmlab(['init', join(dir, 'nope.bin')], { cwd: dir });
    expect(missing.exitCode).to.equal(64);
    expect(missing.stderr).to.match(/nope\.bin: no such firmware file/);
  });
});
