import { BUILD_NAMES, type BuildName, type Expectation, type Kernel, type LabConfig, type Limits, type Scenario, type Step } from './scenario.js';
import type { DnsRule } from '../dns/dns-rule.js';
import type { FeatureDefinition } from '../control/feature-definition.js';

/** One build of one model, everything a runner needs to boot and drive it. */
export interface RunJob {
  /** `archer-ax55v1/old`, or `old` when the scenario names no model. */
  id: string;
  model?: string;
  build: BuildName;
  /** Absolute path of the firmware file. */
  firmware: string;
  kernel?: Kernel;
  profile: LabConfig['profile'];
  /** The rules in force at boot; `fault` steps replace them later. */
  upstream: DnsRule[];
  steps: Step[];
  /** The scenario's own feature definitions, over the device profile's. */
  features: FeatureDefinition[];
  limits: Limits;
}

export interface RunPlan {
  scenario: string;
  file: string;
  jobs: RunJob[];
  /** Checked per model once its jobs have run. */
  expect: Expectation[];
}

/**
 * One job per model and build, old before new, in file order. Pure: the same
 * scenario always gives the same plan; whether jobs run in parallel is the
 * runner's business.
 */
export function plan(scenario: Scenario): RunPlan {
  const jobs: RunJob[] = [];
  for (const m of scenario.models) {
    for (const build of BUILD_NAMES) {
      const firmware = m.firmware[build];
      if (firmware === undefined) continue;
      const job: RunJob = {
        id: m.model === undefined ? build : `${m.model}/${build}`,
        build,
        firmware,
        kernel: scenario.lab.kernel,
        profile: scenario.lab.profile,
        upstream: scenario.lab.upstream,
        steps: scenario.steps,
        features: scenario.features,
        limits: scenario.lab.limits,
      };
      if (m.model !== undefined) job.model = m.model;
      jobs.push(job);
    }
  }
  return { scenario: scenario.name, file: scenario.file, jobs, expect: scenario.expect };
}
