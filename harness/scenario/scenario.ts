import type { FeatureDefinition } from '../control/feature-definition.js';
import type { DnsRule } from '../dns/dns-rule.js';
import type { ProfileOverrides } from '../profiles/index.js';
import type { Traffic } from '../analysis/index.js';
import type { KERNELS } from './scenario-schema.js';

/**
 * The typed scenario the loader hands out: camelCase, durations in
 * milliseconds, firmware paths absolute, defaults filled in. Validated once;
 * code downstream trusts it.
 */
export type BuildName = 'old' | 'new';
export const BUILD_NAMES: readonly BuildName[] = ['old', 'new'];
export type Kernel = (typeof KERNELS)[number];
export type FeatureState = 'on' | 'off';

export interface ModelBuilds {
  /** Absent for a plain `builds: { old, new }` without `model`. */
  model?: string;
  /** Absolute paths to firmware files, by build name. */
  firmware: Partial<Record<BuildName, string>>;
}

export interface Limits {
  bootTimeoutMs: number;
  stepTimeoutMs: number;
  totalTimeoutMs: number;
}

export const DEFAULT_LIMITS: Limits = { bootTimeoutMs: 120_000, stepTimeoutMs: 30_000, totalTimeoutMs: 1_800_000 };

export interface LabConfig {
  /** Absent: the device profile's, else the fastest kernel that runs the userland. */
  kernel?: Kernel;
  /** A scenario's say over the device profile (`lab.profile`, `memory_mb`, ...). */
  profile: ProfileOverrides & { profile?: string };
  upstream: DnsRule[];
  limits: Limits;
}

/** Where a step or expectation came from, for reports ("scenario.yaml:12"). */
interface Sourced {
  index: number;
  line: number;
}

export type Step = Sourced &
  (
    | { kind: 'boot'; timeoutMs: number }
    | { kind: 'login'; username?: string; password: { value: string } | { env: string } }
    | { kind: 'set'; features: Record<string, FeatureState>; via?: 'web' | 'console'; fallback?: 'console' }
    | { kind: 'observe'; forMs: number; as: string }
    | { kind: 'reboot'; timeoutMs: number }
    | { kind: 'console'; run: string; expect?: string; timeoutMs: number }
    | { kind: 'waitFor'; source: 'console' | 'dns'; pattern: string; timeoutMs: number }
    | { kind: 'fault'; upstream: DnsRule[] }
  );
export type StepKind = Step['kind'];

/*
 * What an expectation counts is analysis' own Traffic (`domain`, or an
 * `egress` filter): one shape from here to the verdict.
 */
interface WindowRef {
  build: BuildName;
  window: string;
}

export type WindowExpectation = Sourced &
  WindowRef &
  (
    | (Traffic & (
      | { kind: 'maxPerDay'; maxPerDay: number }
      | { kind: 'minPerDay'; minPerDay: number }
      | { kind: 'none' }
    ))
    /** TTLs are about DNS answers: only for `domain`. */
    | { kind: 'ttlRespected'; domain: string; egress?: never }
  );

export type CompareExpectation = Sourced & { compare: Traffic & { window: string } } & (
    | { kind: 'newAtMost'; newAtMost: number }
    | { kind: 'atLeastTimesFewer'; atLeastTimesFewer: number }
  );

export type Expectation = WindowExpectation | CompareExpectation;

export interface Scenario {
  /** Absolute path of the scenario file. */
  file: string;
  /** sha256 of the file's text: shards of one run must have run the same scenario. */
  sha256: string;
  name: string;
  description?: string;
  /** One entry without `matrix`. */
  models: ModelBuilds[];
  lab: LabConfig;
  /** Features the scenario declares itself (`features:`), over the device profile's of the same name. */
  features: FeatureDefinition[];
  steps: Step[];
  expect: Expectation[];
}
