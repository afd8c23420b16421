/**
 * Turns the raw byte stream of a serial console into lines. Serial consoles
 * end lines with CRLF (the tty's onlcr), sometimes CR CR LF, and a shell
 * prompt or an init's "press Enter" line ends with no newline at all: that
 * unfinished text stays visible as `partial`. No line is longer than
 * `maxLine` characters: a firmware that prints megabytes without a newline
 * gets its text cut into lines of that length, so memory stays bounded and
 * no prompt (far shorter) is ever missed.
 */
export const MAX_CONSOLE_LINE = 4096;

export class ConsoleLineSplitter {
  private pending = '';

  constructor(private readonly maxLine = MAX_CONSOLE_LINE) {}

  /** Feeds a chunk; returns the lines it completed, cleaned. */
  push(chunk: string): string[] {
    const parts = (this.pending + chunk).split('\n');
    this.pending = parts.pop()!;
    const out: string[] = [];
    for (const p of parts) for (let i = 0; i < p.length || i === 0; i += this.maxLine) out.push(clean(p.slice(i, i + this.maxLine)));
    while (this.pending.length > this.maxLine) {
      out.push(clean(this.pending.slice(0, this.maxLine)));
      this.pending = this.pending.slice(this.maxLine);
    }
    return out;
  }

  /** The text after the last newline (a prompt, an unfinished line). */
  get partial(): string {
    return clean(this.pending);
  }

  /** Ends the stream: the unfinished text as a last line, if any. */
  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest === '' ? [] : [clean(rest)];
  }
}

// CSI/OSC escape sequences (colour, cursor moves from line editing) and other
// control characters carry nothing a test asserts on.
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

export function clean(line: string): string {
  // A bare CR returns the cursor: what follows overwrote what came before.
  const afterCr = line.replace(/\r+$/, '').split('\r').pop()!;
  return afterCr.replace(ESCAPES, '').replace(CONTROL, '');
}
