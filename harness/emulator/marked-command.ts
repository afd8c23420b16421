/**
 * One shell command typed on a serial console, framed by markers so its
 * output and exit status can be cut out of everything else the console
 * prints (the echo of the typed line, prompts, kernel messages).
 *
 * The typed line splits each marker with quotes (`"__FL""B_7__"`), so the
 * tty's echo of it never contains the marker the shell prints.
 *
 * The kernel writes to the same serial line whenever it logs, also while a
 * command runs, so a whole line in the kernel's console format
 * (`[    3.054948] IPv6: ...`) is the kernel's, not the command's, and is
 * left out of the output: a `pidof` answer must not read as a kernel
 * message. The price: a command that prints lines of that shape itself
 * (`dmesg`) loses them; `dmesg | sed 's/^/:/'` keeps them. (`logread` lines
 * start with a date, so they stay.)
 */
/** The most output one command keeps; the rest is dropped and the output says so. */
export const MAX_COMMAND_OUTPUT = 1024 * 1024;

/** A line the kernel printed on the console: its timestamp first (CONFIG_PRINTK_TIME). */
const KERNEL_CONSOLE_LINE = /^\[\s*\d+\.\d+\] /;

export class MarkedCommand {
  readonly begin: string;
  readonly end: string;
  private started = false;
  private done = false;
  private readonly collected: string[] = [];
  private kept = 0;
  private cut = false;
  private status: number | undefined;

  constructor(readonly command: string, readonly id: string) {
    if (/[\r\n]/.test(command)) throw new TypeError('a console command must be one line');
    if (!/^[A-Za-z0-9]+$/.test(id)) throw new TypeError(`marker id must be alphanumeric, got ${id}`);
    this.begin = `__FLB_${id}__`;
    this.end = `__FLE_${id}__`;
  }

  /** What to type (without the final carriage return). `eval` keeps `cd`, variables and `&` working. */
  get line(): string {
    const quoted = `'${this.command.replace(/'/g, `'\\''`)}'`;
    return `echo "__FL""B_${this.id}__"; eval ${quoted}; echo "__FL""E_${this.id}__ $?"`;
  }

  /** Feeds one console line; true once the end marker (and so the exit status) was seen. */
  feed(line: string): boolean {
    if (this.done) return true;
    if (!this.started) {
      if (line.endsWith(this.begin)) this.started = true;
      return false;
    }
    const at = line.indexOf(this.end);
    if (at >= 0) {
      const m = /^ (\d+)/.exec(line.slice(at + this.end.length));
      // Output without a final newline shares its line with the end marker.
      if (at > 0) this.keep(line.slice(0, at));
      this.status = m ? Number(m[1]) : -1;
      this.done = true;
      return true;
    }
    this.keep(line);
    return false;
  }

  /** Output beyond MAX_COMMAND_OUTPUT characters is dropped (a flooding firmware must not fill the harness's memory). */
  private keep(line: string): void {
    if (this.cut || KERNEL_CONSOLE_LINE.test(line)) return;
    if (this.kept + line.length > MAX_COMMAND_OUTPUT) {
      this.cut = true;
      return;
    }
    this.kept += line.length + 1;
    this.collected.push(line);
  }

  get complete(): boolean {
    return this.done;
  }

  get output(): string {
    const text = this.collected.join('\n');
    return this.cut ? `${text}\n[firmlab: output cut after ${MAX_COMMAND_OUTPUT} characters]` : text;
  }

  get exitCode(): number | undefined {
    return this.status;
  }
}
