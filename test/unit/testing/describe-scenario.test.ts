import { expect } from 'chai';
import Mocha from 'mocha';
import { resolve } from 'node:path';
import { analyzeRun, type Expectation } from '../../../harness/analysis/index.js';
import type { RunReport } from '../../../harness/report/index.js';
import {
  describeScenario, importRunner, runProblems, scenarioCases, ScenarioRunnerMissingError,
} from '../../../harness/testing/index.js';
import { TEST_RUN } from '../../support/test-run.js';

const T0 = 1_700_000_000_000;
const AVIRA = '*.safethings.avira.com';

function queries(from: number, to: number, everyMs: number) {
  const out = [];
  for (let t = from; t < to; t += everyMs) out.push({ atMs: T0 + t, name: 'a.safethings.avira.com', type: 'A', response: { rcode: 'NOERROR', ttl: 300 } });
  return out;
}

/** old queries 1/s all along; new once in its `disabled` window (so `none` fails). */
function report(expectations: Expectation[], extra: Partial<RunReport> = {}): RunReport {
  const analysis = analyzeRun({
    records: [{ build: 'old', dns: queries(0, 60_000, 1000) }, { build: 'new', dns: queries(45_000, 46_000, 1000) }],
    windows: ['old', 'new'].flatMap((build) => [
      { build, window: 'enabled', startMs: T0, endMs: T0 + 30_000, labLive: true },
      { build, window: 'disabled', startMs: T0 + 30_000, endMs: T0 + 60_000, labLive: true },
    ]),
  }, expectations);
  return {
    run: TEST_RUN,
    scenario: { name: 'homeshield', file: 'homeshield.yaml' }, startedAtMs: T0, finishedAtMs: T0 + 60_000, durationMs: 60_000,
    runDir: '/tmp/run', exitCode: analysis.summary.exitCode, analysis,
    builds: ['old', 'new'].map((build) => ({ build, firmware: { path: `${build}.bin` }, runDir: `/tmp/run/${build}`, timings: {}, ok: true, queries: 1 })),
    ...extra,
  };
}

const EXPECTATIONS: Expectation[] = [
  { build: 'old', window: 'disabled', domain: AVIRA, minPerDay: 20_000 },
  { build: 'new', window: 'disabled', domain: AVIRA, none: true },
  { build: 'new', window: 'enabled', domain: AVIRA, maxPerDay: 100 },
];

interface Outcome {
  passed: string[];
  failed: { title: string; message: string }[];
}

/** Runs suites defined by `define` in a private mocha, silently, and collects what passed and failed. */
async function runPrivateMocha(define: (bdd: Mocha.MochaGlobals) => void): Promise<Outcome> {
  const mocha = new Mocha({ reporter: class { constructor(_runner: Mocha.Runner) {} } as unknown as Mocha.ReporterConstructor });
  const bdd = {} as Mocha.MochaGlobals;
  mocha.suite.emit('pre-require', bdd, '', mocha);
  define(bdd);
  const outcome: Outcome = { passed: [], failed: [] };
  await new Promise<void>((done) => {
    const runner = mocha.run(() => done());
    runner.on('pass', (t) => outcome.passed.push(t.title));
    runner.on('fail', (t, err: Error) => outcome.failed.push({ title: t.title, message: err.message }));
  });
  return outcome;
}

describe('describeScenario', () => {
  it('maps a run to one test per expectation, titled by describeExpectation, failing with the verdict message', () => {
    const cases = scenarioCases(report(EXPECTATIONS));
    expect(cases.map((c) => c.title)).to.deep.equal([
      'old/disabled *.safethings.avira.com: min_per_day 20000',
      'new/disabled *.safethings.avira.com: none',
      'new/enabled *.safethings.avira.com: max_per_day 100',
    ]);
    expect(cases[0]!.failure).to.equal(undefined);
    expect(cases[1]!.failure).to.equal('fail: new/disabled *.safethings.avira.com: 1 query in 30.0 s (a.safethings.avira.com x1); expected none: fail');
    expect(cases[2]!.failure).to.match(/^inconclusive: .*inconclusive: observe for at least [\d,]+ s/);
  });

  it('names run-level problems: a run error and builds that did not complete', () => {
    expect(runProblems(report(EXPECTATIONS))).to.equal(undefined);
    const broken = report([], {
      error: { code: 'FIRMLAB_BOOT_TIMEOUT', message: 'no login prompt within 60 s' },
      builds: [{ build: 'new', firmware: { path: 'new.bin' }, runDir: '/r', timings: {}, ok: false, queries: 0 }],
    });
    expect(runProblems(broken)).to.equal('run: FIRMLAB_BOOT_TIMEOUT: no login prompt within 60 s\nbuild new: did not complete');
  });

  it('runs the scenario once in before() and reports each verdict as its own mocha test', async () => {
    const calls: string[] = [];
    const outcome = await runPrivateMocha((bdd) => {
      describeScenario('scenarios/homeshield.yaml', { bdd, runner: async (file) => (calls.push(file), report(EXPECTATIONS)) });
    });
    expect(calls).to.deep.equal([resolve('scenarios/homeshield.yaml')]);
    expect(outcome.passed).to.deep.equal(['runs every build to the end', 'old/disabled *.safethings.avira.com: min_per_day 20000']);
    expect(outcome.failed.map((f) => f.title)).to.deep.equal([
      'new/disabled *.safethings.avira.com: none', 'new/enabled *.safethings.avira.com: max_per_day 100',
    ]);
    expect(outcome.failed[0]!.message).to.contain('1 query in 30.0 s (a.safethings.avira.com x1); expected none: fail');
    expect(outcome.failed[1]!.message).to.match(/inconclusive: observe for at least [\d,]+ s/);
  });

  it('fails the first test with the run-level error and before() with a runner that throws', async () => {
    const outcome = await runPrivateMocha((bdd) => {
      describeScenario('a.yaml', { bdd, title: 'broken run', runner: async () => report([], { error: { code: 'FIRMLAB_X', message: 'engine gone' } }) });
      describeScenario('b.yaml', { bdd, runner: async () => { throw new Error('FIRMLAB_NO_FIRMWARE: old.bin not found'); } });
    });
    expect(outcome.passed).to.deep.equal([]);
    expect(outcome.failed).to.have.length(2);
    expect(outcome.failed[0]).to.deep.equal({ title: 'runs every build to the end', message: 'run: FIRMLAB_X: engine gone' });
    expect(outcome.failed[1]!.title).to.match(/"before all" hook/);
    expect(outcome.failed[1]!.message).to.equal('FIRMLAB_NO_FIRMWARE: old.bin not found');
  });

  it('loads runScenario lazily and says clearly when it cannot', async () => {
    const missing = new URL('./no-such-runner.js', import.meta.url).href;
    const error = await importRunner(missing).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(ScenarioRunnerMissingError);
    expect((error as ScenarioRunnerMissingError).code).to.equal('FIRMLAB_RUNNER_MISSING');
    expect((error as Error).message).to.contain(`cannot load the scenario runner ${missing}: `);

    const empty = await importRunner('data:text/javascript,export const other = 1').then(() => undefined, (e: unknown) => e);
    expect((empty as Error).message).to.match(/it does not export runScenario\(\)$/);

    const run = await importRunner('data:text/javascript,export async function runScenario(f) { return { file: f } }');
    expect(await run('/x.yaml')).to.deep.equal({ file: '/x.yaml' });
  });
});
