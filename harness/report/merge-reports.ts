import { cp, lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { summarizeVerdicts, type RunAnalysis, type Verdict } from '../analysis/index.js';
import { FirmlabError, UsageError } from '../errors.js';
import type { PlacedUnit } from '../scenario/shard.js';
import type { Writable } from 'node:stream';
import { reportersFor } from './reporter-registry.js';
import type { BuildReport, RunReport } from './run-report.js';

/** A shard's result directories cannot be joined into one run; the message says which and why. */
export class MergeError extends FirmlabError {
  constructor(code: `FIRMLAB_MERGE_${string}`, message: string, details: Record<string, unknown> = {}) {
    super(code, message, { exitKind: 'infra', details });
  }
}

/** One report.json a shard wrote, and the directory it was found in (its artifacts are under it). */
export interface ShardReport {
  dir: string;
  report: RunReport;
}

/** The part of report.json merging trusts: checked, since the files come from other machines. */
const ShardSchema = Type.Object({
  index: Type.Integer({ minimum: 1 }), total: Type.Integer({ minimum: 1 }),
});
const IdentitySchema = Type.Object({
  id: Type.String({ minLength: 1 }),
  harness: Type.String(),
  shard: ShardSchema,
  scenarios: Type.Array(Type.Object({ file: Type.String(), name: Type.String(), sha256: Type.String() }), { minItems: 1 }),
  scenario: Type.Integer({ minimum: 0 }),
  units: Type.Array(Type.Object({
    key: Type.String(), scenario: Type.Integer({ minimum: 0 }), model: Type.Optional(Type.String()),
    builds: Type.Array(Type.String()), expectedMs: Type.Number(), shard: Type.Integer({ minimum: 1 }),
  })),
  mergedFrom: Type.Optional(Type.Array(Type.String())),
});
const ReportSchema = Type.Object({
  run: IdentitySchema,
  scenario: Type.Object({ name: Type.String(), file: Type.String() }),
  startedAtMs: Type.Number(), finishedAtMs: Type.Number(), runDir: Type.String(), exitCode: Type.Integer(),
  builds: Type.Array(Type.Object({ build: Type.String(), runDir: Type.String(), firmware: Type.Object({ path: Type.String(), sha256: Type.Optional(Type.String()) }) })),
  analysis: Type.Object({ verdicts: Type.Array(Type.Object({ expectation: Type.Object({}) })) }),
});
type CheckedIdentity = Static<typeof IdentitySchema>;

/**
 * Every report.json of one shard's result directory: `DIR/report.json` for
 * a run of one scenario file, `DIR/1/report.json`, `DIR/2/...` for several,
 * as `firmlab run --report-dir DIR` lays them out.
 */
export async function readShardDir(dir: string): Promise<ShardReport[]> {
  const top = join(dir, 'report.json');
  let files: { dir: string; file: string }[];
  if (await exists(top)) {
    files = [{ dir, file: top }];
  } else {
    const entries = await readdir(dir).catch((e: unknown) => {
      throw new MergeError('FIRMLAB_MERGE_INPUT', `${dir}: cannot read the directory (${(e as Error).message})`);
    });
    const numbered = entries.filter((n) => /^[1-9]\d*$/.test(n)).sort((a, b) => Number(a) - Number(b));
    files = [];
    for (const n of numbered) if (await exists(join(dir, n, 'report.json'))) files.push({ dir: join(dir, n), file: join(dir, n, 'report.json') });
  }
  if (files.length === 0) throw new MergeError('FIRMLAB_MERGE_INPUT', `${dir}: no report.json (nor 1/report.json, ...): not the result directory of a firmlab run`);
  const out: ShardReport[] = [];
  for (const f of files) {
    let data: unknown;
    try {
      data = JSON.parse(await readFile(f.file, 'utf8'));
    } catch (e) {
      throw new MergeError('FIRMLAB_MERGE_INPUT', `${f.file}: not readable JSON (${(e as Error).message})`);
    }
    if (!Value.Check(ReportSchema, data)) {
      const first = [...Value.Errors(ReportSchema, data)][0];
      throw new MergeError('FIRMLAB_MERGE_INPUT', `${f.file}: not a firmlab report with a run identity (${first ? `${first.path || '/'}: ${first.message}` : 'bad shape'}); was it written by an older firmlab?`);
    }
    out.push({ dir: f.dir, report: data as unknown as RunReport });
  }
  return out;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
}

const sameIdentity = (a: CheckedIdentity, b: CheckedIdentity) =>
  JSON.stringify({ ...a, scenario: 0, shard: a.shard.total }) === JSON.stringify({ ...b, scenario: 0, shard: b.shard.total });

/**
 * Checks that the shards' reports make one whole run: one run id, harness
 * version and shard total; the same scenario files (by sha256) and the same
 * plan; every shard there exactly once, each with a report per scenario;
 * every build where the plan put it; one sha256 per firmware path. Throws
 * a MergeError naming the directories at fault. Returns the reports by
 * scenario index.
 */
export function checkShards(shards: readonly { dir: string; reports: readonly ShardReport[] }[]): ShardReport[][] {
  const first = shards[0]?.reports[0];
  if (!first) throw new UsageError('merge-reports needs at least one shard directory');
  const base = first.report.run as CheckedIdentity;
  const where = (s: { dir: string }) => s.dir;
  for (const s of shards) {
    for (const r of s.reports) {
      const run = r.report.run as CheckedIdentity;
      if (run.id !== base.id) throw new MergeError('FIRMLAB_MERGE_RUN_MISMATCH', `${where(r)} is of run ${run.id}, ${where(first)} of run ${base.id}: shards of different runs`);
      if (run.shard.total !== base.shard.total) throw new MergeError('FIRMLAB_MERGE_RUN_MISMATCH', `${where(r)} is shard ${run.shard.index}/${run.shard.total}, ${where(first)} ${base.shard.index}/${base.shard.total}: different shard totals`);
      if (run.harness !== base.harness) throw new MergeError('FIRMLAB_MERGE_RUN_MISMATCH', `${where(r)} was run by firmlab ${run.harness}, ${where(first)} by ${base.harness}`);
      for (const [i, sc] of base.scenarios.entries()) {
        const other = run.scenarios[i];
        if (other?.sha256 !== sc.sha256) {
          throw new MergeError('FIRMLAB_MERGE_SCENARIO_MISMATCH', `${sc.file}: ${where(first)} ran sha256 ${sc.sha256.slice(0, 12)}, ${where(r)} ran ${other ? `${other.file} sha256 ${other.sha256.slice(0, 12)}` : 'no such scenario'}: the scenario file changed between shards`);
        }
      }
      if (!sameIdentity(run, base)) throw new MergeError('FIRMLAB_MERGE_RUN_MISMATCH', `${where(r)} and ${where(first)} planned the run differently (scenario files or units differ)`);
      if (run.shard.index !== (s.reports[0]!.report.run as CheckedIdentity).shard.index) throw new MergeError('FIRMLAB_MERGE_INPUT', `${s.dir} mixes reports of different shards`);
    }
  }
  const byIndex = new Map<number, string>();
  for (const s of shards) {
    const index = s.reports[0]!.report.run.shard.index;
    const seen = byIndex.get(index);
    if (seen !== undefined) throw new MergeError('FIRMLAB_MERGE_SHARD_DUPLICATE', `shard ${index}/${base.shard.total} given twice: ${seen} and ${s.dir}`);
    byIndex.set(index, s.dir);
    const scenariosHere = new Set(s.reports.map((r) => r.report.run.scenario));
    const lacking = base.scenarios.map((_, i) => i).filter((i) => !scenariosHere.has(i));
    if (lacking.length > 0) throw new MergeError('FIRMLAB_MERGE_INPUT', `${s.dir} has no report for ${lacking.map((i) => base.scenarios[i]!.file).join(', ')}: the shard did not finish`);
  }
  const missing = Array.from({ length: base.shard.total }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    const units = base.units.filter((u) => missing.includes(u.shard)).map((u) => u.key);
    throw new MergeError('FIRMLAB_MERGE_SHARD_MISSING', `shard ${missing.map((i) => `${i}/${base.shard.total}`).join(', ')} missing${units.length > 0 ? ` (units ${units.join(', ')})` : ' (it had no units, but its directory proves it ran)'}`);
  }
  const firmware = new Map<string, { sha256: string; dir: string }>();
  const byScenario: ShardReport[][] = base.scenarios.map(() => []);
  for (const s of shards) {
    for (const r of s.reports) {
      const run = r.report.run;
      const mine = new Set(base.units.filter((u) => u.scenario === run.scenario && u.shard === run.shard.index).flatMap((u) => u.builds.map((b) => buildId(u, b))));
      for (const b of r.report.builds) {
        if (!mine.has(b.build)) throw new MergeError('FIRMLAB_MERGE_PLAN_MISMATCH', `${r.dir}: build ${b.build} is not one the plan gave shard ${run.shard.index}`);
        const sha = b.firmware.sha256;
        const known = firmware.get(b.firmware.path);
        if (sha !== undefined && known !== undefined && known.sha256 !== sha) {
          throw new MergeError('FIRMLAB_MERGE_FIRMWARE_MISMATCH', `${b.firmware.path}: sha256 ${known.sha256.slice(0, 12)} in ${known.dir}, ${sha.slice(0, 12)} in ${r.dir}: the shards ran different firmware under one name`);
        }
        if (sha !== undefined) firmware.set(b.firmware.path, { sha256: sha, dir: r.dir });
      }
      byScenario[run.scenario]!.push(r);
    }
  }
  return byScenario;
}

/** The job id of one build of a unit, as the runner names it (`archer-ax55v1/old`, or `old`). */
function buildId(u: Pick<PlacedUnit, 'model'>, build: string): string {
  return u.model === undefined ? build : `${u.model}/${build}`;
}

/**
 * One scenario's shard reports as the report of one unsharded run: builds,
 * verdicts and every per-build table in the plan's order (units as in the
 * file, old before new), the summary counted again, the exit code of the
 * whole. `runDirOf` says where each build's directory is now.
 */
export function mergeScenarioReports(reports: readonly RunReport[], reportDir: string, runDirOf: (b: BuildReport) => string, mergedFrom: string[]): RunReport {
  const base = reports[0]!;
  const units = base.run.units.filter((u) => u.scenario === base.run.scenario);
  // Each shard's own order already is the unsharded order within a unit; units go in plan order (stable sorts).
  const unitOf = new Map(units.flatMap((u, i) => u.builds.map((b) => [buildId(u, b), i] as const)));
  const rank = (build: string) => unitOf.get(build) ?? units.length;
  const byBuild = <T extends { readonly build: string }>(pick: (a: RunAnalysis) => readonly T[]) =>
    reports.flatMap((r) => pick(r.analysis)).sort((a, b) => rank(a.build) - rank(b.build));
  const verdicts = reports.flatMap((r) => r.analysis.verdicts).sort((a, b) => rank(buildOf(a)) - rank(buildOf(b)));
  const findings = byBuild((a) => a.findings);
  const analysis: RunAnalysis = {
    verdicts, summary: summarizeVerdicts(verdicts, findings.length),
    windowStats: byBuild((a) => a.windowStats), egress: byBuild((a) => a.egress), names: byBuild((a) => a.names),
    newContacts: reports.flatMap((r) => r.analysis.newContacts).sort((a, b) => rank(a.new) - rank(b.new)),
    resolvers: byBuild((a) => a.resolvers), timeline: byBuild((a) => a.timeline), findings,
  };
  const builds = reports.flatMap((r) => r.builds).sort((a, b) => rank(a.build) - rank(b.build)).map((b) => ({ ...b, runDir: runDirOf(b) }));
  const startedAtMs = Math.min(...reports.map((r) => r.startedAtMs));
  const finishedAtMs = Math.max(...reports.map((r) => r.finishedAtMs));
  const failed = reports.filter((r) => r.error).sort((a, b) => rank(a.builds[0]?.build ?? '') - rank(b.builds[0]?.build ?? ''));
  return {
    run: { ...base.run, shard: { index: 1, total: 1 }, units: base.run.units.map((u) => ({ ...u, shard: 1 })), mergedFrom },
    scenario: base.scenario, startedAtMs, finishedAtMs, durationMs: finishedAtMs - startedAtMs, runDir: reportDir,
    builds, analysis, exitCode: Math.max(...reports.map((r) => r.exitCode)),
    ...(failed[0]?.error && { error: failed[0].error }),
  };
}

/** A build the verdict judges (a comparison: its old build), for ordering by unit. */
function buildOf(v: Verdict): string {
  const e = v.expectation as { build?: string; compare?: { old?: string } };
  return e.build ?? e.compare?.old ?? '';
}

/**
 * Copies a shard's build directory into the merged report directory, at the
 * same place relative to its report, so report.html's links work after the
 * merge. Only directories and regular files: a symlink in a downloaded
 * artifact is not followed. A build directory outside its report's (an old
 * layout) stays where it was.
 */
export async function copyBuildDir(from: ShardReport, b: BuildReport, toReportDir: string): Promise<string> {
  const rel = relative(from.report.runDir, b.runDir);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return b.runDir;
  const src = join(from.dir, rel);
  if (!(await exists(src))) return join(toReportDir, rel);
  const dest = join(toReportDir, rel);
  await cp(src, dest, {
    recursive: true, force: true, verbatimSymlinks: true,
    filter: async (p) => {
      const st = await lstat(p);
      return st.isDirectory() || st.isFile();
    },
  });
  return dest;
}

/** Refuses an output directory that is one of the inputs or inside one: merging would read what it writes. */
export async function checkOutputDir(out: string, inputs: readonly string[]): Promise<void> {
  const real = async (p: string) => realpath(p).catch(() => resolve(p));
  const o = await real(out);
  for (const i of inputs) {
    const r = await real(i);
    if (o === r || o.startsWith(r + sep) || r.startsWith(o + sep)) throw new UsageError(`--report-dir ${out} overlaps the shard directory ${i}; write the merged report elsewhere`);
  }
}

export interface MergeOptions {
  reportDir: string;
  junitFile?: string;
  ctrfFile?: string;
  /** Reporter names; default as `firmlab run` (console, json, junit, html, and markdown under GitHub Actions). */
  reporters?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdout?: Writable;
  stderr?: Writable;
}

/**
 * `firmlab merge-reports`: joins the result directories of every shard of
 * one run into the reports one unsharded run would have written (one per
 * scenario file: `OUT/` for one, `OUT/1/`, `OUT/2/`... for several), with
 * every build's artifacts copied beside them. Checks everything first and
 * writes nothing when the shards do not make one whole run.
 */
export async function mergeReports(dirs: readonly string[], opts: MergeOptions): Promise<RunReport[]> {
  if (dirs.length === 0) throw new UsageError('merge-reports needs the result directory of every shard');
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const inputs = dirs.map((d) => resolve(cwd, d));
  const out = resolve(cwd, opts.reportDir);
  await checkOutputDir(out, inputs);
  const shards = [];
  for (const dir of inputs) shards.push({ dir, reports: await readShardDir(dir) });
  const byScenario = checkShards(shards);
  const reporters = reportersFor(opts.reporters, env, {
    ...(opts.junitFile !== undefined && { junitFile: resolve(cwd, opts.junitFile) }),
    ...(opts.ctrfFile !== undefined && { ctrfFile: resolve(cwd, opts.ctrfFile) }),
  });
  const merged: RunReport[] = [];
  for (const [i, reports] of byScenario.entries()) {
    const reportDir = byScenario.length > 1 ? join(out, `${i + 1}`) : out;
    const moved = new Map<BuildReport, string>();
    for (const r of reports) for (const b of r.report.builds) moved.set(b, await copyBuildDir(r, b, reportDir));
    const report = mergeScenarioReports(reports.map((r) => r.report), reportDir, (b) => moved.get(b) ?? b.runDir, inputs);
    const ctx = { reportDir, stdout: opts.stdout ?? process.stdout, stderr: opts.stderr ?? process.stderr };
    for (const rep of reporters) await rep.finish(report, ctx);
    merged.push(report);
  }
  return merged;
}
