import { expect } from 'chai';
import { DomainPattern, InvalidDomainPatternError, normalizeName } from '../../../harness/analysis/domain-pattern.js';

describe('analysis/domain-pattern', () => {
  const table: [pattern: string, name: string, matches: boolean][] = [
    ['*.safethings.avira.com', 'a.safethings.avira.com', true],
    ['*.safethings.avira.com', 'x.y.z.safethings.avira.com', true],
    ['*.safethings.avira.com', 'safethings.avira.com', false],
    ['*.safethings.avira.com', 'evilsafethings.avira.com', false],
    ['*.safethings.avira.com', 'A.SafeThings.Avira.COM.', true],
    ['*.SAFETHINGS.avira.com.', 'a.safethings.avira.com', true],
    ['*.safethings.avira.com', 'safethings.avira.com.example', false],
    ['time.example', 'time.example', true],
    ['time.example', 'TIME.EXAMPLE.', true],
    ['time.example', 'a.time.example', false],
    ['time.example', 'time.example.org', false],
    ['*', 'anything.at.all', true],
    ['*', 'x', true],
  ];
  for (const [pattern, name, matches] of table) {
    it(`${pattern} ${matches ? 'matches' : 'does not match'} ${name}`, () => {
      expect(DomainPattern.parse(pattern).matches(name)).to.equal(matches);
    });
  }

  for (const bad of ['', '  ', 'a.*.example', '*example.com', 'a..example', '**.example']) {
    it(`rejects "${bad}" with a FIRMLAB_DOMAIN_PATTERN error`, () => {
      expect(() => DomainPattern.parse(bad))
        .to.throw(InvalidDomainPatternError)
        .with.property('code', 'FIRMLAB_DOMAIN_PATTERN');
    });
  }

  it('keeps the source text for messages', () => {
    expect(String(DomainPattern.parse('*.Example.com'))).to.equal('*.Example.com');
  });

  it('normalizeName lower-cases and drops one trailing dot', () => {
    expect(normalizeName('WWW.Example.COM.')).to.equal('www.example.com');
  });
});
