import mediansorted from '@stdlib/stats-base-mediansorted';
import stdev from '@stdlib/stats-base-stdev';
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExpectation } from '../../harness/analysis/index.js';
import { projectRoot } from '../../harness/paths.js';
import type { RunReport } from '../../harness/report/index.js';

/**
 * Repeatability soak (#14): the bundled HomeShield scenario SOAK_RUNS times
 * (default 20), one after another. Prints how many runs gave the verdict set
 * the first run gave (expectation and status), and for every measured count
 * (per build, window and domain) its median, spread (min-max) and standard
 * deviation. Not part of `make bench` (about 70 s a run): `bash bench/soak/soak.sh`.
 */
const runs = Number(process.env.SOAK_RUNS ?? 20);
const scenario = join(projectRoot(), 'scenarios/homeshield-dns-request-logic.yaml');
const dir = await mkdtemp(join(tmpdir(), 'firmlab-soak-'));
const sets: string[] = [];
const counts = new Map<string, number[]>();
const exits: number[] = [];
const wall: number[] = [];
try {
  for (let i = 1; i <= runs; i++) {
    const started = Date.now();
    const r = await execa('node', [join(projectRoot(), 'dist/harness/cli/main.js'), 'run', scenario, '--report-dir', join(dir, String(i)), '--reporter', 'json'], { reject: false });
    wall.push(Date.now() - started);
    exits.push(r.exitCode ?? -1);
    const report = JSON.parse(await readFile(join(dir, String(i), 'report.json'), 'utf8')) as RunReport;
    sets.push(report.analysis.verdicts.map((v) => `${describeExpectation(v.expectation)}: ${v.status}`).sort().join('\n'));
    for (const w of report.analysis.windowStats) {
      const key = `${w.build}/${w.window} ${w.domain}`;
      counts.set(key, [...(counts.get(key) ?? []), w.count]);
    }
    process.stderr.write(`soak: run ${i}/${runs} exit ${r.exitCode} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  const same = sets.filter((s) => s === sets[0]).length;
  console.log(`soak: ${runs} runs of ${scenario.slice(projectRoot().length + 1)}; ${same} of ${runs} gave the first run's verdict set; exit codes ${[...new Set(exits)].map((e) => `${e} x${exits.filter((x) => x === e).length}`).join(', ')}`);
  if (same < runs) for (const [i, s] of sets.entries()) if (s !== sets[0]) console.log(`  run ${i + 1} differed:\n    ${s.split('\n').join('\n    ')}`);
  const sortedWall = [...wall].sort((a, b) => a - b);
  console.log(`  wall time per run: median ${(mediansorted(runs, sortedWall, 1) / 1000).toFixed(1)} s, ${(sortedWall[0]! / 1000).toFixed(1)}-${(sortedWall.at(-1)! / 1000).toFixed(1)} s`);
  console.log('  measured count (build/window domain)        median   min-max   stdev');
  for (const [key, xs] of counts) {
    const s = [...xs].sort((a, b) => a - b);
    console.log(`  ${key.padEnd(44)} ${String(mediansorted(s.length, s, 1)).padStart(6)}   ${`${s[0]}-${s.at(-1)}`.padStart(7)}   ${stdev(s.length, 1, s, 1).toFixed(2).padStart(5)}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
