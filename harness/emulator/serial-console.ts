import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Console, ConsoleCommandResult, ConsoleLine } from './console.js';
import { ConsoleLineSplitter } from './console-line-splitter.js';
import { ConsoleError } from './emulator-errors.js';
import { MarkedCommand } from './marked-command.js';

export interface SerialConsoleOptions {
  now?: () => number;
  tailSize?: number;
  /** Typed input goes out in chunks this big with a pause between (RECIPES.md: QEMU drops unread input). */
  writeChunkBytes?: number;
  writePauseMs?: number;
  /** A shell prompt, matched against the unfinished last line. */
  prompt?: RegExp;
  /** Who to log in as when the console asks (`login:`, then `Password:`); none: a login prompt is an error. */
  login?: ConsoleLogin;
  /** Marker ids for commands; injectable for tests. */
  nextId?: () => string;
}

export interface ConsoleLogin {
  user: string;
  password: string;
}

/** getty/busybox login's prompts, matched against the unfinished last line: `OpenWrt login: `, `Password: `. */
const LOGIN_PROMPT = /(^|\s)login: ?$/i;
const PASSWORD_PROMPT = /password: ?$/i;

interface Waiter {
  test: (text: string) => boolean;
  /** Which text to try: whole lines, also the unfinished last line (prompts end without a newline), or only that. */
  on: 'lines' | 'both' | 'partial';
  resolve: (l: ConsoleLine) => void;
  reject: (e: Error) => void;
}

/**
 * The router's serial console over QEMU's chardev unix socket: lines as
 * events, a tail for error messages, waits on patterns, and shell commands
 * framed by markers. Lines printed before the socket was connected are only
 * in the chardev's log file (console.log in the run directory).
 */
export class SerialConsole implements Console, AsyncDisposable {
  private readonly splitter = new ConsoleLineSplitter();
  private readonly recent: string[] = [];
  private readonly listeners = new Set<(l: ConsoleLine) => void>();
  private readonly waiters = new Set<Waiter>();
  private readonly now: () => number;
  private readonly tailSize: number;
  private readonly chunk: number;
  private readonly pauseMs: number;
  private readonly prompt: RegExp;
  private readonly login: ConsoleLogin | undefined;
  private readonly nextId: () => string;
  private seq = 0;
  private closed: Error | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly stream: Duplex, opts: SerialConsoleOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.tailSize = opts.tailSize ?? 50;
    this.chunk = opts.writeChunkBytes ?? 8;
    this.pauseMs = opts.writePauseMs ?? 3;
    this.prompt = opts.prompt ?? /[#$] $/;
    this.login = opts.login;
    let n = 0;
    this.nextId = opts.nextId ?? (() => `${process.pid.toString(36)}x${(n++).toString(36)}x${Math.floor(Math.random() * 1e6).toString(36)}`);
    stream.setEncoding('latin1');
    stream.on('data', (chunk: string) => this.receive(chunk));
    stream.on('error', (e) => this.end(new ConsoleError(`console connection failed: ${e.message}`, { cause: e, consoleTail: this.tail })));
    stream.on('close', () => this.end(new ConsoleError('the console connection closed (did the emulator stop?)', { consoleTail: this.tail })));
  }

  /** Connects to a chardev socket, retrying until QEMU has created it. */
  static async connect(path: string, opts: SerialConsoleOptions & { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<SerialConsole> {
    // sun_path holds 107 bytes; a longer path fails with a confusing EINVAL.
    if (Buffer.byteLength(path) > 107) throw new ConsoleError(`console socket path is too long for a unix socket (${path.length} > 107): ${path}`);
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    let last: unknown;
    while (Date.now() < deadline) {
      opts.signal?.throwIfAborted();
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(path);
          s.once('connect', () => { s.off('error', reject); resolve(s); });
          s.once('error', reject);
        });
        return new SerialConsole(socket, opts);
      } catch (e) {
        last = e;
        await sleep(20);
      }
    }
    throw new ConsoleError(`no console socket at ${path} within ${opts.timeoutMs ?? 10_000} ms`, { cause: last });
  }

  get tail(): string[] {
    return [...this.recent];
  }

  get partial(): string {
    return this.splitter.partial;
  }

  onLine(listener: (l: ConsoleLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  waitFor(re: RegExp, timeoutMs: number, opts: { includeTail?: boolean; signal?: AbortSignal } = {}): Promise<ConsoleLine> {
    if (opts.includeTail) {
      const seen = [...this.recent, this.partial].find((t) => t !== '' && re.test(t));
      if (seen !== undefined) return Promise.resolve({ text: seen, atMs: this.now(), seq: this.seq });
    }
    return this.waitUntil((t) => re.test(t), timeoutMs, { on: 'both', signal: opts.signal, what: `console line matching ${re}` });
  }

  private waitUntil(test: (text: string) => boolean, timeoutMs: number, opts: { on: Waiter['on']; signal?: AbortSignal; what: string }): Promise<ConsoleLine> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise<ConsoleLine>((resolve, reject) => {
      const done = () => { clearTimeout(timer); this.waiters.delete(waiter); opts.signal?.removeEventListener('abort', onAbort); };
      const waiter: Waiter = {
        test,
        on: opts.on,
        resolve: (l) => { done(); resolve(l); },
        reject: (e) => { done(); reject(e); },
      };
      const onAbort = () => waiter.reject(opts.signal!.reason instanceof Error ? opts.signal!.reason : new Error('aborted'));
      const timer = setTimeout(
        () => waiter.reject(new ConsoleError(`no ${opts.what} within ${timeoutMs} ms`, { consoleTail: this.tail, details: { waitingFor: opts.what, timeoutMs } })),
        timeoutMs,
      );
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }

  async write(text: string): Promise<void> {
    if (this.closed) throw this.closed;
    const bytes = Buffer.from(text, 'latin1');
    for (let i = 0; i < bytes.length; i += this.chunk) {
      if (i > 0 && this.pauseMs > 0) await sleep(this.pauseMs);
      await new Promise<void>((resolve, reject) => this.stream.write(bytes.subarray(i, i + this.chunk), (e) => (e ? reject(e) : resolve())));
    }
  }

  exec(command: string, opts: { timeoutMs?: number } = {}): Promise<ConsoleCommandResult> {
    const run = this.queue.then(() => this.execNow(command, opts.timeoutMs ?? 10_000));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async run(command: string, opts: { timeoutMs?: number } = {}): Promise<string> {
    return (await this.exec(command, opts)).output;
  }

  close(): void {
    this.stream.destroy();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  private async execNow(command: string, timeoutMs: number): Promise<ConsoleCommandResult> {
    const started = this.now();
    const cmd = new MarkedCommand(command, this.nextId());
    await this.reachShell(timeoutMs);
    const left = Math.max(1, timeoutMs - (this.now() - started));
    const finished = this.waitUntil((t) => cmd.feed(t), left, { on: 'lines', what: `end of console command ${JSON.stringify(command)}` });
    finished.catch(() => undefined);
    await this.write(`${cmd.line}\r`);
    try {
      await finished;
    } catch (e) {
      throw new ConsoleError(`console command did not finish within ${timeoutMs} ms: ${command}`, { cause: e, consoleTail: this.tail, details: { command, output: cmd.output } });
    }
    return { output: cmd.output, exitCode: cmd.exitCode ?? -1 };
  }

  /**
   * Enter, then whatever the console asks until a shell prompt shows: Enter
   * activates busybox's askfirst console or prints a fresh prompt; a getty
   * asks for the profile's user and password (once: asked again means
   * refused).
   */
  private async reachShell(timeoutMs: number): Promise<void> {
    const started = this.now();
    let typed: 'enter' | 'user' | 'password' = 'enter';
    let input = '\r';
    for (;;) {
      const left = Math.max(1, timeoutMs - (this.now() - started));
      // Only the unfinished line, and only one printed after this input: a
      // prompt that got its newline is one answered already, and the same
      // prompt grown by whitespace (its trailing space arriving in the next
      // chunk, a bare CR with echo off after `Password:`) is no new one.
      const seq0 = this.seq;
      const partial0 = this.partial.trimEnd();
      const fresh = (t: string) => this.seq > seq0 || t.trimEnd() !== partial0;
      const asked = this.waitUntil((t) => fresh(t) && (this.prompt.test(t) || LOGIN_PROMPT.test(t) || PASSWORD_PROMPT.test(t)), left, { on: 'partial', what: 'shell prompt' });
      asked.catch(() => undefined);
      await this.write(input);
      let line: ConsoleLine;
      try {
        line = await asked;
      } catch (e) {
        const after = typed === 'enter' ? '' : ` after typing the ${typed} of the console login`;
        throw new ConsoleError(`no shell prompt on the console within ${timeoutMs} ms${after} (is a command still running?)`, { cause: e, consoleTail: this.tail });
      }
      if (this.prompt.test(line.text)) return;
      const wants = LOGIN_PROMPT.test(line.text) ? 'user' : 'password';
      if (!this.login) {
        throw new ConsoleError(`the console asks for a login (${JSON.stringify(line.text.trim())}) and the device profile declares none (console.login)`, { consoleTail: this.tail, details: { loginRequired: true } });
      }
      if (typed === 'password' || (typed === 'user' && wants === 'user')) {
        throw new ConsoleError(`the console refused the login as ${this.login.user} (asked again: ${JSON.stringify(line.text.trim())})`, { consoleTail: this.tail, details: { loginRefused: true, user: this.login.user } });
      }
      typed = wants;
      input = `${wants === 'user' ? this.login.user : this.login.password}\r`;
    }
  }

  private receive(chunk: string): void {
    for (const text of this.splitter.push(chunk)) this.emit(text);
    const partial = this.splitter.partial;
    if (partial !== '') {
      const line = { text: partial, atMs: this.now(), seq: this.seq };
      for (const w of [...this.waiters]) if (w.on !== 'lines' && w.test(partial)) w.resolve(line);
    }
  }

  private emit(text: string): void {
    const line = { text, atMs: this.now(), seq: ++this.seq };
    this.recent.push(text);
    if (this.recent.length > this.tailSize) this.recent.shift();
    for (const l of [...this.listeners]) l(line);
    for (const w of [...this.waiters]) if (w.on !== 'partial' && w.test(text)) w.resolve(line);
  }

  private end(reason: ConsoleError): void {
    if (this.closed) return;
    for (const text of this.splitter.flush()) this.emit(text);
    this.closed = reason;
    for (const w of [...this.waiters]) w.reject(reason);
  }
}
