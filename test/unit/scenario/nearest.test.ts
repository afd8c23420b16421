import { expect } from 'chai';
import { editDistance, nearest } from '../../../harness/scenario/nearest.js';

describe('nearest (did you mean)', () => {
  const steps = ['boot', 'login', 'set', 'observe', 'reboot', 'console', 'wait_for', 'fault'];

  it('suggests the closest key for a typo', () => {
    expect(nearest('obsrve', steps)).to.equal('observe');
    expect(nearest('waitfor', steps)).to.equal('wait_for');
    expect(nearest('Boot', steps)).to.equal('boot');
  });

  it('counts a swap of two adjacent letters as one edit', () => {
    expect(editDistance('arm46', 'arm64')).to.equal(1);
    expect(nearest('arm46', ['arm64', 'armhf'])).to.equal('arm64');
  });

  it('suggests nothing for a different word or an exact match', () => {
    expect(nearest('homeshield', steps)).to.equal(undefined);
    expect(nearest('xyz', steps)).to.equal(undefined);
    expect(nearest('boot', steps)).to.equal(undefined);
    expect(nearest('boot', [])).to.equal(undefined);
  });

  it('computes Levenshtein distances', () => {
    expect(editDistance('kitten', 'sitting')).to.equal(3);
    expect(editDistance('', 'abc')).to.equal(3);
    expect(editDistance('abc', 'abc')).to.equal(0);
  });
});
