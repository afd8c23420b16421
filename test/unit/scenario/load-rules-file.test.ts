import { expect } from 'chai';
import { parseRulesFile } from '../../../harness/scenario/load-rules-file.js';
import { parseScenario } from '../../../harness/scenario/load-scenario.js';
import { RulesInvalidError, type ScenarioIssue } from '../../../harness/scenario/scenario-errors.js';

function issues(text: string): { error: RulesInvalidError; issues: ScenarioIssue[] } {
  try {
    parseRulesFile(text, 'rules.yaml');
  } catch (e) {
    if (e instanceof RulesInvalidError) return { error: e, issues: e.issues };
    throw e;
  }
  throw new Error('the rules file loaded, but it should not');
}

describe('--rules files: the scenario upstream rule, in a file of its own', () => {
  it('reads a top-level rules: list into the recorder\'s rules, defaults filled in', () => {
    expect(parseRulesFile('rules:\n  - { match: "*.Safethings.avira.com.", answer: 203.0.113.10, ttl: 300 }\n  - { match: fail.example, fault: servfail }\n', 'r.yaml')).to.deep.equal([
      { match: '*.safethings.avira.com', answers: [{ type: 'A', data: '203.0.113.10' }], ttl: 300 },
      { match: 'fail.example', answers: [], ttl: 300, fault: 'servfail' },
    ]);
  });

  it('takes every answer form, delays and fail_ratio', () => {
    const rules = parseRulesFile([
      'rules:',
      '  - { match: dual.example, answer: [203.0.113.10, "2001:db8::10"] }',
      '  - { match: c.example, answer: { type: CNAME, data: Target.Example. }, ttl: 60 }',
      '  - { match: t.example, answer: { type: TXT, data: hello } }',
      '  - { match: fail.example, fault: servfail, fail_ratio: 0.25 }',
      '  - { match: slow.example, answer: 192.0.2.1, delay: 2s }',
      '  - { match: some-slow.example, answer: 192.0.2.1, delay: 500ms, fail_ratio: 0.3 }',
      '  - { match: late-fail.example, fault: servfail, delay: 1s }',
      '  - { match: tc.example, answer: 192.0.2.2, fault: truncate }',
      '',
    ].join('\n'), 'r.yaml');
    expect(rules.map((r) => r.answers)).to.deep.equal([
      [{ type: 'A', data: '203.0.113.10' }, { type: 'AAAA', data: '2001:db8::10' }],
      [{ type: 'CNAME', data: 'target.example' }],
      [{ type: 'TXT', data: 'hello' }],
      [], [{ type: 'A', data: '192.0.2.1' }], [{ type: 'A', data: '192.0.2.1' }], [], [{ type: 'A', data: '192.0.2.2' }],
    ]);
    expect(rules[1]!.ttl).to.equal(60);
    expect(rules[3]).to.deep.equal({ match: 'fail.example', answers: [], ttl: 300, fault: 'servfail', failRatio: 0.25 });
    expect(rules[4]).to.include({ delayMs: 2000 }).and.not.have.property('fault');
    expect(rules[5]).to.include({ delayMs: 500, failRatio: 0.3 });
    expect(rules[6]).to.include({ fault: 'servfail', delayMs: 1000 });
  });

  it('gives the same rule as a scenario\'s lab.upstream written the same way', () => {
    const rule = '{ match: "*.safethings.avira.com", answer: [203.0.113.10, { type: CNAME, data: cdn.example }], delay: 1s, fault: servfail, fail_ratio: 0.5, ttl: 10 }';
    const scenario = parseScenario(`name: x\nbuilds: { new: n.bin }\nlab:\n  upstream:\n    - ${rule}\nsteps:\n  - boot: {}\n`, 's.yaml', { cwd: '/lab' });
    expect(parseRulesFile(`rules:\n  - ${rule}\n`, 'r.yaml')).to.deep.equal(scenario.lab.upstream);
  });

  const cases: { name: string; text: string; line: number; column: number; path: string; message: RegExp; suggestion?: string }[] = [
    {
      name: 'the old delay spelling `fault: { delay: 2s }`', text: 'rules:\n  - match: a.example\n    answer: 192.0.2.1\n    fault: { delay: 2s }\n',
      line: 4, column: 12, path: 'rules[0].fault', message: /^must be one of `nxdomain`, .*\(a delay is its own key: `delay: 2s`\), got a mapping$/,
    },
    { name: 'a fault typo', text: 'rules:\n  - match: a.example\n    answer: 192.0.2.1\n  - match: b.example\n    fault: servfial\n', line: 5, column: 12, path: 'rules[1].fault', message: /^must be one of `nxdomain`/, suggestion: 'servfail' },
    { name: 'an unknown key', text: 'rules:\n  - match: a.example\n    answer: 192.0.2.1\n    tll: 30\n', line: 4, column: 5, path: 'rules[0].tll', message: /^unknown key `tll`/, suggestion: 'ttl' },
    { name: 'a missing match', text: '# header\nrules:\n  - answer: 192.0.2.1\n', line: 3, column: 5, path: 'rules[0]', message: /^missing required key `match`$/ },
    { name: 'a wildcard in the middle', text: 'rules:\n  - { match: "*.*.x", answer: 192.0.2.1 }\n', line: 2, column: 14, path: 'rules[0].match', message: /^`\*\.\*\.x` is not a domain pattern .*wildcard may only be the whole first label/ },
    { name: 'an octet past 255', text: 'rules:\n  - { match: a.example, answer: 300.1.1.1 }\n', line: 2, column: 33, path: 'rules[0].answer', message: /^must be an IPv4 or IPv6 address .*got "300\.1\.1\.1": each of the four numbers must be 0-255/ },
    { name: 'a bad address in a list', text: 'rules:\n  - { match: a.example, answer: [192.0.2.1, 192.0.2.999] }\n', line: 2, column: 45, path: 'rules[0].answer[1]', message: /got "192\.0\.2\.999"/ },
    { name: 'a name as an address', text: 'rules:\n  - { match: a.example, answer: target.example }\n', line: 2, column: 33, path: 'rules[0].answer', message: /^must be an IPv4 or IPv6 address .*\{ type: CNAME/ },
    { name: 'AAAA data that is IPv4', text: 'rules:\n  - { match: a.example, answer: { type: AAAA, data: 192.0.2.1 } }\n', line: 2, column: 53, path: 'rules[0].answer.data', message: /^must be an IPv6 address/ },
    { name: 'a lower-case record type', text: 'rules:\n  - { match: a.example, answer: { type: cname, data: b.example } }\n', line: 2, column: 41, path: 'rules[0].answer.type', message: /^must be one of `A`, `AAAA`, `CNAME`, `TXT`/, suggestion: 'CNAME' },
    { name: 'a wildcard CNAME target', text: 'rules:\n  - { match: a.example, answer: { type: CNAME, data: "*.b.example" } }\n', line: 2, column: 54, path: 'rules[0].answer.data', message: /is not a name/ },
    { name: 'a delay beside drop', text: 'rules:\n  - { match: a.example, fault: drop, delay: 2s }\n', line: 2, column: 38, path: 'rules[0].delay', message: /means nothing beside `fault: drop`/ },
    { name: 'a delay past 10m', text: 'rules:\n  - { match: a.example, answer: 192.0.2.1, delay: 11m }\n', line: 2, column: 51, path: 'rules[0].delay', message: /^must be at most 10m$/ },
    { name: 'fail_ratio with nothing to apply', text: 'rules:\n  - { match: a.example, answer: 192.0.2.1, fail_ratio: 0.5 }\n', line: 2, column: 44, path: 'rules[0].fail_ratio', message: /needs `fault` or `delay`/ },
    { name: 'a rule that does nothing', text: 'rules:\n  - { match: a.example, ttl: 5 }\n', line: 2, column: 5, path: 'rules[0]', message: /^needs at least one of `answer`, `fault`, `delay`$/ },
    { name: 'a list that is not one', text: 'rules: { match: a.example }\n', line: 1, column: 8, path: 'rules', message: /^must be a list, got a mapping$/ },
    { name: 'broken YAML', text: 'rules:\n  - { match: a.example\n', line: 3, column: 1, path: '', message: /^YAML: / },
  ];
  for (const t of cases) {
    it(`refuses ${t.name} at file:line:col`, () => {
      const { error, issues: found } = issues(t.text);
      expect(error.code).to.equal('FIRMLAB_RULES_INVALID');
      expect(error.exitKind).to.equal('usage');
      expect(found, JSON.stringify(found)).to.have.length(1);
      expect(found[0]).to.include({ file: 'rules.yaml', line: t.line, column: t.column, path: t.path });
      expect(found[0]!.message).to.match(t.message);
      expect(found[0]!.suggestion).to.equal(t.suggestion);
      expect(error.message).to.contain(`rules.yaml:${t.line}:${t.column}: `);
    });
  }

  it('says where a scenario-style `upstream:` list belongs', () => {
    const { issues: found } = issues('upstream:\n  - { match: a.example, answer: 192.0.2.1 }\n');
    expect(found.map((i) => [i.line, i.column, i.path, i.message, i.suggestion])).to.deep.equal([
      [1, 1, '', 'missing required key `rules`', undefined],
      [1, 1, 'upstream', 'unknown key `upstream`: this file calls it `rules`', 'rules'],
    ]);
  });
});
