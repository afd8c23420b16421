import type { Command } from '../command.js';
import { runScenarios } from '../../scenario/runner.js';
import { UsageError } from '../../errors.js';
import { parseReporterNames, reportJson } from '../../report/index.js';
import { shardFrom } from '../../scenario/shard.js';
import { snapshotSetting } from '../../lab/snapshot-store.js';

export const runCommand: Command = {
  path: ['run'],
  summary: 'run scenario files: boot each build in a sealed lab, drive it, observe, judge, report',
  usage: 'firmlab run <scenario.yaml>... [--report-dir DIR] [--junit FILE] [--ctrf FILE] [--reporter NAME[,NAME]] [--json] [--parallel N] [--shard INDEX/TOTAL | --shard-total N] [--run-id ID] [--no-snapshot]',
  options: {
    'report-dir': { type: 'string' }, junit: { type: 'string' }, ctrf: { type: 'string' }, json: { type: 'boolean' }, parallel: { type: 'string' },
    reporter: { type: 'string', multiple: true }, shard: { type: 'string' }, 'shard-total': { type: 'string' }, 'run-id': { type: 'string' }, 'no-snapshot': { type: 'boolean' },
  },
  async run(args, ctx) {
    if (args.positionals.length === 0) throw new UsageError('run needs at least one scenario file');
    let parallel: number | undefined;
    if (typeof args.values.parallel === 'string') {
      parallel = Number(args.values.parallel);
      if (!Number.isInteger(parallel) || parallel < 1) throw new UsageError(`--parallel must be a whole number of 1 or more, not ${args.values.parallel}`);
    }
    const json = Boolean(args.values.json);
    const named = parseReporterNames(args.values.reporter as string[] | undefined);
    // A shard from the flag, else from the CI engine's environment (CI_NODE_INDEX, JOB_COMPLETION_INDEX).
    const shard = shardFrom({ shard: args.values.shard as string | undefined, shardTotal: args.values['shard-total'] as string | undefined }, ctx.env);
    const runId = args.values['run-id'] as string | undefined;
    if (runId !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(runId)) throw new UsageError(`--run-id must be letters, digits, '.', '_' or '-' (at most 128), not ${JSON.stringify(runId)}`);
    if (shard && shard.total > 1 && runId === undefined && !ctx.env.FIRMLAB_RUN_ID && !ctx.env.GITHUB_RUN_ID && !ctx.env.CI_PIPELINE_ID) {
      ctx.stderr.write(`shard ${shard.index}/${shard.total}: no --run-id and no CI run id in the environment; merge-reports joins only shards of one run id\n`);
    }
    const reports = await runScenarios(args.positionals, {
      reportDir: args.values['report-dir'] as string | undefined, junitFile: args.values.junit as string | undefined, ctrfFile: args.values.ctrf as string | undefined,
      parallel, env: ctx.env, cwd: ctx.cwd, signal: ctx.signal, ...(named && { reporters: named }),
      ...(shard && { shard }), ...(runId !== undefined && { runId }),
      snapshots: snapshotSetting(Boolean(args.values['no-snapshot']), ctx.env),
      // With --json stdout carries one JSON document only; the table goes to stderr.
      stdout: json ? ctx.stderr : ctx.stdout, stderr: ctx.stderr,
    });
    if (json) ctx.stdout.write(reportJson(reports.length === 1 ? reports[0] : reports));
    for (const r of reports) ctx.stderr.write(`report: ${r.runDir}/report.html\n`);
    return Math.max(...reports.map((r) => r.exitCode));
  },
};
