import { expect } from 'chai';
import { parseRulesText } from '../../../harness/dns/rules-file-parser.js';

describe('dns rules file', () => {
  it('parses a top-level rules: list', () => {
    const r = parseRulesText('rules:\n  - { match: "*.safethings.avira.com", answer: 203.0.113.10, ttl: 300 }\n  - { match: fail.example, fault: servfail }\n', 'r.yaml');
    expect(r.ok).to.equal(true);
    if (r.ok) expect(r.rules.map((x) => x.match)).to.deep.equal(['*.safethings.avira.com', 'fail.example']);
  });

  const cases: [name: string, text: string, line: number, field: string, message: RegExp][] = [
    ['a bad fault value', 'rules:\n  - match: a.example\n    answer: 192.0.2.1\n  - match: b.example\n    fault: servfial\n', 5, 'rules[1].fault', /unknown fault/],
    ['an unknown key', 'rules:\n  - match: a.example\n    answer: 192.0.2.1\n    tll: 30\n', 4, 'rules[0].tll', /unknown field/],
    ['a missing match', '# header\nrules:\n  - answer: 192.0.2.1\n', 3, 'rules[0]', /missing field "match"/],
    ['a bad nested field', 'rules:\n  - match: a.example\n    fault:\n      delay: later\n', 4, 'rules[0].fault.delay', /duration/],
    ['no rules key', 'upstream: []\n', 1, 'rules', /top-level "rules:"/],
    ['broken YAML', 'rules:\n  - { match: a.example\n', 3, '', /YAML/],
  ];
  for (const [name, text, line, field, message] of cases) {
    it(`reports ${name} with file, line and field`, () => {
      const r = parseRulesText(text, 'rules.yaml');
      expect(r.ok).to.equal(false);
      if (r.ok) return;
      expect(r.error.code).to.equal('FIRMLAB_RULES_INVALID');
      expect(r.error.file).to.equal('rules.yaml');
      const issue = r.error.issues[0]!;
      expect(issue.field).to.equal(field);
      expect(issue.line).to.equal(line);
      expect(issue.message).to.match(message);
      expect(r.error.message).to.contain(`rules.yaml:${line}:`);
    });
  }
});
