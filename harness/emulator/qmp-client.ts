import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FirmlabError } from '../errors.js';

/** QEMU's machine protocol refused a command, closed, or did not answer in time. */
export class QmpError extends FirmlabError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('FIRMLAB_QMP', message, { details });
  }
}

interface Pending {
  command: string;
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
}

/**
 * A client of QEMU's QMP socket (JSON objects, one per line): the greeting,
 * `qmp_capabilities`, then one command at a time. Asynchronous events are
 * skipped; what the harness needs from them (migration status) it polls.
 */
export class QmpClient {
  private buffer = '';
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed: Error | undefined;
  private greeted!: () => void;
  private readonly greeting = new Promise<void>((resolve) => (this.greeted = resolve));

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (e) => this.fail(new QmpError(`QMP socket: ${e.message}`)));
    socket.on('close', () => this.fail(new QmpError('QMP socket closed')));
  }

  /** Connects (retrying while QEMU has not made the socket yet) and negotiates capabilities. */
  static async connect(path: string, { timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<QmpClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const socket = connect(path);
      const ok = await new Promise<boolean>((resolve) => {
        socket.once('connect', () => resolve(true));
        socket.once('error', () => resolve(false));
      });
      if (ok) {
        const client = new QmpClient(socket);
        try {
          await withTimeout(client.greeting, Math.max(1, deadline - Date.now()), 'the QMP greeting');
          await client.execute('qmp_capabilities', {}, { timeoutMs: Math.max(1, deadline - Date.now()) });
          return client;
        } catch (e) {
          client.close();
          throw e;
        }
      }
      socket.destroy();
      if (Date.now() >= deadline) throw new QmpError(`no QMP socket at ${path} within ${timeoutMs} ms`, { path });
      await sleep(50);
    }
  }

  /** Runs one command; resolves with its `return`, rejects with QEMU's error description. */
  execute<T = unknown>(command: string, args: Record<string, unknown> = {}, { timeoutMs = 30_000 } = {}): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.closed) throw this.closed;
      const answer = new Promise<unknown>((resolve, reject) => (this.pending = { command, resolve, reject }));
      this.socket.write(`${JSON.stringify({ execute: command, arguments: args })}\n`);
      try {
        return (await withTimeout(answer, timeoutMs, `QMP ${command}`)) as T;
      } finally {
        this.pending = undefined;
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line !== '') this.onMessage(line);
    }
  }

  private onMessage(line: string): void {
    let msg: { QMP?: unknown; return?: unknown; error?: { class?: string; desc?: string }; event?: string };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return;
    }
    if (msg.QMP !== undefined) this.greeted();
    else if (msg.event !== undefined) return;
    else if (msg.error !== undefined) {
      const p = this.pending;
      p?.reject(new QmpError(`QMP ${p.command}: ${msg.error.desc ?? msg.error.class ?? 'error'}`, { command: p.command, error: msg.error }));
    } else if ('return' in msg) this.pending?.resolve(msg.return);
  }

  private fail(e: Error): void {
    this.closed ??= e;
    this.pending?.reject(e);
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new QmpError(`no answer to ${what} within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
