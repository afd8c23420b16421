import { expect } from 'chai';
import { join } from 'node:path';
import { projectRoot } from '../../../harness/paths.js';
import { loadScenario } from '../../../harness/scenario/load-scenario.js';
import { plan } from '../../../harness/scenario/plan.js';

const fixtures = join(projectRoot(), 'test', 'fixtures', 'scenarios');

describe('plan', () => {
  it('makes one job per matrix model and build, old before new, skipping absent builds', async () => {
    const p = plan(await loadScenario(join(fixtures, 'good-matrix.yaml')));
    expect(p.scenario).to.equal('fixture-matrix');
    expect(p.jobs.map((j) => j.id)).to.deep.equal(['archer-ax55v1/old', 'archer-ax55v1/new', 'deco-x20/new']);
    expect(p.jobs.map((j) => j.firmware)).to.deep.equal([join(fixtures, 'fw/ax55-old.bin'), join(fixtures, 'fw/ax55-new.bin'), '/abs/deco-new.bin']);
    for (const job of p.jobs) {
      expect(job.kernel).to.equal('armhf');
      expect(job.limits).to.deep.equal({ bootTimeoutMs: 120_000, stepTimeoutMs: 90_000, totalTimeoutMs: 3_600_000 });
      expect(job.steps).to.have.length(11);
      expect(job.upstream[1]).to.deep.equal({ match: 'fail.example', answers: [{ type: 'A', data: '203.0.113.11' }], fault: 'servfail', ttl: 300, delayMs: 2000, failRatio: 0.5 });
    }
    expect(p.expect).to.have.length(4);
  });

  it('uses the bare build name as id when no model is named', async () => {
    const p = plan(await loadScenario(join(fixtures, 'good-minimal.yaml')));
    expect(p.jobs.map((j) => [j.id, j.model, j.build])).to.deep.equal([
      ['old', undefined, 'old'],
      ['new', undefined, 'new'],
    ]);
  });

  it('is pure: the same scenario gives an equal plan and is left unchanged', async () => {
    const s = await loadScenario(join(fixtures, 'good-matrix.yaml'));
    const before = JSON.stringify(s);
    expect(plan(s)).to.deep.equal(plan(s));
    expect(JSON.stringify(s)).to.equal(before);
  });
});
