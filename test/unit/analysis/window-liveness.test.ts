import { expect } from 'chai';
import { analyzeRun } from '../../../harness/analysis/analyze-run.js';
import { judgeWindowLiveness, type ServiceFacts } from '../../../harness/analysis/window-liveness.js';

const PROBED = {
  probe: { before: { name: 'ab12.probe.firmlab.test', seen: true }, after: { name: 'cd34.probe.firmlab.test', seen: true } },
  contactsInWindow: 0,
};
const END = { endMs: 100_000 };
const service = (over: Partial<ServiceFacts>): ServiceFacts => ({
  feature: 'homeshield', state: 'on', process: 'homeshieldd', runningAtStart: true, runningAtEnd: true,
  activity: { what: '*.safethings.avira.com', count: 12, sinceMs: 40_000 }, ...over,
});

describe('analysis/window-liveness', () => {
  it('a probe seen before and after proves the lab live, with no service watched (not vacuous: the probe is evidence)', () => {
    const l = judgeWindowLiveness(PROBED, [], END);
    expect(l.labLive).to.equal(true);
    expect(l.proof).to.equal('probes recorded before and after the window');
  });

  it('a probe missed after the window: not live, and says which probe', () => {
    const l = judgeWindowLiveness({ ...PROBED, probe: { ...PROBED.probe, after: { name: 'cd34.probe.firmlab.test', seen: false } } }, [service({})], END);
    expect(l.labLive).to.equal(false);
    expect(l.proof).to.match(/send after the window \(cd34\.probe\.firmlab\.test, through its console\) never reached the lab/);
  });

  it('no console, no traffic at all: not live (a quiet window is never trusted by default)', () => {
    const l = judgeWindowLiveness({ contactsInWindow: 0 }, [], END);
    expect(l.labLive).to.equal(false);
    expect(l.proof).to.match(/no console to send a probe and nothing recorded/);
  });

  it('no console: the router\'s own traffic in the window, or an on service\'s traffic, proves the lab', () => {
    expect(judgeWindowLiveness({ contactsInWindow: 3 }, [], END)).to.include({ labLive: true });
    const l = judgeWindowLiveness({ contactsInWindow: 0 }, [service({ runningAtStart: undefined, runningAtEnd: undefined })], END);
    expect(l.labLive).to.equal(true);
    expect(l.proof).to.match(/homeshield's own traffic/);
  });

  it('off with its service stopped is a legitimate quiet: no finding, lab live by the probe', () => {
    const l = judgeWindowLiveness(PROBED, [service({ state: 'off', runningAtStart: false, runningAtEnd: false, activity: undefined })], END);
    expect(l.labLive).to.equal(true);
    expect(l.services[0]!.finding).to.equal(undefined);
  });

  it('on with its service not running is a finding about the build, not a lab failure', () => {
    const l = judgeWindowLiveness(PROBED, [service({ runningAtStart: false, runningAtEnd: false, activity: { what: 'x', count: 0, sinceMs: 0 } })], END);
    expect(l.labLive).to.equal(true);
    expect(l.services[0]!.finding).to.equal('homeshield is on but its service (homeshieldd) is not running');
  });

  it('on, running at the start but gone at the end: stopped during the window', () => {
    const l = judgeWindowLiveness(PROBED, [service({ runningAtEnd: false })], END);
    expect(l.services[0]!.finding).to.match(/not running \(it stopped during the window\)/);
  });

  it('on and running but none of its own traffic since it was switched on: hung', () => {
    const l = judgeWindowLiveness(PROBED, [service({ activity: { what: '*.safethings.avira.com', count: 0, sinceMs: 40_000 } })], END);
    expect(l.services[0]!.finding).to.equal(
      'homeshield is on and homeshieldd runs, but it sent nothing (*.safethings.avira.com) in the 60 s since it was switched on: hung');
  });

  it('on, running and active: no finding; a definition without traffic evidence cannot be judged hung', () => {
    expect(judgeWindowLiveness(PROBED, [service({})], END).services[0]!.finding).to.equal(undefined);
    expect(judgeWindowLiveness(PROBED, [service({ activity: undefined })], END).services[0]!.finding).to.equal(undefined);
  });

  it('a probe missed only before the window: live (the router could not reach anything yet), and says so', () => {
    const late = { ...PROBED, probe: { ...PROBED.probe, before: { name: 'ab12.probe.firmlab.test', seen: false } } };
    const l = judgeWindowLiveness(late, [], END);
    expect(l.labLive).to.equal(true);
    expect(l.proof).to.match(/the one before \(ab12\.probe\.firmlab\.test\) was not: the router could not reach the lab yet/);
  });

  it('a lab not shown live cannot call a silent service hung, but still reports a missing process', () => {
    const dead = { ...PROBED, probe: { ...PROBED.probe, after: { name: 'cd34.probe.firmlab.test', seen: false } } };
    const silent = service({ activity: { what: 'x', count: 0, sinceMs: 0 } });
    expect(judgeWindowLiveness(dead, [silent], END).services[0]!.finding).to.equal(undefined);
    expect(judgeWindowLiveness(dead, [service({ runningAtStart: false })], END).services[0]!.finding).to.match(/not running/);
  });

  it('unknown state: nothing is asserted about the service', () => {
    const l = judgeWindowLiveness(PROBED, [service({ state: 'unknown', runningAtStart: false, runningAtEnd: false })], END);
    expect(l.services[0]!.finding).to.equal(undefined);
  });

  it('analyzeRun lists findings and exits 1 though every verdict passed', () => {
    const liveness = judgeWindowLiveness(PROBED, [service({ runningAtStart: false, runningAtEnd: false })], END);
    const r = analyzeRun({
      records: [{ build: 'new', dns: [] }],
      windows: [{ build: 'new', window: 'enabled', startMs: 70_000, endMs: 100_000, labLive: liveness.labLive, liveness }],
    }, [{ build: 'new', window: 'enabled', domain: '*.safethings.avira.com', none: true }]);
    expect(r.verdicts.map((v) => v.status)).to.deep.equal(['pass']);
    expect(r.findings).to.deep.equal([{
      build: 'new', window: 'enabled', feature: 'homeshield',
      message: 'new/enabled: homeshield is on but its service (homeshieldd) is not running',
    }]);
    expect(r.summary.exitCode).to.equal(1);
  });
});
