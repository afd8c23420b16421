import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { DockerEngine, newId } from '../../engine/index.js';
import { bootFirmware, type BootResult } from '../../lab/boot-firmware.js';
import { defaultRunDir } from '../../lab/prepare-lab.js';
import { parseDuration } from '../../scenario/duration.js';
import { UsageError } from '../../errors.js';

export const bootCommand: Command = {
  path: ['boot'],
  summary: 'boot a firmware image in a sealed lab until its web UI answers, print phase timings, stop',
  usage: 'firmlab boot <file> [--timeout 60s] [--kernel arm64|armhf] [--run-dir DIR] [--keep] [--json]',
  options: {
    timeout: { type: 'string' }, kernel: { type: 'string' }, 'run-dir': { type: 'string' },
    keep: { type: 'boolean' }, json: { type: 'boolean' },
  },
  async run(args, ctx) {
    const file = args.positionals[0];
    if (!file || args.positionals.length > 1) throw new UsageError('boot takes exactly one firmware file');
    const kernel = args.values.kernel as string | undefined;
    if (kernel !== undefined && kernel !== 'arm64' && kernel !== 'armhf') throw new UsageError(`--kernel must be arm64 or armhf, not ${kernel}`);
    let timeoutMs = 60_000;
    try {
      if (typeof args.values.timeout === 'string') timeoutMs = parseDuration(args.values.timeout);
    } catch {
      throw new UsageError(`--timeout must be a duration such as 60s or 2m, not ${args.values.timeout}`);
    }
    const runId = newId();
    const runDir = typeof args.values['run-dir'] === 'string' ? resolve(ctx.cwd, args.values['run-dir']) : defaultRunDir(ctx.cwd, runId);
    const engine = await DockerEngine.connect({ env: ctx.env });
    const progress = (l: string) => ctx.stderr.write(`boot: ${l}\n`);
    const keep = Boolean(args.values.keep);
    const result = await bootFirmware(engine, {
      file: resolve(ctx.cwd, file), kernel, session: `boot-${runId}`, run: 'router', runDir, timeoutMs, keep,
      env: ctx.env, signal: ctx.signal, onProgress: progress,
    }, (r) => {
      if (!keep) return;
      ctx.stderr.write(`ready. web UI: ${r.webUrl}  console: socat - UNIX-CONNECT:${r.consoleSocket}  (Ctrl-C stops and removes the lab)\n`);
    });
    if (args.values.json) ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else ctx.stdout.write(formatBoot(result));
    return 0;
  },
};

function formatBoot(r: BootResult): string {
  const ms = (v: number | undefined) => (v === undefined ? '-' : `${(v / 1000).toFixed(2)} s`);
  const p = r.phases;
  return [
    `booted ${r.firmware?.path ?? ''} (${r.firmware?.version ?? ''}) on the ${r.kernel} kernel`,
    `  firmware prepared  ${ms(p.preparedMs)}`, `  lab up             ${ms(p.labUpMs)}`,
    `  container started  ${ms(p.containerStartedMs)}`, `  kernel up          ${ms(p.kernelUpMs)}`,
    `  console marker     ${ms(p.consoleMarkerMs)}`, `  web UI ready       ${ms(p.webUiReadyMs)}`,
    `  ready              ${ms(p.readyMs)}`,
    r.qemuRssBytes ? `  QEMU RSS           ${(r.qemuRssBytes / 2 ** 20).toFixed(0)} MiB` : '',
    `run directory: ${r.runDir}`, '',
  ].filter(Boolean).join('\n');
}
