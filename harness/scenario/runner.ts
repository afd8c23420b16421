import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { analyzeRun, type Expectation as AnalysisExpectation } from '../analysis/index.js';
import { LAB_WIRING } from '../emulator/lab-wiring.js';
import { DockerEngine, collectGarbage, newId } from '../engine/index.js';
import { EXIT, FirmlabError } from '../errors.js';
import { defaultReporterNames, reporterByName, RunEventBus, type Reporter, type RunReport } from '../report/index.js';
import { runBuild, type BuildOutcome } from './build-runner.js';
import { loadScenario } from './load-scenario.js';
import { defaultParallelism, mapLimit } from './parallelism.js';
import { plan } from './plan.js';
import { toAnalysisExpectations } from './to-analysis.js';

export interface RunOptions {
  /** Where report.json, junit.xml, report.html and each build's run directory go. */
  reportDir?: string;
  junitFile?: string;
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
}

/**
 * Runs one scenario file end to end: plan, every build in its own lab (in
 * parallel up to the limit), analysis, reports. Resolves with the report;
 * `report.exitCode` is 0 pass, 1 an expectation failed or was inconclusive,
 * 2 a harness or infrastructure error.
 */
export async function runScenario(file: string, opts: RunOptions = {}): Promise<RunReport> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const now = opts.now ?? Date.now;
  const signal = opts.signal ?? new AbortController().signal;
  const bus = opts.bus ?? new RunEventBus();
  const runId = newId(now);
  const reportDir = resolve(cwd, opts.reportDir ?? join('.firmlab', 'runs', runId));
  const scenario = await loadScenario(resolve(cwd, file));
  const runPlan = plan(scenario);
  const reporters: Reporter[] = (opts.reporters ?? defaultReporterNames(env))
    .map((n) => reporterByName(n, { junitFile: opts.junitFile, summaryFile: env.GITHUB_STEP_SUMMARY }));
  const rctx = { reportDir, stdout: opts.stdout ?? process.stdout, stderr: opts.stderr ?? process.stderr };
  for (const r of reporters) r.attach?.(bus, rctx);

  const startedAtMs = now();
  bus.emit({ type: 'run-started', atMs: startedAtMs, scenario: scenario.name, builds: runPlan.jobs.map((j) => j.id), runDir: reportDir });
  const engine = opts.engine ?? (await DockerEngine.connect({ env }));
  const reaped = engine.reaped;
  if (reaped && reaped.containers.length + reaped.networks.length > 0) {
    const sessions = [...new Set([...reaped.containers, ...reaped.networks].map((o) => o.session))];
    rctx.stderr.write(`removed ${reaped.containers.length} containers and ${reaped.networks.length} networks left by killed runs (${sessions.join(', ')})\n`);
  }
  // Built once here, not by each build racing to build the same tag.
  await engine.buildImage('emulator', { onProgress: (l) => rctx.stderr.write(`[emulator image] ${l}\n`) });
  const session = `run-${runId}`;
  let outcomes: BuildOutcome[];
  try {
    outcomes = await mapLimit(runPlan.jobs, opts.parallel ?? defaultParallelism(), (job) =>
      runBuild(job, { engine, session, reportDir, bus, now, signal, env }));
  } finally {
    // Whatever a build could not take down itself (a crash between steps).
    await collectGarbage(engine.client, { session }).catch(() => undefined);
  }

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
    scenario: { name: scenario.name, file: scenario.file, description: scenario.description },
    startedAtMs, finishedAtMs, durationMs: finishedAtMs - startedAtMs, runDir: reportDir,
    builds: outcomes.map((o) => ({
      build: o.buildId, runDir: o.runDir, kernel: o.kernel, timings: o.timings, ok: !o.error, queries: o.dns.length,
      firmware: { path: o.job.firmware, ...(o.firmware as Record<string, string> | undefined) },
      error: o.error && { code: o.error.code, message: o.error.message },
      ...(o.blocked && { blockedEgress: o.blocked }),
    })),
    analysis, exitCode,
    error: firstError && { code: firstError.code, message: `${failed[0]!.buildId}: ${firstError.message}` },
  };
  for (const r of reporters) await r.finish(report, rctx);
  bus.emit({ type: 'run-finished', atMs: now(), exitCode });
  return report;
}

/** Several scenario files one after another; each gets its own report directory when there is more than one. */
export async function runScenarios(files: string[], opts: RunOptions = {}): Promise<RunReport[]> {
  if (files.length === 0) throw new FirmlabError('FIRMLAB_USAGE', 'no scenario file given', { exitKind: 'usage' });
  const reports: RunReport[] = [];
  for (const [i, f] of files.entries()) {
    const reportDir = opts.reportDir && files.length > 1 ? join(opts.reportDir, `${i + 1}`) : opts.reportDir;
    reports.push(await runScenario(f, { ...opts, reportDir }));
    if (opts.signal?.aborted) break;
  }
  return reports;
}
