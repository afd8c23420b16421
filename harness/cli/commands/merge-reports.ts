import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { parseReporterNames, reportJson } from '../../report/index.js';
import { mergeReports } from '../../report/merge-reports.js';

export const mergeReportsCommand: Command = {
  path: ['merge-reports'],
  summary: 'join the result directories of every shard of one run into the reports one unsharded run would write (exit code of the whole)',
  usage: 'firmlab merge-reports DIR... --report-dir OUT [--junit FILE] [--ctrf FILE] [--reporter NAME[,NAME]] [--json]',
  options: { 'report-dir': { type: 'string' }, junit: { type: 'string' }, ctrf: { type: 'string' }, reporter: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  async run(args, ctx) {
    if (args.positionals.length === 0) throw new UsageError(`merge-reports needs the result directory of every shard; usage: ${mergeReportsCommand.usage}`);
    const reportDir = args.values['report-dir'];
    if (typeof reportDir !== 'string') throw new UsageError('merge-reports needs --report-dir OUT: where the merged reports go');
    const named = parseReporterNames(args.values.reporter as string[] | undefined);
    const json = Boolean(args.values.json);
    const reports = await mergeReports(args.positionals, {
      reportDir, junitFile: args.values.junit as string | undefined, ctrfFile: args.values.ctrf as string | undefined, env: ctx.env, cwd: ctx.cwd,
      ...(named && { reporters: named }),
      stdout: json ? ctx.stderr : ctx.stdout, stderr: ctx.stderr,
    });
    if (json) ctx.stdout.write(reportJson(reports.length === 1 ? reports[0] : reports));
    for (const r of reports) ctx.stderr.write(`report: ${r.runDir}/report.html\n`);
    return Math.max(...reports.map((r) => r.exitCode));
  },
};
