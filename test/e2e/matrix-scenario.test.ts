import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poissonLower, rateRatioBounds } from '../../harness/analysis/index.js';
import { projectRoot } from '../../harness/paths.js';
import type { RunReport } from '../../harness/report/index.js';
import { loadScenario } from '../../harness/scenario/load-scenario.js';
import { runFirmlab } from './run-firmlab.js';

// Needs the emulator image and build/firmware with both fixture models
// (make test builds both first). Four labs, two at a time.
const SCENARIO = join(projectRoot(), 'scenarios/homeshield-matrix.yaml');
const DOMAIN = '*.safethings.avira.com';
const MODELS = {
  'archer-ax55v1': { firmware: 'Archer AX55 v1', old: '1.0.7', new: '1.0.9', buggyPerS: 0.8 },
  'deco-x20v1': { firmware: 'Deco X20 v1', old: '1.1.2', new: '1.1.5', buggyPerS: 0.9 },
} as const;
const IDS = Object.keys(MODELS).flatMap((m) => [`${m}/old`, `${m}/new`]);
const modelOf = (buildId: string) => buildId.split('/')[0]!;

describe('homeshield-matrix.yaml: every expectation can decide at the fixtures\' rates', () => {
  // Pure: guards the window lengths against edits that would make a run
  // inconclusive by design. The comparison is the most demanding: it needs
  // 17 old queries against 0 new, so it holds down to 85% of the old
  // Archer's nominal rate in 25 s.
  it('old builds: the positive control and the comparison pass at 85% of the nominal rate', async () => {
    const s = await loadScenario(SCENARIO);
    const windowS = (as: string) => {
      const o = s.steps.find((step) => step.kind === 'observe' && step.as === as);
      if (o?.kind !== 'observe') throw new Error(`no window ${as}`);
      return o.forMs / 1000;
    };
    const disabled = windowS('disabled');
    for (const m of Object.values(MODELS)) {
      const k = Math.floor(0.85 * m.buggyPerS * disabled);
      for (const e of s.expect) {
        if (e.kind === 'minPerDay' && e.window === 'disabled') {
          expect((poissonLower(k) / disabled) * 86_400, `${m.firmware} min_per_day`).to.be.above(e.minPerDay);
        }
        if (e.kind === 'newAtMost') {
          expect(rateRatioBounds(0, disabled, k, disabled).upper, `${m.firmware} compare`).to.be.below(e.newAtMost);
        }
      }
    }
    // The new builds' liveness: one query per name and TTL (5 s) gives at least 3 in the window.
    const minLive = s.expect.find((e) => e.kind === 'minPerDay' && e.window === 'enabled');
    if (minLive?.kind !== 'minPerDay') throw new Error('no liveness expectation');
    expect((poissonLower(2) / windowS('enabled')) * 86_400).to.be.above(minLive.minPerDay);
    expect(windowS('enabled')).to.be.above(5 + 1);
  });
});

describe('e2e: the HomeShield matrix scenario, two models x old/new', function () {
  this.timeout(600_000);
  let dir: string;
  let result: Awaited<ReturnType<typeof runFirmlab>>;
  let report: RunReport;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firmlab-e2e-matrix-'));
    result = await runFirmlab(['run', SCENARIO, '--report-dir', dir, '--parallel', '2']);
    report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('exits 0 with every verdict passing and all four builds run', () => {
    expect(result.exitCode, result.stderr.slice(-3000)).to.equal(0);
    expect(report.builds.map((b) => b.build).sort()).to.deep.equal([...IDS].sort());
    for (const b of report.builds) expect(b.ok, `${b.build}: ${b.error?.message}`).to.equal(true);
    expect(report.analysis.summary).to.include({ total: 12, passed: 12, failed: 0, inconclusive: 0, errors: 0 });
  });

  it('judges each model on its own builds only', () => {
    const perModel = new Map<string, number>();
    for (const v of report.analysis.verdicts) {
      const e = v.expectation as { build?: string; compare?: { old: string; new: string } };
      const refs = e.compare ? [e.compare.old, e.compare.new] : [e.build!];
      const models = new Set(refs.map(modelOf));
      expect(models.size, v.message).to.equal(1);
      for (const r of refs) expect(IDS, v.message).to.include(r);
      const m = [...models][0]!;
      if (e.compare) expect([e.compare.old, e.compare.new], v.message).to.deep.equal([`${m}/old`, `${m}/new`]);
      perModel.set(m, (perModel.get(m) ?? 0) + 1);
    }
    expect(Object.fromEntries(perModel)).to.deep.equal({ 'archer-ax55v1': 6, 'deco-x20v1': 6 });
  });

  it('shows the bug on each old build and none on each new build', () => {
    const row = (build: string, window: string) =>
      report.analysis.windowStats.find((w) => w.build === build && w.window === window && w.domain === DOMAIN)!;
    for (const m of Object.keys(MODELS)) {
      expect(row(`${m}/old`, 'disabled').count, `${m}/old disabled`).to.be.at.least(11);
      expect(row(`${m}/new`, 'disabled').count, `${m}/new disabled`).to.equal(0);
      expect(row(`${m}/new`, 'enabled').count, `${m}/new enabled`).to.be.at.least(2);
    }
  });

  it('booted the right firmware in each lab: console banner, version, and the Deco\'s own query name', async () => {
    for (const b of report.builds) {
      const [m, side] = b.build.split('/') as [keyof typeof MODELS, 'old' | 'new'];
      const { firmware, [side]: version } = MODELS[m];
      const consoleLog = await readFile(join(b.runDir, 'console.log'), 'utf8');
      expect(consoleLog, b.build).to.include(`firmware: ${firmware} ${version} Build `);
      expect(consoleLog, b.build).to.include(`homeshield: started version=${version} `);
      const names = (await readFile(join(b.runDir, 'dns.jsonl'), 'utf8')).trim().split('\n')
        .map((l) => (JSON.parse(l) as { name: string }).name);
      expect(names.includes('deco-cloud.safethings.avira.com'), b.build).to.equal(m === 'deco-x20v1');
    }
  });

  it('renders report.html with one timeline per build', async () => {
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    const timelines = [...html.matchAll(/class="timeline" data-build="([^"]+)"/g)].map((x) => x[1]);
    expect(timelines.sort()).to.deep.equal([...IDS].sort());
  });
});
