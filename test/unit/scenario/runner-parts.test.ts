import { expect } from 'chai';
import { toAnalysisExpectations } from '../../../harness/scenario/to-analysis.js';
import { defaultParallelism, mapLimit } from '../../../harness/scenario/parallelism.js';
import type { Expectation } from '../../../harness/scenario/index.js';
import { snapshotMode } from '../../../harness/scenario/build-runner.js';
import type { Step } from '../../../harness/scenario/scenario.js';

const EXPECT: Expectation[] = [
  { index: 0, line: 10, kind: 'minPerDay', build: 'old', window: 'disabled', domain: '*.x', minPerDay: 20_000 },
  { index: 1, line: 11, kind: 'none', build: 'new', window: 'disabled', domain: '*.x' },
  { index: 2, line: 12, kind: 'ttlRespected', build: 'new', window: 'enabled', domain: '*.x' },
  { index: 3, line: 13, kind: 'newAtMost', compare: { domain: '*.x', window: 'disabled' }, newAtMost: 0.2 },
];

describe('toAnalysisExpectations', () => {
  it('keeps build names as they are without a model', () => {
    expect(toAnalysisExpectations(EXPECT, undefined)).to.deep.equal([
      { build: 'old', window: 'disabled', domain: '*.x', minPerDay: 20_000 },
      { build: 'new', window: 'disabled', domain: '*.x', none: true },
      { build: 'new', window: 'enabled', domain: '*.x', ttlRespected: true },
      { compare: { domain: '*.x', window: 'disabled', old: 'old', new: 'new' }, newAtMost: 0.2 },
    ]);
  });

  it('names builds after the model in a matrix, so models never mix', () => {
    const a = toAnalysisExpectations(EXPECT, 'ax55');
    expect(a[0]).to.include({ build: 'ax55/old' });
    expect(a[3]).to.deep.include({ compare: { domain: '*.x', window: 'disabled', old: 'ax55/old', new: 'ax55/new' } });
  });
});

describe('parallelism', () => {
  it('runs one build per core, fewer when memory is short, never none', () => {
    expect(defaultParallelism(2, 24 * 2 ** 30)).to.equal(2);
    expect(defaultParallelism(8, 1.5 * 2 ** 30)).to.equal(3);
    expect(defaultParallelism(4, 0)).to.equal(1);
  });

  it('never has more than the limit in flight and keeps input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return n * 10;
    });
    expect(out).to.deep.equal([50, 10, 40, 20, 30]);
    expect(peak).to.equal(2);
  });
});

describe('snapshotMode: how a build comes up', () => {
  const step = (s: object, index = 0) => ({ index, line: index + 1, ...s }) as Step;
  const boot = step({ kind: 'boot', timeoutMs: 60_000 });
  const observe = step({ kind: 'observe', forMs: 30_000, as: 'w' }, 1);

  it('restores from a snapshot when the steps do not need the real boot', () => {
    expect(snapshotMode([boot, observe, step({ kind: 'waitFor', source: 'dns', pattern: 'x', timeoutMs: 1000 }, 2)], 'auto')).to.equal('auto');
  });

  it('boots cold for a reboot step or a wait on the console (it may wait for a boot-time line)', () => {
    expect(snapshotMode([boot, step({ kind: 'reboot', timeoutMs: 60_000 }, 1)], 'auto')).to.equal('cold');
    expect(snapshotMode([boot, step({ kind: 'waitFor', source: 'console', pattern: 'x', timeoutMs: 1000 }, 1)], 'auto')).to.equal('cold');
  });

  it('uses none with snapshots off (--no-snapshot), and boots every router when asked to (firmlab init)', () => {
    expect(snapshotMode([boot, observe], 'off')).to.equal('off');
    expect(snapshotMode([boot, observe], 'cold')).to.equal('cold');
  });
});
