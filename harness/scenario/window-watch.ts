import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  judgeWindowLiveness, type LabFacts, type ObservationWindow, type ProbeResult, type ServiceFacts, type WindowLiveness,
} from '../analysis/index.js';
import type { FeatureState, FeatureSwitch } from '../control/feature-switch.js';
import { LAB_WIRING } from '../emulator/lab-wiring.js';
import { DomainPattern } from '../util/domain-pattern.js';
import type { StepContext } from './step-context.js';

/** Probe names live under a reserved test domain (RFC 6761), so no expectation pattern of a real service counts them. */
export const PROBE_SUFFIX = 'probe.firmlab.test';
const PROBE_TIMEOUT_MS = 10_000;
/**
 * The probe before a window holds its start back this long at most: a router
 * whose WAN is not up yet (OpenWrt, right after LuCI answers) must not shift
 * the window past its first traffic. A missed probe before is judged by the
 * one after (window-liveness.ts).
 */
const BEFORE_PROBE_WAIT_MS = 3_000;
/** nslookup's reverse lookups follow its query by a few ms: let them land before the window opens. */
const PROBE_SETTLE_MS = 500;

/**
 * One observe window with the facts its liveness is judged on, measured
 * around it: each watched feature's state and process at the start and end,
 * a probe query sent through the console before and after (outside the
 * window, so it never counts in it), and the service's own traffic since it
 * was switched on. analysis/window-liveness.ts judges; this only measures.
 */
export async function observeWindow(ctx: StepContext, as: string, forMs: number, feature: (name: string) => FeatureSwitch): Promise<ObservationWindow> {
  const states = await Promise.all(ctx.watched.map((name) => stateOf(ctx, name, feature(name))));
  const atStart = await runningAll(ctx.watched.map(feature));
  const before = await probe(ctx, BEFORE_PROBE_WAIT_MS);
  if (before?.seen) await sleep(PROBE_SETTLE_MS, undefined, { signal: ctx.signal });
  const startMs = ctx.now();
  await sleep(forMs, undefined, { signal: ctx.signal });
  const endMs = ctx.now();
  const after = before === undefined ? undefined : await probe(ctx, PROBE_TIMEOUT_MS);
  const atEnd = await runningAll(ctx.watched.map(feature));
  await ctx.lab.recorder.flush(); // records are logged once their resolver is known
  const lab: LabFacts = {
    ...(before !== undefined && after !== undefined && { probe: { before, after } }),
    contactsInWindow: contacts(ctx, startMs, endMs),
  };
  const services = ctx.watched.map((name, i): ServiceFacts => {
    const f = feature(name);
    const { state, sinceMs } = states[i]!;
    const traffic = f.definition.alive.traffic;
    return {
      feature: name, state, process: f.definition.alive.process,
      ...(atStart[i] !== undefined && { runningAtStart: atStart[i] }),
      ...(atEnd[i] !== undefined && { runningAtEnd: atEnd[i] }),
      ...(traffic !== undefined && state === 'on' && {
        activity: { what: traffic, count: contacts(ctx, sinceMs, endMs, DomainPattern.parse(traffic)), sinceMs },
      }),
    };
  });
  return { build: ctx.buildId, window: as, startMs, endMs, ...liveness(judgeWindowLiveness(lab, services, { endMs })) };
}

/** One line for progress output: how the lab was shown live, what each service did, any finding. */
export function livenessText(l: WindowLiveness): string {
  const services = l.services.map((s) => {
    const running = s.runningAtStart === undefined ? 'not checked' : s.runningAtStart && s.runningAtEnd ? 'running' : 'NOT running';
    const own = s.activity === undefined ? '' : `, ${s.activity.count} of its own contacts since on`;
    return s.finding !== undefined ? `FINDING: ${s.finding}` : `${s.feature} ${s.state}, ${s.process} ${running}${own}`;
  });
  return [`${l.labLive ? 'lab live' : 'lab NOT shown live'} (${l.proof})`, ...services].join('; ');
}

function liveness(l: WindowLiveness): { labLive: boolean; liveness: WindowLiveness } {
  return { labLive: l.labLive, liveness: l };
}

/** As the last `set` of this build left it, else as read back now; since when it has been on. */
async function stateOf(ctx: StepContext, name: string, f: FeatureSwitch): Promise<{ state: FeatureState | 'unknown'; sinceMs: number }> {
  const last = ctx.markers.filter((m) => m.build === ctx.buildId && m.feature === name).at(-1);
  if (last) return { state: last.state as FeatureState, sinceMs: last.atMs };
  const state = await f.read().catch(() => 'unknown' as const);
  return { state, sinceMs: ctx.labUpMs };
}

/** Each service's process check; undefined where it could not be checked (no console). */
async function runningAll(features: readonly FeatureSwitch[]): Promise<(boolean | undefined)[]> {
  const out: (boolean | undefined)[] = [];
  for (const f of features) out.push(await f.alive().catch(() => undefined));
  return out;
}

/** DNS queries (probes excluded) and sinkhole contacts in [fromMs, toMs); with `pattern`, only those naming a match. */
function contacts(ctx: StepContext, fromMs: number, toMs: number, pattern?: DomainPattern): number {
  const within = (t: number) => t >= fromMs && t < toMs;
  const named = (n: string | undefined) => pattern === undefined || (n !== undefined && pattern.matches(n));
  const dns = ctx.lab.recorder.records.filter((r) => r.kind === 'dns-query' && within(r.atMs)
    && !r.name.endsWith(PROBE_SUFFIX) && named(r.name)).length;
  const egress = (ctx.lab.sinkhole?.records ?? []).filter((e) => within(e.atMs)
    && (named(e.sni) || named(e.httpHost?.replace(/:\d+$/, '')))).length;
  return dns + egress;
}

/**
 * Makes the router send one DNS query for a fresh name to the lab's resolver
 * (the profile's probe command, in the background) and waits, up to
 * `waitMs`, until the recorder has it. Undefined when there is no console or no probe command.
 */
async function probe(ctx: StepContext, waitMs: number): Promise<ProbeResult | undefined> {
  if (!ctx.console || ctx.probeCommand === undefined) return undefined;
  const name = `${randomBytes(4).toString('hex')}.${PROBE_SUFFIX}`;
  const command = ctx.probeCommand.replaceAll('{name}', name).replaceAll('{resolver}', LAB_WIRING.wanGateway);
  let off = () => {};
  const seen = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => { off(); resolve(false); }, waitMs);
    off = ctx.lab.recorder.on('query', (q) => {
      if (q.name !== name) return;
      clearTimeout(timer);
      off();
      resolve(true);
    });
  });
  try {
    await ctx.console.run(`(${command} >/dev/null 2>&1 &)`, { timeoutMs: PROBE_TIMEOUT_MS });
  } catch {
    // No shell answered (a serial port without a login, as on OpenWrt 12.09
    // in the lab): there is no probe, not a probe that got lost. Later windows
    // do not try again; the router's own traffic has to prove the lab.
    off();
    ctx.probeCommand = undefined;
    return undefined;
  }
  return { name, seen: await seen };
}
