/**
 * Scenario files: schema, loader, planner. The rest of firmlab uses these
 * exports; the schema files and ajv stay behind this door.
 */
export { loadScenario, parseScenario, type LoadOptions } from './load-scenario.js';
export { plan, type RunJob, type RunPlan } from './plan.js';
export { loadRulesFile, parseRulesFile } from './load-rules-file.js';
export {
  ScenarioInvalidError, ScenarioNotFoundError, RulesInvalidError, RulesNotFoundError, SourceInvalidError, formatIssue, type ScenarioIssue,
} from './scenario-errors.js';
export { parseDuration } from './duration.js';
export { scenarioJsonSchema, scenarioJsonSchemaText } from './scenario-json-schema.js';
export {
  BUILD_NAMES,
  DEFAULT_LIMITS,
  type BuildName,
  type CompareExpectation,
  type Expectation,
  type FeatureState,
  type Kernel,
  type LabConfig,
  type Limits,
  type ModelBuilds,
  type Scenario,
  type Step,
  type StepKind,
  type WindowExpectation,
} from './scenario.js';
