import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../command.js';
import { progressLine } from '../../util/progress-line.js';
import { DockerEngine } from '../../engine/index.js';
import { imagesDir } from '../../paths.js';
import { UsageError } from '../../errors.js';

/** Images built from a Dockerfile under images/ (the base image is imported, not built). */
export function buildableImages(): string[] {
  return readdirSync(imagesDir()).filter((d) => existsSync(join(imagesDir(), d, 'Dockerfile'))).sort();
}

export const imagesBuildCommand: Command = {
  path: ['images', 'build'],
  summary: 'build the project\'s images (base, then each images/<name>/), skipping unchanged ones',
  usage: 'firmlab images build [NAME...] [--force] [--json]',
  options: { force: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(args, ctx) {
    const all = buildableImages();
    const names = args.positionals.length ? args.positionals : all;
    for (const n of names) if (!all.includes(n)) throw new UsageError(`unknown image ${n}; known: ${all.join(', ')}`);
    const engine = await DockerEngine.connect({ env: ctx.env });
    // Like every command that starts work on the engine: first what killed runs left.
    await engine.reapOrphans();
    const baseProgress = progressLine(ctx.stderr, '[base]', ctx.env);
    const base = await engine.ensureBaseImage({ onProgress: baseProgress });
    baseProgress.end();
    const results: { name: string; tag: string; built: boolean; ms: number }[] = [];
    for (const name of names) {
      const t0 = Date.now();
      ctx.stderr.write(`[${name}] checking ${await engine.imageTag(name)}\n`);
      const progress = progressLine(ctx.stderr, `[${name}]`, ctx.env);
      const r = await engine.buildImage(name, { force: Boolean(args.values.force), onProgress: progress });
      results.push({ name, ...r, ms: Date.now() - t0 });
      progress.end(`${r.built ? 'built' : 'up to date'}: ${r.tag}`);
    }
    if (args.values.json) ctx.stdout.write(`${JSON.stringify({ base, images: results.map(({ ms, ...r }) => ({ ...r, buildMs: ms })) }, null, 2)}\n`);
    else for (const r of results) ctx.stdout.write(`${r.name.padEnd(18)} ${r.tag}  ${r.built ? `built in ${(r.ms / 1000).toFixed(1)} s` : 'up to date'}\n`);
    return 0;
  },
};
