import { expect } from 'chai';
import { AnswerPlanner, type PlanQuestion } from '../../../harness/dns/answer-planner.js';
import type { DnsRule } from '../../../harness/dns/dns-rule.js';
import { RCODE, TYPE } from '../../../harness/dns/dns-wire-names.js';

const q = (name: string, qtype: number = TYPE.A, extra: Partial<PlanQuestion> = {}): PlanQuestion => ({
  name, qtype, qclass: 1, opcode: 0, transport: 'udp', ...extra,
});

const rules: DnsRule[] = [
  { match: '*.safethings.avira.com', answers: [{ type: 'A', data: '203.0.113.10' }], ttl: 300 },
  { match: 'dual.example', answers: [{ type: 'A', data: '192.0.2.1' }, { type: 'AAAA', data: '2001:db8:0:0::7' }], ttl: 60 },
  { match: 'alias.example', answers: [{ type: 'CNAME', data: 'target.example' }, { type: 'A', data: '192.0.2.9' }], ttl: 120 },
  { match: 'fail.example', answers: [], fault: 'servfail' },
  { match: 'gone.example', answers: [], fault: 'nxdomain' },
  { match: 'no.example', answers: [], fault: 'refused' },
  { match: 'drop.example', answers: [], fault: 'drop' },
  { match: 'tc.example', answers: [{ type: 'A', data: '192.0.2.2' }], fault: 'truncate', ttl: 5 },
  { match: 'slow.example', answers: [{ type: 'A', data: '192.0.2.3' }], delayMs: 2000, ttl: 5 },
  { match: 'late.example', answers: [], fault: 'servfail', delayMs: 1000 },
  { match: 'tcslow.example', answers: [{ type: 'A', data: '192.0.2.4' }], fault: 'truncate', delayMs: 300, ttl: 5 },
];

describe('dns answer planning', () => {
  const planner = new AnswerPlanner(rules);
  const view = (p: ReturnType<AnswerPlanner['plan']>) => ({
    action: p.action, rcode: p.rcode, rule: p.rule, fault: p.fault, delayMs: p.delayMs, truncate: p.truncate,
    answers: p.answers.map((a) => a.view),
  });
  const none = { fault: undefined, delayMs: 0, truncate: false };
  const table: [string, PlanQuestion, object][] = [
    ['wildcard A', q('x.safethings.avira.com'), { action: 'answer', rcode: 0, rule: '*.safethings.avira.com', ...none, answers: [{ type: 'A', data: '203.0.113.10', ttl: 300 }] }],
    ['wildcard AAAA: no data', q('x.safethings.avira.com', TYPE.AAAA), { action: 'answer', rcode: 0, rule: '*.safethings.avira.com', ...none, answers: [] }],
    ['AAAA normalised', q('dual.example', TYPE.AAAA), { action: 'answer', rcode: 0, rule: 'dual.example', ...none, answers: [{ type: 'AAAA', data: '2001:db8::7', ttl: 60 }] }],
    ['ANY gets all', q('dual.example', TYPE.ANY), { action: 'answer', rcode: 0, rule: 'dual.example', ...none, answers: [{ type: 'A', data: '192.0.2.1', ttl: 60 }, { type: 'AAAA', data: '2001:db8::7', ttl: 60 }] }],
    ['CNAME then target A', q('alias.example'), { action: 'answer', rcode: 0, rule: 'alias.example', ...none, answers: [{ type: 'CNAME', data: 'target.example', ttl: 120 }, { type: 'A', data: '192.0.2.9', ttl: 120 }] }],
    ['CNAME for TXT', q('alias.example', TYPE.TXT), { action: 'answer', rcode: 0, rule: 'alias.example', ...none, answers: [{ type: 'CNAME', data: 'target.example', ttl: 120 }] }],
    ['servfail', q('fail.example'), { action: 'answer', rcode: RCODE.SERVFAIL, rule: 'fail.example', fault: 'servfail', delayMs: 0, truncate: false, answers: [] }],
    ['nxdomain', q('gone.example'), { action: 'answer', rcode: RCODE.NXDOMAIN, rule: 'gone.example', fault: 'nxdomain', delayMs: 0, truncate: false, answers: [] }],
    ['refused', q('no.example'), { action: 'answer', rcode: RCODE.REFUSED, rule: 'no.example', fault: 'refused', delayMs: 0, truncate: false, answers: [] }],
    ['drop', q('drop.example'), { action: 'drop', rcode: 0, rule: 'drop.example', fault: 'drop', delayMs: 0, truncate: false, answers: [] }],
    ['truncate over UDP', q('tc.example'), { action: 'answer', rcode: 0, rule: 'tc.example', fault: 'truncate', delayMs: 0, truncate: true, answers: [] }],
    ['truncate rule over TCP answers', q('tc.example', TYPE.A, { transport: 'tcp' }), { action: 'answer', rcode: 0, rule: 'tc.example', ...none, answers: [{ type: 'A', data: '192.0.2.2', ttl: 5 }] }],
    ['delay', q('slow.example'), { action: 'answer', rcode: 0, rule: 'slow.example', fault: 'delay', delayMs: 2000, truncate: false, answers: [{ type: 'A', data: '192.0.2.3', ttl: 5 }] }],
    ['servfail after a delay', q('late.example'), { action: 'answer', rcode: RCODE.SERVFAIL, rule: 'late.example', fault: 'servfail', delayMs: 1000, truncate: false, answers: [] }],
    ['delayed truncate over UDP', q('tcslow.example'), { action: 'answer', rcode: 0, rule: 'tcslow.example', fault: 'truncate', delayMs: 300, truncate: true, answers: [] }],
    ['delayed truncate rule over TCP: the answer, delayed', q('tcslow.example', TYPE.A, { transport: 'tcp' }), { action: 'answer', rcode: 0, rule: 'tcslow.example', fault: 'delay', delayMs: 300, truncate: false, answers: [{ type: 'A', data: '192.0.2.4', ttl: 5 }] }],
    ['default A sinkhole', q('other.test'), { action: 'answer', rcode: 0, rule: undefined, ...none, answers: [{ type: 'A', data: '198.51.100.1', ttl: 30 }] }],
    ['default AAAA sinkhole', q('other.test', TYPE.AAAA), { action: 'answer', rcode: 0, rule: undefined, ...none, answers: [{ type: 'AAAA', data: '2001:db8::1', ttl: 30 }] }],
    ['default TXT: no data', q('other.test', TYPE.TXT), { action: 'answer', rcode: 0, rule: undefined, ...none, answers: [] }],
    ['class CH refused', q('version.bind', TYPE.TXT, { qclass: 3 }), { action: 'answer', rcode: RCODE.REFUSED, rule: undefined, ...none, answers: [] }],
    ['opcode NOTIFY not implemented', q('x.example', TYPE.A, { opcode: 4 }), { action: 'answer', rcode: RCODE.NOTIMP, rule: undefined, ...none, answers: [] }],
    ['EDNS version 1: BADVERS', q('x.example', TYPE.A, { ednsVersion: 1 }), { action: 'answer', rcode: RCODE.BADVERS, rule: undefined, ...none, answers: [] }],
  ];
  for (const [name, question, expected] of table) {
    it(name, () => expect(view(planner.plan(question))).to.deep.equal(expected));
  }

  it('the first matching rule decides, whatever the case of the query', () => {
    const p = new AnswerPlanner(['a.example', '*.example', '*'].map((match) => ({ match, answers: [] })));
    expect(['a.example', 'b.a.example', 'other.test'].map((n) => p.plan(q(n)).rule)).to.deep.equal(['a.example', '*.example', '*']);
    expect(new AnswerPlanner([{ match: '*.Example.', answers: [] }]).plan(q('b.example')).rule, 'patterns are normalised').to.equal('*.Example.');
  });

  it('uses a custom sinkhole for unmatched names', () => {
    const p = new AnswerPlanner([], { sinkhole: { a: '192.0.2.99', aaaa: '2001:db8::99', ttl: 7 } });
    expect(p.plan(q('x.test')).answers.map((a) => a.view)).to.deep.equal([{ type: 'A', data: '192.0.2.99', ttl: 7 }]);
  });

  it('a fault-only rule gives spared queries the sinkhole answer', () => {
    const p = new AnswerPlanner([{ match: 'x.test', answers: [], fault: 'servfail', failRatio: 0 }]);
    const plan = p.plan(q('x.test'));
    expect([plan.rcode, plan.fault, plan.rule, plan.answers.map((a) => a.view.data)]).to.deep.equal([0, undefined, 'x.test', ['198.51.100.1']]);
  });
});

describe('dns fail_ratio', () => {
  const ratioRules: DnsRule[] = [{ match: '*.example', answers: [{ type: 'A', data: '192.0.2.1' }], fault: 'servfail', failRatio: 0.3 }];
  const pattern = (seed: number) => {
    const p = new AnswerPlanner(ratioRules, { seed });
    return Array.from({ length: 1000 }, (_, i) => p.plan(q(`n${i}.example`)).fault === 'servfail');
  };

  it('repeats exactly with the same seed', () => {
    expect(pattern(42)).to.deep.equal(pattern(42));
  });

  it('differs with another seed', () => {
    expect(pattern(42)).to.not.deep.equal(pattern(43));
  });

  it('faults about the requested share', () => {
    const hits = pattern(7).filter(Boolean).length;
    expect(hits).to.be.within(240, 360);
  });

  it('delays only the share fail_ratio names when a rule has a delay and no fault', () => {
    const p = new AnswerPlanner([{ match: '*.example', answers: [{ type: 'A', data: '192.0.2.1' }], delayMs: 500, failRatio: 0.3 }], { seed: 7 });
    const plans = Array.from({ length: 1000 }, (_, i) => p.plan(q(`n${i}.example`)));
    const delayed = plans.filter((x) => x.delayMs === 500 && x.fault === 'delay');
    expect(delayed.length).to.be.within(240, 360);
    expect(plans.filter((x) => x.delayMs === 0 && x.fault === undefined)).to.have.length(1000 - delayed.length);
  });

  it('is not perturbed by queries that other rules decide', () => {
    const mixed = new AnswerPlanner([{ match: 'other.test', answers: [], fault: 'drop', failRatio: 0.5 }, ...ratioRules], { seed: 42 });
    const seen = Array.from({ length: 1000 }, (_, i) => {
      mixed.plan(q('other.test'));
      return mixed.plan(q(`n${i}.example`)).fault === 'servfail';
    });
    expect(seen).to.deep.equal(pattern(42));
  });
});
