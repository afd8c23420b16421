import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  PROBE_SUFFIX, judgeWindowLiveness, type LabFacts, type ObservationWindow, type ProbeResult, type ServiceFacts, type WindowLiveness,
} from '../analysis/index.js';
import type { FeatureState, FeatureSwitch } from '../control/feature-switch.js';
import { LAB_WIRING } from '../emulator/lab-wiring.js';
import type { StepContext } from './step-context.js';

const PROBE_TIMEOUT_MS = 10_000;
/**
 * The probe before a window is waited for this long at most; when it does
 * not come (a router whose WAN is not up yet: OpenWrt, right after LuCI
 * answers) the window counts from when it was sent, so it does not miss
 * the router's first traffic. A missed probe before is judged by the one
 * after (window-liveness.ts).
 */
const BEFORE_PROBE_WAIT_MS = 3_000;
/**
 * nslookup's reverse lookups follow its query by a few ms: the window opens
 * once the recorder has heard nothing for PROBE_QUIET_MS after the probe, or
 * PROBE_SETTLE_MS after it at most (a chatty router never goes quiet).
 */
const PROBE_QUIET_MS = 150;
const PROBE_SETTLE_MS = 500;

/**
 * One observe window with the facts its liveness is judged on, measured
 * around it: each watched feature's state and process at the start and end,
 * its start lines since it was switched on, and a probe query sent through
 * the console before and after (outside the window, so it never counts in
 * it). analysis/window-liveness.ts judges, counting from the records; this
 * only measures.
 */
export async function observeWindow(ctx: StepContext, as: string, forMs: number, feature: (name: string) => FeatureSwitch): Promise<ObservationWindow> {
  const states = await Promise.all(ctx.watched.map((name) => stateOf(ctx, name, feature(name))));
  const checkRunning = () => runningAll(ctx.watched.map(feature));
  const sentMs = ctx.now();
  // Each process check runs on the console while its probe travels to the lab.
  const [before, atStart] = await probeWhile(ctx, BEFORE_PROBE_WAIT_MS, checkRunning);
  if (before?.seen) await settle(ctx);
  // A probe the lab never saw: the router could not reach it yet (its WAN
  // coming up), so the window opens as the probe was sent, and the wait for
  // it does not push the window past the router's first traffic.
  const startMs = before !== undefined && !before.seen ? sentMs : ctx.now();
  await sleep(Math.max(0, startMs + forMs - ctx.now()), undefined, { signal: ctx.signal });
  const endMs = ctx.now();
  const [after, atEnd] = before === undefined ? [undefined, await checkRunning()] : await probeWhile(ctx, PROBE_TIMEOUT_MS, checkRunning);
  await ctx.lab.recorder.flush(); // records are logged once their resolver is known
  const lab: LabFacts = before !== undefined && after !== undefined ? { probe: { before, after } } : {};
  const services = ctx.watched.map((name, i): ServiceFacts => {
    const { process, line, traffic } = feature(name).definition.alive;
    const { state, sinceMs, linesFromMs } = states[i]!;
    return {
      feature: name, state, sinceMs,
      ...(process !== undefined && { process }),
      ...(atStart[i] !== undefined && { runningAtStart: atStart[i] }),
      ...(atEnd[i] !== undefined && { runningAtEnd: atEnd[i] }),
      ...(line !== undefined && { line: { pattern: line, count: (ctx.startLines.get(name) ?? []).filter((t) => t >= linesFromMs && t <= endMs).length } }),
      ...(traffic !== undefined && { traffic }),
    };
  });
  const records = {
    dns: ctx.lab.recorder.records.filter((r) => r.kind === 'dns-query'),
    ...(ctx.lab.sinkhole !== undefined && { egress: ctx.lab.sinkhole.records }),
  };
  const liveness = judgeWindowLiveness(lab, services, records, { startMs, endMs });
  return { build: ctx.buildId, window: as, startMs, endMs, labLive: liveness.labLive, liveness };
}

/**
 * From boot on, notes when the console prints a watched feature's start line
 * (its definition's `alive.line`), lines already in the console's tail
 * included (printed while the router booted).
 */
export function watchStartLines(ctx: StepContext): void {
  const console = ctx.console;
  if (!console) return;
  for (const name of ctx.watched) {
    const source = ctx.featureDefinitions.find((d) => d.name === name)?.alive.line;
    if (source === undefined) continue;
    const re = new RegExp(source);
    const seen = ctx.startLines.get(name) ?? [];
    ctx.startLines.set(name, seen);
    const bootedAt = ctx.now();
    for (const text of console.tail) if (re.test(text)) seen.push(bootedAt);
    console.onLine((l) => { if (re.test(l.text)) seen.push(l.atMs); });
  }
}

/** One line for progress output: how the lab was shown live, what each service did, any finding. */
export function livenessText(l: WindowLiveness): string {
  const services = l.services.map((s) => {
    if (s.finding !== undefined) return `FINDING: ${s.finding}`;
    const running = s.process === undefined ? '' : `, ${s.process} ${s.runningAtStart === undefined ? 'not checked' : s.runningAtStart && s.runningAtEnd ? 'running' : 'NOT running'}`;
    const line = s.line === undefined || s.state !== 'on' ? '' : `, ${s.line.count} start lines since on`;
    const own = s.activity === undefined ? '' : `, ${s.activity.count} of its own contacts since on`;
    return `${s.feature} ${s.state}${running}${line}${own}`;
  });
  return [`${l.labLive ? 'lab live' : 'lab NOT shown live'} (${l.proof})`, ...services].join('; ');
}

/**
 * Called by a `set` step before it records its marker: from when the
 * feature's start lines count. Switched on from off, from the step's start
 * (the line the service prints on taking the setting comes before the
 * read-back the marker follows); set on a first time, from the lab's start
 * (it may have been on since boot, its start line printed then); set on
 * again while on, unchanged.
 */
export function noteSwitch(ctx: StepContext, name: string, state: FeatureState, stepStartMs: number): void {
  const before = ctx.markers.filter((m) => m.build === ctx.buildId && m.feature === name).at(-1);
  if (state !== 'on') ctx.linesSinceMs.delete(name);
  else if (before === undefined) ctx.linesSinceMs.set(name, ctx.labUpMs);
  else if (before.state !== 'on') ctx.linesSinceMs.set(name, stepStartMs);
}

/** As the last `set` of this build left it, else as read back now; since when it has been in that state, and since when its start lines count. */
async function stateOf(ctx: StepContext, name: string, f: FeatureSwitch): Promise<{ state: FeatureState | 'unknown'; sinceMs: number; linesFromMs: number }> {
  const last = ctx.markers.filter((m) => m.build === ctx.buildId && m.feature === name).at(-1);
  if (last) return { state: last.state as FeatureState, sinceMs: last.atMs, linesFromMs: ctx.linesSinceMs.get(name) ?? last.atMs };
  const state = await f.read().catch(() => 'unknown' as const);
  return { state, sinceMs: ctx.labUpMs, linesFromMs: ctx.labUpMs };
}

/** Resolves once the recorder was quiet for PROBE_QUIET_MS, or after PROBE_SETTLE_MS. */
async function settle(ctx: StepContext): Promise<void> {
  const until = ctx.now() + PROBE_SETTLE_MS;
  let last = ctx.now();
  const off = ctx.lab.recorder.on('query', () => { last = ctx.now(); });
  try {
    for (let now = ctx.now(); now < until && now - last < PROBE_QUIET_MS; now = ctx.now()) {
      await sleep(Math.min(until - now, PROBE_QUIET_MS - (now - last)), undefined, { signal: ctx.signal });
    }
  } finally {
    off();
  }
}

/** Each service's process check; undefined where it could not be checked (no console, no process declared). */
async function runningAll(features: readonly FeatureSwitch[]): Promise<(boolean | undefined)[]> {
  const out: (boolean | undefined)[] = [];
  for (const f of features) out.push(await f.alive().catch(() => undefined));
  return out;
}

/**
 * Makes the router send one DNS query for a fresh name to the lab's resolver
 * (the profile's probe command, in the background), then runs `meanwhile`
 * and waits, up to `waitMs`, until the recorder has the query. The probe is
 * undefined when there is no console shell or no probe command.
 */
async function probeWhile<T>(ctx: StepContext, waitMs: number, meanwhile: () => Promise<T>): Promise<[ProbeResult | undefined, T]> {
  const seen = await sendProbe(ctx, waitMs);
  const other = await meanwhile();
  return [seen === undefined ? undefined : await seen, other];
}

/** Sends the probe; resolves with its outcome to come (undefined: no probe could be sent). */
async function sendProbe(ctx: StepContext, waitMs: number): Promise<Promise<ProbeResult> | undefined> {
  if (!ctx.console || ctx.probeCommand === undefined || ctx.shell === 'none') return undefined;
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
    ctx.shell = 'yes';
  } catch {
    off();
    // A shell that answered before and does not now: a probe that could not
    // be sent is one the lab did not see.
    if (ctx.shell === 'yes') return Promise.resolve({ name, seen: false });
    // No shell answered the first time (a serial port without a login, as on
    // OpenWrt 12.09 in the lab): there is no probe, not a probe that got
    // lost. Later windows do not try again; the router's own traffic has to
    // prove the lab.
    ctx.shell = 'none';
    return undefined;
  }
  return seen.then((ok) => ({ name, seen: ok }));
}
