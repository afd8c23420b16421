import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnapshotStore, snapshotKey, snapshotLimits, snapshotSetting, SNAPSHOT_FORMAT } from '../../../harness/lab/snapshot-store.js';

describe('lab/snapshot-store', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'firmlab-snap-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** Files as a lab leaves them in its run directory after a save. */
  async function saved(name: string, state = 'S'.repeat(1000), flash = '\xff'.repeat(64)): Promise<{ vmstate: string; flash: string }> {
    const vmstate = join(dir, `${name}.vmstate`);
    const flashFile = join(dir, `${name}.flash`);
    await writeFile(vmstate, state);
    await writeFile(flashFile, flash, 'latin1');
    return { vmstate, flash: flashFile };
  }

  const key = (n: number) => snapshotKey({ firmware: `fw${n}` });

  it('keys are sha256 of the inputs: the same for the same inputs in any order, different when one changes', () => {
    const a = snapshotKey({ firmware: 'x', argv: ['-m', '128'], rules: [] });
    expect(a).to.match(/^[0-9a-f]{64}$/);
    expect(snapshotKey({ rules: [], argv: ['-m', '128'], firmware: 'x' })).to.equal(a);
    expect(snapshotKey({ firmware: 'x', argv: ['-m', '64'], rules: [] })).to.not.equal(a);
    expect(snapshotKey({ firmware: 'x', argv: ['-m', '128'], rules: [{ match: '*' }] })).to.not.equal(a);
  });

  it('gives back what was put, moving the state file in and recording sizes and sha256', async () => {
    const store = new SnapshotStore(join(dir, 'store'));
    const files = await saved('a');
    const snap = await store.put(key(1), files, { firmware: 'fw1' }, 1234);
    expect(await readdir(dir)).to.not.include('a.vmstate');
    expect(snap.meta).to.deep.include({ format: SNAPSHOT_FORMAT, key: key(1), savedAtMs: 1234, inputs: { firmware: 'fw1' } });
    expect(snap.meta.files.vmstate.bytes).to.equal(1000);
    expect(snap.meta.files.flash?.bytes).to.equal(64);
    const got = await store.get(key(1));
    expect(got?.stateFile).to.equal(join(dir, 'store', `v${SNAPSHOT_FORMAT}`, key(1), 'vmstate'));
    expect(await readFile(got!.flashFile!, 'latin1')).to.equal('\xff'.repeat(64));
    expect(await store.has(key(1))).to.equal(true);
    expect(await store.get(key(2))).to.equal(undefined);
  });

  const damage: [string, (s: { stateFile: string; dir: string }) => Promise<void>][] = [
    ['a flipped byte in the state (same size)', (s) => writeFile(s.stateFile, 'S'.repeat(999) + 'X')],
    ['a truncated state', (s) => writeFile(s.stateFile, 'S'.repeat(10))],
    ['a missing flash', (s) => rm(join(s.dir, 'flash.img'))],
    ['meta.json that is no JSON', (s) => writeFile(join(s.dir, 'meta.json'), '{')],
    ['meta.json of another key', async (s) => {
      const m = JSON.parse(await readFile(join(s.dir, 'meta.json'), 'utf8')) as { key: string };
      await writeFile(join(s.dir, 'meta.json'), JSON.stringify({ ...m, key: key(9) }));
    }],
  ];
  for (const [what, harm] of damage) {
    it(`never trusts ${what}: get() removes the entry`, async () => {
      const store = new SnapshotStore(join(dir, 'store'));
      const snap = await store.put(key(1), await saved('a'), {});
      await harm(snap);
      expect(await store.get(key(1))).to.equal(undefined);
      expect(await store.has(key(1))).to.equal(false);
      expect((await readdir(store.entriesDir)).filter((n) => !n.startsWith('.'))).to.deep.equal([]);
    });
  }

  it('evicts the least recently used past the size limit, and anything past the age limit, never the one just saved', async () => {
    const store = new SnapshotStore(join(dir, 'store'), { maxBytes: 2500, maxAgeMs: 3_600_000 });
    await store.put(key(1), await saved('a'), {});
    await store.put(key(2), await saved('b'), {});
    // key(1) used just now, key(2) an hour and a half ago: too old.
    const old = new Date(Date.now() - 5_400_000);
    await utimes(join(store.entriesDir, key(2), 'meta.json'), old, old);
    expect(await store.evict()).to.deep.equal([key(2)]);
    await store.put(key(3), await saved('c'), {});
    await store.put(key(4), await saved('d'), {});
    // About 1,400 bytes each (state, flash, meta): the limit holds one.
    expect((await store.list()).map((e) => e.key)).to.deep.equal([key(4)]);
  });

  it('reads its limits from the environment and refuses nonsense', () => {
    expect(snapshotLimits({ FIRMLAB_SNAPSHOT_MAX_BYTES: '2G', FIRMLAB_SNAPSHOT_MAX_AGE: '72h' })).to.deep.equal({ maxBytes: 2 * 2 ** 30, maxAgeMs: 72 * 3_600_000 });
    expect(() => snapshotLimits({ FIRMLAB_SNAPSHOT_MAX_AGE: 'soon' })).to.throw(/FIRMLAB_SNAPSHOT_MAX_AGE/);
    expect(() => snapshotLimits({ FIRMLAB_SNAPSHOT_MAX_BYTES: 'lots' })).to.throw(/FIRMLAB_SNAPSHOT_MAX_BYTES/);
  });

  it('is on unless --no-snapshot or FIRMLAB_SNAPSHOTS=off says otherwise', () => {
    expect(snapshotSetting(false, {})).to.equal('auto');
    expect(snapshotSetting(true, {})).to.equal('off');
    for (const v of ['off', '0', 'false', 'OFF']) expect(snapshotSetting(false, { FIRMLAB_SNAPSHOTS: v })).to.equal('off');
    expect(snapshotSetting(false, { FIRMLAB_SNAPSHOTS: 'on' })).to.equal('auto');
    expect(snapshotSetting(false, {}, 'cold')).to.equal('cold');
  });
});
