// Shared by the qemu-user daemon tests: a tiny DNS responder on loopback, one
// static ARM homeshieldd run from an unpacked rootfs, and a bounded poll.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as dnsPacket from 'dns-packet';

/** Answers every A query with one address (TTL 300) and remembers the names. */
export class TinyResponder {
  readonly names: string[] = [];
  private constructor(private readonly socket: Socket, address: string) {
    socket.on('message', (msg, rinfo) => {
      const query = dnsPacket.decode(msg);
      const question = query.questions?.[0];
      if (!question) return;
      this.names.push(question.name.toLowerCase());
      const answer = dnsPacket.encode({
        type: 'response', id: query.id, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
        questions: [question],
        answers: [{ type: 'A', class: 'IN', name: question.name, ttl: 300, data: address }],
      });
      socket.send(answer, rinfo.port, rinfo.address);
    });
  }
  static async start(address = '203.0.113.10'): Promise<TinyResponder> {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    return new TinyResponder(socket, address);
  }
  get port(): number { return this.socket.address().port; }
  close(): void { this.socket.close(); }
}

function writeConfig(dir: string, enable: 'on' | 'off'): void {
  writeFileSync(join(dir, 'homeshield'), `config homeshield 'settings'\n\toption enable '${enable}'\n`);
}

/** One homeshieldd under qemu-user with its config, resolv file, pid file and log in a temp dir. */
export class DaemonUnderTest {
  private constructor(readonly dir: string, readonly proc: ChildProcess) {}
  /** `tlsPort`: the port HS_TLS_WHEN_OFF connects to (`-t`). */
  static start(root: string, dnsPort: number, enable: 'on' | 'off', opts: { tlsPort?: number } = {}): DaemonUnderTest {
    const dir = mkdtempSync(join(tmpdir(), 'firmlab-hsd-'));
    writeFileSync(join(dir, 'resolv.conf.auto'), 'nameserver 127.0.0.1\n');
    // The setting must exist before the daemon starts, or it may read factory defaults first.
    writeConfig(dir, enable);
    const d = new DaemonUnderTest(dir, spawn('qemu-arm-static', [
      join(root, 'usr/sbin/homeshieldd'), '-c', join(dir, 'homeshield'), '-r', join(dir, 'resolv.conf.auto'),
      '-p', String(dnsPort), '-l', join(dir, 'console.log'), '-P', join(dir, 'homeshieldd.pid'),
      ...(opts.tlsPort === undefined ? [] : ['-t', String(opts.tlsPort)]),
    ], { stdio: 'ignore' }));
    return d;
  }
  setEnable(enable: 'on' | 'off'): void {
    writeConfig(this.dir, enable);
  }
  log(): string {
    try { return readFileSync(join(this.dir, 'console.log'), 'utf8'); } catch { return ''; }
  }
  /** The pid file's content, undefined while there is none. */
  pidFile(): string | undefined {
    try { return readFileSync(join(this.dir, 'homeshieldd.pid'), 'utf8'); } catch { return undefined; }
  }
  get exited(): boolean { return this.proc.exitCode !== null || this.proc.signalCode !== null; }
  async stop(): Promise<void> {
    if (!this.exited) {
      this.proc.kill('SIGTERM');
      await once(this.proc, 'exit');
    }
  }
  cleanup(): void { rmSync(this.dir, { recursive: true, force: true }); }
}

/** Polls until `cond` holds; fails with `what` after the deadline (a generous bound, not a timing assertion). */
export async function until(what: string, cond: () => boolean, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
