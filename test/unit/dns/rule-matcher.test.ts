import { expect } from 'chai';
import { compileMatcher, firstMatch } from '../../../harness/dns/rule-matcher.js';

describe('dns rule matching', () => {
  const cases: [pattern: string, name: string, matches: boolean][] = [
    ['*.safethings.avira.com', 'a.safethings.avira.com', true],
    ['*.safethings.avira.com', 'x.y.z.safethings.avira.com', true],
    ['*.safethings.avira.com', 'safethings.avira.com', false],
    ['*.safethings.avira.com', 'evilsafethings.avira.com', false],
    ['*.safethings.avira.com', 'avira.com', false],
    ['fail.example', 'fail.example', true],
    ['fail.example', 'a.fail.example', false],
    ['Fail.Example.', 'fail.example', true],
    ['*', 'anything.at.all', true],
  ];
  for (const [pattern, name, matches] of cases) {
    it(`${pattern} ${matches ? 'matches' : 'does not match'} ${name}`, () => {
      expect(compileMatcher(pattern)(name)).to.equal(matches);
    });
  }

  it('first match wins', () => {
    const ms = ['a.example', '*.example', '*'].map(compileMatcher);
    expect(firstMatch(ms, 'a.example')).to.equal(0);
    expect(firstMatch(ms, 'b.example')).to.equal(1);
    expect(firstMatch(ms, 'other.test')).to.equal(2);
    expect(firstMatch(ms.slice(0, 2), 'other.test')).to.equal(-1);
  });
});
