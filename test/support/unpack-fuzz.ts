import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FirmlabError } from '../../harness/errors.js';
import { extractFirmware } from '../../harness/firmware/index.js';
import { signTplinkImage } from '../../harness/firmware/formats/tplink-v1-md5.js';
import { auditTree } from '../../harness/firmware/tree-audit.js';
import { projectRoot } from '../../harness/paths.js';
import { seededRandom } from '../../harness/util/seeded-random.js';
import { buildSquashfs, snapshot, wrapTplink } from '../integration/firmware/helpers/test-firmware.js';
import { tarEntry, tarHeader, paxRecord, type TarSpec } from '../unit/firmware/helpers/tar-bytes.js';

/*
 * A seeded fuzz of the unpacker (#14): images derived from the fixture
 * firmware and the real OpenWrt images, mutated the ways a hostile or broken
 * image is (header fields, lengths and offsets; truncations at every part
 * boundary; squashfs superblocks and tables; tar roots with '..' names,
 * absolute and chained symlinks, hard links, device nodes, sparse and huge
 * files, deep trees, long names; compressed streams; junk with magic
 * numbers in it). Each must unpack entirely inside its directory or fail
 * with a FirmlabError code, within a time cap, with the size cap holding on
 * what was written; a canary tree beside the work directory and a listing
 * of the parent must not change. Shared by the integration test and
 * `make bench` (bench/unpack-fuzz), which prints the outcomes by code.
 */
export interface FuzzOptions {
  seed: number;
  cases: number;
  /** A fresh directory: the canary, the bases and each case's work directory go there. */
  dir: string;
  /** Per image; past it the case is a failure. */
  timeCapMs?: number;
  onCase?: (i: number, kind: string, outcome: string, ms: number) => void;
}

export interface FuzzResult {
  cases: number;
  /** Outcome (`ok` or an error code) -> count. */
  outcomes: Record<string, number>;
  /** Mutation kind -> count. */
  kinds: Record<string, number>;
  /** What broke an invariant, one line per case; empty when every case held. */
  failures: string[];
  slowestMs: number;
}

interface Case {
  kind: string;
  bytes: Buffer;
  maxBytes: number;
}

const SMALL_CAP = 8 * 1024 * 1024;
const REAL_CAP = 64 * 1024 * 1024;
const REAL = [
  'openwrt-15.05.1-r49587-ar71xx-tl-wr841n-v9-squashfs-factory.bin',
  'openwrt-15.05.1-r49587-ar71xx-tl-wr841n-v9-squashfs-sysupgrade.bin',
  'librarybox-2.1-openwrt-12.09-ar71xx-tl-wr703n-v1-squashfs-factory.bin',
];

/** The squashfs superblock's fields (v4, little-endian): offset and width. */
const SUPERBLOCK: [offset: number, bytes: 2 | 4 | 8][] = [
  [4, 4], [12, 4], [16, 4], [20, 2], [22, 2], [24, 2], [26, 2], [28, 2], [32, 8], [40, 8], [48, 8], [56, 8], [64, 8], [72, 8], [80, 8], [88, 8],
];
/** TP-Link v1 header words worth lying in: version, fw_length, kernel and rootfs offsets and lengths, boot, firmware version. */
const TPLINK_FIELDS = [0x00, 0x7c, 0x80, 0x84, 0x88, 0x8c, 0x90, 0x94, 0x98];

export async function runUnpackFuzz(o: FuzzOptions): Promise<FuzzResult> {
  const rand = seededRandom(o.seed);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const timeCapMs = o.timeCapMs ?? 30_000;

  // The canary: files the unpacker must never touch, beside its work directory.
  const canary = join(o.dir, 'canary');
  await mkdir(join(canary, 'etc'), { recursive: true });
  await writeFile(join(canary, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
  await writeFile(join(canary, 'keep'), 'canary\n');
  const canaryPrint = async () => {
    const h = createHash('sha256');
    for (const p of await snapshot(canary)) {
      const st = await lstat(join(canary, p));
      h.update(`${p} ${st.mode} ${st.size} ${st.mtimeMs}\n`);
      if (st.isFile()) h.update(await readFile(join(canary, p)));
    }
    return h.digest('hex');
  };
  const canaryBefore = await canaryPrint();

  const basesDir = join(o.dir, 'bases');
  await mkdir(basesDir);
  const squashfs = await buildSquashfs(basesDir);
  const fixture = wrapTplink(squashfs);
  const withLinks = wrapTplink(await buildSquashfs(basesDir, { outsideLinks: ['relative', 'absolute'] }));
  const bomb = await buildSquashfs(basesDir, { padBytes: 16 * 1024 * 1024 });
  const real = await Promise.all(REAL.map((n) => readFile(join(projectRoot(), 'test/fixtures/real', n))));
  const parentBefore = (await snapshot(o.dir)).filter((p) => !p.startsWith('work'));

  /** A TP-Link image's root part: where its squashfs starts (by magic, as the header may lie), else undefined. */
  const rootAt = (b: Buffer) => {
    const i = b.indexOf('hsqs', 0x200, 'latin1');
    return i === -1 ? undefined : i;
  };
  const resign = (b: Buffer) => {
    if (b.length >= 0x200) signTplinkImage(b, Math.min(b.readUInt32BE(0x7c), b.length));
  };
  const extreme = (orig: number, len: number) => pick([0, 1, 0xffffffff, 0x7fffffff, len - 1, len, len + 1, int(2 ** 32), orig + 4, orig - 4, orig + 0x10000, orig >>> 1]);
  const writeWord = (b: Buffer, at: number, bytes: 2 | 4 | 8, v: number) => {
    if (at + bytes > b.length) return;
    if (bytes === 2) b.writeUInt16LE(v & 0xffff, at);
    else if (bytes === 4) b.writeUInt32LE(v >>> 0, at);
    else b.writeBigUInt64LE((BigInt(Math.max(0, Math.floor(v))) * (rand() < 0.2 ? 2n ** 32n : 1n)) % 2n ** 64n, at);
  };
  /** A TP-Link base: the fixture mostly (sometimes with links out of its root), a real image one time in five. */
  const tplinkBase = () => (rand() < 0.2 ? { bytes: Buffer.from(pick(real)), maxBytes: REAL_CAP }
    : { bytes: Buffer.from(rand() < 0.25 ? withLinks : fixture), maxBytes: SMALL_CAP });

  const hostileTar = async (): Promise<Case> => {
    const abs = join(canary, 'etc');
    const entries: Buffer[] = [];
    const add = (s: TarSpec) => entries.push(tarEntry(s));
    add({ name: 'etc/', type: '5' });
    add({ name: 'etc/config/', type: '5' });
    add({ name: 'etc/config/homeshield', data: "option enable '1'\n" });
    // One tar in five is benign (it must unpack); the rest carry one to four hostile entries.
    for (let k = rand() < 0.2 ? 0 : 1 + int(4); k > 0; k--) {
      switch (int(14)) {
        case 0: add({ name: pick(['../escape', 'a/../../escape', './../escape', '../../../../../../tmp/escape']), data: 'x' }); break;
        case 1: add({ name: `${abs}/planted`, data: 'x' }); break;
        case 2: add({ name: 'www', type: '2', linkname: pick([abs, '/etc', '../../..']) }); add({ name: 'www/planted', data: 'x' }); break;
        case 3: add({ name: 'a', type: '2', linkname: 'b' }); add({ name: 'b', type: '2', linkname: pick(['../..', 'c', abs]) }); add({ name: 'c', type: '2', linkname: 'a' }); add({ name: 'a/x', data: 'x' }); break;
        case 4: add({ name: 'pw', type: '1', linkname: pick(['/etc/passwd', `${abs}/passwd`, '../canary/keep']) }); break;
        case 5: add({ name: 'l', type: '2', linkname: `${abs}/passwd` }); add({ name: 'h', type: '1', linkname: 'l' }); break;
        case 6: add({ name: 'dev/', type: '5' }); add({ name: pick(['dev/null', 'dev/mtd0', 'etc/sneaky']), type: pick(['3', '4']), dev: [int(256), int(256)] }); break;
        case 7: add({ name: 'fifo', type: '6' }); break;
        case 8: {
          // GNU sparse: a small stored map that claims a huge file (its realsize at offset 483).
          const h = tarHeader({ name: 'sparse', type: 'S', data: Buffer.alloc(512, 1) });
          h.write(`${(int(2 ** 31) * 16).toString(8).padStart(11, '0')}\0`, 483, 'latin1');
          h.fill(0x20, 148, 156);
          let sum = 0;
          for (const x of h) sum += x;
          h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
          entries.push(h, Buffer.alloc(512, 1));
          break;
        }
        case 9: add({ name: 'huge', data: 'z'.repeat(1024), sizeOverride: pick([2 ** 33 - 1, 64 * 1024 * 1024, 1025]) }); break;
        case 10: {
          const depth = 50 + int(300);
          const path = Array.from({ length: depth }, (_, d) => `d${d % 10}`).join('/');
          add({ name: '././@LongLink', type: 'L', data: `${path}/deep\0` });
          add({ name: 'deep', data: 'x' });
          break;
        }
        case 11: {
          const long = 'n'.repeat(pick([255, 256, 300, 5000]));
          add({ name: '././@LongLink', type: 'L', data: `${long}\0` });
          add({ name: 'long', data: 'x' });
          break;
        }
        case 12: {
          const pax = paxRecord('path', pick(['../pax-escape', `${abs}/pax`, 'ok/pax'])) + paxRecord('size', String(pick([0, 3, 2 ** 40])));
          add({ name: 'PaxHeader', type: 'x', data: pax });
          add({ name: 'paxfile', data: 'abc' });
          break;
        }
        default: add({ name: `bin/f${int(1000)}`, data: Buffer.alloc(int(4096), int(256)) });
      }
    }
    let tar = Buffer.concat([...entries, Buffer.alloc(1024)]);
    if (rand() < 0.1) tar = tar.subarray(0, int(tar.length));
    const wrap = int(3);
    if (wrap === 1) return { kind: 'tar-gzip', bytes: gzipSync(tar), maxBytes: SMALL_CAP };
    if (wrap === 2) return { kind: 'tar-bzip2', bytes: Buffer.from((await execa('bzip2', ['-c'], { input: tar, encoding: 'buffer' })).stdout), maxBytes: SMALL_CAP };
    return { kind: 'tar', bytes: tar, maxBytes: SMALL_CAP };
  };

  const makeCase = async (): Promise<Case> => {
    const r = int(100);
    if (r < 20) {
      const base = tplinkBase();
      const b = base.bytes;
      for (let k = 1 + int(3); k > 0; k--) {
        const at = pick(TPLINK_FIELDS);
        b.writeUInt32BE(extreme(b.readUInt32BE(at), b.length) >>> 0, at);
      }
      if (rand() < 0.67) resign(b);
      return { kind: 'tplink-header', ...base, bytes: b };
    }
    if (r < 35) {
      const base = tplinkBase();
      const b = base.bytes;
      const root = rootAt(b) ?? 0x200;
      const used = b.length > root + 48 ? Number(b.readBigUInt64LE(root + 40)) : 0;
      const kernelEnd = 0x200 + b.readUInt32BE(0x84);
      const bounds = [0, 0x1ff, 0x200, kernelEnd, root, root + 96, root + Math.floor(used / 2), root + used - 1, root + used, b.length - 1];
      const cut = Math.max(0, Math.min(b.length, pick(bounds) + pick([-1, 0, 1])));
      return { kind: 'truncated-at-boundary', ...base, bytes: b.subarray(0, cut) };
    }
    if (r < 50) {
      const wrapped = int(3);
      const base = wrapped === 0 ? { bytes: Buffer.from(squashfs), maxBytes: SMALL_CAP } : tplinkBase();
      const b = base.bytes;
      const root = wrapped === 0 ? 0 : rootAt(b) ?? 0x200;
      for (let k = 1 + int(2); k > 0; k--) {
        const [off, bytes] = pick(SUPERBLOCK);
        const cur = bytes === 8 ? Number(b.readBigUInt64LE(root + off)) : bytes === 4 ? b.readUInt32LE(root + off) : b.readUInt16LE(root + off);
        writeWord(b, root + off, bytes, bytes === 2 ? pick([0, 1, 2, 3, 4, 5, 6, 7, 0xffff, int(65536)]) : extreme(cur, b.length - root));
      }
      if (wrapped !== 0) resign(b);
      return { kind: 'squashfs-superblock', ...base, bytes: b };
    }
    if (r < 65) {
      const wrapped = rand() < 0.5;
      const b = wrapped ? Buffer.from(fixture) : Buffer.from(squashfs);
      const root = wrapped ? rootAt(b)! : 0;
      const used = Number(b.readBigUInt64LE(root + 40));
      const tables = Number(b.readBigUInt64LE(root + 64));
      for (let k = 1 + int(16); k > 0; k--) b[root + tables + int(Math.max(1, used - tables))] = int(256);
      if (wrapped) resign(b);
      return { kind: 'squashfs-tables', bytes: b, maxBytes: SMALL_CAP };
    }
    if (r < 85) return hostileTar();
    if (r < 90) {
      // A decompression bomb: the listing is honest, the cap refuses it; or its stream cut or flipped.
      if (rand() < 0.5) return { kind: 'squashfs-bomb', bytes: Buffer.from(bomb), maxBytes: SMALL_CAP };
      const gz = gzipSync(Buffer.concat([tarEntry({ name: 'zeros', data: Buffer.alloc(12 * 1024 * 1024) }), Buffer.alloc(1024)]));
      return { kind: 'tar-gzip-bomb', bytes: rand() < 0.5 ? gz : gz.subarray(0, int(gz.length)), maxBytes: SMALL_CAP };
    }
    if (r < 95) {
      const gz = gzipSync(Buffer.concat([tarEntry({ name: 'etc/', type: '5' }), tarEntry({ name: 'etc/x', data: 'y'.repeat(3000) }), Buffer.alloc(1024)]));
      for (let k = 1 + int(8); k > 0; k--) gz[10 + int(gz.length - 10)] = int(256);
      return { kind: 'gzip-stream', bytes: gz, maxBytes: SMALL_CAP };
    }
    // Junk with magic numbers in it: the signature scan names what it sees and boots nothing.
    const b = Buffer.alloc(512 + int(64 * 1024));
    for (let i = 0; i < b.length; i++) b[i] = int(256);
    for (let k = int(4); k > 0; k--) {
      const magic = pick([Buffer.from('hsqs'), Buffer.from('sqsh'), Buffer.from([0x27, 0x05, 0x19, 0x56]), Buffer.from([0x5d, 0, 0, 0x80, 0]), Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from('ustar\0')]);
      magic.copy(b, int(b.length - magic.length));
    }
    return { kind: 'junk-with-magic', bytes: b, maxBytes: SMALL_CAP };
  };

  const result: FuzzResult = { cases: 0, outcomes: {}, kinds: {}, failures: [], slowestMs: 0 };
  const work = join(o.dir, 'work');
  for (let i = 0; i < o.cases; i++) {
    const c = await makeCase();
    const fail = (why: string) => result.failures.push(`case ${i} (seed ${o.seed}, ${c.kind}): ${why}`);
    await rm(work, { recursive: true, force: true });
    await mkdir(work);
    const file = join(work, 'fw.bin');
    await writeFile(file, c.bytes);
    const out = join(work, 'out');
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => { timer = setTimeout(() => resolve('TIME_CAP'), timeCapMs); });
    const outcome = await Promise.race([
      extractFirmware(file, { out, cacheDir: join(work, 'cache'), maxBytes: c.maxBytes }).then(() => 'ok', (e: unknown) => {
        if (e instanceof FirmlabError) return e.code;
        fail(`threw a non-FirmlabError: ${String((e as Error)?.stack ?? e).slice(0, 400)}`);
        return 'NOT_A_FIRMLAB_ERROR';
      }),
      timeout,
    ]);
    clearTimeout(timer);
    const ms = Date.now() - started;
    result.slowestMs = Math.max(result.slowestMs, ms);
    if (outcome === 'TIME_CAP') fail(`ran past the ${timeCapMs} ms cap`);
    result.cases += 1;
    result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + 1;
    result.kinds[c.kind] = (result.kinds[c.kind] ?? 0) + 1;
    o.onCase?.(i, c.kind, outcome, ms);
    if (outcome === 'TIME_CAP') break; // the extraction may still be running: nothing after it could be judged

    if (outcome === 'ok') {
      const written = await auditTree(out, { measureOnly: true });
      if (written.bytes > c.maxBytes) fail(`unpacked ${written.bytes} bytes, over the cap of ${c.maxBytes}`);
      for (const p of await snapshot(out)) {
        const st = await lstat(join(out, p));
        if (!st.isFile() && !st.isDirectory() && !st.isSymbolicLink()) fail(`${p}: a device node, FIFO or socket on the host`);
        if (!st.isSymbolicLink() && relative(await realpath(out), await realpath(join(out, p))).startsWith('..')) fail(`${p} resolves outside the output`);
      }
    }
    const stray = (await readdir(work)).filter((n) => !['fw.bin', 'out', 'cache'].includes(n));
    if (stray.length > 0) fail(`left ${stray.join(', ')} beside the output`);
    const parentNow = (await snapshot(o.dir)).filter((p) => !p.startsWith('work'));
    if (parentNow.join('\n') !== parentBefore.join('\n')) fail(`wrote outside its directory: ${parentNow.filter((p) => !parentBefore.includes(p)).slice(0, 3).join(', ')}`);
    if ((await canaryPrint()) !== canaryBefore) fail('the canary tree changed');
    await execa('test', ['!', '-e', '/tmp/escape']).catch(() => fail('/tmp/escape exists'));
    if (result.failures.length >= 20) break;
  }
  await rm(work, { recursive: true, force: true });
  return result;
}
