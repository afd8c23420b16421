import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFirmware } from '../../harness/firmware/index.js';
import { buildSquashfs, wrapTplink } from '../../test/integration/firmware/helpers/test-firmware.js';
import { runUnpackFuzz } from '../../test/support/unpack-fuzz.js';

/**
 * The unpacker soak: FUZZ_CASES seeded hostile images (default 5,000,
 * seed FUZZ_SEED), the same generator and invariants as the integration
 * test's 1,000. Prints how many were tried, the outcomes by code, by kind,
 * and the time per image against the reference measured in the same run
 * (the clean fixture image unpacked into a fresh cache, median of 20);
 * exits 1 only when an invariant broke.
 */
const cases = Number(process.env.FUZZ_CASES ?? 5000);
const seed = Number(process.env.FUZZ_SEED ?? 0x5eed);
const dir = await mkdtemp(join(tmpdir(), 'firmlab-bench-fuzz-'));
await mkdir(join(dir, 'fuzz'));
const started = process.hrtime.bigint();
try {
  const r = await runUnpackFuzz({ seed, cases, dir: join(dir, 'fuzz') });
  const s = Number(process.hrtime.bigint() - started) / 1e9;
  const ref = join(dir, 'reference');
  await mkdir(ref, { recursive: true });
  const clean = join(ref, 'fixture.bin');
  await writeFile(clean, wrapTplink(await buildSquashfs(ref)));
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = process.hrtime.bigint();
    await extractFirmware(clean, { out: join(ref, `out-${i}`), cacheDir: join(ref, `cache-${i}`) });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const median = times.sort((a, b) => a - b)[10]!;
  const perImage = (s * 1000) / r.cases;
  console.log(`unpack fuzz: ${r.cases} images tried (seed ${seed}) in ${s.toFixed(1)} s, ${perImage.toFixed(1)} ms per image, slowest ${r.slowestMs} ms`);
  console.log(`  reference: the clean fixture unpacked in ${median.toFixed(1)} ms (median of 20); a fuzzed image costs ${(perImage / median).toFixed(2)}x that, the slowest ${(r.slowestMs / median).toFixed(1)}x`);
  for (const [code, n] of Object.entries(r.outcomes).sort((a, b) => b[1] - a[1])) console.log(`  ${code.padEnd(34)} ${String(n).padStart(6)}`);
  console.log(`  by kind: ${Object.entries(r.kinds).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (r.failures.length > 0) {
    for (const f of r.failures) console.log(`  BROKEN: ${f}`);
    process.exitCode = 1;
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
