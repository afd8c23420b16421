import { featureDefinitionProblems, type FeatureDefinition } from '../control/feature-definition.js';
import { BUILTIN_FEATURES, profileNamed } from '../profiles/index.js';
import type { IssueDraft } from './ajv-issue.js';
import { parseDuration } from './duration.js';
import { isCompare } from './expectation-schema.js';
import { nearest } from './nearest.js';
import type { ScenarioDocument } from './scenario-schema.js';
import { upstreamRuleIssues } from './upstream-rule-schema.js';
import { trafficIssues } from './traffic-issues.js';
import { domainPatternIssues, regexIssues } from './value-issues.js';
import type { PathSegment } from './yaml-locator.js';

/**
 * What a JSON Schema cannot say, checked on a document the schema accepted:
 * names that must refer to something (builds, observe windows, features), step order,
 * regular expressions that must compile, domain patterns and addresses, so
 * nothing boots with a scenario that could only fail later.
 */
export function crossCheck(doc: ScenarioDocument): IssueDraft[] {
  return [...checkBuilds(doc), ...checkLab(doc), ...checkFeatures(doc), ...checkSteps(doc), ...checkExpectations(doc)];
}

function checkLab(doc: ScenarioDocument): IssueDraft[] {
  const nics = doc.lab?.nics;
  if (nics === undefined || Array.isArray(nics)) return [];
  const { vlans } = nics as { vlans: { wan: number; lan: number } };
  return vlans.wan === vlans.lan ? [issue(['lab', 'nics', 'vlans', 'lan'], `WAN and LAN need VLANs of their own; both are ${vlans.wan}`)] : [];
}

const issue = (path: PathSegment[], message: string, suggestion?: string, at: 'value' | 'key' = 'value'): IssueDraft =>
  suggestion === undefined ? { path, at, message } : { path, at, message, suggestion };

/** Build names any model has, in file order. */
export function buildNames(doc: ScenarioDocument): string[] {
  const models = doc.builds.matrix ?? [doc.builds];
  return (['old', 'new'] as const).filter((b) => models.some((m) => m[b] !== undefined));
}

function checkBuilds(doc: ScenarioDocument): IssueDraft[] {
  const out: IssueDraft[] = [];
  const { matrix } = doc.builds;
  if (matrix !== undefined) {
    for (const key of ['model', 'old', 'new'] as const) {
      if (doc.builds[key] !== undefined) out.push(issue(['builds', key], `\`${key}\` cannot stand beside \`matrix\`; put it in each matrix entry`, undefined, 'key'));
    }
    const seen = new Set<string>();
    matrix.forEach((m, i) => {
      if (seen.has(m.model)) out.push(issue(['builds', 'matrix', i, 'model'], `model \`${m.model}\` is listed twice`));
      seen.add(m.model);
    });
  } else if (doc.builds.old === undefined && doc.builds.new === undefined) {
    out.push(issue(['builds'], 'needs `old` and/or `new` (firmware files), or `matrix`'));
  }
  return out;
}

/** The scenario's own feature definitions: each name once, each sound (feature-definition.ts). */
function checkFeatures(doc: ScenarioDocument): IssueDraft[] {
  const out: IssueDraft[] = [];
  const first = new Map<string, number>();
  (doc.features ?? []).forEach((f, i) => {
    const earlier = first.get(f.name);
    if (earlier !== undefined) out.push(issue(['features', i, 'name'], `feature \`${f.name}\` is already declared by features[${earlier}]`));
    else first.set(f.name, i);
    for (const p of featureDefinitionProblems(f)) out.push(issue(['features', i, ...p.path], p.message));
  });
  return out;
}

/**
 * The definitions a `set` step can name: the scenario's own, over the
 * profile's when `lab.profile` says which, else over every profile's (the
 * profile is only known once the firmware is unpacked; a name no profile
 * declares fails here, one the recognised profile lacks fails at `set`).
 */
function featuresInScope(doc: ScenarioDocument): { names: string[]; definite: (name: string) => FeatureDefinition | undefined } {
  const own = doc.features ?? [];
  const profile = doc.lab?.profile === undefined ? undefined : profileNamed(doc.lab.profile);
  const builtin = profile?.features ?? BUILTIN_FEATURES;
  const names = [...new Set([...own, ...builtin].map((f) => f.name))];
  return {
    names,
    definite: (name) => {
      const mine = own.find((f) => f.name === name);
      if (mine) return mine;
      const theirs = builtin.filter((f) => f.name === name);
      return theirs.length === 1 ? theirs[0] : undefined;
    },
  };
}

/** Each feature a `set` step names: known, and reachable the way the step switches it. */
function setIssues(set: NonNullable<ScenarioDocument['steps'][number]['set']>, loggedIn: boolean, scope: ReturnType<typeof featuresInScope>, at: PathSegment[]): IssueDraft[] {
  const out: IssueDraft[] = [];
  for (const name of Object.keys(set)) {
    if (name === 'via' || name === 'fallback') continue;
    if (!scope.names.includes(name)) {
      const known = scope.names.length === 0 ? 'no feature is declared' : `known features: ${scope.names.map((n) => `\`${n}\``).join(', ')}`;
      out.push(issue([...at, name], `unknown feature \`${name}\`; ${known} (a scenario declares its own under \`features:\`)`, nearest(name, scope.names), 'key'));
      continue;
    }
    const d = scope.definite(name);
    if (d === undefined || (d.web === undefined && d.console === undefined)) continue; // the latter is reported at its definition
    const byWeb = set.via === 'web' || (set.via === undefined && loggedIn && d.web !== undefined);
    if (byWeb && d.web === undefined) out.push(issue([...at, name], `\`${name}\` has no \`web\` form to switch it by; use \`via: console\``, undefined, 'key'));
    if (!byWeb && d.console === undefined) {
      const how = loggedIn ? 'drop `via: console`' : 'put a `login` step before it';
      out.push(issue([...at, name], `\`${name}\` has no \`console\` commands, only a web form: ${how}`, undefined, 'key'));
    }
  }
  return out;
}

function checkSteps(doc: ScenarioDocument): IssueDraft[] {
  const out: IssueDraft[] = [];
  const windows = new Map<string, number>();
  let loggedIn = false;
  const scope = featuresInScope(doc);
  doc.lab?.upstream?.forEach((r, i) => out.push(...upstreamRuleIssues(r, ['lab', 'upstream', i])));
  doc.steps.forEach((step, i) => {
    const at = (...rest: PathSegment[]) => ['steps', i, ...rest];
    if (i === 0 && step.boot === undefined) out.push(issue(at(), 'the first step must be `boot`'));
    if (i > 0 && step.boot !== undefined) out.push(issue(at('boot'), '`boot` can only be the first step; use `reboot` to restart the router', undefined, 'key'));
    if (step.login !== undefined) loggedIn = true;
    if (step.set !== undefined && Object.keys(step.set).every((k) => k === 'via' || k === 'fallback')) out.push(issue(at('set'), '`set` names no feature to switch'));
    if (step.set !== undefined) out.push(...setIssues(step.set, loggedIn, scope, at('set')));
    if (step.set?.via === 'web' && !loggedIn) out.push(issue(at('set', 'via'), '`via: web` needs a `login` step before it'));
    if (step.set?.fallback !== undefined && step.set.via === 'console') out.push(issue(at('set', 'fallback'), '`fallback: console` only applies to `via: web`'));
    if (step.observe !== undefined) {
      const first = windows.get(step.observe.as);
      if (first !== undefined) out.push(issue(at('observe', 'as'), `window \`${step.observe.as}\` is already observed by steps[${first}]; window names must be unique`));
      else windows.set(step.observe.as, i);
      if (parseDuration(step.observe.for) === 0) out.push(issue(at('observe', 'for'), 'must be longer than 0'));
    }
    if (step.console?.expect !== undefined) out.push(...regexIssues(step.console.expect, at('console', 'expect')));
    if (step.wait_for?.console !== undefined) out.push(...regexIssues(step.wait_for.console, at('wait_for', 'console')));
    if (step.wait_for?.dns !== undefined) out.push(...domainPatternIssues(step.wait_for.dns, at('wait_for', 'dns')));
    step.fault?.upstream.forEach((r, j) => out.push(...upstreamRuleIssues(r, at('fault', 'upstream', j))));
  });
  return out;
}

function checkExpectations(doc: ScenarioDocument): IssueDraft[] {
  const out: IssueDraft[] = [];
  const builds = buildNames(doc);
  const windows = doc.steps.flatMap((s) => (s.observe === undefined ? [] : [s.observe.as]));
  const checkWindow = (name: string, path: PathSegment[]) => {
    if (!windows.includes(name)) {
      const known = windows.length === 0 ? 'no `observe` step names one' : `known windows: ${windows.map((w) => `\`${w}\``).join(', ')}`;
      out.push(issue(path, `unknown window \`${name}\`; ${known}`, nearest(name, windows)));
    }
  };
  (doc.expect ?? []).forEach((e, i) => {
    if (isCompare(e)) {
      const missing = ['old', 'new'].filter((b) => !builds.includes(b));
      if (missing.length > 0) {
        const none = missing.map((b) => `\`${b}\``).join(' or ');
        out.push(issue(['expect', i, 'compare'], `\`compare\` needs both builds \`old\` and \`new\`; \`builds\` has no ${none}`, undefined, 'key'));
      }
      checkWindow(e.compare.window, ['expect', i, 'compare', 'window']);
      out.push(...trafficIssues(e.compare, ['expect', i, 'compare']));
    } else {
      if (!builds.includes(e.build)) {
        out.push(issue(['expect', i, 'build'], `unknown build \`${e.build}\`; \`builds\` has ${builds.map((b) => `\`${b}\``).join(', ')}`, nearest(e.build, builds)));
      }
      checkWindow(e.window, ['expect', i, 'window']);
      out.push(...trafficIssues(e, ['expect', i]));
    }
  });
  return out;
}
