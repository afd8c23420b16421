import { setTimeout as sleep } from 'node:timers/promises';
import { FirmlabError } from '../errors.js';
import type { Console } from './console.js';
import { BootTimeoutError, EmulatorExitedError, GuestPanicError } from './emulator-errors.js';
import { LAB_WIRING } from './lab-wiring.js';
import { fetchStatus, Wait, type WaitContext, type WaitStrategy } from './wait.js';

/** What a boot strategy drives: the emulator container, or a fake in tests. */
export interface BootTarget {
  start(): Promise<void>;
  connectConsole(): Promise<Console>;
  /** The router's web UI as the host reaches it, e.g. `http://10.213.7.2/`. */
  webBaseUrl(): Promise<string>;
  /** Resolves when the emulator stops, with its exit code and last stderr lines. */
  exited(): Promise<{ exitCode: number; stderrTail: string[] }>;
  /** Resolves once the guest has sent its first packet on WAN (for firmware with neither web UI nor console line). */
  firstPacket?(signal: AbortSignal): Promise<void>;
  /** True when the target loads a saved VM state instead of booting; `resume` then lets it run. */
  readonly restoring?: boolean;
  resume?(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What "ready" means for one firmware (from its device profile): a console
 * line, an HTTP answer on the web UI, both, or, with neither, the first
 * packet it sends on WAN.
 */
export interface BootReadiness {
  console?: RegExp;
  http?: string;
}

export type BootState = 'off' | 'booting' | 'ready' | 'stopped' | 'failed';

/** Milliseconds from `boot()` (or `reboot()`) to each milestone, absent until reached. */
export interface BootPhases {
  containerStartedMs?: number;
  /** The first console line (the kernel is printing). */
  kernelUpMs?: number;
  /** The firmware's own /sbin/init started. */
  initStartedMs?: number;
  consoleMarkerMs?: number;
  webUiReadyMs?: number;
  firstPacketMs?: number;
  /** A restore: QEMU loaded the saved state and the VM runs again. */
  restoredMs?: number;
  readyMs?: number;
  /** Which signals made the router ready, e.g. ['webUiReady']. */
  readyBy?: Milestone[];
}

export interface BootStrategyOptions {
  timeoutMs?: number;
  /** What ready means (the device profile's readiness); default: the web UI answers on `/`. */
  ready?: BootReadiness;
  httpStatus?: WaitContext['httpStatus'];
  now?: () => number;
}

export interface RebootOptions {
  /** Default: the boot timeout. */
  timeoutMs?: number;
  /** What to type on the console; default `reboot`. */
  command?: string;
}

export type Milestone = 'consoleMarker' | 'webUiReady' | 'firstPacket' | 'restored';
const MILESTONES: readonly Milestone[] = ['consoleMarker', 'webUiReady', 'firstPacket', 'restored'];

/**
 * Moves one router `off -> booting -> ready`, then `stopped`; any failure on
 * the way is `failed`, and a failed boot stays failed with its reason (a
 * scenario must never half-run on a router that did not come up). A ready
 * router can be rebooted through its console (`ready -> booting -> ready`).
 * A kernel panic fails the router at once: with panic=-1 the guest would
 * otherwise reboot in a loop until the timeout.
 */
export class BootStrategy {
  private current: BootState = 'off';
  private reason: FirmlabError | undefined;
  private booting: Promise<Console> | undefined;
  private con: Console | undefined;
  /** Rejects when the emulator exits or the guest panics, once booting started. */
  private died: Promise<never> | undefined;
  private baseUrl: string | undefined;
  readonly phases: BootPhases = {};
  /** Phases of the last `reboot()`, from its start. */
  rebootPhases: BootPhases | undefined;
  private readonly timeoutMs: number;
  private readonly ready: BootReadiness;
  private readonly now: () => number;
  private readonly httpStatus: WaitContext['httpStatus'];

  constructor(private readonly target: BootTarget, opts: BootStrategyOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.now = opts.now ?? Date.now;
    this.httpStatus = opts.httpStatus ?? fetchStatus;
    this.ready = opts.ready ?? { http: '/' };
    if (!this.ready.console && this.ready.http === undefined && !target.firstPacket) {
      throw new FirmlabError('FIRMLAB_BOOT_NO_READINESS', 'no console line, no web UI and no packet watch to tell this router is ready');
    }
  }

  private milestones(): Milestone[] {
    const r = this.ready;
    const m: Milestone[] = [];
    if (r.console) m.push('consoleMarker');
    if (r.http !== undefined) m.push('webUiReady');
    return m.length ? m : ['firstPacket'];
  }

  /** The waits that make this router ready; `fresh` waits ignore what the console printed before (a reboot). */
  private readiness(fresh: boolean): WaitStrategy {
    const r = this.ready;
    const waits: WaitStrategy[] = [];
    if (r.console) waits.push((fresh ? Wait.forNewConsole(r.console) : Wait.forConsole(r.console)).named('consoleMarker'));
    if (r.http !== undefined) waits.push(Wait.forHttp(r.http).named('webUiReady'));
    if (waits.length === 0) waits.push(Wait.until('the first packet on WAN', (signal) => this.target.firstPacket!(signal)).named('firstPacket'));
    return waits.length === 1 ? waits[0]! : Wait.all(...waits);
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

  /**
   * Reboots a ready router through its console and waits until it is ready
   * again: the kernel starting anew, then the marker and the web UI (both seen
   * after the restart, never the previous boot's). Resolves with the phases
   * measured from the call.
   */
  async reboot(opts: RebootOptions = {}): Promise<BootPhases> {
    const con = this.con;
    if (this.current !== 'ready' || con === undefined) {
      throw this.reason ?? new FirmlabError('FIRMLAB_BOOT_NOT_READY', `cannot reboot a router that is ${this.current}; boot it first`);
    }
    this.current = 'booting';
    const phases: BootPhases = {};
    this.rebootPhases = phases;
    try {
      await this.bounded(opts.timeoutMs ?? this.timeoutMs, phases, async (since, signal, ctx) => {
        const restarted = con.waitFor(LAB_WIRING.kernelStart, 2 ** 31 - 1, { signal });
        restarted.catch(() => undefined);
        // A command first proves a shell is listening (and activates askfirst);
        // `reboot` itself may be killed by init before it could report back.
        await con.exec('sync', { timeoutMs: 10_000 });
        await con.write(`${opts.command ?? 'reboot'}\r`);
        await restarted;
        phases.kernelUpMs = since();
        await this.readiness(true).waitUntilReady(ctx, signal);
      });
    } catch (e) {
      throw this.fail(e);
    }
    this.current = 'ready';
    return phases;
  }

  async stop(): Promise<void> {
    if (this.current !== 'failed') this.current = 'stopped';
    await this.target.stop();
  }

  private async run(): Promise<Console> {
    this.current = 'booting';
    try {
      await this.bounded(this.timeoutMs, this.phases, async (since, signal, ctx, guard) => {
        await guard(this.target.start());
        this.phases.containerStartedMs = since();
        const exited = this.target.exited().then((x) => {
          throw new EmulatorExitedError({ ...x, consoleTail: this.con?.tail ?? [], elapsedMs: since() });
        });
        exited.catch(() => undefined);
        this.died = exited;
        const con = await guard(this.target.connectConsole());
        this.con = con;
        ctx.console = con;
        const panicked = new Promise<never>((_, reject) => {
          con.onLine((l) => {
            if (LAB_WIRING.kernelPanic.test(l.text)) reject(new GuestPanicError({ panicLine: l.text, consoleTail: con.tail, elapsedMs: since() }));
          });
        });
        panicked.catch(() => undefined);
        this.died = Promise.race([exited, panicked]);
        if (!this.target.restoring) {
          const off = con.onLine(() => { this.phases.kernelUpMs ??= since(); off(); });
          const offInit = con.onLine((l) => { if (LAB_WIRING.initStart.test(l.text)) { this.phases.initStartedMs ??= since(); offInit(); } });
        }
        this.baseUrl = await guard(this.target.webBaseUrl());
        ctx.baseUrl = this.baseUrl;
        if (this.target.restoring && this.target.resume) {
          // A restored router printed its boot before it was saved: ready once it runs and, where
          // the profile has a web UI, that answers (its console marker will not come again).
          await guard(this.target.resume());
          ctx.onSatisfied?.('restored', this.now());
          if (this.ready.http !== undefined) await guard(Wait.forHttp(this.ready.http).named('webUiReady').waitUntilReady(ctx, signal));
        } else {
          await guard(this.readiness(false).waitUntilReady(ctx, signal));
        }
      });
    } catch (e) {
      throw this.fail(e);
    }
    this.current = 'ready';
    // Dying or panicking later (not through stop()) fails the router too.
    this.died!.catch((e: unknown) => {
      if (this.current !== 'ready') return;
      this.current = 'failed';
      this.reason = e as FirmlabError;
    });
    return this.con!;
  }

  /**
   * Runs one way to readiness under a deadline, racing the emulator's death;
   * fills `phases` (milestones and readyMs) as it goes.
   */
  private async bounded(
    timeoutMs: number,
    phases: BootPhases,
    body: (since: () => number, signal: AbortSignal, ctx: WaitContext, guard: <T>(p: Promise<T>) => Promise<T>) => Promise<void>,
  ): Promise<void> {
    const t0 = this.now();
    const since = () => this.now() - t0;
    const abort = new AbortController();
    const satisfied = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const waitingFor = this.con === undefined
          ? 'the emulator console'
          : phases.kernelUpMs === undefined && phases !== this.phases
            ? 'the kernel to start again'
            : this.milestones().filter((n) => !satisfied.has(n)).join(' and ') || 'readiness';
        reject(new BootTimeoutError({ waitingFor, timeoutMs, elapsedMs: since(), consoleTail: this.con?.tail ?? [], phases: { ...phases } }));
      }, timeoutMs);
    });
    const guard = <T>(p: Promise<T>) => Promise.race([p, timedOut, ...(this.died ? [this.died] : [])]);
    const ctx: WaitContext = {
      console: this.con!,
      baseUrl: this.baseUrl,
      httpStatus: this.httpStatus,
      now: this.now,
      onSatisfied: (name) => {
        satisfied.add(name);
        if ((MILESTONES as readonly string[]).includes(name)) {
          phases[`${name as Milestone}Ms`] ??= since();
          (phases.readyBy ??= []).push(name as Milestone);
        }
      },
    };
    try {
      await guard(body(since, abort.signal, ctx, guard).catch(async (e: unknown) => {
        // The console closing is usually the emulator dying (or a panic): report that instead.
        const death = await Promise.race([this.died?.catch((x: unknown) => x), sleep(2000).then(() => undefined)]);
        throw death instanceof FirmlabError ? death : e;
      }));
      phases.readyMs = since();
    } finally {
      clearTimeout(timer);
      abort.abort(new Error('boot finished'));
    }
  }

  private fail(e: unknown): FirmlabError {
    this.reason = e instanceof FirmlabError ? e : new FirmlabError('FIRMLAB_BOOT_FAILED', `boot failed: ${(e as Error)?.message ?? e}`, { cause: e });
    // A boot cut short by stop() (Ctrl-C) was stopped, not failed.
    if (this.current !== 'stopped') this.current = 'failed';
    return this.reason;
  }
}
