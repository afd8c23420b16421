import { Duplex } from 'node:stream';

/**
 * A stand-in for QEMU's chardev socket: what the console writes is collected,
 * and `reply` decides what the "router" prints back for each typed line.
 */
export class FakeSerial extends Duplex {
  readonly typed: string[] = [];
  private buffer = '';

  constructor(private readonly reply: (line: string) => string = () => '') {
    super();
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.buffer += chunk.toString('latin1');
    let i: number;
    while ((i = this.buffer.indexOf('\r')) >= 0) {
      const line = this.buffer.slice(0, i);
      this.buffer = this.buffer.slice(i + 1);
      this.typed.push(line);
      const out = this.reply(line);
      if (out) setImmediate(() => this.push(out));
    }
    cb();
  }

  print(text: string): void {
    this.push(text);
  }
}

/** Replies like busybox ash on a serial line: echo, then output, then `/ # `. */
export function fakeAsh(run: (command: string) => { out: string; status: number }): (line: string) => string {
  return (line) => {
    const echo = `${line}\r\n`;
    if (line === '') return `${echo}/ # `;
    // The console types: echo "__FL""B_<id>__"; eval '<cmd>'; echo "__FL""E_<id>__ $?"
    const m = /^echo "__FL""B_(\w+)__"; eval '(.*)'; echo "__FL""E_\w+__ \$\?"$/.exec(line);
    if (!m) return `${echo}sh: syntax error\r\n/ # `;
    const command = m[2]!.replace(/'\\''/g, "'");
    const r = run(command);
    return `${echo}__FLB_${m[1]}__\r\n${r.out}__FLE_${m[1]}__ ${r.status}\r\n/ # `;
  };
}
