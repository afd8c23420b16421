import { expect } from 'chai';
import { execa } from 'execa';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { analyzeRun, type DnsQuery } from '../../../harness/analysis/index.js';
import { mergeReportsCommand } from '../../../harness/cli/commands/merge-reports.js';
import { runCli } from '../../../harness/cli/run-cli.js';
import { projectRoot } from '../../../harness/paths.js';
import { reportJson, type RunReport } from '../../../harness/report/index.js';
import { mergeReports } from '../../../harness/report/merge-reports.js';
import { parseScenario } from '../../../harness/scenario/load-scenario.js';
import { plan } from '../../../harness/scenario/plan.js';
import { runIdentity } from '../../../harness/scenario/runner.js';
import type { Scenario } from '../../../harness/scenario/scenario.js';
import { toAnalysisExpectations } from '../../../harness/scenario/to-analysis.js';

// Shard reports made the way the runner makes them (its plan, its identity,
// analyzeRun over each shard's own builds), written to disk as shards'
// result directories, then merged; the unsharded analysis over all builds
// is the reference the merge must reproduce.
const FILE = join(projectRoot(), 'scenarios/homeshield-matrix.yaml');
const DOMAIN_NAME = 'dfp.safethings.avira.com';
const ENABLED = { startMs: 0, endMs: 8_000 };
const DISABLED = { startMs: 8_000, endMs: 33_000 };

/** Queries every `everyMs` in a span; the Deco's old build is made quiet while off, so its model fails. */
function queriesOf(build: string): DnsQuery[] {
  const at = (span: { startMs: number; endMs: number }, everyMs: number) =>
    Array.from({ length: Math.floor((span.endMs - span.startMs) / everyMs) }, (_, i) => span.startMs + i * everyMs + 100);
  const times = build.endsWith('/new') ? at(ENABLED, 2_500)
    : build === 'deco-x20v1/old' ? at(ENABLED, 1_000) : [...at(ENABLED, 1_000), ...at(DISABLED, 1_000)];
  return times.map((atMs) => ({ atMs, name: DOMAIN_NAME, type: 'A', response: { rcode: 'NOERROR', ttl: 5 } }));
}

function shardReport(s: Scenario, shard: { index: number; total: number }, dir: string, runId = 'nightly-1'): RunReport {
  const run = runIdentity([s], 0, { id: runId, shard, cwd: projectRoot() });
  const mine = new Set(run.units.filter((u) => u.shard === shard.index).map((u) => u.model));
  const jobs = plan(s).jobs.filter((j) => mine.has(j.model));
  const models = [...new Set(jobs.map((j) => j.model))];
  const analysis = analyzeRun({
    records: jobs.map((j) => ({ build: j.id, dns: queriesOf(j.id), egress: [] })),
    windows: jobs.flatMap((j) => [{ build: j.id, window: 'enabled', ...ENABLED, labLive: true }, { build: j.id, window: 'disabled', ...DISABLED, labLive: true }]),
  }, models.flatMap((m) => toAnalysisExpectations(s.expect, m)), { extraDomains: ['*'] });
  return {
    run, scenario: { name: s.name, file: s.file }, startedAtMs: 1000 * shard.index, finishedAtMs: 60_000 + shard.index, durationMs: 59_000, runDir: dir,
    builds: jobs.map((j) => ({
      build: j.id, runDir: join(dir, j.id.replace(/\//g, '-')), timings: {}, ok: true, queries: queriesOf(j.id).length,
      firmware: { path: j.firmware, sha256: `${j.id.length}`.padStart(64, 'a') },
    })),
    analysis, exitCode: analysis.summary.exitCode,
  };
}

async function writeShard(root: string, r: RunReport, name: string): Promise<string> {
  const dir = join(root, name);
  const report = { ...r, runDir: dir, builds: r.builds.map((b) => ({ ...b, runDir: join(dir, b.runDir.slice(r.runDir.length + 1)) })) };
  for (const b of report.builds) {
    await mkdir(b.runDir, { recursive: true });
    await writeFile(join(b.runDir, 'console.log'), `console of ${b.build}\n`);
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'report.json'), reportJson(report));
  return dir;
}

const verdictSet = (r: RunReport) => r.analysis.verdicts.map((v) => JSON.stringify([v.status, v.expectation, v.message]));

describe('report/merge-reports: shards joined into the run one machine would have made', () => {
  let root: string;
  let scenario: Scenario;
  let whole: RunReport;
  const silent = { stdout: new PassThrough(), stderr: new PassThrough() };

  before(async () => {
    scenario = parseScenario(await readFile(FILE, 'utf8'), FILE);
    whole = shardReport(scenario, { index: 1, total: 1 }, '/whole');
  });
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'firmlab-merge-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  for (const total of [2, 3]) {
    it(`a split in ${total} merges to the unsharded verdicts, tables, order and exit code`, async () => {
      const dirs = [];
      for (let i = 1; i <= total; i++) dirs.push(await writeShard(root, shardReport(scenario, { index: i, total }, `/s${i}`), `shard-${i}`));
      const out = join(root, 'merged');
      const [merged] = await mergeReports(dirs.reverse(), { reportDir: out, reporters: ['json', 'junit', 'html'], ...silent });
      const onDisk = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as RunReport;
      const reference = JSON.parse(reportJson(whole)) as RunReport;
      for (const r of [merged!, onDisk]) {
        expect(verdictSet(r)).to.deep.equal(verdictSet(reference));
        expect(r.analysis.summary).to.deep.equal(reference.analysis.summary);
        expect(r.builds.map((b) => b.build)).to.deep.equal(['archer-ax55v1/old', 'archer-ax55v1/new', 'deco-x20v1/old', 'deco-x20v1/new']);
        expect(r.analysis.windowStats).to.deep.equal(reference.analysis.windowStats);
        expect(r.analysis.timeline.map((t) => t.build)).to.deep.equal(reference.analysis.timeline.map((t) => t.build));
      }
      // The Deco's old build never showed the bug: its model fails, so the whole fails.
      expect(reference.exitCode).to.equal(1);
      expect(merged!.exitCode).to.equal(1);
      expect(onDisk.run).to.include({ id: 'nightly-1' });
      expect(onDisk.run.mergedFrom).to.have.length(total);
      // Artifacts come along, and the HTML links them where they now are.
      for (const b of onDisk.builds) {
        expect(b.runDir.startsWith(out)).to.equal(true);
        expect(await readFile(join(b.runDir, 'console.log'), 'utf8')).to.equal(`console of ${b.build}\n`);
      }
      const html = await readFile(join(out, 'report.html'), 'utf8');
      expect(html).to.contain('href="archer-ax55v1-old/console.log"');
      // The matrix overview: a row per model, a column per expectation of the scenario, the Deco's positive control failed.
      const grid = /<table id="grid">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
      const gridRows = [...grid.matchAll(/<tr data-model="([^"]+)">([\s\S]*?)<\/tr>/g)].map((m) => [m[1], [...m[2]!.matchAll(/<td class="(\w+)"/g)].map((c) => c[1])]);
      expect(gridRows.map((r) => r[0])).to.deep.equal(['archer-ax55v1', 'deco-x20v1']);
      for (const [, cells] of gridRows) expect(cells).to.have.length(scenario.expect.length);
      expect(gridRows[1]![1]![0]).to.equal('fail');
      expect(gridRows[0]![1]![0]).to.equal('pass');
      const junit = await readFile(join(out, 'junit.xml'), 'utf8');
      expect(junit.match(/<testcase /g)).to.have.length(reference.analysis.verdicts.length);
      const lint = await execa('xmllint', ['--noout', '--schema', join(projectRoot(), 'test/fixtures/schemas/junit-10.xsd'), join(out, 'junit.xml')], { reject: false });
      expect(lint.exitCode, lint.stderr).to.equal(0);
    });
  }

  it('exits with the code of the whole from the command line, and prints the table once', async () => {
    const dirs = [];
    for (let i = 1; i <= 2; i++) dirs.push(await writeShard(root, shardReport(scenario, { index: i, total: 2 }, `/s${i}`), `shard-${i}`));
    const out: string[] = [];
    const stdout = new PassThrough().on('data', (c: Buffer) => out.push(c.toString()));
    const code = await runCli([mergeReportsCommand], ['merge-reports', ...dirs, '--report-dir', join(root, 'm'), '--reporter', 'console,json'],
      { stdout, stderr: new PassThrough(), env: {}, cwd: root, signal: new AbortController().signal });
    expect(code).to.equal(1);
    const text = out.join('');
    expect(text.match(/homeshield-matrix\n/g)).to.have.length(1);
    expect(text).to.match(/\d+ passed, [1-9]\d* failed/);
  });

  describe('refuses shards that do not make one whole run, and writes nothing', () => {
    const refuses = async (dirs: string[], code: string, pattern: RegExp) => {
      const out = join(root, 'merged');
      const err = await mergeReports(dirs, { reportDir: out, reporters: ['json'], ...silent }).then(() => undefined, (e: unknown) => e);
      expect(err, 'merge should refuse').to.be.instanceOf(Error);
      expect(err).to.have.property('code', code);
      expect((err as Error).message).to.match(pattern);
      expect(await stat(out).then(() => true, () => false), 'nothing written').to.equal(false);
    };

    it('shards of different runs', async () => {
      const a = await writeShard(root, shardReport(scenario, { index: 1, total: 2 }, '/a'), 'a');
      const b = await writeShard(root, shardReport(scenario, { index: 2, total: 2 }, '/b', 'nightly-2'), 'b');
      await refuses([a, b], 'FIRMLAB_MERGE_RUN_MISMATCH', /run nightly-2.*run nightly-1: shards of different runs/);
    });

    it('a missing shard, naming its units', async () => {
      const a = await writeShard(root, shardReport(scenario, { index: 1, total: 2 }, '/a'), 'a');
      const missing = shardReport(scenario, { index: 2, total: 2 }, '/b').builds.map((b) => b.build.split('/')[0]!)[0]!;
      await refuses([a], 'FIRMLAB_MERGE_SHARD_MISSING', new RegExp(`shard 2/2 missing \\(units homeshield-matrix/${missing}\\)`));
    });

    it('a shard given twice', async () => {
      const a = await writeShard(root, shardReport(scenario, { index: 1, total: 2 }, '/a'), 'a');
      const again = await writeShard(root, shardReport(scenario, { index: 1, total: 2 }, '/a'), 'again');
      await refuses([a, again], 'FIRMLAB_MERGE_SHARD_DUPLICATE', /shard 1\/2 given twice: .*\/a and .*\/again/);
    });

    it('a scenario file that changed between shards', async () => {
      const a = await writeShard(root, shardReport(scenario, { index: 1, total: 2 }, '/a'), 'a');
      const edited = { ...scenario, sha256: 'f'.repeat(64) };
      const b = await writeShard(root, shardReport(edited, { index: 2, total: 2 }, '/b'), 'b');
      await refuses([a, b], 'FIRMLAB_MERGE_SCENARIO_MISMATCH', /homeshield-matrix\.yaml: .* ran sha256 .*, .* ran .*ffffffffffff: the scenario file changed between shards/);
    });

    it('two firmware files under one name', async () => {
      const one = shardReport(scenario, { index: 1, total: 2 }, '/a');
      const two = shardReport(scenario, { index: 2, total: 2 }, '/b');
      const clash = { ...two, builds: two.builds.map((b, i) => (i === 0 ? { ...b, firmware: { path: one.builds[0]!.firmware.path, sha256: 'e'.repeat(64) } } : b)) };
      await refuses([await writeShard(root, one, 'a'), await writeShard(root, clash, 'b')], 'FIRMLAB_MERGE_FIRMWARE_MISMATCH', /sha256 .* in .*, eeeeeeeeeeee in .*: the shards ran different firmware under one name/);
    });

    it('a build on a shard the plan did not give it', async () => {
      const one = shardReport(scenario, { index: 1, total: 2 }, '/a');
      const two = shardReport(scenario, { index: 2, total: 2 }, '/b');
      const stray = { ...one, builds: [...one.builds, two.builds[0]!] };
      await refuses([await writeShard(root, stray, 'a'), await writeShard(root, two, 'b')], 'FIRMLAB_MERGE_PLAN_MISMATCH', /is not one the plan gave shard 1/);
    });

    it('a directory that is no firmlab result, or a report without a run identity', async () => {
      const empty = join(root, 'empty');
      await mkdir(empty);
      await refuses([empty], 'FIRMLAB_MERGE_INPUT', /no report\.json .*not the result directory of a firmlab run/);
      const old = join(root, 'old');
      await mkdir(old);
      const { run: _run, ...withoutRun } = whole;
      await writeFile(join(old, 'report.json'), reportJson(withoutRun));
      await refuses([old], 'FIRMLAB_MERGE_INPUT', /not a firmlab report with a run identity .*older firmlab/);
      await writeFile(join(old, 'report.json'), '{"run": ');
      await refuses([old], 'FIRMLAB_MERGE_INPUT', /not readable JSON/);
    });

    it('an output directory inside a shard\'s', async () => {
      const a = await writeShard(root, shardReport(scenario, { index: 1, total: 1 }, '/a'), 'a');
      const err = await mergeReports([a], { reportDir: join(a, 'merged'), reporters: ['json'], ...silent }).then(() => undefined, (e: unknown) => e);
      expect(err).to.have.property('code', 'FIRMLAB_USAGE');
      expect((err as Error).message).to.match(/overlaps the shard directory/);
    });
  });
});
