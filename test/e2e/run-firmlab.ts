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

/**
 * The smallest passing scenario on the fixture's fixed build: boot, switch
 * HomeShield off, one quiet window. For tests about the run around it
 * (concurrency, kills), not about verdicts.
 */
export function quietScenario(name: string, o: { bootTimeout: string; observe: string }): string {
  return `
name: ${name}
builds:
  new: ${fixture('archer-ax55v1-1.0.9.bin')}
lab:
  upstream:
    - { match: "*.safethings.avira.com", answer: 203.0.113.10, ttl: 10 }
steps:
  - boot: { timeout: ${o.bootTimeout} }
  - set: { homeshield: off }
  - observe: { for: ${o.observe}, as: disabled }
expect:
  - { build: new, window: disabled, domain: "*.safethings.avira.com", none: true }
`;
}
