import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from '../../../harness/paths.js';
import { parseScenario } from '../../../harness/scenario/load-scenario.js';
import { BOOT_ESTIMATE_MS, parseShard, placeUnits, runUnits, shardFrom, type RunUnit } from '../../../harness/scenario/shard.js';
import { seededRandom } from '../../../harness/util/seeded-random.js';

/** Whole numbers below `n` from a seeded stream. */
class SeededRandom {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

const scenarioFile = (name: string) => join(projectRoot(), 'scenarios', name);
const load = async (name: string) => parseScenario(await readFile(scenarioFile(name), 'utf8'), scenarioFile(name));

function randomUnits(rng: SeededRandom, count: number, tag: string): RunUnit[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `${tag}-${rng.int(1e9)}/m${i}`, scenario: 0, builds: ['old', 'new'],
    expectedMs: [100_000, 120_000, 200_000, 250_000][rng.int(4)]!,
  }));
}

const loads = (placed: { shard: number; expectedMs: number }[], total: number) => {
  const out = new Array<number>(total).fill(0);
  for (const u of placed) out[u.shard - 1]! += u.expectedMs;
  return out;
};

describe('scenario/shard: which shard runs what', () => {
  describe('the shard spec', () => {
    it('reads INDEX/TOTAL and refuses what is not one', () => {
      expect(parseShard('2/3')).to.deep.equal({ index: 2, total: 3 });
      expect(parseShard(' 1 / 1 ')).to.deep.equal({ index: 1, total: 1 });
      for (const bad of ['0/3', '4/3', '3', '1/0', 'a/b', '1/2/3', '-1/2', '1.5/2']) {
        expect(() => parseShard(bad), bad).to.throw(/--shard/).with.property('code', 'FIRMLAB_USAGE');
      }
    });

    it('takes the flag over the CI engine, GitLab\'s CI_NODE_* as they are, a Kubernetes index counted from 0', () => {
      const gitlab = { CI_NODE_INDEX: '2', CI_NODE_TOTAL: '4' };
      expect(shardFrom({}, gitlab)).to.deep.equal({ index: 2, total: 4 });
      expect(shardFrom({ shard: '1/2' }, gitlab)).to.deep.equal({ index: 1, total: 2 });
      expect(shardFrom({ shardTotal: '3' }, { JOB_COMPLETION_INDEX: '0' })).to.deep.equal({ index: 1, total: 3 });
      expect(shardFrom({ shardTotal: '3' }, { JOB_COMPLETION_INDEX: '2' })).to.deep.equal({ index: 3, total: 3 });
      expect(shardFrom({}, {})).to.equal(undefined);
    });

    it('says what is missing or wrong in the environment', () => {
      expect(() => shardFrom({}, { JOB_COMPLETION_INDEX: '1' })).to.throw(/--shard-total/);
      expect(() => shardFrom({ shardTotal: '3' }, { JOB_COMPLETION_INDEX: '3' })).to.throw(/from 1 to 3/);
      expect(() => shardFrom({}, { CI_NODE_INDEX: 'x', CI_NODE_TOTAL: '2' })).to.throw(/CI_NODE_INDEX must be a whole number/);
      expect(() => shardFrom({ shardTotal: '2' }, {})).to.throw(/needs JOB_COMPLETION_INDEX or CI_NODE_INDEX/);
    });
  });

  describe('units', () => {
    it('are one model of one scenario with all its builds, timed by boots, windows and steps', async () => {
      const matrix = await load('homeshield-matrix.yaml');
      const single = await load('homeshield-dns-request-logic.yaml');
      const units = runUnits([matrix, single]);
      expect(units.map((u) => [u.key, u.scenario, u.builds])).to.deep.equal([
        ['homeshield-matrix/archer-ax55v1', 0, ['old', 'new']],
        ['homeshield-matrix/deco-x20v1', 0, ['old', 'new']],
        [`${single.name}/${single.models[0]!.model ?? '-'}`, 1, ['old', 'new']],
      ]);
      // Per build: the boot (its 60 s timeout is above the estimate), 8 s + 25 s of windows, 3 other steps, the lab.
      expect(units[0]!.expectedMs).to.equal(2 * (BOOT_ESTIMATE_MS + 33_000 + 3 * 2_000 + 5_000));
    });

    it('keeps the same scenario named twice apart', async () => {
      const matrix = await load('homeshield-matrix.yaml');
      const keys = runUnits([matrix, matrix]).map((u) => u.key);
      expect(new Set(keys).size).to.equal(4);
    });
  });

  describe('placement', () => {
    it('places every unit once, on a shard that exists, whatever order the units come in', () => {
      const rng = new SeededRandom(7);
      for (let t = 0; t < 50; t++) {
        const total = 1 + rng.int(7);
        const units = randomUnits(rng, 1 + rng.int(40), `t${t}`);
        const placed = placeUnits(units, total);
        expect(placed.map((u) => u.key)).to.deep.equal(units.map((u) => u.key));
        for (const u of placed) expect(u.shard).to.be.within(1, total);
        const shuffled = [...units].reverse();
        const again = new Map(placeUnits(shuffled, total).map((u) => [u.key, u.shard]));
        for (const u of placed) expect(again.get(u.key), u.key).to.equal(u.shard);
      }
    });

    it('balances by expected time: no shard past the larger of 1.25 x the mean (or the longest unit) and mean + longest', () => {
      const rng = new SeededRandom(11);
      for (let t = 0; t < 300; t++) {
        const total = 2 + rng.int(6);
        const units = randomUnits(rng, total + rng.int(40), `b${t}`);
        const l = loads(placeUnits(units, total), total);
        const mean = l.reduce((a, b) => a + b, 0) / total;
        const longest = Math.max(...units.map((u) => u.expectedMs));
        expect(Math.max(...l)).to.be.at.most(Math.max(1.25 * Math.max(mean, longest), mean + longest) + 1e-6);
      }
    });

    it('gives two equal units on two shards one each, and leaves a third shard empty', async () => {
      const units = runUnits([await load('homeshield-matrix.yaml')]);
      expect(placeUnits(units, 2).map((u) => u.shard).sort()).to.deep.equal([1, 2]);
      const three = placeUnits(units, 3).map((u) => u.shard);
      expect(new Set(three).size).to.equal(2);
    });

    it('mostly leaves units where they were when one is added: far fewer moves than plain longest-first balancing', () => {
      const rng = new SeededRandom(3);
      let moved = 0;
      let movedByGreedy = 0;
      const trials = 300;
      // The reference: longest first, each to the least loaded shard (ties to the lower key), as balanced but not sticky.
      const greedy = (units: RunUnit[], total: number) => {
        const load = new Array<number>(total).fill(0);
        const out = new Map<string, number>();
        for (const u of [...units].sort((a, b) => b.expectedMs - a.expectedMs || (a.key < b.key ? -1 : 1))) {
          const s = load.indexOf(Math.min(...load));
          load[s]! += u.expectedMs;
          out.set(u.key, s + 1);
        }
        return out;
      };
      for (let t = 0; t < trials; t++) {
        const total = 2 + rng.int(6);
        const units = randomUnits(rng, 2 * total + rng.int(40), `s${t}`);
        const extra = randomUnits(rng, 1, `new${t}`);
        // The new unit goes first in the list, as a scenario added before the others would.
        const before = placeUnits(units, total);
        const after = new Map(placeUnits([...extra, ...units], total).map((u) => [u.key, u.shard]));
        moved += before.filter((u) => after.get(u.key) !== u.shard).length;
        const a = greedy(units, total);
        const b = greedy([...extra, ...units], total);
        movedByGreedy += units.filter((u) => a.get(u.key) !== b.get(u.key)).length;
      }
      // Measured here: ~1.3 units moved per unit added (the price of balance), against ~17 for the greedy split.
      expect(moved / trials).to.be.below(2);
      expect(moved * 5).to.be.below(movedByGreedy);
    });
  });
});
