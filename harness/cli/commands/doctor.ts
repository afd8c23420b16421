import type { Command } from '../command.js';
import { runDoctor } from '../../doctor/doctor.js';

export const doctorCommand: Command = {
  path: ['doctor'],
  summary: 'check every prerequisite and say what to do about each failure',
  usage: 'firmlab doctor [--json]',
  options: { json: { type: 'boolean' } },
  async run(args, ctx) {
    const checks = await runDoctor({ env: ctx.env, cwd: ctx.cwd });
    const ok = checks.every((c) => c.ok);
    if (args.values.json) {
      ctx.stdout.write(`${JSON.stringify({ ok, checks }, null, 2)}\n`);
    } else {
      for (const c of checks) {
        ctx.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(16)} ${c.detail}${c.fix ? `\n      fix: ${c.fix}` : ''}\n`);
      }
    }
    return ok ? 0 : 2;
  },
};
