import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../../harness/cli/run-cli.js';
import type { CommandContext } from '../../../../harness/cli/command.js';
import { extractCommand } from '../../../../harness/cli/commands/extract.js';
import { inspectCommand } from '../../../../harness/cli/commands/inspect.js';

/** `firmlab <argv>` through the CLI runner with the cache in `dir`/cache (from the env, as a user would set it). */
export async function firmlabCli(dir: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { stdout: '', stderr: '' };
  out.on('data', (d) => (chunks.stdout += d));
  err.on('data', (d) => (chunks.stderr += d));
  const ctx: CommandContext = { stdout: out, stderr: err, env: { FIRMLAB_CACHE_DIR: join(dir, 'cache') }, cwd: dir, signal: new AbortController().signal };
  const code = await runCli([inspectCommand, extractCommand], argv, ctx);
  return { code, ...chunks };
}

export function inspectCli(dir: string, file: string, ...flags: string[]): ReturnType<typeof firmlabCli> {
  return firmlabCli(dir, 'inspect', file, ...flags);
}
