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
    // The models x expectations grid: both models, every cell passed.
    const grid = /<table id="grid">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    expect([...grid.matchAll(/<tr data-model="([^"]+)"/g)].map((m) => m[1])).to.deep.equal(Object.keys(MODELS));
    expect([...grid.matchAll(/<td class="(\w+)"/g)].map((m) => m[1])).to.deep.equal(new Array(12).fill('pass'));
  });

  /*
   * The nightly at lab scale (#11): the same matrix split in 2 and in 3,
   * each split's shards run at once as separate `firmlab run` processes (two
   * CI jobs on one runner: their own subnets, containers and report
   * directories, neither reaping the other's labs), then merged. The merged
   * verdicts must be the unsharded run's: same expectation, build, status.
   */
  const verdictKeys = (r: RunReport) => r.analysis.verdicts.map((v) => JSON.stringify([v.expectation, v.status])).sort();
  for (const total of [2, 3]) {
    it(`split in ${total} shards run at once and merged: the same verdicts as the unsharded run`, async () => {
      const runId = `e2e-matrix-${total}-${Date.now()}`;
      const shardDirs = Array.from({ length: total }, (_, i) => join(dir, `split-${total}`, `shard-${i + 1}`));
      const shards = await Promise.all(shardDirs.map((d, i) => runFirmlab(['run', SCENARIO, '--shard', `${i + 1}/${total}`, '--run-id', runId, '--report-dir', d, '--parallel', '1'])));
      const shardReports = await Promise.all(shardDirs.map(async (d) => JSON.parse(await readFile(join(d, 'report.json'), 'utf8')) as RunReport));
      for (const [i, r] of shards.entries()) expect(r.exitCode, `shard ${i + 1}: ${r.stderr.slice(-2000)}`).to.equal(0);
      // Every unit ran on exactly one shard; a shard with no unit still wrote its report.
      expect(shardReports.flatMap((r) => r.builds.map((b) => b.build)).sort()).to.deep.equal([...IDS].sort());
      const busy = shardReports.filter((r) => r.builds.length > 0);
      expect(busy).to.have.length(2);
      // The two busy shards overlapped in time, each in its own lab network.
      expect(Math.max(busy[0]!.startedAtMs, busy[1]!.startedAtMs)).to.be.below(Math.min(busy[0]!.finishedAtMs, busy[1]!.finishedAtMs));
      const nets = await Promise.all(busy.map(async (r) => (JSON.parse(await readFile(join(r.builds[0]!.runDir, 'run.json'), 'utf8')) as { network: { name: string; subnet: string } }).network));
      expect(nets[0]!.subnet).to.not.equal(nets[1]!.subnet);
      expect(nets[0]!.name).to.not.equal(nets[1]!.name);

      const merged = join(dir, `merged-${total}`);
      const m = await runFirmlab(['merge-reports', ...shardDirs, '--report-dir', merged]);
      expect(m.exitCode, m.stderr.slice(-2000)).to.equal(0);
      const mergedReport = JSON.parse(await readFile(join(merged, 'report.json'), 'utf8')) as RunReport;
      expect(verdictKeys(mergedReport)).to.deep.equal(verdictKeys(report));
      expect(mergedReport.builds.map((b) => b.build)).to.deep.equal(report.builds.map((b) => b.build));
      expect(mergedReport.run).to.include({ id: runId });
      const html = await readFile(join(merged, 'report.html'), 'utf8');
      expect([...html.matchAll(/class="timeline" data-build="([^"]+)"/g)].map((x) => x[1]).sort()).to.deep.equal([...IDS].sort());
      expect(await readFile(join(merged, 'archer-ax55v1-old', 'console.log'), 'utf8')).to.include('firmware: Archer AX55 v1 1.0.7 Build ');
    });
  }
});
