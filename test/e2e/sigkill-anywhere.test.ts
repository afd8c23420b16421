import { expect } from 'chai';
import { execa } from 'execa';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE_FORMAT } from '../../harness/firmware/firmware-cache.js';
import { projectRoot } from '../../harness/paths.js';
import { seededRandom } from '../../harness/util/seeded-random.js';
import { quietScenario, runFirmlab } from './run-firmlab.js';

/*
 * CI kills jobs without asking (#14): `firmlab run` is killed with SIGKILL
 * at 20 seeded random moments, five rounds of four runs at once, each
 * moment in one phase: building (unpacking the firmware into a cache whose
 * entry was just removed), booting, observing, tearing down. Then one
 * normal run: it must pass, and afterwards no container or network of a
 * killed run and no temporary directory of theirs in the firmware cache
 * may be left. Nothing a killed process could run cleans up: the next
 * firmlab start must.
 */
const SEED = 20261201;
const SCENARIO = quietScenario('sigkill-anywhere', { bootTimeout: '90s', observe: '6s' });

type Phase = 'building' | 'booting' | 'observing' | 'tearing down';
/** The line that opens each phase (none: the process start) and how far into it, at most, the kill lands. */
const PHASES: Record<Phase, { after?: RegExp; withinMs: number }> = {
  building: { withinMs: 1_500 },
  booting: { after: /step 1: boot/, withinMs: 4_000 },
  observing: { after: /step 3: observe disabled/, withinMs: 5_000 },
  'tearing down': { after: /step 3 done/, withinMs: 200 },
};

const ownedBy = async (pid: number) => {
  const filter = `label=firmlab.owner.pid=${pid}`;
  const c = await execa('docker', ['ps', '-a', '--filter', filter, '--format', '{{.Names}}']);
  const n = await execa('docker', ['network', 'ls', '--filter', filter, '--format', '{{.Name}}']);
  return [...c.stdout.split('\n'), ...n.stdout.split('\n')].filter((x) => x !== '');
};

describe('e2e: SIGKILL at 20 random moments, then one normal run', function () {
  this.timeout(900_000);

  it(`leaves no lab and no temporary file of the killed runs, and the next run passes (seed ${SEED})`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firmlab-e2e-sigkill-'));
    const file = join(dir, 'scenario.yaml');
    await writeFile(file, SCENARIO);
    const cacheDir = join(dir, 'cache');
    const env = { ...process.env, FIRMLAB_CACHE_DIR: cacheDir };
    const random = seededRandom(SEED);
    const phases = Object.keys(PHASES) as Phase[];
    const moments = Array.from({ length: 20 }, (_, i) => ({ phase: phases[i % phases.length]!, fraction: random() }));
    const killed: { pid: number; phase: Phase; signal?: string; exitCode?: number }[] = [];

    for (let round = 0; round < 5; round++) {
      // Every "building" kill must find the firmware still to unpack.
      for (const e of await readdir(join(cacheDir, `v${CACHE_FORMAT}`)).catch(() => [] as string[])) {
        if (/^[0-9a-f]{64}$/.test(e)) await rm(join(cacheDir, `v${CACHE_FORMAT}`, e), { recursive: true, force: true });
      }
      await Promise.all(moments.slice(round * 4, round * 4 + 4).map(async ({ phase, fraction }, i) => {
        const child = execa('node', [join(projectRoot(), 'dist/harness/cli/main.js'), 'run', file, '--report-dir', join(dir, `killed-${round}-${i}`)],
          { env, reject: false });
        const { after, withinMs } = PHASES[phase];
        let stderr = '';
        await new Promise<void>((resolve, reject) => {
          const fire = () => setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, Math.floor(fraction * withinMs));
          const timer = setTimeout(() => reject(new Error(`${phase}: its line never came; stderr: ${stderr.slice(-800)}`)), 240_000);
          if (!after) {
            clearTimeout(timer);
            fire();
            return;
          }
          child.stderr!.on('data', (b: Buffer) => {
            const had = after.test(stderr);
            stderr += b.toString();
            if (!had && after.test(stderr)) {
              clearTimeout(timer);
              fire();
            }
          });
        });
        const r = await child;
        killed.push({ pid: child.pid!, phase, signal: r.signal, exitCode: r.exitCode });
      }));
    }
    // Every moment was a kill, not a run that got to finish first.
    expect(killed.filter((k) => k.signal !== 'SIGKILL'), JSON.stringify(killed)).to.deep.equal([]);
    expect(new Set(killed.map((k) => k.phase)).size).to.equal(4);

    const normal = await runFirmlab(['run', file, '--report-dir', join(dir, 'normal')], { env: { FIRMLAB_CACHE_DIR: cacheDir } });
    expect(normal.exitCode, normal.stderr.slice(-2000)).to.equal(0);
    for (const k of killed) expect(await ownedBy(k.pid), `${k.phase} (pid ${k.pid})`).to.deep.equal([]);
    const cacheEntries = await readdir(join(cacheDir, `v${CACHE_FORMAT}`));
    expect(cacheEntries.filter((e) => e.startsWith('.')), 'temporary dirs left in the firmware cache').to.deep.equal([]);
    await rm(dir, { recursive: true, force: true });
  });
});
