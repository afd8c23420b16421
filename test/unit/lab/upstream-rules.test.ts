import { expect } from 'chai';
import { toDnsRules } from '../../../harness/lab/upstream-rules.js';

describe('toDnsRules', () => {
  it('turns a scenario answer into an A or AAAA answer with its TTL', () => {
    expect(toDnsRules([
      { match: '*.safethings.avira.com', answer: '203.0.113.10', ttl: 10 },
      { match: 'v6.example', answer: '2001:db8::10', ttl: 60 },
    ]).rules).to.deep.equal([
      { match: '*.safethings.avira.com', answers: [{ type: 'A', data: '203.0.113.10' }], ttl: 10 },
      { match: 'v6.example', answers: [{ type: 'AAAA', data: '2001:db8::10' }], ttl: 60 },
    ]);
  });

  it('maps faults, fail ratios and delays to the recorder\'s fault kinds', () => {
    const { rules, ignoredDelays } = toDnsRules([
      { match: 'a.example', fault: 'servfail', ttl: 60, failRatio: 0.5, answer: '192.0.2.1' },
      { match: 'b.example', ttl: 60, delayMs: 2000, answer: '192.0.2.2' },
      { match: 'c.example', fault: 'drop', ttl: 60, delayMs: 500 },
    ]);
    expect(rules[0]).to.deep.equal({ match: 'a.example', answers: [{ type: 'A', data: '192.0.2.1' }], ttl: 60, fault: { kind: 'servfail' }, failRatio: 0.5 });
    expect(rules[1]!.fault).to.deep.equal({ kind: 'delay', ms: 2000 });
    expect(rules[2]!.fault).to.deep.equal({ kind: 'drop' });
    expect(ignoredDelays).to.deep.equal(['c.example']);
  });
});
