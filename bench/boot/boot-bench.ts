import mediansorted from '@stdlib/stats-base-mediansorted';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerEngine, newId } from '../../harness/engine/index.js';
import { BootStrategy } from '../../harness/emulator/boot-strategy.js';
import { bootFirmware, type BootResult } from '../../harness/lab/boot-firmware.js';
import { projectRoot } from '../../harness/paths.js';
import { TinyLab } from '../../test/integration/emulator/tiny-lab.js';

// Targets from issues 4 and 9; reported against, never enforced.
const TARGET_READY_MS = 8000;
const TARGET_REAL_READY_MS = 15_000;
const TARGET_MEMORY_BYTES = 200 * 2 ** 20;
const BOOTS = Number(process.env.FIRMLAB_BENCH_BOOTS ?? 5);

interface Sample { readyMs: number; kernelUpMs?: number; initStartedMs?: number; peakBytes?: number; rssBytes?: number }

const mib = (b: number | undefined) => (b === undefined ? '-' : `${(b / 2 ** 20).toFixed(0)} MiB`);
const sec = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return mediansorted(s.length, s, 1); };
const max = (xs: number[]) => Math.max(...xs);

/** One `firmlab boot` as the CLI runs it: from the call to ready, plus the container's memory at ready. */
async function bootOnce(engine: DockerEngine, file: string, timeoutMs = 60_000): Promise<Sample> {
  const dir = await mkdtemp(join(tmpdir(), 'fl-bench-boot-'));
  try {
    const t0 = performance.now();
    let readyAt = 0;
    const r: BootResult = await bootFirmware(engine, {
      file, session: `bench-${newId()}`, run: 'router', runDir: join(dir, 'run'), timeoutMs,
    }, () => { readyAt = performance.now(); });
    return { readyMs: readyAt - t0, kernelUpMs: r.phases.kernelUpMs, initStartedMs: r.phases.initStartedMs, peakBytes: r.memoryPeakBytes, rssBytes: r.qemuRssBytes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function summary(name: string, xs: Sample[], targetMs = TARGET_READY_MS): string {
  const ready = xs.map((x) => x.readyMs);
  const phase = (k: 'kernelUpMs' | 'initStartedMs') => { const v = xs.flatMap((x) => (x[k] === undefined ? [] : [x[k]!])); return v.length ? median(v) : undefined; };
  const peak = xs.flatMap((x) => (x.peakBytes === undefined ? [] : [x.peakBytes]));
  const rss = xs.flatMap((x) => (x.rssBytes === undefined ? [] : [x.rssBytes]));
  const peakMax = peak.length ? max(peak) : undefined;
  return [
    `${name.padEnd(26)} median ${sec(median(ready)).padStart(7)}  max ${sec(max(ready)).padStart(7)}`,
    `kernel up ${sec(phase('kernelUpMs')).padStart(7)}  init ${sec(phase('initStartedMs')).padStart(7)}`,
    `container peak ${mib(peakMax).padStart(8)}  QEMU RSS max ${mib(rss.length ? max(rss) : undefined).padStart(8)}`,
    `[ready ${median(ready) < targetMs ? 'under' : 'OVER'} ${targetMs / 1000} s; memory ${peakMax === undefined ? 'n/a' : peakMax < TARGET_MEMORY_BYTES ? 'under' : 'OVER'} 200 MB]`,
  ].join('  ');
}

async function main(): Promise<void> {
  const engine = await DockerEngine.connect();
  await engine.buildImage('emulator');
  const fixture = (v: string) => join(projectRoot(), 'build', 'firmware', `archer-ax55v1-${v}.bin`);
  const out: string[] = [`boot benchmark: ${BOOTS} boots per build, sequential (2 cores, TCG)`];
  const medians: Record<string, number> = {};

  for (const v of ['1.0.7', '1.0.9']) {
    await bootOnce(engine, fixture(v)); // warm: firmware cache, page cache
    const xs: Sample[] = [];
    for (let i = 0; i < BOOTS; i++) xs.push(await bootOnce(engine, fixture(v)));
    medians[v] = median(xs.map((x) => x.readyMs));
    out.push(summary(`firmware ${v}`, xs));
  }

  // Real firmware (test/fixtures/real): OpenWrt 15.05.1 on the malta-be kernel, ready when LuCI answers.
  const openwrt = join(projectRoot(), 'test', 'fixtures', 'real', 'openwrt-15.05.1-r49587-ar71xx-tl-wr841n-v9-squashfs-factory.bin');
  await bootOnce(engine, openwrt, 150_000);
  const real: Sample[] = [];
  for (let i = 0; i < BOOTS; i++) real.push(await bootOnce(engine, openwrt, 150_000));
  out.push(summary('OpenWrt 15.05.1 (MIPS)', real, TARGET_REAL_READY_MS));
  out.push(`  OpenWrt / fixture 1.0.9 = ${(median(real.map((x) => x.readyMs)) / medians['1.0.9']!).toFixed(2)}x`);

  const t0 = performance.now();
  const pair = await Promise.all(['1.0.7', '1.0.9'].map((v) => bootOnce(engine, fixture(v))));
  const both = max(pair.map((p) => p.readyMs));
  out.push(`2 labs in parallel         both ready ${sec(both)} (wall ${sec(performance.now() - t0)} incl. teardown); vs one: ${(both / medians['1.0.9']!).toFixed(2)}x`);

  // Reference: a tiny busybox guest (same kernel, QEMU, container, readiness: marker + web UI).
  const tiny = new TinyLab();
  try {
    await tiny.up();
    const ref: number[] = [];
    for (let i = 0; i < 3; i++) {
      const emu = await tiny.emulator(`ref${i}`);
      const boot = new BootStrategy(emu, { timeoutMs: 60_000, ready: { console: /Please press Enter to activate this console\./, http: '/' } });
      await boot.boot();
      ref.push(boot.phases.readyMs!);
      await emu[Symbol.asyncDispose]();
    }
    const r = median(ref);
    out.push(`reference: tiny busybox root  median ${sec(r)} from container start to ready`);
    for (const v of ['1.0.7', '1.0.9']) out.push(`  firmware ${v} / reference = ${(medians[v]! / r).toFixed(2)}x (firmware init + prepare + lab up)`);
  } finally {
    await tiny.down();
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
