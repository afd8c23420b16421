import { FirmlabError } from '../errors.js';

/** The router did not become ready in time; carries what the console last said. */
export class BootTimeoutError extends FirmlabError {
  readonly consoleTail: string[];
  readonly elapsedMs: number;

  constructor(opts: { waitingFor: string; timeoutMs: number; elapsedMs: number; consoleTail: string[]; phases?: Record<string, unknown> }) {
    const tail = opts.consoleTail.slice(-10);
    const reached = Object.entries(opts.phases ?? {}).filter(([k, v]) => k.endsWith('Ms') && typeof v === 'number').map(([k]) => k.replace(/Ms$/, ''));
    super(
      'FIRMLAB_BOOT_TIMEOUT',
      `router not ready within ${opts.timeoutMs} ms: still waiting for ${opts.waitingFor}` +
        `${reached.length ? ` (reached: ${reached.join(', ')})` : ' (no boot phase reached)'}; ` +
        (tail.length === 0 ? 'the console printed nothing' : `last console lines:\n${tail.join('\n')}`),
      { details: { waitingFor: opts.waitingFor, timeoutMs: opts.timeoutMs, elapsedMs: opts.elapsedMs, consoleTail: opts.consoleTail, phases: opts.phases ?? {} } },
    );
    this.consoleTail = opts.consoleTail;
    this.elapsedMs = opts.elapsedMs;
  }
}

/** QEMU (the emulator container) stopped before the router was ready or while it was used. */
export class EmulatorExitedError extends FirmlabError {
  readonly exitCode: number;
  readonly stderrTail: string[];
  readonly consoleTail: string[];

  constructor(opts: { exitCode: number; stderrTail: string[]; consoleTail: string[]; elapsedMs?: number }) {
    const said = opts.stderrTail.length > 0 ? `; its last words: ${opts.stderrTail.slice(-5).join(' | ')}` : '';
    const saw = opts.consoleTail.length > 0 ? `; last console lines:\n${opts.consoleTail.slice(-10).join('\n')}` : '';
    super('FIRMLAB_EMULATOR_EXITED', `the emulator exited with code ${opts.exitCode}${said}${saw}`, {
      details: { exitCode: opts.exitCode, stderrTail: opts.stderrTail, consoleTail: opts.consoleTail, elapsedMs: opts.elapsedMs },
    });
    this.exitCode = opts.exitCode;
    this.stderrTail = opts.stderrTail;
    this.consoleTail = opts.consoleTail;
  }
}

/** The guest kernel panicked (it reboots by itself with panic=-1, so a boot would loop until its timeout). */
export class GuestPanicError extends FirmlabError {
  readonly consoleTail: string[];

  constructor(opts: { panicLine: string; consoleTail: string[]; elapsedMs?: number }) {
    super('FIRMLAB_GUEST_PANIC', `the guest kernel panicked: ${opts.panicLine.trim()}; last console lines:\n${opts.consoleTail.slice(-10).join('\n')}`, {
      details: { panicLine: opts.panicLine, consoleTail: opts.consoleTail, elapsedMs: opts.elapsedMs },
    });
    this.consoleTail = opts.consoleTail;
  }
}

/** The serial console could not be reached, closed, or did not answer a command in time. */
export class ConsoleError extends FirmlabError {
  constructor(message: string, opts: { cause?: unknown; consoleTail?: string[]; details?: Record<string, unknown> } = {}) {
    super('FIRMLAB_CONSOLE', message, { cause: opts.cause, details: { ...opts.details, consoleTail: opts.consoleTail ?? [] } });
  }
}

/** A wait (console line, HTTP answer) did not come true within its time. */
export class WaitTimeoutError extends FirmlabError {
  constructor(readonly waitingFor: string, readonly timeoutMs: number, readonly consoleTail: string[] = []) {
    super('FIRMLAB_WAIT_TIMEOUT', `no ${waitingFor} within ${timeoutMs} ms`, { details: { waitingFor, timeoutMs, consoleTail } });
  }
}

/** The firmware's architecture has no kernel in the emulator image. */
export class UnsupportedArchError extends FirmlabError {
  constructor(arch: string, supported: string[]) {
    super('FIRMLAB_UNSUPPORTED_ARCH', `no emulator kernel runs ${arch} userland; supported: ${supported.join(', ')}`, {
      details: { arch, supported },
    });
  }
}
