import { expect } from 'chai';
import { stringify } from 'yaml';
import { mergeFeatures, type FeatureDefinition } from '../../../harness/control/feature-definition.js';
import { createFeature } from '../../../harness/control/features/index.js';
import { BUILTIN_FEATURES } from '../../../harness/profiles/index.js';
import { parseScenario } from '../../../harness/scenario/load-scenario.js';
import { plan } from '../../../harness/scenario/plan.js';
import { issuesOf } from './issues-of.js';

/** A scenario declaring `features` (YAML lines under `features:`) and switching with `set` (a flow mapping). */
function scenario(features: string[], set = '{ parental: on }', opts: { login?: boolean; profile?: string } = {}): string {
  return [
    'name: x',
    'builds: { old: a.bin, new: b.bin }',
    ...(opts.profile === undefined ? [] : [`lab: { profile: ${opts.profile} }`]),
    ...(features.length === 0 ? [] : ['features:', ...features]),
    'steps:',
    '  - boot: {}',
    ...(opts.login ? ['  - login: { password: admin }'] : []),
    `  - set: ${set}`,
    '  - observe: { for: 1s, as: w }',
    '',
  ].join('\n');
}

const PARENTAL = [
  '  - name: parental',
  '    description: parental controls (the filter daemon pcd)',
  '    values: { on: ["1", enabled], off: ["0"] }',
  '    console:',
  '      set: { on: "uci set pc.enabled=1; pcd start", off: "uci set pc.enabled=0; pcd stop" }',
  '      read: uci -q get pc.enabled',
  '    alive: { line: "pcd: started", traffic: "*.filter.example" }',
];


describe('scenario-defined features (`features:`)', () => {
  it('loads a feature the scenario declares, switches it by name, and hands it to every job', () => {
    const s = parseScenario(scenario(PARENTAL), 't.yaml', { cwd: '/lab' });
    expect(s.features).to.have.length(1);
    expect(s.features[0]).to.deep.include({ name: 'parental', values: { on: ['1', 'enabled'], off: ['0'] } });
    expect(s.features[0]!.alive).to.deep.equal({ line: 'pcd: started', traffic: '*.filter.example' });
    expect(s.steps[1]).to.deep.include({ kind: 'set', features: { parental: 'on' } });
    expect(plan(s).jobs.map((j) => j.features.map((f) => f.name))).to.deep.equal([['parental'], ['parental']]);
  });

  it('the built-in definitions the profiles ship pass the same schema and checks as a scenario\'s', () => {
    const own = stringify({ features: BUILTIN_FEATURES }).trimEnd().split('\n').slice(1);
    const s = parseScenario(scenario(own, '{ homeshield: on, ntp: off }'), 't.yaml', { cwd: '/lab' });
    expect(s.features.map((f) => f.name)).to.deep.equal(BUILTIN_FEATURES.map((f) => f.name));
  });

  it('a scenario feature with a built-in\'s name replaces it; the others stay', () => {
    const mine: FeatureDefinition = { name: 'ntp', values: { on: ['yes'], off: ['no'] }, console: { set: { on: 'ntp on', off: 'ntp off' }, read: 'ntp' }, alive: { process: 'chronyd' } };
    const merged = mergeFeatures(BUILTIN_FEATURES, [mine]);
    expect(merged.filter((f) => f.name === 'ntp')).to.deep.equal([mine]);
    expect(merged.map((f) => f.name)).to.include('homeshield');
  });

  it('a definition with no process cannot be checked by pidof: alive() says so instead of guessing', async () => {
    const s = parseScenario(scenario(PARENTAL), 't.yaml', { cwd: '/lab' });
    const typed: string[] = [];
    const f = createFeature('parental', undefined, { run: async (c) => { typed.push(c); return '1\n'; } }, s.features);
    expect(await f.alive()).to.equal(undefined);
    expect(await f.read()).to.equal('on');
    expect(typed).to.deep.equal(['uci -q get pc.enabled']);
  });

  const table: { name: string; text: string; path: string; message: RegExp; suggestion?: string }[] = [
    { name: 'a set naming neither a built-in nor an own feature', text: scenario(PARENTAL, '{ parentl: on }'), path: 'steps[1].set.parentl',
      message: /^unknown feature `parentl`; known features: `parental`, `homeshield`, `ntp`/, suggestion: 'parental' },
    { name: 'a built-in the chosen profile does not have', text: scenario([], '{ homeshield: on }', { profile: 'openwrt' }), path: 'steps[1].set.homeshield',
      message: /^unknown feature `homeshield`; known features: `ntp`/ },
    { name: 'no way to switch it', text: scenario(['  - { name: parental, alive: { process: pcd } }']), path: 'features[0]', message: /has neither `web` nor `console`/ },
    { name: 'console without values', text: scenario(['  - { name: parental, console: { set: { on: a, off: b }, read: c }, alive: { process: pcd } }']), path: 'features[0]', message: /needs `values`/ },
    { name: 'a reading that means both', text: scenario(['  - { name: parental, values: { on: ["1"], off: ["1"] }, console: { set: { on: a, off: b }, read: c }, alive: { process: pcd } }']), path: 'features[0].values', message: /`1` cannot mean both on and off/ },
    { name: 'no evidence of its service', text: scenario(['  - { name: parental, values: { on: ["1"], off: ["0"] }, console: { set: { on: a, off: b }, read: c }, alive: {} }']), path: 'features[0].alive', message: /./ },
    { name: 'a start line that is no regular expression', text: scenario(['  - { name: parental, values: { on: ["1"], off: ["0"] }, console: { set: { on: a, off: b }, read: c }, alive: { line: "(" } }']), path: 'features[0].alive.line', message: /^is not a valid regular expression/ },
    { name: 'own traffic that is no domain pattern', text: scenario(['  - { name: parental, values: { on: ["1"], off: ["0"] }, console: { set: { on: a, off: b }, read: c }, alive: { traffic: "*.*.x" } }']), path: 'features[0].alive.traffic', message: /is not a domain pattern/ },
    { name: 'a web form of no known kind', text: scenario(['  - { name: parental, web: { kind: luci-cbj, page: p, field: f, values: { on: a, off: b } }, alive: { process: pcd } }'], '{ parental: on }', { login: true }), path: 'features[0].web.kind', message: /^must be one of `tplink-form`, `luci-cbi`/, suggestion: 'luci-cbi' },
    { name: 'a luci-cbi form without its page', text: scenario(['  - { name: parental, web: { kind: luci-cbi, field: f, values: { on: a, off: b } }, alive: { process: pcd } }'], '{ parental: on }', { login: true }), path: 'features[0].web', message: /`page`/ },
    { name: 'declared twice', text: scenario([...PARENTAL, ...PARENTAL]), path: 'features[1].name', message: /^feature `parental` is already declared by features\[0\]$/ },
    { name: 'via web on a console-only feature', text: scenario(PARENTAL, '{ parental: on, via: web }', { login: true }), path: 'steps[2].set.parental', message: /has no `web` form to switch it by; use `via: console`/ },
    { name: 'a web-only feature without login', text: scenario(['  - { name: parental, web: { kind: luci-cbi, page: p, field: f, values: { on: a, off: b } }, alive: { process: pcd } }']), path: 'steps[1].set.parental', message: /only a web form: put a `login` step before it/ },
    { name: 'a name with capitals', text: scenario(['  - { name: Parental, values: { on: ["1"], off: ["0"] }, console: { set: { on: a, off: b }, read: c }, alive: { process: pcd } }'], '{ homeshield: on }'), path: 'features[0].name', message: /^must be lower case letters/ },
  ];
  for (const t of table) {
    it(`refuses ${t.name}, at its place in the file`, () => {
      const found = issuesOf(t.text);
      expect(found, JSON.stringify(found)).to.have.length(1);
      expect(found[0]!.path).to.equal(t.path);
      expect(found[0]!.message).to.match(t.message);
      expect(found[0]!.suggestion).to.equal(t.suggestion);
      expect(found[0]!.line).to.be.greaterThan(1);
    });
  }
});
