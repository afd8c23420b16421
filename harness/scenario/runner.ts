import { join, relative, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { analyzeRun, type Expectation as AnalysisExpectation } from '../analysis/index.js';
import { LAB_WIRING } from '../emulator/lab-wiring.js';
import { DockerEngine, collectGarbage, newId } from '../engine/index.js';
import { EXIT, FirmlabError } from '../errors.js';
import { harnessVersion } from '../paths.js';
import { progressLine } from '../util/progress-line.js';
import { renderCtrf, renderJunit, reportersFor, reportJson, RunEventBus, writeFileAtomic, type Reporter, type RunIdentity, type RunReport } from '../report/index.js';
import { runBuild, type BuildOutcome } from './build-runner.js';
import { snapshotSetting } from '../lab/snapshot-store.js';
import { loadScenario } from './load-scenario.js';
import { defaultParallelism, mapLimit } from './parallelism.js';
import { plan } from './plan.js';
import type { Scenario } from './scenario.js';
import { placeUnits, runUnits, type ShardSpec } from './shard.js';
import { toAnalysisExpectations } from './to-analysis.js';

export interface RunOptions {
  /** Where report.json, junit.xml, report.html and each build's run directory go. */
  reportDir?: string;
  junitFile?: string;
  /** Also write CTRF JSON here (`--ctrf FILE`). */
  ctrfFile?: string;
  parallel?: number;
  /** Reporter names; default console, json, junit, html. */
  reporters?: string[];
  bus?: RunEventBus;
  engine?: DockerEngine;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  signal?: AbortSignal;
  stdout?: Writable;
  stderr?: Writable;
  now?: () => number;
  /** Run only this shard's units (`--shard 2/3`); absent: all of them. */
  shard?: ShardSpec;
  /** Shared by all shards of one run; default: the CI engine's run id, else a new one. */
  runId?: string;
  /**
   * Snapshots of ready routers: `auto` (default, unless FIRMLAB_SNAPSHOTS=off) restores where the
   * scenario allows, `cold` boots every router and saves one where none is, `off` (`--no-snapshot`) neither.
   */
  snapshots?: 'auto' | 'cold' | 'off';
}

/**
 * The id every shard of one run writes down: FIRMLAB_RUN_ID, else the CI
 * engine's own (GitHub Actions' run id and attempt, GitLab's pipeline id),
 * else a new one (then shards run by hand need `--run-id` to merge).
 */
export function runIdFrom(env: NodeJS.ProcessEnv, now: () => number = Date.now): string {
  if (env.FIRMLAB_RUN_ID) return env.FIRMLAB_RUN_ID;
  if (env.GITHUB_RUN_ID) return `github-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
  if (env.CI_PIPELINE_ID) return `gitlab-${env.CI_PIPELINE_ID}`;
  return newId(now);
}

/** The run's identity for scenario `index` of `scenarios`, its units placed on `shard.total` shards. */
export function runIdentity(scenarios: readonly Scenario[], index: number, opts: { id: string; shard: ShardSpec; cwd: string }): RunIdentity {
  return {
    id: opts.id, harness: harnessVersion(), shard: opts.shard,
    scenarios: scenarios.map((s) => ({ file: relative(opts.cwd, s.file), name: s.name, sha256: s.sha256 })),
    scenario: index,
    units: placeUnits(runUnits(scenarios), opts.shard.total),
  };
}

/**
 * Runs one scenario file end to end: plan, every build in its own lab (in
 * parallel up to the limit), analysis, reports. Resolves with the report;
 * `report.exitCode` is 0 pass, 1 an expectation failed or was inconclusive,
 * 2 a harness or infrastructure error.
 */
export async function runScenario(file: string, opts: RunOptions = {}): Promise<RunReport> {
  const cwd = opts.cwd ?? process.cwd();
  const scenario = await loadScenario(resolve(cwd, file));
  const id = opts.runId ?? runIdFrom(opts.env ?? process.env, opts.now);
  return runLoaded(scenario, runIdentity([scenario], 0, { id, shard: opts.shard ?? { index: 1, total: 1 }, cwd }), opts);
}

/** Runs the units of `run.shard` in one loaded scenario; a shard with none of them writes a report without builds. */
async function runLoaded(scenario: Scenario, run: RunIdentity, opts: RunOptions): Promise<RunReport> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const now = opts.now ?? Date.now;
  const signal = opts.signal ?? new AbortController().signal;
  const bus = opts.bus ?? new RunEventBus();
  const runId = newId(now);
  const reportDir = resolve(cwd, opts.reportDir ?? join('.firmlab', 'runs', runId));
  const mine = new Set(run.units.filter((u) => u.scenario === run.scenario && u.shard === run.shard.index).map((u) => u.model));
  const whole = plan(scenario);
  const runPlan = { ...whole, jobs: whole.jobs.filter((j) => mine.has(j.model)) };
  const reporters: Reporter[] = reportersFor(opts.reporters, env, {
    ...(opts.junitFile !== undefined && { junitFile: resolve(cwd, opts.junitFile) }),
    ...(opts.ctrfFile !== undefined && { ctrfFile: resolve(cwd, opts.ctrfFile) }),
  });
  const rctx = { reportDir, stdout: opts.stdout ?? process.stdout, stderr: opts.stderr ?? process.stderr };
  for (const r of reporters) r.attach?.(bus, rctx);

  const startedAtMs = now();
  bus.emit({ type: 'run-started', atMs: startedAtMs, scenario: scenario.name, builds: runPlan.jobs.map((j) => j.id), runDir: reportDir });
  const outcomes = runPlan.jobs.length === 0 ? [] : await runJobs(runPlan.jobs, { ...opts, env, now, signal, bus, reportDir, runId, stderr: rctx.stderr });

  const models = [...new Set(runPlan.jobs.map((j) => j.model))];
  const expectations: AnalysisExpectation[] = models.flatMap((m) => toAnalysisExpectations(runPlan.expect, m));
  const analysis = analyzeRun({
    records: outcomes.map((o) => ({ build: o.buildId, dns: o.dns, egress: o.egress })),
    windows: outcomes.flatMap((o) => o.windows),
    markers: outcomes.flatMap((o) => o.markers),
  }, expectations, { extraDomains: ['*'], labResolver: { address: LAB_WIRING.wanGateway, port: 53 } });
  const failed = outcomes.filter((o) => o.error);
  const firstError = failed[0]?.error;
  const exitCode = Math.max(analysis.summary.exitCode, ...failed.map((o) => (o.error!.exitKind === 'assertion' ? EXIT.assertion : EXIT.infra)));
  const finishedAtMs = now();
  const report: RunReport = {
    run,
    scenario: { name: scenario.name, file: scenario.file, description: scenario.description },
    startedAtMs, finishedAtMs, durationMs: finishedAtMs - startedAtMs, runDir: reportDir,
    builds: outcomes.map((o) => ({
      build: o.buildId, runDir: o.runDir, kernel: o.kernel, timings: o.timings, ok: !o.error, queries: o.dns.length,
      firmware: { path: o.job.firmware, ...(o.firmware as Record<string, string> | undefined) },
      error: o.error && { code: o.error.code, message: o.error.message },
      ...(o.blocked && { blockedEgress: o.blocked }),
      ...(o.snapshot && { snapshot: o.snapshot }),
    })),
    analysis, exitCode,
    error: firstError && { code: firstError.code, message: `${failed[0]!.buildId}: ${firstError.message}` },
  };
  for (const r of reporters) await r.finish(report, rctx);
  bus.emit({ type: 'run-finished', atMs: now(), exitCode });
  return report;
}

type JobContext = RunOptions & Required<Pick<RunOptions, 'env' | 'now' | 'signal' | 'bus' | 'reportDir' | 'stderr'>> & { runId: string };

/** Every job in its own lab, up to the parallel limit, on one engine connection. */
async function runJobs(jobs: ReturnType<typeof plan>['jobs'], o: JobContext): Promise<BuildOutcome[]> {
  const engine = o.engine ?? (await DockerEngine.connect({ env: o.env }));
  const reaped = await engine.reapOrphans();
  if (reaped && reaped.containers.length + reaped.networks.length > 0) {
    const sessions = [...new Set([...reaped.containers, ...reaped.networks].map((x) => x.session))];
    o.stderr.write(`removed ${reaped.containers.length} containers and ${reaped.networks.length} networks left by killed runs (${sessions.join(', ')})\n`);
  }
  // Built once here, not by each build racing to build the same tag.
  const progress = progressLine(o.stderr, '[emulator image]', o.env);
  const { tag: emulatorImage } = await engine.buildImage('emulator', { onProgress: progress });
  progress.end();
  const session = `run-${o.runId}`;
  try {
    return await mapLimit(jobs, o.parallel ?? defaultParallelism(), (job) =>
      runBuild(job, { engine, session, reportDir: o.reportDir, bus: o.bus, now: o.now, signal: o.signal, env: o.env, snapshots: o.snapshots ?? snapshotSetting(false, o.env), emulatorImage }));
  } finally {
    // Whatever a build could not take down itself (a crash between steps).
    await collectGarbage(engine.client, { session }).catch(() => undefined);
  }
}

/**
 * Several scenario files one after another; each gets its own report
 * directory when there is more than one, and `--junit` / `--ctrf` one file
 * holding every scenario's suite (written once all ran). All are loaded first, so a typo
 * in the last file stops the run before the first lab boots, and so every
 * shard plans the same units.
 */
export async function runScenarios(files: string[], opts: RunOptions = {}): Promise<RunReport[]> {
  if (files.length === 0) throw new FirmlabError('FIRMLAB_USAGE', 'no scenario file given', { exitKind: 'usage' });
  const cwd = opts.cwd ?? process.cwd();
  const scenarios: Scenario[] = [];
  for (const f of files) scenarios.push(await loadScenario(resolve(cwd, f)));
  const id = opts.runId ?? runIdFrom(opts.env ?? process.env, opts.now);
  const shard = opts.shard ?? { index: 1, total: 1 };
  const reports: RunReport[] = [];
  const several = files.length > 1;
  // Several files: each its own report directory, and one --junit / --ctrf file holding them all.
  const { junitFile, ctrfFile, ...each } = opts;
  for (const [i, s] of scenarios.entries()) {
    const reportDir = opts.reportDir && several ? join(opts.reportDir, `${i + 1}`) : opts.reportDir;
    reports.push(await runLoaded(s, runIdentity(scenarios, i, { id, shard, cwd }), { ...(several ? each : opts), reportDir }));
    if (opts.signal?.aborted) break;
  }
  if (several && junitFile !== undefined) await writeFileAtomic(resolve(cwd, junitFile), renderJunit(reports));
  if (several && ctrfFile !== undefined) await writeFileAtomic(resolve(cwd, ctrfFile), reportJson(renderCtrf(reports)));
  return reports;
}
