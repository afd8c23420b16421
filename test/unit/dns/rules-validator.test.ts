import { expect } from 'chai';
import { validateRules } from '../../../harness/dns/rules-validator.js';

describe('dns rules validation', () => {
  it('infers A and AAAA from the address form and applies the default TTL', () => {
    const r = validateRules([{ match: '*.Safethings.avira.com', answer: ['203.0.113.10', '2001:db8::10'] }]);
    expect(r).to.deep.equal({
      ok: true,
      rules: [{ match: '*.safethings.avira.com', answers: [{ type: 'A', data: '203.0.113.10' }, { type: 'AAAA', data: '2001:db8::10' }], ttl: 300 }],
    });
  });

  it('accepts typed answers, faults, delays and fail_ratio', () => {
    const r = validateRules([
      { match: 'c.example', answer: { type: 'cname', data: 'Target.Example.' }, ttl: 60 },
      { match: 't.example', answer: { type: 'TXT', data: 'hello' } },
      { match: 'fail.example', fault: 'servfail', fail_ratio: 0.25 },
      { match: 'slow.example', answer: '192.0.2.1', fault: { delay: '2s' } },
    ]);
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.rules[0]!.answers).to.deep.equal([{ type: 'CNAME', data: 'target.example' }]);
    expect(r.rules[0]!.ttl).to.equal(60);
    expect(r.rules[2]).to.deep.equal({ match: 'fail.example', answers: [], ttl: undefined, fault: { kind: 'servfail' }, failRatio: 0.25 });
    expect(r.rules[3]!.fault).to.deep.equal({ kind: 'delay', ms: 2000 });
  });

  const bad: [name: string, input: unknown, path: (string | number)[], text: RegExp][] = [
    ['not a list', { match: 'x' }, [], /list/],
    ['unknown fault', [{ match: 'x.example', fault: 'servfial' }], [0, 'fault'], /unknown fault "servfial"/],
    ['typo in a key', [{ match: 'x.example', answer: '192.0.2.1', failratio: 1 }], [0, 'failratio'], /unknown field/],
    ['hostname as answer', [{ match: 'x.example', answer: 'target.example' }], [0, 'answer'], /not an IPv4\/IPv6 address/],
    ['ratio out of range', [{ match: 'x.example', fault: 'drop', fail_ratio: 2 }], [0, 'fail_ratio'], /0\.\.1/],
    ['negative ttl', [{ match: 'x.example', answer: '192.0.2.1', ttl: -1 }], [0, 'ttl'], /whole seconds/],
    ['missing match', [{ answer: '192.0.2.1' }], [0], /missing field "match"/],
    ['neither answer nor fault', [{ match: 'x.example' }], [0], /needs "answer" or "fault"/],
    ['bad delay', [{ match: 'x.example', fault: { delay: 'soon' } }], [0, 'fault', 'delay'], /duration/],
    ['bad wildcard', [{ match: 'a.*.example', answer: '192.0.2.1' }], [0, 'match'], /not a name/],
    ['bad AAAA data', [{ match: 'x.example', answer: { type: 'AAAA', data: '192.0.2.1' } }], [0, 'answer', 'data'], /AAAA/],
  ];
  for (const [name, input, path, text] of bad) {
    it(`rejects ${name}`, () => {
      const r = validateRules(input);
      expect(r.ok).to.equal(false);
      if (r.ok) return;
      expect(r.issues.map((i) => i.path)).to.deep.include(path);
      expect(r.issues.map((i) => i.message).join('\n')).to.match(text);
    });
  }
});
