import { execa } from 'execa';
import { projectRoot } from '../../harness/paths.js';
import { join } from 'node:path';

/** Runs the real CLI as a user would, in its own process; never throws on a non-zero exit. */
export async function runFirmlab(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child = execa('node', [join(projectRoot(), 'dist/harness/cli/main.js'), ...args], {
    cwd: opts.cwd ?? projectRoot(), env: opts.env, reject: false, all: false,
  });
  const r = await child;
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), pid: child.pid };
}

export function fixture(name: string): string {
  return join(projectRoot(), 'build', 'firmware', name);
}
