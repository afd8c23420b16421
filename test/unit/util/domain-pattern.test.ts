import { expect } from 'chai';
import { DomainPattern, InvalidDomainPatternError, domainNameProblem, domainPatternProblem, normalizeName } from '../../../harness/util/domain-pattern.js';

/*
 * The one matcher of scenario `domain:` (analysis), `wait_for: dns` and
 * upstream `match:` (the recorder): `matches` for any name, and
 * `matchesNormalized`, the recorder's hot path, for a lower-cased name
 * without a trailing dot. Both must agree on every case.
 */
describe('util/domain-pattern', () => {
  const table: [pattern: string, name: string, matches: boolean][] = [
    ['*.safethings.avira.com', 'a.safethings.avira.com', true],
    ['*.safethings.avira.com', 'x.y.z.safethings.avira.com', true],
    ['*.safethings.avira.com', 'safethings.avira.com', false],
    ['*.safethings.avira.com', 'evilsafethings.avira.com', false],
    ['*.safethings.avira.com', 'avira.com', false],
    ['*.safethings.avira.com', 'A.SafeThings.Avira.COM.', true],
    ['*.SAFETHINGS.avira.com.', 'a.safethings.avira.com', true],
    ['*.safethings.avira.com', 'safethings.avira.com.example', false],
    ['*.q.safethings.avira.com', 'q.safethings.avira.com', false],
    ['Hb.SafeThings.avira.com.', 'hb.safethings.avira.com', true],
    ['time.example', 'time.example', true],
    ['time.example', 'TIME.EXAMPLE.', true],
    ['time.example', 'a.time.example', false],
    ['time.example', 'time.example.org', false],
    ['_dns.resolver.arpa', '_dns.resolver.arpa', true],
    ['*', 'anything.at.all', true],
    ['*', 'x', true],
  ];
  for (const [pattern, name, matches] of table) {
    it(`${pattern} ${matches ? 'matches' : 'does not match'} ${name}`, () => {
      const p = DomainPattern.parse(pattern);
      expect(p.matches(name)).to.equal(matches);
      expect(p.matchesNormalized(normalizeName(name)), 'the hot path agrees').to.equal(matches);
    });
  }

  const bad: [pattern: string, reason: RegExp][] = [
    ['', /empty/],
    ['  ', /may hold only letters/],
    ['*.*.x', /wildcard may only be the whole first label/],
    ['a.*.example', /wildcard may only be the whole first label/],
    ['*example.com', /wildcard may only be the whole first label/],
    ['**.example', /wildcard may only be the whole first label/],
    ['a..example', /empty label/],
    ['.example', /empty label/],
    ['-a.example', /not start or end with "-"/],
    ['a b.example', /may hold only letters/],
    [`${'a'.repeat(64)}.example`, /longer than 63/],
    [`${'abcdefghi.'.repeat(26)}x`, /longer than 253/],
  ];
  for (const [pattern, reason] of bad) {
    it(`rejects ${JSON.stringify(pattern.length > 30 ? `${pattern.slice(0, 30)}…` : pattern)} with FIRMLAB_DOMAIN_PATTERN naming why`, () => {
      expect(domainPatternProblem(pattern)).to.match(reason);
      expect(() => DomainPattern.parse(pattern))
        .to.throw(InvalidDomainPatternError, reason)
        .with.property('code', 'FIRMLAB_DOMAIN_PATTERN');
    });
  }

  it('a name (a CNAME target) takes no wildcard at all', () => {
    expect(domainNameProblem('target.example.')).to.equal(undefined);
    expect(domainNameProblem('*.example')).to.match(/may hold only letters/);
  });

  it('keeps the source text for messages and the normalized form for the recorder', () => {
    const p = DomainPattern.parse('*.Example.com.');
    expect(String(p)).to.equal('*.Example.com.');
    expect(p.normalized).to.equal('*.example.com');
  });

  it('normalizeName lower-cases and drops one trailing dot', () => {
    expect(normalizeName('WWW.Example.COM.')).to.equal('www.example.com');
  });
});
