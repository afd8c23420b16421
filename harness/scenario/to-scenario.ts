import { dirname, resolve } from 'node:path';
import { parseDuration } from './duration.js';
import { isCompare, newAtMostFraction, toTraffic, type ExpectationDocument } from './expectation-schema.js';
import {
  BUILD_NAMES,
  DEFAULT_LIMITS,
  type Expectation,
  type FeatureState,
  type Limits,
  type ModelBuilds,
  type Scenario,
  type Step,
} from './scenario.js';
import type { ScenarioDocument } from './scenario-schema.js';
import type { StepDocument } from './step-schema.js';
import { toDnsRule } from './upstream-rule-schema.js';

/**
 * A checked document (schema + cross-checks passed) as the typed Scenario:
 * camelCase, milliseconds, absolute firmware paths, defaults filled in.
 * `lineOf` gives the source line of `steps[i]` / `expect[i]` for reports.
 */
export function toScenario(doc: ScenarioDocument, file: string, sha256: string, lineOf: (list: 'steps' | 'expect', index: number) => number): Scenario {
  const baseDir = dirname(file);
  const limits = toLimits(doc);
  const scenario: Scenario = {
    file,
    sha256,
    name: doc.name,
    models: (doc.builds.matrix ?? [doc.builds]).map((m) => toModelBuilds(m, baseDir)),
    lab: {
      ...(doc.lab?.kernel !== undefined && { kernel: doc.lab.kernel }),
      profile: {
        ...(doc.lab?.profile !== undefined && { profile: doc.lab.profile }),
        ...(doc.lab?.memory_mb !== undefined && { memoryMb: doc.lab.memory_mb }),
        ...(doc.lab?.lan_address !== undefined && { lanAddress: doc.lab.lan_address }),
        ...(doc.lab?.web_ports !== undefined && { webPorts: doc.lab.web_ports }),
        ...(doc.lab?.nics !== undefined && { nics: doc.lab.nics }),
      },
      upstream: (doc.lab?.upstream ?? []).map(toDnsRule),
      limits,
    },
    features: doc.features ?? [],
    steps: doc.steps.map((s, index) => ({ index, line: lineOf('steps', index), ...toStep(s, limits) })),
    expect: (doc.expect ?? []).map((e, index) => ({ index, line: lineOf('expect', index), ...toExpectation(e) })),
  };
  if (doc.description !== undefined) scenario.description = doc.description;
  return scenario;
}

function toModelBuilds(m: { model?: string; old?: string; new?: string }, baseDir: string): ModelBuilds {
  const out: ModelBuilds = { firmware: {} };
  if (m.model !== undefined) out.model = m.model;
  for (const b of BUILD_NAMES) if (m[b] !== undefined) out.firmware[b] = resolve(baseDir, m[b]!);
  return out;
}

function toLimits(doc: ScenarioDocument): Limits {
  const l = doc.lab?.limits ?? {};
  return {
    bootTimeoutMs: l.boot_timeout === undefined ? DEFAULT_LIMITS.bootTimeoutMs : parseDuration(l.boot_timeout),
    stepTimeoutMs: l.step_timeout === undefined ? DEFAULT_LIMITS.stepTimeoutMs : parseDuration(l.step_timeout),
    totalTimeoutMs: l.total_timeout === undefined ? DEFAULT_LIMITS.totalTimeoutMs : parseDuration(l.total_timeout),
  };
}

type StepBody = Step extends infer S ? (S extends Step ? Omit<S, 'index' | 'line'> : never) : never;

function toStep(s: StepDocument, limits: Limits): StepBody {
  const ms = (d: string | number | undefined, fallback: number) => (d === undefined ? fallback : parseDuration(d));
  if (s.boot) return { kind: 'boot', timeoutMs: ms(s.boot.timeout, limits.bootTimeoutMs) };
  if (s.login) {
    const password = s.login.password_env !== undefined ? { env: s.login.password_env } : { value: s.login.password ?? '' };
    return s.login.username === undefined ? { kind: 'login', password } : { kind: 'login', username: s.login.username, password };
  }
  if (s.set) {
    const features: Record<string, FeatureState> = {};
    const { via, fallback, ...states } = s.set;
    for (const [f, v] of Object.entries(states)) features[f] = v === true || v === 'on' ? 'on' : 'off';
    return { kind: 'set', features, ...(via !== undefined && { via }), ...(fallback !== undefined && { fallback }) };
  }
  if (s.observe) return { kind: 'observe', forMs: parseDuration(s.observe.for), as: s.observe.as };
  if (s.reboot) return { kind: 'reboot', timeoutMs: ms(s.reboot.timeout, limits.bootTimeoutMs) };
  if (s.console) {
    const step: StepBody = { kind: 'console', run: s.console.run, timeoutMs: ms(s.console.timeout, limits.stepTimeoutMs) };
    return s.console.expect === undefined ? step : { ...step, expect: s.console.expect };
  }
  if (s.wait_for) {
    const [source, pattern] = s.wait_for.console !== undefined ? (['console', s.wait_for.console] as const) : (['dns', s.wait_for.dns ?? ''] as const);
    return { kind: 'waitFor', source, pattern, timeoutMs: ms(s.wait_for.timeout, limits.stepTimeoutMs) };
  }
  if (s.fault) return { kind: 'fault', upstream: s.fault.upstream.map(toDnsRule) };
  throw new Error(`unreachable: a step the schema accepted has no known key (${Object.keys(s).join(', ')})`);
}

type ExpectationBody = Expectation extends infer E ? (E extends Expectation ? Omit<E, 'index' | 'line'> : never) : never;

function toExpectation(e: ExpectationDocument): ExpectationBody {
  if (isCompare(e)) {
    const compare = { ...toTraffic(e.compare), window: e.compare.window };
    if (e.new_at_most !== undefined) return { kind: 'newAtMost', compare, newAtMost: newAtMostFraction(e.new_at_most) };
    return { kind: 'atLeastTimesFewer', compare, atLeastTimesFewer: e.at_least_times_fewer ?? 1 };
  }
  const target = { build: e.build as 'old' | 'new', window: e.window, ...toTraffic(e) };
  if (e.max_per_day !== undefined) return { ...target, kind: 'maxPerDay', maxPerDay: e.max_per_day };
  if (e.min_per_day !== undefined) return { ...target, kind: 'minPerDay', minPerDay: e.min_per_day };
  if (e.none === true) return { ...target, kind: 'none' };
  // The schema wants `domain` beside `ttl_respected`.
  return { build: target.build, window: target.window, domain: e.domain ?? '', kind: 'ttlRespected' };
}
