import { expect } from 'chai';
import { parseScenario } from '../../../harness/scenario/load-scenario.js';
import { ScenarioInvalidError } from '../../../harness/scenario/scenario-errors.js';
import { issuesOf } from './issues-of.js';

/** A valid scenario around the given lines; `steps` go after boot and login (lines 6-7). */
function scenario(parts: { top?: string; steps?: string; expect?: string }): string {
  return [
    'name: x',
    'builds: { old: a.bin, new: b.bin }',
    ...(parts.top === undefined ? [] : [parts.top]),
    'steps:',
    '  - boot: {}',
    '  - login: { password: admin }',
    parts.steps ?? '  - observe: { for: 1s, as: w }',
    'expect:',
    '  - { build: new, window: w, domain: d, none: true }',
    ...(parts.expect === undefined ? [] : [parts.expect]),
    '',
  ].join('\n');
}


describe('scenario issues: schema and cross-checks', () => {
  const observe = '  - observe: { for: 1s, as: w }';
  const table: { name: string; text: string; path: string; message: RegExp; suggestion?: string }[] = [
    { name: 'empty file', text: '', path: '', message: /^must be a mapping \(key: value\), got nothing$/ },
    { name: 'two keys in a step', text: scenario({ steps: `${observe}\n    reboot: {}` }), path: 'steps[2]', message: /^has 2 keys \(`observe`, `reboot`\); give exactly one of `boot`/ },
    { name: 'empty step', text: scenario({ steps: `${observe}\n  - {}` }), path: 'steps[3]', message: /^is empty; give exactly one of/ },
    { name: 'two assertions', text: scenario({ expect: '  - { build: new, window: w, domain: d, none: true, min_per_day: 3 }' }), path: 'expect[1].min_per_day', message: /`none`, `min_per_day` exclude each other/ },
    { name: 'no assertion', text: scenario({ expect: '  - { build: new, window: w, domain: d }' }), path: 'expect[1]', message: /^needs exactly one of `max_per_day`, `min_per_day`, `none`, `ttl_respected`$/ },
    { name: 'bad "x old" ratio', text: scenario({ expect: '  - { compare: { domain: d, window: w }, new_at_most: "half of old" }' }), path: 'expect[1].new_at_most', message: /^must be a fraction such as 0.2 or "0.2 x old"/ },
    { name: 'fault typo', text: scenario({ top: 'lab: { upstream: [{ match: a, fault: servfial }] }' }), path: 'lab.upstream[0].fault', message: /^must be one of `nxdomain`, `servfail`/, suggestion: 'servfail' },
    { name: 'upstream at the top level', text: scenario({ top: 'upstream: []' }), path: 'upstream', message: /belongs under `lab:`/, suggestion: 'lab.upstream' },
    { name: 'feature typo', text: scenario({ steps: `  - set: { homeshild: on }\n${observe}` }), path: 'steps[2].set.homeshild', message: /^unknown feature `homeshild`; known features: `homeshield`, `ntp` \(a scenario declares its own under `features:`\)$/, suggestion: 'homeshield' },
    { name: 'set without a feature', text: scenario({ steps: `  - set: { via: console }\n${observe}` }), path: 'steps[2].set', message: /^`set` names no feature to switch$/ },
    { name: 'fallback beside via: console', text: scenario({ steps: `  - set: { homeshield: on, via: console, fallback: console }\n${observe}` }), path: 'steps[2].set.fallback', message: /only applies to `via: web`/ },
    { name: 'feature state', text: scenario({ steps: `  - set: { homeshield: yes }\n${observe}` }), path: 'steps[2].set.homeshield', message: /^must be one of `on`, `off`, got "yes"$/ },
    { name: 'VLAN id past 4094', text: scenario({ top: 'lab: { nics: { vlans: { wan: 2, lan: 5000 } } }' }), path: 'lab.nics.vlans.lan', message: /^must be <= 4094, got 5000$/ },
    { name: 'one VLAN for both sides', text: scenario({ top: 'lab: { nics: { vlans: { wan: 2, lan: 2 } } }' }), path: 'lab.nics.vlans.lan', message: /^WAN and LAN need VLANs of their own; both are 2$/ },
    { name: 'rule that does nothing', text: scenario({ top: 'lab: { upstream: [{ match: a, ttl: 3 }] }' }), path: 'lab.upstream[0]', message: /^needs at least one of `answer`, `fault`, `delay`$/ },
    { name: 'fail_ratio without fault', text: scenario({ top: 'lab: { upstream: [{ match: a, answer: 203.0.113.1, fail_ratio: 0.5 }] }' }), path: 'lab.upstream[0].fail_ratio', message: /needs `fault` or `delay`/ },
    { name: 'address past 255', text: scenario({ top: 'lab: { upstream: [{ match: a, answer: 300.1.1.1 }] }' }), path: 'lab.upstream[0].answer', message: /^must be an IPv4 or IPv6 address .*got "300\.1\.1\.1": each of the four numbers must be 0-255/ },
    { name: 'address past 255 in a fault step', text: scenario({ steps: `${observe}\n  - fault: { upstream: [{ match: a, answer: { type: A, data: 10.0.0.256 } }] }` }), path: 'steps[3].fault.upstream[0].answer.data', message: /^must be an IPv4 address/ },
    { name: 'upstream match with two wildcards', text: scenario({ top: 'lab: { upstream: [{ match: "*.*.x", answer: 203.0.113.1 }] }' }), path: 'lab.upstream[0].match', message: /^`\*\.\*\.x` is not a domain pattern .*whole first label/ },
    { name: 'old delay spelling in a scenario', text: scenario({ top: 'lab: { upstream: [{ match: a, answer: 203.0.113.1, fault: { delay: 2s } }] }' }), path: 'lab.upstream[0].fault', message: /\(a delay is its own key: `delay: 2s`\), got a mapping$/ },
    { name: 'delay beside drop', text: scenario({ top: 'lab: { upstream: [{ match: a, fault: drop, delay: 1s }] }' }), path: 'lab.upstream[0].delay', message: /means nothing beside `fault: drop`/ },
    { name: 'expectation domain with two wildcards', text: scenario({ expect: '  - { build: new, window: w, domain: "*.*.x", none: true }' }), path: 'expect[1].domain', message: /^`\*\.\*\.x` is not a domain pattern/ },
    { name: 'expectation domain with a wildcard inside', text: scenario({ expect: '  - { compare: { domain: "a.*.example", window: w }, new_at_most: 0.5 }' }), path: 'expect[1].compare.domain', message: /wildcard may only be the whole first label/ },
    { name: 'wait_for dns pattern', text: scenario({ steps: `  - wait_for: { dns: "x..example" }\n${observe}` }), path: 'steps[2].wait_for.dns', message: /empty label/ },
    { name: 'unknown window', text: scenario({ expect: '  - { build: old, window: disabled, domain: d, none: true }' }), path: 'expect[1].window', message: /^unknown window `disabled`; known windows: `w`$/ },
    { name: 'window with no observe step', text: 'name: x\nbuilds: { new: a.bin }\nsteps:\n  - boot: {}\nexpect:\n  - { build: new, window: w, domain: d, none: true }\n', path: 'expect[0].window', message: /^unknown window `w`; no `observe` step names one$/ },
    { name: 'compare window typo', text: scenario({ expect: '  - { compare: { domain: d, window: ww }, new_at_most: 0.5 }' }), path: 'expect[1].compare.window', message: /^unknown window `ww`/, suggestion: 'w' },
    { name: 'answer that is never used', text: scenario({ top: 'lab: { upstream: [{ match: a, answer: 203.0.113.1, fault: drop }] }' }), path: 'lab.upstream[0].answer', message: /never used/ },
    { name: 'answer not an address', text: scenario({ top: 'lab: { upstream: [{ match: a, answer: example.com }] }' }), path: 'lab.upstream[0].answer', message: /^must be an IPv4 or IPv6 address/ },
    { name: 'rule in a fault step', text: scenario({ steps: `${observe}\n  - fault: { upstream: [{ match: a, fault: boom }] }` }), path: 'steps[3].fault.upstream[0].fault', message: /^must be one of/ },
    { name: 'both password kinds', text: scenario({ steps: `  - login: { password: a, password_env: B }\n${observe}` }), path: 'steps[2].login.password_env', message: /exclude each other/ },
    { name: 'bad regex', text: scenario({ steps: `  - console: { run: ls, expect: "(" }\n${observe}` }), path: 'steps[2].console.expect', message: /^is not a valid regular expression/ },
    { name: 'wait_for without target', text: scenario({ steps: `  - wait_for: { timeout: 5s }\n${observe}` }), path: 'steps[2].wait_for', message: /^needs exactly one of `console`, `dns`$/ },
    { name: 'kernel typo', text: scenario({ top: 'lab: { kernel: arm46 }' }), path: 'lab.kernel', message: /^must be one of `arm64`, `arm64-virt`, `armhf`/, suggestion: 'arm64' },
    { name: 'zero-length window', text: scenario({ steps: '  - observe: { for: 0s, as: w }' }), path: 'steps[2].observe.for', message: /^must be longer than 0$/ },
    { name: 'boot later again', text: scenario({ steps: `${observe}\n  - boot: {}` }), path: 'steps[3].boot', message: /use `reboot`/ },
    { name: 'matrix beside old', text: 'name: x\nbuilds:\n  old: a.bin\n  matrix: [{ model: m, old: a.bin }]\nsteps:\n  - boot: {}\n', path: 'builds.old', message: /cannot stand beside `matrix`/ },
    {
      name: 'compare without old',
      text: 'name: x\nbuilds: { new: a.bin }\nsteps:\n  - boot: {}\n  - observe: { for: 1s, as: w }\nexpect:\n  - { compare: { domain: d, window: w }, new_at_most: 0.2 }\n',
      path: 'expect[0].compare', message: /needs both builds `old` and `new`; `builds` has no `old`/,
    },
    { name: 'bad scenario name', text: 'name: My Scenario\nbuilds: { new: a.bin }\nsteps:\n  - boot: {}\n', path: 'name', message: /^must be lower case letters/ },
    { name: 'duplicate key', text: 'name: x\nname: y\n', path: '', message: /^YAML: Map keys must be unique$/ },
  ];
  for (const t of table) {
    it(t.name, () => {
      const found = issuesOf(t.text);
      expect(found, JSON.stringify(found)).to.have.length(1);
      expect(found[0]!.path).to.equal(t.path);
      expect(found[0]!.message).to.match(t.message);
      expect(found[0]!.suggestion).to.equal(t.suggestion);
    });
  }

  it('places load-time value checks at file:line:col, every one at once, before anything boots', () => {
    const text = [
      'name: x',
      'builds: { old: a.bin, new: b.bin }',
      'lab:',
      '  upstream:',
      '    - { match: "*.safethings.avira.com", answer: 300.1.1.1 }',
      'steps:',
      '  - boot: {}',
      '  - observe: { for: 1s, as: w }',
      'expect:',
      '  - { build: new, window: w, domain: "*.*.x", none: true }',
      '  - { build: old, window: later, domain: "*", none: true }',
      '',
    ].join('\n');
    let message = '';
    try {
      parseScenario(text, 't.yaml', { cwd: '/lab' });
    } catch (e) {
      expect(e).to.be.instanceOf(ScenarioInvalidError).with.property('code', 'FIRMLAB_SCENARIO_INVALID');
      message = (e as Error).message;
    }
    const lines = message.split('\n');
    expect(lines).to.have.length(3);
    expect(lines[0]).to.match(/^t\.yaml:5:50: lab\.upstream\[0\]\.answer: must be an IPv4 or IPv6 address .*"300\.1\.1\.1"/);
    expect(lines[1]).to.match(/^t\.yaml:10:38: expect\[0\]\.domain: `\*\.\*\.x` is not a domain pattern/);
    expect(lines[2]).to.match(/^t\.yaml:11:27: expect\[1\]\.window: unknown window `later`; known windows: `w`$/);
  });

  it('reports every schema problem at once, in file order', () => {
    const found = issuesOf('name: x\nbuilds: { olf: a.bin }\nsteps:\n  - obsrve: {}\n');
    expect(found.map((i) => [i.line, i.path, i.suggestion])).to.deep.equal([
      [2, 'builds.olf', 'old'],
      [4, 'steps[0].obsrve', 'observe'],
    ]);
  });
});
