/**
 * firmlab as a library: what the CLI uses, for scripts and TypeScript test
 * suites. The mocha/chai face is separate (`harness/testing`), so importing
 * this never pulls in a test framework.
 */
export { runScenario, runScenarios, type RunOptions } from './scenario/runner.js';
export { loadScenario, parseScenario, loadRulesFile, plan, type Scenario, type RunPlan, type RunJob } from './scenario/index.js';
export { analyzeRun, type RunAnalysis, type Verdict } from './analysis/index.js';
export { DockerEngine, collectGarbage } from './engine/index.js';
export { Lab, type LabSpec } from './lab/lab.js';
export { prepareLab } from './lab/prepare-lab.js';
export { bootFirmware } from './lab/boot-firmware.js';
export { DnsRecorder, type DnsQueryRecord, type DnsRule } from './dns/index.js';
export { Sinkhole, type EgressRecord } from './egress/index.js';
export { inspectFirmware, extractFirmware, type FirmwareImage } from './firmware/index.js';
export { WebUiSession } from './control/web-ui-session.js';
export { LuciSession } from './control/luci/luci-session.js';
export { openWebUi, type WebUi, type WebUiDialect } from './control/web-ui.js';
export { createFeature } from './control/features/index.js';
export type { FeatureDefinition } from './control/feature-definition.js';
export { RunEventBus, reporterByName, type RunReport, type RunEvent } from './report/index.js';
export { FirmlabError, EXIT } from './errors.js';
