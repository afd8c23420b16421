import { join, resolve } from 'node:path';
import { inspectFirmware, type FirmwareImage } from '../firmware/index.js';
import { kernelFor, type KernelEntry } from '../emulator/arch-table.js';
import type { DockerEngine } from '../engine/index.js';
import { newId } from '../engine/index.js';
import { FirmlabError } from '../errors.js';
import type { DnsRule } from '../dns/index.js';
import { selectProfile, type ProfileOverrides, type SelectedProfile } from '../profiles/index.js';
import type { LabSpec } from './lab.js';
import { snapshotStore } from './snapshot-store.js';

export interface PrepareRequest {
  file: string;
  /** A kernel of the arch table by name; default: the profile's, else the fastest that runs the userland. */
  kernel?: string;
  /** A device profile by name instead of the one recognised, and fields to override (a scenario's `lab:`). */
  profile?: ProfileOverrides & { profile?: string };
  session: string;
  run: string;
  runDir: string;
  rules?: readonly DnsRule[];
  sinkhole?: boolean;
  env?: NodeJS.ProcessEnv;
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
  /** Snapshots of the ready router (LabSpec.snapshot); default `off`. The store lives in the firmware cache dir. */
  snapshot?: 'auto' | 'cold' | 'off';
  /** The emulator image tag when the caller checked it already (a run checks it once, not once per build). */
  emulatorImage?: string;
}

export interface PreparedLab {
  spec: LabSpec;
  image: FirmwareImage;
  kernel: KernelEntry;
  profile: SelectedProfile;
}

/**
 * Everything a lab needs before Docker objects exist: the firmware identified
 * and its root carved (cached by sha256), its device profile picked from the
 * root, a kernel that runs its userland, the emulator image built (skipped
 * when unchanged).
 */
export async function prepareLab(engine: DockerEngine, req: PrepareRequest): Promise<PreparedLab> {
  req.onProgress?.(`identifying ${req.file}`);
  const inspected = await inspectFirmware(req.file, { env: req.env, signal: req.signal });
  const image = inspected.image;
  if (!inspected.rootfsImage || !inspected.view) throw new FirmlabError('FIRMLAB_FIRMWARE_NO_ROOT', `${req.file}: no root filesystem part to boot`);
  const arch = image.cpu?.archKey;
  if (!arch) throw new FirmlabError('FIRMLAB_FIRMWARE_NO_ARCH', `${req.file}: no ELF binary in the root to tell its CPU architecture`);
  const selected = await selectProfile(inspected.view, req.profile);
  const kernel = kernelFor(arch, req.kernel ?? selected.profile.kernel);
  req.onProgress?.(`${image.format} ${image.header?.versionString ?? ''} (${arch}); profile ${selected.profile.name} (${selected.reason}); kernel ${kernel.name}`);
  const { tag, built } = req.emulatorImage !== undefined ? { tag: req.emulatorImage, built: false } : await engine.buildImage('emulator', { onProgress: req.onProgress });
  if (built) req.onProgress?.(`built ${tag}`);
  const r = selected.readiness;
  return {
    image,
    kernel,
    profile: selected,
    spec: {
      session: req.session, run: req.run, runDir: resolve(req.runDir), rootfsImage: inspected.rootfsImage, kernel,
      layout: selected.layout,
      ready: { ...(r.console !== undefined && { console: new RegExp(r.console) }), ...(r.http !== undefined && { http: r.http }) },
      emulatorImage: tag, rules: req.rules ?? [], sinkhole: req.sinkhole,
      ...(req.snapshot !== undefined && req.snapshot !== 'off' && { snapshot: { store: snapshotStore(req.env ?? process.env), mode: req.snapshot } }),
      ...(selected.profile.console.afterRestore !== undefined && { afterRestore: selected.profile.console.afterRestore }),
      firmware: {
        path: resolve(req.file), sha256: image.sha256, format: image.format, version: image.header?.versionString, arch,
        profile: { name: selected.profile.name, reason: selected.reason, lan: selected.layout.lan.guest, lanSource: selected.lanSource, readiness: r.reason, persistence: selected.profile.persistence },
      },
    },
  };
}

/** `.firmlab/runs/<runid>` under the working directory, unless the user chose one. */
export function defaultRunDir(cwd: string, runId: string = newId()): string {
  return join(cwd, '.firmlab', 'runs', runId);
}
