import { setMaxListeners } from 'node:events';
import { request } from 'node:http';
import type { Console } from './console.js';
import { WaitTimeoutError } from './emulator-errors.js';

/** What a wait may look at while it runs. */
export interface WaitContext {
  console: Console;
  /** Base for relative URLs in `Wait.forHttp('/')`: the router's web UI as the host reaches it. */
  baseUrl?: string;
  /** One HTTP request; resolves with the status of any answer, rejects when nothing answered or `signal` aborted. */
  httpStatus: (url: string, timeoutMs: number, signal?: AbortSignal) => Promise<number>;
  now: () => number;
  /** Told when each named wait came true (boot phase timings). */
  onSatisfied?: (name: string, atMs: number) => void;
}

/** A condition to wait for; compose with `Wait.all` and bound with `.within(ms)`. */
export abstract class WaitStrategy {
  constructor(readonly description: string, readonly name: string = description) {}

  /** Resolves once true; rejects when `signal` aborts. */
  abstract waitUntilReady(ctx: WaitContext, signal: AbortSignal): Promise<void>;

  /** The same wait failing with FIRMLAB_WAIT_TIMEOUT after `ms`. */
  within(ms: number): WaitStrategy {
    return new TimedWait(this, ms);
  }

  /** The same wait reported under `name` (e.g. the boot phase it marks). */
  named(name: string): WaitStrategy {
    return new NamedWait(this, name);
  }
}

class NamedWait extends WaitStrategy {
  constructor(private readonly inner: WaitStrategy, name: string) {
    super(inner.description, name);
  }

  async waitUntilReady(ctx: WaitContext, signal: AbortSignal): Promise<void> {
    await this.inner.waitUntilReady(ctx, signal);
    ctx.onSatisfied?.(this.name, ctx.now());
  }
}

class ConsoleWait extends WaitStrategy {
  constructor(private readonly pattern: RegExp, private readonly includeTail: boolean) {
    super(`console line matching ${pattern}`);
  }

  async waitUntilReady(ctx: WaitContext, signal: AbortSignal): Promise<void> {
    // The tail counts on a first boot (the line may have come before the wait
    // began), never after a reboot (it would be the previous boot's).
    await ctx.console.waitFor(this.pattern, 2 ** 31 - 1, { includeTail: this.includeTail, signal });
    ctx.onSatisfied?.(this.name, ctx.now());
  }
}

class UntilWait extends WaitStrategy {
  constructor(description: string, private readonly until: (signal: AbortSignal) => Promise<void>) {
    super(description);
  }

  async waitUntilReady(ctx: WaitContext, signal: AbortSignal): Promise<void> {
    await this.until(signal);
    ctx.onSatisfied?.(this.name, ctx.now());
  }
}

class HttpWait extends WaitStrategy {
  constructor(
    private readonly url: string,
    private readonly intervalMs: number,
    private readonly requestTimeoutMs: number,
    private readonly maxInFlight: number,
  ) {
    super(`an HTTP answer from ${url}`);
  }

  /**
   * Probes overlap: before the guest's LAN is up a SYN just hangs until its
   * timeout, and waiting that out would add up to a whole request timeout
   * to the measured ready time. A new probe starts every `intervalMs`.
   */
  async waitUntilReady(ctx: WaitContext, signal: AbortSignal): Promise<void> {
    const url = ctx.baseUrl === undefined ? this.url : new URL(this.url, ctx.baseUrl).toString();
    let inFlight = 0;
    let answered = false;
    // Ends the probes still connecting once the wait is over: a pending connect
    // to a guest whose LAN is not up would otherwise keep the process alive.
    const probes = new AbortController();
    setMaxListeners(this.maxInFlight + 4, probes.signal);
    await new Promise<void>((resolve, reject) => {
      const stop = () => { clearInterval(timer); signal.removeEventListener('abort', onAbort); probes.abort(new Error('wait over')); };
      const onAbort = () => { stop(); reject(signal.reason); };
      const probe = () => {
        if (answered || inFlight >= this.maxInFlight) return;
        inFlight++;
        // Any status counts: a 401 or 404 still proves the web server is up.
        ctx.httpStatus(url, this.requestTimeoutMs, probes.signal).then(
          () => { if (!answered && !signal.aborted) { answered = true; stop(); resolve(); } },
          () => undefined,
        ).finally(() => { inFlight--; });
      };
      if (signal.aborted) return reject(signal.reason);
      const timer = setInterval(probe, this.intervalMs);
      signal.addEventListener('abort', onAbort, { once: true });
      probe();
    });
    ctx.onSatisfied?.(this.name, ctx.now());
  }
}

class AllWait extends WaitStrategy {
  constructor(private readonly waits: WaitStrategy[]) {
    super(waits.map((w) => w.description).join(' and '));
  }

  async waitUntilReady(ctx: WaitContext, signal: AbortSignal): Promise<void> {
    const inner = new AbortController();
    const stop = () => inner.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    try {
      await Promise.all(this.waits.map((w) => w.waitUntilReady(ctx, inner.signal).catch((e: unknown) => { inner.abort(e); throw e; })));
    } finally {
      signal.removeEventListener('abort', stop);
      inner.abort(new Error('wait finished'));
    }
  }
}

class TimedWait extends WaitStrategy {
  constructor(private readonly inner: WaitStrategy, private readonly ms: number) {
    super(inner.description, inner.name);
  }

  async waitUntilReady(ctx: WaitContext, signal: AbortSignal): Promise<void> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new WaitTimeoutError(this.description, this.ms, ctx.console.tail)), this.ms);
    const both = AbortSignal.any([signal, timeout.signal]);
    try {
      await this.inner.waitUntilReady(ctx, both);
    } catch (e) {
      if (timeout.signal.aborted && !signal.aborted) throw timeout.signal.reason;
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }
}

export const Wait = {
  forConsole: (pattern: RegExp): WaitStrategy => new ConsoleWait(pattern, true),
  /** Only lines printed after the wait began. */
  forNewConsole: (pattern: RegExp): WaitStrategy => new ConsoleWait(pattern, false),
  /** Any condition a driver can wait for (e.g. the emulator's first WAN packet). */
  until: (description: string, fn: (signal: AbortSignal) => Promise<void>): WaitStrategy => new UntilWait(description, fn),
  forHttp: (url: string, opts: { intervalMs?: number; requestTimeoutMs?: number; maxInFlight?: number } = {}): WaitStrategy =>
    new HttpWait(url, opts.intervalMs ?? 200, opts.requestTimeoutMs ?? 3000, opts.maxInFlight ?? 16),
  all: (...waits: WaitStrategy[]): WaitStrategy => new AllWait(waits),
};

/**
 * The default HTTP probe: one GET on a fresh connection, body discarded, no
 * redirects. node:http rather than fetch: aborting fetch leaves its connect
 * attempt pending for undici's 10 s connect timeout.
 */
export function fetchStatus(url: string, timeoutMs: number, signal?: AbortSignal): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const req = request(url, { method: 'GET', agent: false, timeout: timeoutMs, signal }, (res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      req.destroy();
    });
    const timer = setTimeout(() => req.destroy(new Error(`no HTTP answer from ${url} within ${timeoutMs} ms`)), timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`no HTTP answer from ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.on('close', () => clearTimeout(timer));
    req.end();
  });
}
