import * as chai from 'chai';
import { expect } from 'chai';
import { firmlab } from '../../../harness/testing/index.js';

chai.use(firmlab);

const T0 = 1_700_000_000_000;
const AVIRA = '*.safethings.avira.com';

/** One DnsQueryRecord-shaped record (docs/contracts.md), as dns.jsonl holds them. */
function record(atMs: number, name: string, ttl = 300) {
  return {
    kind: 'dns-query', atMs, transport: 'udp', client: { address: '192.0.2.2', port: 40000 }, id: 1, flags: 256,
    name, nameAsSent: name, type: 'A', class: 'IN',
    response: { rcode: 'NOERROR', answers: [{ type: 'A', data: '203.0.113.10', ttl }], ttl }, answerMs: 1,
  };
}

/** `n` queries, one every `everyMs`, starting at T0 + offsetMs. */
function every(everyMs: number, n: number, name = 'a.safethings.avira.com', offsetMs = 0, ttl = 300) {
  return Array.from({ length: n }, (_, i) => record(T0 + offsetMs + i * everyMs, name, ttl));
}

const window30s = { startMs: T0, endMs: T0 + 30_000 };
const failureOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the assertion did not fail');
};

describe('chai-firmlab', () => {
  describe('queried(pattern)', () => {
    it('passes on one matching query and fails, listing what was seen, on none', () => {
      const records = [...every(1000, 3, 'time.example'), ...every(1000, 1, 'x.safethings.avira.com', 5000)];
      expect(records).to.have.queried(AVIRA);
      const message = failureOf(() => expect(every(1000, 3, 'time.example')).to.have.queried(AVIRA));
      expect(message).to.equal(
        'expected records to have queried *.safethings.avira.com at least once, but none of its 3 queries matched (time.example x3)');
    });

    it('is negated into "none", naming the offenders with their counts', () => {
      expect(every(1000, 5, 'time.example')).to.not.have.queried(AVIRA);
      const records = [...every(1000, 4, 'a.safethings.avira.com'), ...every(1000, 2, 'b.safethings.avira.com')];
      expect(failureOf(() => expect(records).to.not.have.queried(AVIRA))).to.equal(
        'expected records to not have queried *.safethings.avira.com, but it did 6 times (a.safethings.avira.com x4, b.safethings.avira.com x2)');
    });

    it('counts only the window, half-open, and says how long it was', () => {
      const obs = { records: [...every(1000, 1, 'a.safethings.avira.com', -1), ...every(1000, 1, 'a.safethings.avira.com', 30_000)], window: window30s };
      expect(obs).to.not.have.queried(AVIRA);
      expect(failureOf(() => expect(obs).to.have.queried(AVIRA))).to.match(/at least once, but it holds no queries in 30\.0 s;/);
    });

    it('matches exact names and `*` and skips malformed records', () => {
      const records = [{ kind: 'dns-malformed', atMs: T0, bytesHex: '00', error: 'short' }, ...every(1000, 2, 'Time.Example.')];
      expect(records).to.have.queried('time.example');
      expect(records).to.have.queries('*').at.most(2).times;
    });

    it('refuses an invalid pattern or subject as a usage error', () => {
      expect(() => expect([]).to.have.queried('a.*.example')).to.throw(/FIRMLAB|invalid domain pattern/);
      expect(() => expect('dns.jsonl').to.have.queried(AVIRA)).to.throw(/expected an array of DNS query records/);
    });

    it('fails "none" when the observation says the lab was not shown live', () => {
      const obs = { records: [], window: window30s, labLive: false };
      expect(failureOf(() => expect(obs).to.not.have.queried(AVIRA))).to.equal(
        'expected records to not have queried *.safethings.avira.com: error: liveness: the lab was not shown live in records, so its contacts (or their absence) prove nothing');
    });

    it('prefixes a custom message', () => {
      expect(failureOf(() => expect([], 'release gate').to.have.queried(AVIRA))).to.match(/^release gate: expected records/);
    });
  });

  describe('rates: .at.most(n).per.day / .at.least(n).per.day', () => {
    it('at.least passes when the one-sided 95% lower bound clears the limit', () => {
      // 30 queries in 30 s = 86,400/day; one-sided lower bound about 62,000/day.
      expect({ records: every(1000, 30), window: window30s }).to.have.queried(AVIRA).at.least(20_000).per.day;
    });

    it('at.least fails with the count, window, rate and bound when the upper bound is below the limit', () => {
      const obs = { records: every(10_000, 3), window: { startMs: T0, endMs: T0 + 3_600_000 }, label: 'new/disabled' };
      const message = failureOf(() => expect(obs).to.have.queried(AVIRA).at.least(20_000).per.day);
      expect(message).to.match(/^new\/disabled \*\.safethings\.avira\.com: 3 queries in 3,600\.0 s = 72\/day \(95% CI [\d.]+-[\d.]+\/day\); expected at least 20,000\/day: /);
      expect(message).to.match(/fail \(one-sided 95% upper bound [\d.]+\/day < 20,000\/day\)/);
    });

    it('at.most(n) fails when the lower bound is above n', () => {
      const message = failureOf(() => expect({ records: every(1000, 30), window: window30s }).to.have.queries(AVIRA).at.most(1000).per.day);
      expect(message).to.contain('30 queries in 30.0 s = 86,400/day');
      expect(message).to.match(/fail \(one-sided 95% lower bound [\d,]+\/day > 1,000\/day\)/);
    });

    it('at.most(n) passes on zero queries in a window long enough for the bound', () => {
      const day = { startMs: T0, endMs: T0 + 86_400_000 };
      expect({ records: [], window: day }).to.have.queries(AVIRA).at.most(10).per.day;
    });

    it('fails an inconclusive bound with "observe for at least N s"', () => {
      // 0 in 30 s: upper bound 2.996 / 30 s = 8,628/day, not below 100/day; 2.996 / (100/86,400) s = 2,589 s.
      const message = failureOf(() => expect({ records: [], window: window30s }).to.have.queries(AVIRA).at.most(100).per.day);
      expect(message).to.match(/inconclusive: observe for at least 2,589 s/);
      expect(message).to.contain('0 queries in 30.0 s');
      // 3 in 30 s (8,640/day) against 20,000/day: the 95% bounds straddle it.
      const straddle = failureOf(() => expect({ records: every(10_000, 3), window: window30s }).to.have.queried(AVIRA).at.least(20_000).per.day);
      expect(straddle).to.match(/inconclusive: observe for at least [\d,]+ s \(95% bounds .* straddle 20,000\/day\)/);
    });

    it('at.most(0).per.day is analysis\' `none`: zero in the window, however short', () => {
      const quiet = { records: every(1000, 5, 'time.example'), window: window30s };
      expect(quiet).to.have.queries(AVIRA).at.most(0).per.day;
      const noisy = { records: every(1000, 2), window: window30s };
      expect(failureOf(() => expect(noisy).to.have.queries(AVIRA).at.most(0).per.day)).to.equal(
        'records *.safethings.avira.com: 2 queries in 30.0 s (a.safethings.avira.com x2); expected none: fail');
    });

    it('queried(p).at.most(0) fails at queried on zero queries and points to queries(p)', () => {
      expect(failureOf(() => expect({ records: [], window: window30s }).to.have.queried(AVIRA).at.most(0).per.day))
        .to.match(/at least once, but it holds no queries in 30\.0 s; to bound a rate that zero queries satisfy, start with \.queries\("\*\.safethings\.avira\.com"\)/);
    });

    it('refuses a rate without a window, and a negated rate bound', () => {
      expect(() => expect(every(1000, 3)).to.have.queries(AVIRA).at.most(100).per.day).to.throw(/needs a duration/);
      expect(() => expect({ records: [], window: window30s }).to.not.have.queries(AVIRA).at.most(100).per.day)
        .to.throw(/write \.at\.least\(n\) instead of \.not\.at\.most\(n\)/);
    });

    it('fails a rate with the liveness refusal when the lab was not shown live', () => {
      const obs = { records: every(1000, 30), window: window30s, labLive: false };
      expect(failureOf(() => expect(obs).to.have.queried(AVIRA).at.least(20_000).per.day)).to.match(/^records \*\.safethings\.avira\.com: error: liveness: /);
    });
  });

  describe('counts: .at.most(n).times / .at.least(n).times', () => {
    it('passes and fails on the plain count, negation included', () => {
      expect(every(1000, 3)).to.have.queries(AVIRA).at.most(5).times;
      expect(every(1000, 7)).to.have.queries(AVIRA).at.least(7).times;
      expect(every(1000, 7)).to.not.have.queries(AVIRA).at.most(5).times;
      expect(failureOf(() => expect(every(1000, 7)).to.have.queries(AVIRA).at.most(5).times)).to.equal(
        'expected records to have queried *.safethings.avira.com at most 5 times, but it did 7 times (a.safethings.avira.com x7)');
      expect(failureOf(() => expect(every(1000, 3)).to.not.have.queries(AVIRA).at.most(5).times)).to.equal(
        'expected records to not have queried *.safethings.avira.com at most 5 times, but it did 3 times (a.safethings.avira.com x3)');
    });

    it('counts inside the window only', () => {
      expect({ records: every(1000, 60), window: window30s }).to.have.queries(AVIRA).at.most(30).times;
      expect(failureOf(() => expect({ records: every(1000, 60), window: window30s }).to.have.queries(AVIRA).at.least(31).times))
        .to.contain('but it did 30 times in 30.0 s');
    });

    it('needs a bound before .times and leaves plain chai alone', () => {
      expect(() => expect(every(1000, 3)).to.have.queries(AVIRA).times).to.throw(/needs \.at\.most\(n\) or \.at\.least\(n\)/);
      expect(5).to.be.at.most(6);
      expect(() => expect(5).to.be.at.least(6)).to.throw(/expected 5 to be at least 6/);
    });
  });

  describe('.with.ttl.respected', () => {
    it('passes when re-queries wait out the TTL and fails, naming names, when they do not', () => {
      expect(every(300_000, 4, 'a.safethings.avira.com', 0, 300)).to.have.queried(AVIRA).with.ttl.respected;
      const eager = every(1000, 10, 'a.safethings.avira.com', 0, 300);
      const message = failureOf(() => expect(eager).to.have.queried(AVIRA).with.ttl.respected);
      expect(message).to.equal('records *.safethings.avira.com: 9 of 9 re-queries came before the previous answer\'s TTL ran out '
        + '(1.0 s grace): a.safethings.avira.com x9; expected TTLs respected: fail');
      expect(eager).to.not.have.queries(AVIRA).with.ttl.respected;
    });
  });
});
