import type { DockerEngine } from '../engine/index.js';
import type { BootPhases } from '../emulator/boot-strategy.js';
import type { QemuMemory } from '../emulator/emulator-container.js';
import { nicsText } from '../emulator/guest-layout.js';
import { FirmlabError } from '../errors.js';
import { Lab, type SnapshotUse } from './lab.js';
import { prepareLab, type PrepareRequest } from './prepare-lab.js';

export interface BootRequest extends PrepareRequest {
  timeoutMs: number;
  /** Leave the router running until `signal` aborts (Ctrl-C). */
  keep?: boolean;
  now?: () => number;
}

export interface BootResult {
  runDir: string;
  firmware: Record<string, unknown> | undefined;
  kernel: string;
  /** The device profile used, why, and what it decided. */
  profile: { name: string; reason: string; lan: string; lanSource: string; nics: string; readiness: string };
  /** From the start of `bootFirmware` to each milestone. */
  phases: BootPhases & { preparedMs: number; labUpMs: number };
  webUrl: string;
  consoleSocket: string;
  container: string;
  memoryPeakBytes?: number;
  qemuMemory?: QemuMemory;
  /** Whether the router was restored from a snapshot or booted (and saved); absent with snapshots off. */
  snapshot?: SnapshotUse;
}

/**
 * `firmlab boot`: prepare, bring a lab up, boot to ready, report the phase
 * timings, and take everything down again (at once, or after `signal` aborts
 * with --keep). The run directory stays.
 */
export async function bootFirmware(engine: DockerEngine, req: BootRequest, onReady?: (r: BootResult) => void): Promise<BootResult> {
  const now = req.now ?? Date.now;
  const t0 = now();
  const prepared = await prepareLab(engine, req);
  const preparedMs = now() - t0;
  await using lab = await Lab.up(engine, { ...prepared.spec, now }, { timeoutMs: req.timeoutMs, now });
  const labUpMs = now() - t0;
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(new FirmlabError(
      'FIRMLAB_INTERRUPTED',
      `interrupted (${(req.signal?.reason as Error)?.message ?? 'aborted'}) while booting; the lab was removed, the run directory ${lab.runDir} kept`,
      { details: { runDir: lab.runDir, phases: { ...lab.boot.phases } } },
    ));
    if (req.signal?.aborted) fail();
    req.signal?.addEventListener('abort', fail, { once: true });
  });
  aborted.catch(() => undefined);
  await Promise.race([lab.start(), aborted]).catch(async (e: unknown) => {
    if (req.signal?.aborted) await lab.boot.stop().catch(() => undefined);
    throw e;
  });
  const shift = (ms: number | undefined) => (ms === undefined ? undefined : ms + labUpMs);
  const p = lab.boot.phases;
  const result: BootResult = {
    runDir: lab.runDir,
    firmware: prepared.spec.firmware,
    kernel: prepared.kernel.name,
    profile: {
      name: prepared.profile.profile.name, reason: prepared.profile.reason, lan: prepared.profile.layout.lan.guest,
      lanSource: prepared.profile.lanSource, nics: nicsText(prepared.profile.layout.nics), readiness: prepared.profile.readiness.reason,
    },
    phases: {
      preparedMs, labUpMs,
      containerStartedMs: shift(p.containerStartedMs), kernelUpMs: shift(p.kernelUpMs), initStartedMs: shift(p.initStartedMs),
      consoleMarkerMs: shift(p.consoleMarkerMs), webUiReadyMs: shift(p.webUiReadyMs), firstPacketMs: shift(p.firstPacketMs), restoredMs: shift(p.restoredMs),
      readyMs: shift(p.readyMs), readyBy: p.readyBy,
    },
    webUrl: await lab.emulator.webBaseUrl(),
    consoleSocket: lab.emulator.consoleSocketPath,
    container: lab.emulator.handle.name,
    ...(lab.snapshot && { snapshot: lab.snapshot }),
  };
  result.qemuMemory = await lab.emulator.qemuMemory().catch(() => undefined);
  result.memoryPeakBytes = (await lab.emulator.memory().catch(() => undefined))?.peak;
  onReady?.(result);
  if (req.keep) await aborted.catch(() => undefined);
  return result;
}
