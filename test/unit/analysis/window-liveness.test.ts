import { expect } from 'chai';
import { analyzeRun } from '../../../harness/analysis/analyze-run.js';
import type { DnsQuery, EgressEvent } from '../../../harness/analysis/analysis-input.js';
import { isProbeName, judgeWindowLiveness, type LabRecords, type ServiceFacts } from '../../../harness/analysis/window-liveness.js';

const PROBED = {
  probe: { before: { name: 'ab12.probe.firmlab.test', seen: true }, after: { name: 'cd34.probe.firmlab.test', seen: true } },
};
const WINDOW = { startMs: 70_000, endMs: 100_000 };
const query = (name: string, atMs: number): DnsQuery => ({ atMs, name, type: 'A', response: { rcode: 'NOERROR', ttl: 60 } });
const tls = (sni: string, atMs: number): EgressEvent => ({ atMs, transport: 'tcp', destination: { address: '203.0.113.10', port: 443 }, bytes: 200, sni });
/** Twelve of homeshieldd's own queries since it was switched on at 40 s. */
const ACTIVE: LabRecords = { dns: Array.from({ length: 12 }, (_, i) => query(`dfp${i}.safethings.avira.com`, 41_000 + i * 1000)) };
const NOTHING: LabRecords = { dns: [] };
const service = (over: Partial<ServiceFacts>): ServiceFacts => ({
  feature: 'homeshield', state: 'on', sinceMs: 40_000, process: 'homeshieldd', runningAtStart: true, runningAtEnd: true,
  traffic: '*.safethings.avira.com', ...over,
});

describe('analysis/window-liveness', () => {
  it('a probe seen before and after proves the lab live, with no service watched (not vacuous: the probe is evidence)', () => {
    const l = judgeWindowLiveness(PROBED, [], NOTHING, WINDOW);
    expect(l.labLive).to.equal(true);
    expect(l.proof).to.equal('probes recorded before and after the window');
  });

  it('a probe missed after the window: not live, and says which probe', () => {
    const l = judgeWindowLiveness({ probe: { ...PROBED.probe, after: { name: 'cd34.probe.firmlab.test', seen: false } } }, [service({})], ACTIVE, WINDOW);
    expect(l.labLive).to.equal(false);
    expect(l.proof).to.match(/send after the window \(cd34\.probe\.firmlab\.test, through its console\) never reached the lab/);
  });

  it('no console, no traffic at all: not live (a quiet window is never trusted by default)', () => {
    const l = judgeWindowLiveness({}, [], NOTHING, WINDOW);
    expect(l.labLive).to.equal(false);
    expect(l.proof).to.match(/no console to send a probe and nothing recorded/);
  });

  it('no console: the router\'s own traffic in the window, or an on service\'s traffic, proves the lab', () => {
    const other = { dns: [query('time.example.org', 80_000)], egress: [tls('cdn.example.net', 90_000)] };
    const byTraffic = judgeWindowLiveness({}, [], other, WINDOW);
    expect(byTraffic).to.include({ labLive: true });
    expect(byTraffic.proof).to.match(/\(2 contacts\)/);
    const l = judgeWindowLiveness({}, [service({ runningAtStart: undefined, runningAtEnd: undefined })], ACTIVE, WINDOW);
    expect(l.labLive).to.equal(true);
    expect(l.proof).to.match(/homeshield's own traffic/);
  });

  it('probe queries and records outside the window are not the router\'s traffic in it', () => {
    const probesAndOutside = { dns: [query('ab12.probe.firmlab.test', 80_000), query('time.example.org', 100_000), query('time.example.org', 69_999)] };
    expect(judgeWindowLiveness({}, [], probesAndOutside, WINDOW).labLive).to.equal(false);
    expect(isProbeName('probe.firmlab.test')).to.equal(true);
    expect(isProbeName('xprobe.firmlab.test')).to.equal(false);
  });

  it('counts a service\'s own contacts by DNS and by TLS SNI, from when it was switched on to the window\'s end', () => {
    const records = {
      dns: [query('dfp.safethings.avira.com', 39_000), query('dfp.safethings.avira.com', 50_000), query('dfp.safethings.avira.com', 100_000)],
      egress: [tls('dfp-dual.safethings.avira.com', 60_000), tls('other.example', 61_000)],
    };
    const s = judgeWindowLiveness(PROBED, [service({})], records, WINDOW).services[0]!;
    expect(s.activity).to.deep.equal({ what: '*.safethings.avira.com', count: 2, sinceMs: 40_000 });
    expect(s.finding).to.equal(undefined);
  });

  it('off with its service stopped is a legitimate quiet: no finding, lab live by the probe', () => {
    const l = judgeWindowLiveness(PROBED, [service({ state: 'off', runningAtStart: false, runningAtEnd: false })], NOTHING, WINDOW);
    expect(l.labLive).to.equal(true);
    expect(l.services[0]!.finding).to.equal(undefined);
    expect(l.services[0]!.activity).to.equal(undefined);
  });

  it('on with its service not running is a finding about the build, not a lab failure', () => {
    const l = judgeWindowLiveness(PROBED, [service({ runningAtStart: false, runningAtEnd: false })], NOTHING, WINDOW);
    expect(l.labLive).to.equal(true);
    expect(l.services[0]!.finding).to.equal('homeshield is on but its service (homeshieldd) is not running');
  });

  it('on, running at the start but gone at the end: stopped during the window', () => {
    const l = judgeWindowLiveness(PROBED, [service({ runningAtEnd: false })], ACTIVE, WINDOW);
    expect(l.services[0]!.finding).to.match(/not running \(it stopped during the window\)/);
  });

  it('on and running but none of its own traffic since it was switched on: hung', () => {
    const l = judgeWindowLiveness(PROBED, [service({})], NOTHING, WINDOW);
    expect(l.services[0]!.finding).to.equal(
      'homeshield is on and homeshieldd runs, but it sent nothing (*.safethings.avira.com) in the 60 s since it was switched on: hung');
  });

  it('on, running and active: no finding; a definition without traffic evidence cannot be judged hung', () => {
    expect(judgeWindowLiveness(PROBED, [service({})], ACTIVE, WINDOW).services[0]!.finding).to.equal(undefined);
    expect(judgeWindowLiveness(PROBED, [service({ traffic: undefined })], NOTHING, WINDOW).services[0]!.finding).to.equal(undefined);
  });

  it('with no process declared, the start line stands in: none printed since on is a finding, one printed proves it started', () => {
    const byLine = (count: number) => service({ process: undefined, runningAtStart: undefined, runningAtEnd: undefined, traffic: undefined, line: { pattern: 'svc: started', count } });
    expect(judgeWindowLiveness(PROBED, [byLine(0)], NOTHING, WINDOW).services[0]!.finding).to.equal(
      'homeshield is on but its service printed no line matching /svc: started/ in the 60 s since it was switched on: not shown running');
    expect(judgeWindowLiveness(PROBED, [byLine(1)], NOTHING, WINDOW).services[0]!.finding).to.equal(undefined);
  });

  it('a start line with traffic evidence: started but silent is hung', () => {
    const s = service({ process: undefined, runningAtStart: undefined, runningAtEnd: undefined, line: { pattern: 'svc: started', count: 1 } });
    expect(judgeWindowLiveness(PROBED, [s], NOTHING, WINDOW).services[0]!.finding).to.match(/^homeshield is on and its service runs, but it sent nothing .*: hung$/);
  });

  it('a declared process outranks the start line: running without a fresh line is no finding', () => {
    const s = service({ line: { pattern: 'svc: started', count: 0 } });
    expect(judgeWindowLiveness(PROBED, [s], ACTIVE, WINDOW).services[0]!.finding).to.equal(undefined);
  });

  it('a probe missed only before the window: live (the router could not reach anything yet), and says so', () => {
    const late = { probe: { ...PROBED.probe, before: { name: 'ab12.probe.firmlab.test', seen: false } } };
    const l = judgeWindowLiveness(late, [], NOTHING, WINDOW);
    expect(l.labLive).to.equal(true);
    expect(l.proof).to.match(/the one before \(ab12\.probe\.firmlab\.test\) was not: the router could not reach the lab yet/);
  });

  it('a lab not shown live cannot call a silent service hung, but still reports a missing process', () => {
    const dead = { probe: { ...PROBED.probe, after: { name: 'cd34.probe.firmlab.test', seen: false } } };
    expect(judgeWindowLiveness(dead, [service({})], NOTHING, WINDOW).services[0]!.finding).to.equal(undefined);
    expect(judgeWindowLiveness(dead, [service({ runningAtStart: false })], NOTHING, WINDOW).services[0]!.finding).to.match(/not running/);
  });

  it('unknown state: nothing is asserted about the service', () => {
    const l = judgeWindowLiveness(PROBED, [service({ state: 'unknown', runningAtStart: false, runningAtEnd: false })], NOTHING, WINDOW);
    expect(l.services[0]!.finding).to.equal(undefined);
  });

  it('analyzeRun lists findings and exits 1 though every verdict passed', () => {
    const liveness = judgeWindowLiveness(PROBED, [service({ runningAtStart: false, runningAtEnd: false })], NOTHING, WINDOW);
    const r = analyzeRun({
      records: [{ build: 'new', dns: [] }],
      windows: [{ build: 'new', window: 'enabled', ...WINDOW, labLive: liveness.labLive, liveness }],
    }, [{ build: 'new', window: 'enabled', domain: '*.safethings.avira.com', none: true }]);
    expect(r.verdicts.map((v) => v.status)).to.deep.equal(['pass']);
    expect(r.findings).to.deep.equal([{
      build: 'new', window: 'enabled', feature: 'homeshield',
      message: 'new/enabled: homeshield is on but its service (homeshieldd) is not running',
    }]);
    expect(r.summary.exitCode).to.equal(1);
  });
});
