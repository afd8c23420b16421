#!/usr/bin/env node
import { COMMANDS } from './registry.js';
import { runCli } from './run-cli.js';

const controller = new AbortController();
let interrupts = 0;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    // First signal: let the command clean up (containers, networks). Second: give up.
    if (++interrupts > 1) process.exit(130);
    process.stderr.write(`\nfirmlab: ${sig}, cleaning up (again to force)\n`);
    controller.abort(new Error(sig));
  });
}

const code = await runCli(COMMANDS, process.argv.slice(2), {
  stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal: controller.signal,
});
process.exitCode = code;
