import { join } from 'node:path';
import type { DnsQueryRecord } from '../dns/index.js';
import type { EgressRecord } from '../egress/index.js';
import type { DockerEngine } from '../engine/index.js';
import { mergeFeatures } from '../control/feature-definition.js';
import { FirmlabError } from '../errors.js';
import { Lab, type BlockedEgress, type SnapshotUse } from '../lab/lab.js';
import { prepareLab } from '../lab/prepare-lab.js';
import type { ObservationWindow, SettingMarker } from '../analysis/index.js';
import type { RunEventBus } from '../report/index.js';
import type { RunJob } from './plan.js';
import type { StepContext } from './step-context.js';
import { inStep, InterruptedError } from './step-errors.js';
import { STEP_HANDLERS } from './step-handlers.js';
import type { Step } from './scenario.js';

export interface BuildOutcome {
  job: RunJob;
  buildId: string;
  runDir: string;
  dns: DnsQueryRecord[];
  egress: EgressRecord[];
  windows: ObservationWindow[];
  markers: SettingMarker[];
  firmware?: Record<string, unknown>;
  kernel?: string;
  timings: Record<string, number>;
  /** What the lab counted and dropped (IPv6, IPv4 the sinkhole did not take). */
  blocked?: BlockedEgress;
  /** Restored from a snapshot, or booted (and saved); absent with snapshots off. */
  snapshot?: SnapshotUse;
  error?: FirmlabError;
}

export interface BuildRunContext {
  engine: DockerEngine;
  session: string;
  reportDir: string;
  bus: RunEventBus;
  now: () => number;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  /** Snapshots of ready routers: `auto` restores where it can, `cold` boots (and saves), `off` (`--no-snapshot`) neither. */
  snapshots: 'auto' | 'cold' | 'off';
  /** The emulator image tag, checked once for the run. */
  emulatorImage: string;
}

/**
 * One build of one model, start to end: prepare the firmware, bring its lab
 * up, run the steps in order, collect what the recorder saw, take the lab
 * down (always). A failure stops this build's steps and is kept on the
 * outcome; the other builds go on.
 */
export async function runBuild(job: RunJob, rc: BuildRunContext): Promise<BuildOutcome> {
  const buildId = job.id;
  const runDir = join(rc.reportDir, buildId.replace(/[^A-Za-z0-9_.-]+/g, '-'));
  const outcome: BuildOutcome = { job, buildId, runDir, dns: [], egress: [], windows: [], markers: [], timings: {} };
  const t0 = rc.now();
  const jobAbort = new AbortController();
  const signal = AbortSignal.any([rc.signal, jobAbort.signal]);
  const total = setTimeout(() => jobAbort.abort(new FirmlabError('FIRMLAB_RUN_TIMEOUT',
    `${buildId} ran past the scenario's total time limit of ${Math.round(job.limits.totalTimeoutMs / 1000)} s`)), job.limits.totalTimeoutMs);
  rc.bus.emit({ type: 'build-started', atMs: t0, build: buildId, firmware: job.firmware });
  let lab: Lab | undefined;
  try {
    const prepared = await prepareLab(rc.engine, {
      file: job.firmware, kernel: job.kernel, profile: job.profile, session: rc.session, run: buildId.replace(/\//g, '-'), runDir,
      rules: job.upstream, sinkhole: true, env: rc.env, signal, snapshot: snapshotMode(job.steps, rc.snapshots), emulatorImage: rc.emulatorImage,
    });
    outcome.firmware = prepared.spec.firmware;
    outcome.kernel = prepared.kernel.name;
    outcome.timings.preparedMs = rc.now() - t0;
    const bootStep = job.steps.find((s) => s.kind === 'boot');
    lab = await Lab.up(rc.engine, { ...prepared.spec, now: rc.now }, {
      timeoutMs: bootStep?.kind === 'boot' ? bootStep.timeoutMs : job.limits.bootTimeoutMs, now: rc.now,
    });
    outcome.timings.labUpMs = rc.now() - t0;
    lab.recorder.on('query', (q) => rc.bus.emit({ type: 'dns-query', atMs: q.atMs, build: buildId, name: q.name, qtype: q.type, rcode: q.response?.rcode ?? null }));
    const ctx: StepContext = {
      job, buildId, lab, bus: rc.bus, now: rc.now, signal, env: rc.env, features: new Map(), featureDefinitions: mergeFeatures(prepared.profile.profile.features, job.features),
      webUi: prepared.profile.profile.webUi, profileName: prepared.profile.profile.name,
      watched: [...new Set(job.steps.flatMap((s) => (s.kind === 'set' ? Object.keys(s.features) : [])))],
      windows: outcome.windows, markers: outcome.markers,
      probeCommand: prepared.profile.profile.console.probe, shell: 'unknown', startLines: new Map(), linesSinceMs: new Map(), labUpMs: rc.now(),
    };
    for (const step of job.steps) await runStep(step, ctx);
    const p = lab.boot.phases;
    for (const [k, v] of Object.entries(p)) if (typeof v === 'number') outcome.timings[`boot.${k}`] = v;
  } catch (e) {
    outcome.error = signal.aborted
      ? (signal.reason instanceof FirmlabError ? signal.reason : new InterruptedError(signal.reason))
      : e instanceof FirmlabError ? e : new FirmlabError('FIRMLAB_INTERNAL', String((e as Error)?.stack ?? e), { cause: e });
  } finally {
    clearTimeout(total);
    if (lab) {
      await lab.down().catch((e: unknown) => { outcome.error ??= e instanceof FirmlabError ? e : new FirmlabError('FIRMLAB_LAB_DOWN', String(e)); });
      // After the recorder stopped: a query that arrived while the lab went down is in dns.jsonl, so it is here too.
      // IPv6 (read from wan.pcap as the lab went down) counts like the rest.
      const byTime = (a: { atMs: number }, b: { atMs: number }) => a.atMs - b.atMs;
      outcome.dns = [...lab.recorder.records, ...lab.ipv6.dns].filter((r): r is DnsQueryRecord => r.kind === 'dns-query').sort(byTime);
      outcome.egress = [...(lab.sinkhole?.records ?? []), ...lab.ipv6.egress].sort(byTime);
      outcome.blocked = lab.blocked;
      if (lab.snapshot) outcome.snapshot = lab.snapshot;
    }
    outcome.timings.totalMs = rc.now() - t0;
    rc.bus.emit({
      type: 'build-finished', atMs: rc.now(), build: buildId, ok: !outcome.error,
      error: outcome.error && { code: outcome.error.code, message: outcome.error.message },
    });
  }
  return outcome;
}

/**
 * How a build's router comes up: from its snapshot unless the scenario must
 * see the real boot (a reboot step; a console wait, which may wait for a
 * boot-time line), then it boots cold (and still saves one for later runs).
 */
export function snapshotMode(steps: readonly Step[], wanted: 'auto' | 'cold' | 'off'): 'auto' | 'cold' | 'off' {
  if (wanted !== 'auto') return wanted;
  return steps.some((s) => s.kind === 'reboot' || (s.kind === 'waitFor' && s.source === 'console')) ? 'cold' : 'auto';
}

async function runStep(step: Step, ctx: StepContext): Promise<void> {
  const started = ctx.now();
  const label = stepLabel(step);
  ctx.bus.emit({ type: 'step-started', atMs: started, build: ctx.buildId, index: step.index, step: label });
  let detail: string | undefined;
  try {
    ctx.signal.throwIfAborted();
    detail = await (STEP_HANDLERS[step.kind] as (s: Step, c: StepContext) => Promise<string | undefined>)(step, ctx);
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    throw inStep(e, `step ${step.index + 1} (${label}, line ${step.line})`);
  }
  ctx.bus.emit({ type: 'step-finished', atMs: ctx.now(), build: ctx.buildId, index: step.index, step: label, durationMs: ctx.now() - started, detail });
}

function stepLabel(step: Step): string {
  switch (step.kind) {
    case 'set': return `set ${Object.entries(step.features).map(([k, v]) => `${k}=${v}`).join(' ')}`;
    case 'observe': return `observe ${step.as} for ${step.forMs / 1000} s`;
    case 'console': return `console: ${step.run}`;
    case 'waitFor': return `wait_for ${step.source} ${step.pattern}`;
    default: return step.kind;
  }
}
