import { expect } from 'chai';
import { DomainPattern, normalizeName } from '../../../harness/analysis/index.js';
import { compileMatcher } from '../../../harness/dns/rule-matcher.js';

/*
 * The recorder decides answers with its own hot-path matcher and analysis
 * counts queries with DomainPattern; a scenario uses one pattern for both
 * (`upstream: match` and `expect: domain`), so they must never disagree.
 */
const PATTERNS = ['*', '*.safethings.avira.com', 'safethings.avira.com', 'Hb.SafeThings.avira.com.', '*.q.safethings.avira.com'];
const NAMES = [
  'safethings.avira.com', 'hb.safethings.avira.com', 'HB.safethings.avira.com.', '3f2a.q.safethings.avira.com',
  'q.safethings.avira.com', 'xsafethings.avira.com', 'avira.com', 'safethings.avira.com.evil.example', 'a.b.c.safethings.avira.com',
];

describe('domain patterns: the recorder and analysis agree', () => {
  for (const p of PATTERNS) {
    it(`"${p}"`, () => {
      const pattern = DomainPattern.parse(p);
      const matcher = compileMatcher(p);
      for (const n of NAMES) {
        expect(matcher(normalizeName(n)), `${p} vs ${n}`).to.equal(pattern.matches(n));
      }
    });
  }

  it('both match below a wildcard at any depth but not its apex', () => {
    expect(compileMatcher('*.avira.com')('a.b.avira.com')).to.equal(true);
    expect(DomainPattern.parse('*.avira.com').matches('avira.com')).to.equal(false);
  });
});
