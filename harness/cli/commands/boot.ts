import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { DockerEngine, newId } from '../../engine/index.js';
import { bootFirmware, type BootResult } from '../../lab/boot-firmware.js';
import { defaultRunDir } from '../../lab/prepare-lab.js';
import { parseDuration } from '../../scenario/duration.js';
import { UsageError } from '../../errors.js';
import { ARCH_TABLE } from '../../emulator/index.js';
import { PROFILE_NAMES } from '../../profiles/index.js';
import { snapshotSetting } from '../../lab/snapshot-store.js';
import { snapshotText } from '../../lab/lab.js';

export const bootCommand: Command = {
  path: ['boot'],
  summary: 'boot a firmware image in a sealed lab until it is ready (web UI, console line or first packet, as its profile says), print phase timings, stop',
  usage: 'firmlab boot <file> [--timeout 60s] [--kernel arm64|arm64-virt|armhf|malta-be|malta-le] [--profile NAME] [--run-dir DIR] [--keep] [--no-snapshot] [--json]',
  options: {
    timeout: { type: 'string' }, kernel: { type: 'string' }, profile: { type: 'string' }, 'run-dir': { type: 'string' },
    keep: { type: 'boolean' }, json: { type: 'boolean' }, 'no-snapshot': { type: 'boolean' },
  },
  async run(args, ctx) {
    const file = args.positionals[0];
    if (!file || args.positionals.length > 1) throw new UsageError('boot takes exactly one firmware file');
    const kernel = args.values.kernel as string | undefined;
    const kernels = ARCH_TABLE.map((k) => k.name);
    if (kernel !== undefined && !kernels.includes(kernel)) throw new UsageError(`--kernel must be one of ${kernels.join(', ')}, not ${kernel}`);
    const profile = args.values.profile as string | undefined;
    if (profile !== undefined && !PROFILE_NAMES.includes(profile)) throw new UsageError(`--profile must be one of ${PROFILE_NAMES.join(', ')}, not ${profile}`);
    let timeoutMs = 60_000;
    try {
      if (typeof args.values.timeout === 'string') timeoutMs = parseDuration(args.values.timeout);
    } catch {
      throw new UsageError(`--timeout must be a duration such as 60s or 2m, not ${args.values.timeout}`);
    }
    const runId = newId();
    const runDir = typeof args.values['run-dir'] === 'string' ? resolve(ctx.cwd, args.values['run-dir']) : defaultRunDir(ctx.cwd, runId);
    const engine = await DockerEngine.connect({ env: ctx.env });
    await engine.reapOrphans();
    const progress = (l: string) => ctx.stderr.write(`boot: ${l}\n`);
    const keep = Boolean(args.values.keep);
    const result = await bootFirmware(engine, {
      file: resolve(ctx.cwd, file), kernel, profile: profile === undefined ? undefined : { profile }, session: `boot-${runId}`, run: 'router', runDir, timeoutMs, keep,
      env: ctx.env, signal: ctx.signal, onProgress: progress,
      snapshot: snapshotSetting(Boolean(args.values['no-snapshot']), ctx.env),
    }, (r) => {
      if (!keep) return;
      ctx.stderr.write(`ready. web UI: ${r.webUrl}  console: socat - UNIX-CONNECT:${r.consoleSocket}  (Ctrl-C stops and removes the lab)\n`);
    });
    if (args.values.json) ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else ctx.stdout.write(formatBoot(result));
    return 0;
  },
};

const mibText = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function formatBoot(r: BootResult): string {
  const ms = (v: number | undefined) => (v === undefined ? '-' : `${(v / 1000).toFixed(2)} s`);
  const p = r.phases;
  return [
    `booted ${r.firmware?.path ?? ''} (${r.firmware?.version ?? ''}) on the ${r.kernel} kernel`,
    `  profile            ${r.profile.name} (${r.profile.reason}); LAN ${r.profile.lan} from ${r.profile.lanSource}; ${r.profile.nics}`,
    `  firmware prepared  ${ms(p.preparedMs)}`, `  lab up             ${ms(p.labUpMs)}`,
    `  container started  ${ms(p.containerStartedMs)}`, `  kernel up          ${ms(p.kernelUpMs)}`, `  firmware init      ${ms(p.initStartedMs)}`,
    `  console marker     ${ms(p.consoleMarkerMs)}`, `  web UI ready       ${ms(p.webUiReadyMs)}`,
    `  first WAN packet   ${ms(p.firstPacketMs)}`,
    `  ready              ${ms(p.readyMs)}  by ${(p.readyBy ?? []).join(' and ') || '-'} (${r.profile.readiness})`,
    r.snapshot ? `  snapshot           ${snapshotText(r.snapshot)}` : '',
    r.qemuMemory ? `  QEMU RSS           ${mibText(r.qemuMemory.rssBytes)} (${mibText(r.qemuMemory.privateBytes)} its own, ${mibText(r.qemuMemory.sharedFileBytes)} of QEMU's files, shared by every router on the machine)` : '',
    `run directory: ${r.runDir}`, '',
  ].filter(Boolean).join('\n');
}
