import { relative } from 'node:path';
import type { Command } from '../command.js';
import { UsageError } from '../../errors.js';
import { formatDuration } from '../../analysis/index.js';
import { loadScenario } from '../../scenario/load-scenario.js';
import { placeUnits, runUnits, shardFrom } from '../../scenario/shard.js';

export const planCommand: Command = {
  path: ['plan'],
  summary: 'list the units (one model of one scenario, all its builds) a run or one shard of it would run, with expected times',
  usage: 'firmlab plan <scenario.yaml>... [--shard INDEX/TOTAL | --shard-total N] [--json]',
  options: { shard: { type: 'string' }, 'shard-total': { type: 'string' }, json: { type: 'boolean' } },
  async run(args, ctx) {
    if (args.positionals.length === 0) throw new UsageError('plan needs at least one scenario file');
    const shard = shardFrom({ shard: args.values.shard as string | undefined, shardTotal: args.values['shard-total'] as string | undefined }, ctx.env)
      ?? { index: 1, total: 1 };
    const scenarios = [];
    for (const f of args.positionals) scenarios.push(await loadScenario(f, { cwd: ctx.cwd }));
    const placed = placeUnits(runUnits(scenarios), shard.total);
    const loads = Array.from({ length: shard.total }, (_, i) => placed.filter((u) => u.shard === i + 1).reduce((t, u) => t + u.expectedMs, 0));
    const units = placed.filter((u) => u.shard === shard.index);
    if (args.values.json) {
      ctx.stdout.write(`${JSON.stringify({ shard, units, expectedMs: loads[shard.index - 1], shardsExpectedMs: loads }, null, 2)}\n`);
      return 0;
    }
    ctx.stdout.write(`shard ${shard.index}/${shard.total}: ${units.length} of ${placed.length} units, expected ${formatDuration(loads[shard.index - 1]!)}`
      + (shard.total > 1 ? ` (shards: ${loads.map(formatDuration).join(', ')})` : '') + '\n');
    for (const u of units) ctx.stdout.write(`  ${u.key}  ${u.builds.join(', ')}  ~${formatDuration(u.expectedMs)}  (${relative(ctx.cwd, scenarios[u.scenario]!.file)})\n`);
    return 0;
  },
};
