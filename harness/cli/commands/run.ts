import type { Command } from '../command.js';
import { runScenarios } from '../../scenario/runner.js';
import { UsageError } from '../../errors.js';
import { REPORTER_NAMES } from '../../report/index.js';

export const runCommand: Command = {
  path: ['run'],
  summary: 'run scenario files: boot each build in a sealed lab, drive it, observe, judge, report',
  usage: 'firmlab run <scenario.yaml>... [--report-dir DIR] [--junit FILE] [--reporter NAME[,NAME]] [--json] [--parallel N]',
  options: {
    'report-dir': { type: 'string' }, junit: { type: 'string' }, json: { type: 'boolean' }, parallel: { type: 'string' },
    reporter: { type: 'string', multiple: true },
  },
  async run(args, ctx) {
    if (args.positionals.length === 0) throw new UsageError('run needs at least one scenario file');
    let parallel: number | undefined;
    if (typeof args.values.parallel === 'string') {
      parallel = Number(args.values.parallel);
      if (!Number.isInteger(parallel) || parallel < 1) throw new UsageError(`--parallel must be a whole number of 1 or more, not ${args.values.parallel}`);
    }
    const json = Boolean(args.values.json);
    const named = (args.values.reporter as string[] | undefined)?.flatMap((r) => r.split(',')).map((r) => r.trim()).filter((r) => r !== '');
    for (const r of named ?? []) {
      if (!(REPORTER_NAMES as readonly string[]).includes(r)) throw new UsageError(`--reporter: unknown reporter ${r}; known: ${REPORTER_NAMES.join(', ')}`);
    }
    const reports = await runScenarios(args.positionals, {
      reportDir: args.values['report-dir'] as string | undefined, junitFile: args.values.junit as string | undefined,
      parallel, env: ctx.env, cwd: ctx.cwd, signal: ctx.signal, ...(named !== undefined && named.length > 0 && { reporters: named }),
      // With --json stdout carries one JSON document only; the table goes to stderr.
      stdout: json ? ctx.stderr : ctx.stdout, stderr: ctx.stderr,
    });
    if (json) ctx.stdout.write(`${JSON.stringify(reports.length === 1 ? reports[0] : reports, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
    for (const r of reports) ctx.stderr.write(`report: ${r.runDir}/report.html\n`);
    return Math.max(...reports.map((r) => r.exitCode));
  },
};
