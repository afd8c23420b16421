/**
 * firmlab's mocha/chai face, for users' tests only (the rest of harness/
 * never imports it): `chai.use(firmlab)` and `describeScenario(file)`.
 */
export { firmlab } from './chai-firmlab.js';
export {
  describeScenario, importRunner, ScenarioRunnerMissingError,
  type DescribeScenarioOptions, type ScenarioRunner,
} from './describe-scenario.js';
export { ChaiFirmlabUsageError, Observation, type DnsObservation, type ObservedWindow } from './observation.js';
export { runProblems, scenarioCases, type ScenarioCase } from './scenario-cases.js';
