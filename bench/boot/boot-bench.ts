import mediansorted from '@stdlib/stats-base-mediansorted';
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerEngine, newId } from '../../harness/engine/index.js';
import { BootStrategy } from '../../harness/emulator/boot-strategy.js';
import { bootFirmware, type BootResult } from '../../harness/lab/boot-firmware.js';
import { Lab } from '../../harness/lab/lab.js';
import { prepareLab } from '../../harness/lab/prepare-lab.js';
import { projectRoot } from '../../harness/paths.js';
import type { RunReport } from '../../harness/report/index.js';
import { loadScenario } from '../../harness/scenario/load-scenario.js';
import { TinyLab } from '../../test/integration/emulator/tiny-lab.js';

// Targets from issues 4, 9 and 12; reported against, never enforced.
const TARGET_READY_MS = 8000;
const TARGET_REAL_READY_MS = 15_000;
const TARGET_RESTORE_MS = 1000;
const TARGET_REAL_RESTORE_MS = 2000;
const TARGET_MEMORY_BYTES = 200 * 2 ** 20;
const TARGET_ROUTER_RSS_BYTES = 100 * 2 ** 20;
const TARGET_OVERHEAD_MS = 5000;
const BOOTS = Number(process.env.FIRMLAB_BENCH_BOOTS ?? 5);
const LABS_AT_ONCE = (process.env.FIRMLAB_BENCH_LABS ?? '1,2,4').split(',').map(Number);

interface Sample { readyMs: number; kernelUpMs?: number; initStartedMs?: number; peakBytes?: number; rssBytes?: number; privateBytes?: number; restored: boolean }

const mib = (b: number | undefined) => (b === undefined ? '-' : `${(b / 2 ** 20).toFixed(0)} MiB`);
const sec = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return mediansorted(s.length, s, 1); };
const max = (xs: number[]) => Math.max(...xs);

/**
 * One `firmlab boot` as the CLI runs it: from the call to ready (its phases),
 * plus the container's memory at ready. `cacheDir` holds the firmware cache
 * and the snapshots; `snapshot` says whether to use them.
 */
async function bootOnce(engine: DockerEngine, file: string, o: { cacheDir: string; snapshot: 'auto' | 'off'; timeoutMs?: number; kernel?: string }): Promise<Sample> {
  const dir = await mkdtemp(join(tmpdir(), 'fl-bench-boot-'));
  try {
    const r: BootResult = await bootFirmware(engine, {
      file, session: `bench-${newId()}`, run: 'router', runDir: join(dir, 'run'), timeoutMs: o.timeoutMs ?? 60_000,
      env: { ...process.env, FIRMLAB_CACHE_DIR: o.cacheDir }, snapshot: o.snapshot, ...(o.kernel !== undefined && { kernel: o.kernel }),
    });
    return {
      readyMs: r.phases.readyMs!, kernelUpMs: r.phases.kernelUpMs, initStartedMs: r.phases.initStartedMs,
      peakBytes: r.memoryPeakBytes, rssBytes: r.qemuMemory?.rssBytes, privateBytes: r.qemuMemory?.privateBytes, restored: r.snapshot?.restored === true,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function boots(engine: DockerEngine, file: string, o: Parameters<typeof bootOnce>[2]): Promise<Sample[]> {
  await bootOnce(engine, file, o); // warm: firmware cache, page cache, and (auto) the snapshot
  const xs: Sample[] = [];
  for (let i = 0; i < BOOTS; i++) xs.push(await bootOnce(engine, file, o));
  return xs;
}

function summary(name: string, xs: Sample[], targetMs: number): string {
  const ready = xs.map((x) => x.readyMs);
  const phase = (k: 'kernelUpMs' | 'initStartedMs') => { const v = xs.flatMap((x) => (x[k] === undefined ? [] : [x[k]!])); return v.length ? median(v) : undefined; };
  const peak = xs.flatMap((x) => (x.peakBytes === undefined ? [] : [x.peakBytes]));
  const rss = xs.flatMap((x) => (x.rssBytes === undefined ? [] : [x.rssBytes]));
  const own = xs.flatMap((x) => (x.privateBytes === undefined ? [] : [x.privateBytes]));
  const peakMax = peak.length ? max(peak) : undefined;
  const restored = xs.filter((x) => x.restored).length;
  return [
    `${name.padEnd(34)} median ${sec(median(ready)).padStart(7)}  max ${sec(max(ready)).padStart(7)}`,
    `kernel up ${sec(phase('kernelUpMs')).padStart(7)}  init ${sec(phase('initStartedMs')).padStart(7)}`,
    `container peak ${mib(peakMax).padStart(8)}  QEMU RSS max ${mib(rss.length ? max(rss) : undefined).padStart(8)} (its own ${mib(own.length ? max(own) : undefined)})`,
    `${restored}/${xs.length} restored`,
    `[ready ${median(ready) < targetMs ? 'under' : 'OVER'} ${targetMs / 1000} s; memory ${peakMax === undefined ? 'n/a' : peakMax < TARGET_MEMORY_BYTES ? 'under' : 'OVER'} 200 MB]`,
  ].join('  ');
}

/** QEMU's CPU time in clock ticks (it is PID 1 of the container: lab-entry.sh execs it). */
async function qemuTicks(lab: Lab): Promise<number> {
  const r = await lab.emulator.handle.exec(['cat', '/proc/1/stat'], { timeoutMs: 10_000 });
  const fields = r.stdout.slice(r.stdout.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15)
}

/**
 * N fixture labs restored at once, each router left running: QEMU's CPU (as %
 * of one core, over 10 s) and RSS per router once all are ready.
 */
async function labsAtOnce(engine: DockerEngine, file: string, cacheDir: string, n: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fl-bench-labs-'));
  const session = `bench-labs-${newId()}`;
  const labs: Lab[] = [];
  try {
    await Promise.all(Array.from({ length: n }, async (_, i) => {
      const p = await prepareLab(engine, { file, session, run: `r${i}`, runDir: join(dir, `r${i}`), env: { ...process.env, FIRMLAB_CACHE_DIR: cacheDir }, snapshot: 'auto' });
      const lab = await Lab.up(engine, p.spec, { timeoutMs: 120_000 });
      labs.push(lab);
      await lab.start();
    }));
    await new Promise((r) => setTimeout(r, 3000));
    const t0 = await Promise.all(labs.map(qemuTicks));
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, 10_000));
    const t1 = await Promise.all(labs.map(qemuTicks));
    const seconds = (performance.now() - w0) / 1000;
    const hz = Number((await execa('getconf', ['CLK_TCK'])).stdout) || 100;
    const cpu = t1.map((t, i) => ((t - t0[i]!) / hz / seconds) * 100);
    const memory = await Promise.all(labs.map((l) => l.emulator.qemuMemory()));
    const rss = memory.map((m) => m.rssBytes);
    // What one more router costs: its PSS (QEMU's binary and libraries are the same pages in every lab, divided among them).
    const pss = memory.map((m) => m.pssBytes);
    const restored = labs.filter((l) => l.snapshot?.restored).length;
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    return `  ${String(n).padStart(2)} at once (${restored} restored): per router CPU median ${median(cpu).toFixed(0)}% (max ${max(cpu).toFixed(0)}%) of a core, RSS median ${mib(median(rss))} (max ${mib(max(rss))}), PSS median ${mib(median(pss))}; all ${sum(cpu).toFixed(0)}% CPU, PSS ${mib(sum(pss))} [RSS ${median(rss) < TARGET_ROUTER_RSS_BYTES ? 'under' : 'OVER'} 100 MiB, PSS ${median(pss) < TARGET_ROUTER_RSS_BYTES ? 'under' : 'OVER'} 100 MiB]`;
  } finally {
    await Promise.all(labs.map((l) => l.down().catch(() => undefined)));
    await rm(dir, { recursive: true, force: true });
  }
}

/** The bundled HomeShield scenario as `make demo` runs it: wall time, and what is not observation. */
async function scenarioRun(cacheDir: string, snapshots: boolean): Promise<{ wallMs: number; overheadMs: number; restored: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'fl-bench-scenario-'));
  try {
    const file = join(projectRoot(), 'scenarios', 'homeshield-dns-request-logic.yaml');
    const t0 = performance.now();
    await execa('node', [join(projectRoot(), 'dist/harness/cli/main.js'), 'run', file, '--report-dir', dir, ...(snapshots ? [] : ['--no-snapshot'])], {
      env: { ...process.env, FIRMLAB_CACHE_DIR: cacheDir, FIRMLAB_SNAPSHOTS: snapshots ? 'on' : 'off' },
    });
    const wallMs = performance.now() - t0;
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
    // Builds run side by side, each through the same steps: the evidence time is one build's windows.
    const observed = (await loadScenario(file)).steps.reduce((ms, st) => ms + (st.kind === 'observe' ? st.forMs : 0), 0);
    return { wallMs, overheadMs: wallMs - observed, restored: report.builds.filter((b) => b.snapshot?.restored).length };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const engine = await DockerEngine.connect();
  await engine.buildImage('emulator');
  const cacheDir = await mkdtemp(join(tmpdir(), 'fl-bench-cache-'));
  const fixture = (v: string) => join(projectRoot(), 'build', 'firmware', `archer-ax55v1-${v}.bin`);
  const openwrt = join(projectRoot(), 'test', 'fixtures', 'real', 'openwrt-15.05.1-r49587-ar71xx-tl-wr841n-v9-squashfs-factory.bin');
  const out: string[] = [`boot benchmark: ${BOOTS} boots per row, sequential (2 cores, TCG); ready is measured from the call, as firmlab boot prints it`];
  const medians: Record<string, number> = {};
  const row = (name: string, xs: Sample[], target: number) => {
    medians[name] = median(xs.map((x) => x.readyMs));
    out.push(summary(name, xs, target));
  };

  try {
    for (const v of ['1.0.7', '1.0.9']) row(`fixture ${v} cold`, await boots(engine, fixture(v), { cacheDir, snapshot: 'off' }), TARGET_READY_MS);
    // The fixture profile's kernel is arm64-virt (images/kernel-virt); Debian's generic arm64 one is the memory reference.
    row('fixture 1.0.9 cold, Debian arm64', await boots(engine, fixture('1.0.9'), { cacheDir, snapshot: 'off', kernel: 'arm64' }), TARGET_READY_MS);
    row('fixture 1.0.9 from snapshot', await boots(engine, fixture('1.0.9'), { cacheDir, snapshot: 'auto' }), TARGET_RESTORE_MS);
    out.push(`  fixture 1.0.9: cold / restored = ${(medians['fixture 1.0.9 cold']! / medians['fixture 1.0.9 from snapshot']!).toFixed(1)}x`);

    // Real firmware (test/fixtures/real): OpenWrt 15.05.1 on the malta-be kernel, ready when its web UI answers.
    row('OpenWrt 15.05.1 (MIPS) cold', await boots(engine, openwrt, { cacheDir, snapshot: 'off', timeoutMs: 150_000 }), TARGET_REAL_READY_MS);
    row('OpenWrt 15.05.1 from snapshot', await boots(engine, openwrt, { cacheDir, snapshot: 'auto', timeoutMs: 150_000 }), TARGET_REAL_RESTORE_MS);
    out.push(`  OpenWrt: cold / restored = ${(medians['OpenWrt 15.05.1 (MIPS) cold']! / medians['OpenWrt 15.05.1 from snapshot']!).toFixed(1)}x; OpenWrt cold / fixture 1.0.9 cold = ${(medians['OpenWrt 15.05.1 (MIPS) cold']! / medians['fixture 1.0.9 cold']!).toFixed(2)}x`);

    const t0 = performance.now();
    const pair = await Promise.all(['1.0.7', '1.0.9'].map((v) => bootOnce(engine, fixture(v), { cacheDir, snapshot: 'off' })));
    const both = max(pair.map((p) => p.readyMs));
    out.push(`2 cold labs in parallel            both ready ${sec(both)} (wall ${sec(performance.now() - t0)} incl. teardown); vs one: ${(both / medians['fixture 1.0.9 cold']!).toFixed(2)}x`);

    out.push('fixture labs at once on this machine (restored, each router running):');
    for (const n of LABS_AT_ONCE) out.push(await labsAtOnce(engine, fixture('1.0.7'), cacheDir, n));

    const cold = await scenarioRun(cacheDir, false);
    await scenarioRun(cacheDir, true); // saves both builds' snapshots (1.0.9's is there already)
    const warm = await scenarioRun(cacheDir, true);
    out.push(`bundled scenario (homeshield-dns-request-logic, 2 builds side by side, 60 s of windows each):`);
    out.push(`  cold boots:      wall ${sec(cold.wallMs)}, overhead (wall minus windows) ${sec(cold.overheadMs)}`);
    out.push(`  from snapshots:  wall ${sec(warm.wallMs)}, overhead ${sec(warm.overheadMs)} (${warm.restored} of 2 restored) [overhead ${warm.overheadMs < TARGET_OVERHEAD_MS ? 'under' : 'OVER'} ${TARGET_OVERHEAD_MS / 1000} s]; cold / snapshots overhead = ${(cold.overheadMs / warm.overheadMs).toFixed(1)}x`);

    // Reference: a tiny busybox guest (same kernel, QEMU, container, readiness: marker + web UI).
    const tiny = new TinyLab();
    try {
      await tiny.up();
      const ref: number[] = [];
      for (let i = 0; i < 3; i++) {
        const emu = await tiny.emulator(`ref${i}`, 'arm64-virt');
        const boot = new BootStrategy(emu, { timeoutMs: 60_000, ready: { console: /Please press Enter to activate this console\./, http: '/' } });
        await boot.boot();
        ref.push(boot.phases.readyMs!);
        await emu[Symbol.asyncDispose]();
      }
      const r = median(ref);
      out.push(`reference: tiny busybox root  median ${sec(r)} from container start to ready`);
      for (const v of ['1.0.7', '1.0.9']) out.push(`  fixture ${v} cold / reference = ${(medians[`fixture ${v} cold`]! / r).toFixed(2)}x (firmware init + prepare + lab up)`);
    } finally {
      await tiny.down();
    }
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
