import { expect } from 'chai';
import { join } from 'node:path';
import { projectRoot } from '../../../harness/paths.js';
import { loadScenario } from '../../../harness/scenario/load-scenario.js';
import { plan } from '../../../harness/scenario/plan.js';

const root = projectRoot();
const scenarios = join(root, 'scenarios');

describe('bundled scenarios', () => {
  it('homeshield-dns-request-logic loads: builds, upstream, steps, expectations', async () => {
    const s = await loadScenario(join(scenarios, 'homeshield-dns-request-logic.yaml'));
    expect(s.name).to.equal('homeshield-dns-request-logic');
    expect(s.models).to.deep.equal([
      {
        model: 'archer-ax55v1',
        firmware: {
          old: join(root, 'build', 'firmware', 'archer-ax55v1-1.0.7.bin'),
          new: join(root, 'build', 'firmware', 'archer-ax55v1-1.0.9.bin'),
        },
      },
    ]);
    expect(s.lab.kernel, 'no kernel named: the fixture profile\'s (arm64-virt)').to.equal(undefined);
    expect(s.lab.upstream).to.deep.equal([{ match: '*.safethings.avira.com', answers: [{ type: 'A', data: '203.0.113.10' }], ttl: 10 }]);
    expect(s.steps.map((step) => step.kind)).to.deep.equal(['boot', 'login', 'set', 'observe', 'set', 'observe']);
    expect(s.steps[2]).to.deep.include({ kind: 'set', features: { homeshield: 'on' } });
    expect(s.steps[4]).to.deep.include({ kind: 'set', features: { homeshield: 'off' } });
    expect(s.steps[5]).to.deep.include({ kind: 'observe', forMs: 30_000, as: 'disabled' });
    expect(s.expect.map((e) => e.kind)).to.deep.equal(['minPerDay', 'none', 'none', 'minPerDay', 'ttlRespected', 'newAtMost']);
    // No contact while off, by name (DNS, SNI, Host) and by the address the names resolve to.
    expect(s.expect[2]).to.deep.include({ build: 'new', window: 'disabled', egress: { address: '203.0.113.10' } });
    expect(s.expect[0]).to.deep.include({ build: 'old', window: 'disabled', minPerDay: 20_000 });
    expect(s.expect[5]).to.deep.include({ compare: { domain: '*.safethings.avira.com', window: 'disabled' }, newAtMost: 0.2 });
  });

  it('homeshield-upstream-faults loads: SERVFAIL upstream, decisive rate limits', async () => {
    const s = await loadScenario(join(scenarios, 'homeshield-upstream-faults.yaml'));
    expect(s.lab.upstream).to.deep.equal([{ match: '*.safethings.avira.com', answers: [], fault: 'servfail', ttl: 60 }]);
    const windows = s.steps.flatMap((step) => (step.kind === 'observe' ? [[step.as, step.forMs]] : []));
    expect(windows).to.deep.equal([['enabled', 30_000], ['backed-off', 90_000]]);
    const max = s.expect.find((e) => e.kind === 'maxPerDay');
    expect(max).to.deep.include({ build: 'new', window: 'backed-off', maxPerDay: 20_000 });
  });

  it('openwrt-ntp loads: both real images, LuCI login as root with the empty password, ntp on then off, no NTP while off', async () => {
    const s = await loadScenario(join(scenarios, 'openwrt-ntp.yaml'));
    expect(Object.values(s.models[0]!.firmware).map((f) => f.replace(/.*\//, ''))).to.deep.equal([
      'openwrt-15.05.1-r49587-ar71xx-tl-wr841n-v9-squashfs-factory.bin',
      'openwrt-15.05.1-r49587-ar71xx-tl-wr841n-v9-squashfs-sysupgrade.bin',
    ]);
    expect(s.steps.map(({ index: _i, line: _l, ...rest }) => rest)).to.deep.equal([
      { kind: 'boot', timeoutMs: 150_000 },
      { kind: 'login', username: 'root', password: { value: '' } },
      { kind: 'set', features: { ntp: 'on' } },
      { kind: 'observe', forMs: 100_000, as: 'ntp-on' },
      { kind: 'set', features: { ntp: 'off' } },
      { kind: 'observe', forMs: 60_000, as: 'ntp-off' },
    ]);
    expect(s.expect.map((e) => e.kind)).to.deep.equal(['minPerDay', 'minPerDay', 'none', 'none', 'none', 'none']);
    expect(s.expect[4]).to.deep.include({ build: 'old', window: 'ntp-off', egress: { protocol: 'udp', port: 123 } });
  });

  it('homeshield-matrix.yaml: two models, four jobs, each model with its own old and new', async () => {
    const s = await loadScenario(join(scenarios, 'homeshield-matrix.yaml'));
    expect(s.models.map((m) => m.model)).to.have.length(2);
    expect(plan(s).jobs.map((j) => j.id)).to.have.length(4);
    for (const m of s.models) expect(Object.keys(m.firmware).sort()).to.deep.equal(['new', 'old']);
  });

  for (const file of ['homeshield-dns-request-logic.yaml', 'homeshield-upstream-faults.yaml', 'homeshield-matrix.yaml']) {
    it(`${file}: every max_per_day can pass in its window (statistical power)`, async () => {
      const s = await loadScenario(join(scenarios, file));
      for (const e of s.expect) {
        if (e.kind !== 'maxPerDay') continue;
        const observe = s.steps.find((step) => step.kind === 'observe' && step.as === e.window);
        if (observe?.kind !== 'observe') throw new Error(`no window ${e.window}`);
        // Zero queries bound the rate below ~3 per window (one-sided 95% Poisson);
        // a limit under that could never pass, whatever the firmware does.
        expect((3.0 * 86_400_000) / observe.forMs, `${e.window} is too short for max_per_day ${e.maxPerDay}`).to.be.below(e.maxPerDay);
      }
    });
  }

  it('plans one job per build with ids model/build', async () => {
    const s = await loadScenario(join(scenarios, 'homeshield-dns-request-logic.yaml'));
    const p = plan(s);
    expect(p.jobs.map((j) => j.id)).to.deep.equal(['archer-ax55v1/old', 'archer-ax55v1/new']);
    expect(p.jobs[1]!.firmware).to.equal(join(root, 'build', 'firmware', 'archer-ax55v1-1.0.9.bin'));
  });
});
