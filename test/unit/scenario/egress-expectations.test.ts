import { expect } from 'chai';
import { parseScenario } from '../../../harness/scenario/load-scenario.js';
import { ScenarioInvalidError } from '../../../harness/scenario/scenario-errors.js';
import { toAnalysisExpectations } from '../../../harness/scenario/to-analysis.js';

const withExpect = (...entries: string[]) => [
  'name: x',
  'builds: { old: a.bin, new: b.bin }',
  'steps:',
  '  - boot: {}',
  '  - observe: { for: 30s, as: disabled }',
  'expect:',
  ...entries.map((e) => `  - ${e}`),
  '',
].join('\n');

/** `path (line:column): message` of every problem the loader finds; [] when the file loads. */
function problems(text: string): string[] {
  try {
    parseScenario(text, 't.yaml', { cwd: '/lab' });
    return [];
  } catch (e) {
    if (!(e instanceof ScenarioInvalidError)) throw e;
    return e.issues.map((i) => `${i.path} (${i.line}:${i.column}): ${i.message}`);
  }
}

describe('scenario: egress expectations', () => {
  it('types `egress:` in camelCase, through to analysis, beside `domain:`', () => {
    const s = parseScenario(withExpect(
      '{ build: new, window: disabled, egress: { sni: "*.safethings.avira.com" }, none: true }',
      '{ build: new, window: disabled, egress: { address: 203.0.113.0/24, port: 443, protocol: tcp }, max_per_day: 100 }',
      '{ build: old, window: disabled, egress: { http_host: update.example, protocol: tcp }, min_per_day: 1000 }',
      '{ compare: { egress: { address: "2001:db8::/32", protocol: udp }, window: disabled }, at_least_times_fewer: 10 }',
      '{ build: new, window: disabled, domain: "*.safethings.avira.com", none: true }',
    ), 'x.yaml', { cwd: '/lab' });
    expect(s.expect.map(({ index: _i, line: _l, ...rest }) => rest)).to.deep.equal([
      { kind: 'none', build: 'new', window: 'disabled', egress: { sni: '*.safethings.avira.com' } },
      { kind: 'maxPerDay', build: 'new', window: 'disabled', egress: { address: '203.0.113.0/24', port: 443, protocol: 'tcp' }, maxPerDay: 100 },
      { kind: 'minPerDay', build: 'old', window: 'disabled', egress: { httpHost: 'update.example', protocol: 'tcp' }, minPerDay: 1000 },
      { kind: 'atLeastTimesFewer', compare: { egress: { address: '2001:db8::/32', protocol: 'udp' }, window: 'disabled' }, atLeastTimesFewer: 10 },
      { kind: 'none', build: 'new', window: 'disabled', domain: '*.safethings.avira.com' },
    ]);
    expect(toAnalysisExpectations(s.expect, 'm')).to.deep.equal([
      { build: 'm/new', window: 'disabled', egress: { sni: '*.safethings.avira.com' }, none: true },
      { build: 'm/new', window: 'disabled', egress: { address: '203.0.113.0/24', port: 443, protocol: 'tcp' }, maxPerDay: 100 },
      { build: 'm/old', window: 'disabled', egress: { httpHost: 'update.example', protocol: 'tcp' }, minPerDay: 1000 },
      { compare: { egress: { address: '2001:db8::/32', protocol: 'udp' }, window: 'disabled', old: 'm/old', new: 'm/new' }, atLeastTimesFewer: 10 },
      { build: 'm/new', window: 'disabled', domain: '*.safethings.avira.com', none: true },
    ]);
  });

  const refused: [string, string, RegExp][] = [
    ['both domain and egress', '{ build: new, window: disabled, domain: a.example, egress: { port: 443 }, none: true }',
      /^expect\[0\]\.egress \(7:\d+\): `domain`, `egress` exclude each other/],
    ['neither', '{ build: new, window: disabled, none: true }', /^expect\[0\] \(7:\d+\): needs exactly one of `domain`, `egress`$/],
    ['an empty filter', '{ build: new, window: disabled, egress: {}, none: true }', /^expect\[0\]\.egress \(7:\d+\): is empty; give at least one of `address`/],
    ['a key typo', '{ build: new, window: disabled, egress: { adress: 203.0.113.1 }, none: true }', /^expect\[0\]\.egress\.adress \(7:\d+\): unknown key `adress`/],
    ['an address past 255', '{ build: new, window: disabled, egress: { address: 300.1.1.1 }, none: true }',
      /^expect\[0\]\.egress\.address \(7:\d+\): is not an address or CIDR block: "300\.1\.1\.1" is not an IPv4 or IPv6 address$/],
    ['a prefix too long', '{ build: new, window: disabled, egress: { address: 10.0.0.0/33 }, none: true }', /prefix length must be a whole number from 0 to 32, got "33"$/],
    ['port 0', '{ build: new, window: disabled, egress: { port: 0 }, none: true }', /^expect\[0\]\.egress\.port \(7:\d+\): must be >= 1, got 0$/],
    ['an unknown protocol', '{ build: new, window: disabled, egress: { protocol: icmp }, none: true }', /^expect\[0\]\.egress\.protocol \(7:\d+\): must be one of `tcp`, `udp`, got "icmp"$/],
    ['a bad SNI pattern', '{ build: new, window: disabled, egress: { sni: "a.*.example" }, none: true }', /^expect\[0\]\.egress\.sni \(7:\d+\): `a\.\*\.example` is not a domain pattern/],
    ['a bad Host pattern in a comparison', '{ compare: { egress: { http_host: "x..y" }, window: disabled }, new_at_most: 0.2 }', /^expect\[0\]\.compare\.egress\.http_host \(7:\d+\): `x\.\.y` is not a domain pattern/],
    ['ttl_respected over egress', '{ build: new, window: disabled, egress: { port: 443 }, ttl_respected: true }', /^expect\[0\]\.ttl_respected \(7:\d+\): `ttl_respected` needs `domain` beside it$/],
  ];
  for (const [what, entry, message] of refused) {
    it(`refuses ${what} when the file loads, at its line`, () => {
      const found = problems(withExpect(entry));
      expect(found, found.join('\n')).to.have.length(1);
      expect(found[0]).to.match(message);
    });
  }
});
