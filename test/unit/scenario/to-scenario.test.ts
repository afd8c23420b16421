import { expect } from 'chai';
import { join } from 'node:path';
import { projectRoot } from '../../../harness/paths.js';
import { loadScenario, parseScenario } from '../../../harness/scenario/load-scenario.js';

const fixtures = join(projectRoot(), 'test', 'fixtures', 'scenarios');

const withSet = (value: string) => `name: x
builds: { new: n.bin }
steps:
  - boot: {}
  - login: { password: admin }
  - set: { homeshield: ${value} }
`;

describe('typed scenario', () => {
  const states: [string, 'on' | 'off'][] = [
    ['on', 'on'],
    ['true', 'on'],
    ['off', 'off'],
    ['false', 'off'],
  ];
  for (const [yaml, state] of states) {
    it(`reads homeshield: ${yaml} as '${state}'`, () => {
      const s = parseScenario(withSet(yaml), 'x.yaml', { cwd: '/lab' });
      expect(s.steps[2]).to.deep.include({ kind: 'set', features: { homeshield: state } });
    });
  }

  it('reads `on` the same under a YAML 1.1 directive (where it is a boolean)', () => {
    const s = parseScenario(`%YAML 1.1\n---\n${withSet('on')}`, 'x.yaml', { cwd: '/lab' });
    expect(s.steps[2]).to.deep.include({ features: { homeshield: 'on' } });
  });

  it('reads a LuCI login with a user and an empty password, and one without a user', () => {
    const doc = (login: string) => `name: x\nbuilds: { new: n.bin }\nsteps:\n  - boot: {}\n  - login: ${login}\n`;
    expect(parseScenario(doc('{ username: root, password: "" }'), 'x.yaml', { cwd: '/lab' }).steps[1]).to.deep.include({ kind: 'login', username: 'root', password: { value: '' } });
    expect(parseScenario(doc('{ password: admin }'), 'x.yaml', { cwd: '/lab' }).steps[1]).to.not.have.property('username');
    expect(() => parseScenario(doc('{ username: "", password: "" }'), 'x.yaml', { cwd: '/lab' })).to.throw(/username/);
  });

  it('fills defaults and resolves firmware against the scenario file', () => {
    const s = parseScenario(withSet('on'), 'sub/x.yaml', { cwd: '/lab' });
    expect(s.file).to.equal('/lab/sub/x.yaml');
    expect(s.models).to.deep.equal([{ firmware: { new: '/lab/sub/n.bin' } }]);
    expect(s.lab, 'no kernel: the device profile decides').to.deep.equal({ profile: {}, upstream: [], limits: { bootTimeoutMs: 120_000, stepTimeoutMs: 30_000, totalTimeoutMs: 1_800_000 } });
    expect(s.steps[0]).to.deep.equal({ index: 0, line: 4, kind: 'boot', timeoutMs: 120_000 });
    expect(s.expect).to.deep.equal([]);
  });

  it('types every step kind and expectation in camelCase with milliseconds', async () => {
    const s = await loadScenario(join(fixtures, 'good-matrix.yaml'));
    expect(s.steps.map(({ index: _i, line: _l, ...rest }) => rest)).to.deep.equal([
      { kind: 'boot', timeoutMs: 120_000 },
      { kind: 'login', password: { env: 'FIRMLAB_ROUTER_PASSWORD' } },
      { kind: 'set', features: { homeshield: 'on' } },
      { kind: 'observe', forMs: 1_500, as: 'enabled' },
      { kind: 'set', features: { homeshield: 'off' } },
      { kind: 'observe', forMs: 500, as: 'disabled' },
      { kind: 'console', run: 'homeshield status', expect: 'enable=(on|off)', timeoutMs: 90_000 },
      { kind: 'waitFor', source: 'dns', pattern: '*.safethings.avira.com', timeoutMs: 300_000 },
      { kind: 'fault', upstream: [{ match: '*', answers: [], fault: 'drop', ttl: 300 }] },
      { kind: 'reboot', timeoutMs: 90_000 },
      { kind: 'waitFor', source: 'console', pattern: 'homeshield: started', timeoutMs: 90_000 },
    ]);
    expect(s.expect.map(({ index: _i, line: _l, ...rest }) => rest)).to.deep.equal([
      { kind: 'maxPerDay', build: 'old', window: 'disabled', domain: '*.safethings.avira.com', maxPerDay: 100 },
      { kind: 'ttlRespected', build: 'new', window: 'enabled', domain: '*.safethings.avira.com' },
      { kind: 'atLeastTimesFewer', compare: { domain: '*.safethings.avira.com', window: 'disabled' }, atLeastTimesFewer: 10 },
      { kind: 'newAtMost', compare: { domain: '*.safethings.avira.com', window: 'enabled' }, newAtMost: 0.5 },
    ]);
    expect(s.expect[0]!.line).to.equal(26);
  });
});
