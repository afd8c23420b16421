import { expect } from 'chai';
import { join } from 'node:path';
import { projectRoot } from '../../../harness/paths.js';
import { loadScenario } from '../../../harness/scenario/load-scenario.js';
import { ScenarioInvalidError, ScenarioNotFoundError, type ScenarioIssue } from '../../../harness/scenario/scenario-errors.js';

const fixtures = join(projectRoot(), 'test', 'fixtures', 'scenarios');

async function issuesOf(file: string): Promise<ScenarioIssue[]> {
  try {
    await loadScenario(file, { cwd: fixtures });
  } catch (e) {
    expect(e).to.be.instanceOf(ScenarioInvalidError);
    expect((e as ScenarioInvalidError).code).to.equal('FIRMLAB_SCENARIO_INVALID');
    return (e as ScenarioInvalidError).issues;
  }
  throw new Error(`${file} loaded, but it should not`);
}

describe('loadScenario: bad files', () => {
  // Each fixture is good-minimal.yaml with one mistake; positions are 1-based.
  const table: { file: string; line: number; column: number; path: string; message: RegExp; suggestion?: string }[] = [
    { file: 'bad-typo-key.yaml', line: 9, column: 5, path: 'steps[3].obsrve', message: /^unknown key `obsrve`/, suggestion: 'observe' },
    { file: 'bad-wrong-type.yaml', line: 11, column: 74, path: 'expect[0].min_per_day', message: /^must be a number, got "lots"$/ },
    { file: 'bad-duration.yaml', line: 9, column: 21, path: 'steps[3].observe.for', message: /^must be a duration such as 500ms, 30s.*got "30 seconds"$/ },
    { file: 'bad-unknown-build.yaml', line: 11, column: 14, path: 'expect[0].build', message: /^unknown build `olf`/, suggestion: 'old' },
    { file: 'bad-unknown-window.yaml', line: 11, column: 27, path: 'expect[0].window', message: /^unknown window `enabld`/, suggestion: 'enabled' },
    { file: 'bad-missing-required.yaml', line: 9, column: 14, path: 'steps[3].observe', message: /^missing required key `as`$/ },
    { file: 'bad-duplicate-window.yaml', line: 10, column: 30, path: 'steps[4].observe.as', message: /^window `enabled` is already observed by steps\[3\]/ },
    { file: 'bad-yaml-syntax.yaml', line: 8, column: 3, path: '', message: /^YAML: Flow map .* end with a }$/ },
    { file: 'bad-web-before-login.yaml', line: 7, column: 33, path: 'steps[1].set.via', message: /^`via: web` needs a `login` step before it/ },
    { file: 'bad-boot-not-first.yaml', line: 6, column: 5, path: 'steps[0]', message: /first step must be `boot`/ },
  ];
  for (const t of table) {
    it(`${t.file}: ${t.line}:${t.column} ${t.path}`, async () => {
      const issues = await issuesOf(t.file);
      expect(issues).to.have.length(1);
      const [issue] = issues;
      expect(issue).to.include({ file: t.file, line: t.line, column: t.column, path: t.path });
      expect(issue!.message).to.match(t.message);
      expect(issue!.suggestion).to.equal(t.suggestion);
    });
  }

  it('lists issues one per line as file:line:col: path: message (did you mean ...)', async () => {
    const err = (await loadScenario('bad-typo-key.yaml', { cwd: fixtures }).catch((e: unknown) => e)) as ScenarioInvalidError;
    expect(err.message).to.match(/^bad-typo-key\.yaml:9:5: steps\[3\]\.obsrve: unknown key `obsrve`; .* \(did you mean `observe`\?\)$/);
    expect(err.toLine()).to.match(/^FIRMLAB_SCENARIO_INVALID: bad-typo-key\.yaml:9:5:/);
    expect(err.exitKind).to.equal('usage');
  });

  it('reports an unreadable file as FIRMLAB_SCENARIO_NOT_FOUND', async () => {
    const err = await loadScenario('no-such-file.yaml', { cwd: fixtures }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ScenarioNotFoundError);
    expect((err as ScenarioNotFoundError).code).to.equal('FIRMLAB_SCENARIO_NOT_FOUND');
    expect((err as ScenarioNotFoundError).message).to.contain('no-such-file.yaml (ENOENT)');
  });
});
