import { basename, resolve } from 'node:path';
import Mocha from 'mocha';
import { FirmlabError } from '../errors.js';
import type { RunReport } from '../report/index.js';
import { runProblems, scenarioCases } from './scenario-cases.js';

export type ScenarioRunner = (file: string) => Promise<RunReport>;

export interface DescribeScenarioOptions {
  /** Runs the scenario; default: `runScenario` from harness/scenario/runner.js, imported when the suite starts. */
  readonly runner?: ScenarioRunner;
  /** Suite title; default `scenario <file name>` (the run has not happened when mocha needs it). */
  readonly title?: string;
  /** Time allowed for the whole run in the `before` hook; default 30 min (the scenario's own default cap). */
  readonly timeoutMs?: number;
  /** Where `describe`/`before`/`it` come from; default mocha's globals. Tests hand in a private mocha's. */
  readonly bdd?: Pick<Mocha.MochaGlobals, 'describe' | 'before' | 'it'>;
}

/** The scenario runner could not be loaded (not built yet, or without `runScenario`). */
export class ScenarioRunnerMissingError extends FirmlabError {
  constructor(url: string, reason: string, cause?: unknown) {
    super('FIRMLAB_RUNNER_MISSING', `cannot load the scenario runner ${url}: ${reason}`, { cause, details: { url } });
  }
}

const RUNNER_URL = new URL('../scenario/runner.js', import.meta.url).href;
const DEFAULT_TIMEOUT_MS = 1_800_000;

/**
 * Loads `runScenario` lazily, so that importing harness/testing costs nothing
 * until a suite runs and a missing runner fails that suite's `before` with a
 * clear message instead of breaking every test file that imports us. The
 * specifier is computed, so this module compiles before the runner exists.
 */
export async function importRunner(url: string = RUNNER_URL): Promise<ScenarioRunner> {
  let mod: { runScenario?: unknown };
  try {
    mod = (await import(url)) as { runScenario?: unknown };
  } catch (e) {
    throw new ScenarioRunnerMissingError(url, e instanceof Error ? e.message : String(e), e);
  }
  if (typeof mod.runScenario !== 'function') throw new ScenarioRunnerMissingError(url, 'it does not export runScenario()');
  const runScenario = mod.runScenario as ScenarioRunner;
  return (file) => runScenario(file);
}

/**
 * One mocha suite for one scenario: a `before` runs it (old and new builds),
 * then one `it` per expectation, titled by `describeExpectation`, failing with
 * the verdict's message unless it passed. Mocha fixes a suite's tests before
 * hooks run but reads them again after `before`, and the verdicts (one per
 * expectation and model) are only known from the run, so the `before` adds
 * them; a first `it` reports run-level problems (and keeps the suite from
 * being skipped as empty).
 */
export function describeScenario(file: string, options: DescribeScenarioOptions = {}): Mocha.Suite {
  const { describe, before, it } = options.bdd ?? globalThis;
  const path = resolve(file);
  let report: RunReport | undefined;
  const suite = describe(options.title ?? `scenario ${basename(file)}`, () => {
    before(async function () {
      this.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const runner = options.runner ?? (await importRunner());
      report = await runner(path);
      for (const c of scenarioCases(report)) {
        suite.addTest(new Mocha.Test(c.title, () => {
          if (c.failure !== undefined) throw new ScenarioExpectationError(c.failure);
        }));
      }
    });
    it('runs every build to the end', () => {
      const problems = report ? runProblems(report) : 'the run produced no report';
      if (problems !== undefined) throw new ScenarioExpectationError(problems);
    });
  });
  return suite;
}

/** A failed, inconclusive or error verdict as a mocha failure: the message is the verdict's, nothing else. */
class ScenarioExpectationError extends Error {
  override name = 'ScenarioExpectationError';
}
