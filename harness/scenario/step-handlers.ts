import { DomainPattern } from '../util/domain-pattern.js';
import { createFeature } from '../control/features/index.js';
import { openWebUi } from '../control/web-ui.js';
import { FirmlabError } from '../errors.js';
import { snapshotText } from '../lab/lab.js';
import type { Step } from './scenario.js';
import type { StepContext } from './step-context.js';
import { ConsoleExpectError, StepTimeoutError } from './step-errors.js';
import { livenessText, noteSwitch, observeWindow, watchStartLines } from './window-watch.js';

type Handler<K extends Step['kind']> = (step: Extract<Step, { kind: K }>, ctx: StepContext) => Promise<string | undefined>;

/** What each step kind does to a running lab. Returns a short detail for progress lines. */
export const STEP_HANDLERS: { [K in Step['kind']]: Handler<K> } = {
  async boot(_step, ctx) {
    ctx.console = await ctx.lab.start();
    ctx.console.onLine((l) => ctx.bus.emit({ type: 'console-line', atMs: l.atMs, build: ctx.buildId, line: l.text }));
    watchStartLines(ctx);
    const s = ctx.lab.snapshot;
    return `ready after ${((ctx.lab.boot.phases.readyMs ?? 0) / 1000).toFixed(1)} s${s ? `; snapshot ${snapshotText(s)}` : ''}`;
  },

  async login(step, ctx) {
    const password = 'value' in step.password ? step.password.value : ctx.env[step.password.env];
    if (password === undefined) {
      throw new FirmlabError('FIRMLAB_PASSWORD_MISSING', `login: environment variable ${'env' in step.password ? step.password.env : ''} is not set`, { exitKind: 'usage' });
    }
    const base = (await ctx.lab.emulator.webBaseUrl()).replace(/\/$/, '');
    ctx.web = openWebUi(ctx.webUi, ctx.profileName, { baseUrl: base, password, ...(step.username !== undefined && { username: step.username }) });
    ctx.features.clear();
    await ctx.web.login();
    return `logged in at ${base} (${ctx.web.dialect}${ctx.web.user === undefined ? '' : `, user ${ctx.web.user}`})`;
  },

  async set(step, ctx) {
    const done: string[] = [];
    for (const [name, state] of Object.entries(step.features)) {
      const feature = feature_(ctx, name);
      const startedMs = ctx.now();
      const { via, fellBack } = await feature.set(state, { via: step.via, fallback: step.fallback });
      const atMs = ctx.now();
      noteSwitch(ctx, name, state, startedMs);
      ctx.markers.push({ atMs, build: ctx.buildId, feature: name, state, via, ...(fellBack !== undefined && { fellBack }) });
      ctx.bus.emit({ type: 'setting-changed', atMs, build: ctx.buildId, feature: name, state, via, ...(fellBack !== undefined && { fellBack }) });
      done.push(`${name}=${state} via ${via}${fellBack === undefined ? '' : ` (fell back: ${fellBack})`}`);
    }
    return done.join(', ');
  },

  async observe(step, ctx) {
    const w = await observeWindow(ctx, step.as, step.forMs, (name) => feature_(ctx, name));
    ctx.windows.push(w);
    const { startMs, endMs, labLive } = w;
    const queries = ctx.lab.recorder.records.filter((r) => r.kind === 'dns-query' && r.atMs >= startMs && r.atMs < endMs).length;
    const liveness = livenessText(w.liveness!);
    ctx.bus.emit({ type: 'window-closed', atMs: endMs, build: ctx.buildId, window: step.as, startMs, endMs, labLive, queries, liveness });
    return `${queries} queries; ${liveness}`;
  },

  async reboot(step, ctx) {
    requireConsole(ctx);
    // The lab's boot strategy types `reboot`, waits for the kernel to start again,
    // then the boot marker and the web UI; a panic or QEMU exiting fails the step.
    const phases = await ctx.lab.boot.reboot({ timeoutMs: step.timeoutMs });
    return `ready again after ${((phases.readyMs ?? 0) / 1000).toFixed(1)} s`;
  },

  async console(step, ctx) {
    const out = await requireConsole(ctx).run(step.run, { timeoutMs: step.timeoutMs });
    if (step.expect !== undefined && !new RegExp(step.expect, 'm').test(out)) throw new ConsoleExpectError(step.run, step.expect, out);
    return out.trim().split('\n')[0]?.slice(0, 80);
  },

  async waitFor(step, ctx) {
    if (step.source === 'console') {
      const line = await requireConsole(ctx).waitFor(new RegExp(step.pattern), step.timeoutMs, { includeTail: false, signal: ctx.signal })
        .catch((e: unknown) => { throw ctx.signal.aborted ? e : new StepTimeoutError(`a console line matching /${step.pattern}/`, step.timeoutMs); });
      return line.text.slice(0, 80);
    }
    const pattern = DomainPattern.parse(step.pattern);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => { off(); reject(new StepTimeoutError(`a DNS query for ${step.pattern}`, step.timeoutMs)); }, step.timeoutMs);
      const off = ctx.lab.recorder.on('query', (q) => {
        if (!pattern.matches(q.name)) return;
        clearTimeout(timer);
        off();
        resolve(q.name);
      });
    });
  },

  async fault(step, ctx) {
    ctx.lab.recorder.setRules(step.upstream);
    return step.upstream.map((r) => `${r.match}: ${r.fault ?? r.answers[0]?.data ?? 'sinkhole'}${r.delayMs === undefined ? '' : ` after ${r.delayMs} ms`}`).join(', ');
  },
};

function feature_(ctx: StepContext, name: string) {
  let f = ctx.features.get(name);
  if (!f) {
    f = createFeature(name, ctx.web, ctx.console, ctx.featureDefinitions);
    ctx.features.set(name, f);
  }
  return f;
}

function requireConsole(ctx: StepContext) {
  if (!ctx.console) throw new FirmlabError('FIRMLAB_STEP_ORDER', 'this step needs a booted router: put a `boot` step first', { exitKind: 'usage' });
  return ctx.console;
}
