import { parseScenario } from '../../../harness/scenario/load-scenario.js';
import { ScenarioInvalidError, type ScenarioIssue } from '../../../harness/scenario/scenario-errors.js';

/** The issues a scenario text is refused with (as file `t.yaml`); throws when it loads. */
export function issuesOf(text: string): ScenarioIssue[] {
  try {
    parseScenario(text, 't.yaml', { cwd: '/lab' });
  } catch (e) {
    if (e instanceof ScenarioInvalidError) return e.issues;
    throw e;
  }
  throw new Error('the scenario loaded, but it should not');
}
