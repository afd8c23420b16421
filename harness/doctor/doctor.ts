import { access, statfs } from 'node:fs/promises';
import { constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { DockerEngine } from '../engine/index.js';
import { isFirmlabError } from '../errors.js';

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do when it failed. */
  fix?: string;
}

export interface DoctorOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  connect?: (env: NodeJS.ProcessEnv) => Promise<DockerEngine>;
  minFreeBytes?: number;
}

const GiB = 1024 ** 3;

/** Checks every prerequisite and says what to do about each one that fails. */
export async function runDoctor(opts: DoctorOptions = {}): Promise<CheckResult[]> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const connect = opts.connect ?? ((e) => DockerEngine.connect({ env: e }));
  const checks: CheckResult[] = [];
  let engine: DockerEngine | undefined;
  try {
    engine = await connect(env);
    const v = await engine.version();
    checks.push({ name: 'engine', ok: true, detail: `Docker engine ${v.version} (API ${v.apiVersion}) at ${engine.client.endpoint}` });
  } catch (e) {
    checks.push({ name: 'engine', ok: false, detail: message(e), fix: 'run `make setup` (installs docker.io and starts dockerd)' });
  }
  const hasDebootstrap = await onPath('debootstrap', env);
  if (engine) {
    const base = engine.baseImage;
    const present = await engine.imageExists(base);
    const buildable = base === 'firmlab/base:bookworm' && hasDebootstrap;
    checks.push({
      name: 'base-image', ok: present || buildable,
      detail: present ? `${base} present` : buildable ? `${base} missing, buildable with debootstrap` : `${base} missing and not buildable here`,
      fix: present || buildable ? undefined : base === 'firmlab/base:bookworm' ? 'apt-get install debootstrap' : `load ${base} into the engine (firmlab never pulls)`,
    });
    checks.push(await emulatorCheck(engine));
  } else {
    checks.push({ name: 'base-image', ok: false, detail: 'not checked: no engine', fix: 'start the engine first' });
    checks.push({ name: 'emulator-image', ok: false, detail: 'not checked: no engine', fix: 'start the engine first' });
  }
  checks.push(await diskCheck(cwd, opts.minFreeBytes ?? 5 * GiB));
  checks.push(await tunCheck());
  for (const tool of ['unsquashfs', 'debootstrap']) {
    const ok = tool === 'debootstrap' ? hasDebootstrap : await onPath(tool, env);
    checks.push({ name: `tool:${tool}`, ok, detail: ok ? `${tool} found` : `${tool} not on PATH`, fix: ok ? undefined : 'run `make setup`' });
  }
  return checks;
}

async function emulatorCheck(engine: DockerEngine): Promise<CheckResult> {
  const name = 'emulator-image';
  let tag: string;
  try {
    tag = await engine.imageTag('emulator');
  } catch {
    return { name, ok: false, detail: 'images/emulator has no build context yet', fix: 'update your checkout' };
  }
  if (!(await engine.imageExists(tag))) {
    return { name, ok: false, detail: `${tag} not built`, fix: 'run `firmlab images build`' };
  }
  const session = `doctor-${process.pid}`;
  const c = await engine.createContainer({ image: tag, owner: { session, role: 'doctor' }, entrypoint: ['qemu-system-aarch64'], cmd: ['--version'] });
  try {
    await c.start();
    const code = await c.wait();
    const out: string[] = [];
    await c.logs((l) => out.push(l), new AbortController().signal);
    const ok = code === 0 && /QEMU emulator version/.test(out.join('\n'));
    return { name, ok, detail: ok ? `${tag}: ${out[0]}` : `${tag}: qemu-system-aarch64 --version exited ${code}`, fix: ok ? undefined : 'run `firmlab images build --force`' };
  } finally {
    await c.remove();
  }
}

async function diskCheck(dir: string, min: number): Promise<CheckResult> {
  const s = await statfs(dir);
  const free = s.bavail * s.bsize;
  const ok = free >= min;
  return {
    name: 'disk', ok, detail: `${(free / GiB).toFixed(1)} GiB free in ${dir}`,
    fix: ok ? undefined : `free at least ${(min / GiB).toFixed(0)} GiB (images, extracted firmware and run directories)`,
  };
}

async function tunCheck(): Promise<CheckResult> {
  try {
    await access('/dev/net/tun', constants.R_OK | constants.W_OK);
    return { name: 'tun', ok: true, detail: '/dev/net/tun available' };
  } catch {
    return { name: 'tun', ok: false, detail: '/dev/net/tun missing', fix: 'modprobe tun (labs need tap devices)' };
  }
}

async function onPath(tool: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const dirs = (env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin']);
  for (const d of dirs) {
    try {
      await access(join(d, tool), constants.X_OK);
      return true;
    } catch { /* next */ }
  }
  return false;
}

function message(e: unknown): string {
  return isFirmlabError(e) ? e.toLine() : String((e as Error)?.message ?? e);
}
