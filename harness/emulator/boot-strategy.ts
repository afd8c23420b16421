import { setTimeout as sleep } from 'node:timers/promises';
import { FirmlabError } from '../errors.js';
import type { Console } from './console.js';
import { BootTimeoutError, EmulatorExitedError } from './emulator-errors.js';
import { GUEST } from './guest-contract.js';
import { fetchStatus, Wait, type WaitContext, type WaitStrategy } from './wait.js';

/** What a boot strategy drives: the emulator container, or a fake in tests. */
export interface BootTarget {
  start(): Promise<void>;
  connectConsole(): Promise<Console>;
  /** The router's web UI as the host reaches it, e.g. `http://10.213.7.2/`. */
  webBaseUrl(): Promise<string>;
  /** Resolves when the emulator stops, with its exit code and last stderr lines. */
  exited(): Promise<{ exitCode: number; stderrTail: string[] }>;
  stop(): Promise<void>;
}

export type BootState = 'off' | 'booting' | 'ready' | 'stopped' | 'failed';

/** Milliseconds from `boot()` to each milestone, absent until reached. */
export interface BootPhases {
  containerStartedMs?: number;
  /** The first console line (the kernel is printing). */
  kernelUpMs?: number;
  consoleMarkerMs?: number;
  webUiReadyMs?: number;
  readyMs?: number;
}

export interface BootStrategyOptions {
  timeoutMs?: number;
  /** The firmware's "system is up" console line; busybox askfirst by default. */
  marker?: RegExp;
  /** Replaces the default readiness (marker AND web UI answering). */
  readiness?: WaitStrategy;
  httpStatus?: WaitContext['httpStatus'];
  now?: () => number;
}

/**
 * Moves one router `off -> booting -> ready`, then `stopped`; any failure on
 * the way is `failed`, and a failed boot stays failed with its reason (a
 * scenario must never half-run on a router that did not come up).
 */
export class BootStrategy {
  private current: BootState = 'off';
  private reason: FirmlabError | undefined;
  private booting: Promise<Console> | undefined;
  private con: Console | undefined;
  readonly phases: BootPhases = {};
  private readonly timeoutMs: number;
  private readonly readiness: WaitStrategy;
  private readonly now: () => number;
  private readonly httpStatus: WaitContext['httpStatus'];

  constructor(private readonly target: BootTarget, opts: BootStrategyOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.now = opts.now ?? Date.now;
    this.httpStatus = opts.httpStatus ?? fetchStatus;
    this.readiness = opts.readiness ?? Wait.all(
      Wait.forConsole(opts.marker ?? GUEST.bootMarker).named('consoleMarker'),
      Wait.forHttp('/').named('webUiReady'),
    );
  }

  get state(): BootState {
    return this.current;
  }

  get failure(): FirmlabError | undefined {
    return this.reason;
  }

  /** The console once booting got that far. */
  get console(): Console | undefined {
    return this.con;
  }

  /** Boots and resolves with the console once ready; calling it again returns the same outcome. */
  boot(): Promise<Console> {
    if (this.current === 'failed') return Promise.reject(this.reason);
    if (this.current === 'stopped') return Promise.reject(new FirmlabError('FIRMLAB_BOOT_STOPPED', 'this router was stopped; make a new one to boot again'));
    this.booting ??= this.run();
    return this.booting;
  }

  async stop(): Promise<void> {
    if (this.current !== 'failed') this.current = 'stopped';
    await this.target.stop();
  }

  private async run(): Promise<Console> {
    this.current = 'booting';
    const t0 = this.now();
    const since = () => this.now() - t0;
    const abort = new AbortController();
    const satisfied = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const waitingFor = this.con === undefined
          ? 'the emulator console'
          : ['consoleMarker', 'webUiReady'].filter((n) => !satisfied.has(n)).join(' and ') || this.readiness.description;
        reject(new BootTimeoutError({ waitingFor, timeoutMs: this.timeoutMs, elapsedMs: since(), consoleTail: this.con?.tail ?? [], phases: { ...this.phases } }));
      }, this.timeoutMs);
    });
    let exited: Promise<never> | undefined;
    const guard = <T>(p: Promise<T>) => Promise.race([p, timedOut, ...(exited ? [exited] : [])]);
    try {
      await guard(this.target.start());
      this.phases.containerStartedMs = since();
      exited = this.target.exited().then((x) => {
        throw new EmulatorExitedError({ ...x, consoleTail: this.con?.tail ?? [], elapsedMs: since() });
      });
      exited.catch(() => undefined);
      this.con = await guard(this.target.connectConsole());
      const off = this.con.onLine(() => { this.phases.kernelUpMs ??= since(); off(); });
      const baseUrl = await guard(this.target.webBaseUrl());
      const ctx: WaitContext = {
        console: this.con,
        baseUrl,
        httpStatus: this.httpStatus,
        now: this.now,
        onSatisfied: (name) => {
          satisfied.add(name);
          if (name === 'consoleMarker' || name === 'webUiReady') this.phases[`${name}Ms`] ??= since();
        },
      };
      await guard(this.readiness.waitUntilReady(ctx, abort.signal).catch(async (e: unknown) => {
        // The console closing is usually the emulator dying: report that instead.
        const exit = await Promise.race([exited!.catch((x: unknown) => x), sleep(2000).then(() => undefined)]);
        throw exit instanceof EmulatorExitedError ? exit : e;
      }));
      this.phases.readyMs = since();
      this.current = 'ready';
      // Dying later (not through stop()) fails the router too.
      exited.catch((e: unknown) => {
        if (this.current !== 'ready') return;
        this.current = 'failed';
        this.reason = e as FirmlabError;
      });
      return this.con;
    } catch (e) {
      this.reason = e instanceof FirmlabError ? e : new FirmlabError('FIRMLAB_BOOT_FAILED', `boot failed: ${(e as Error)?.message ?? e}`, { cause: e });
      this.current = 'failed';
      throw this.reason;
    } finally {
      clearTimeout(timer);
      abort.abort(new Error('boot finished'));
    }
  }
}
