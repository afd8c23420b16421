import type { Command } from '../command.js';
import { collectGarbage, DockerEngine } from '../../engine/index.js';

export const gcCommand: Command = {
  path: ['gc'],
  summary: 'remove every container and network firmlab labelled (what crashed runs left)',
  usage: 'firmlab gc [--session ID] [--json]',
  options: { json: { type: 'boolean' }, session: { type: 'string' } },
  async run(args, ctx) {
    const engine = await DockerEngine.connect({ env: ctx.env });
    const session = typeof args.values.session === 'string' ? args.values.session : undefined;
    const report = await collectGarbage(engine.client, { session });
    if (args.values.json) {
      ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      for (const c of report.containers) ctx.stdout.write(`removed container ${c.name} (session ${c.session})\n`);
      for (const n of report.networks) ctx.stdout.write(`removed network ${n.name} (session ${n.session})\n`);
      for (const f of report.failures) ctx.stderr.write(`could not remove ${f.kind} ${f.name}: ${f.error}\n`);
      if (!report.containers.length && !report.networks.length) ctx.stdout.write('nothing to remove\n');
    }
    return report.failures.length ? 2 : 0;
  },
};
