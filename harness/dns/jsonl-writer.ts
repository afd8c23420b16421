import { open, type FileHandle } from 'node:fs/promises';

export interface JsonlWriterOptions {
  /** Flush at least this often, so a crash loses at most this much. */
  flushEveryMs?: number;
  /** Flush early once this many bytes are pending. */
  highWaterBytes?: number;
  onError?: (e: unknown) => void;
}

/**
 * Appends one JSON object per line, buffered: lines are batched in memory and
 * written asynchronously at most every `flushEveryMs` (or sooner when large).
 * One write is in flight at a time, so lines stay in order.
 */
export class JsonlWriter {
  private pending: string[] = [];
  private pendingBytes = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  written = 0;

  private constructor(
    private readonly fh: FileHandle,
    private readonly options: Required<JsonlWriterOptions>,
  ) {
    this.timer = setInterval(() => void this.flush(), options.flushEveryMs);
    this.timer.unref();
  }

  static async open(path: string, options: JsonlWriterOptions = {}): Promise<JsonlWriter> {
    const fh = await open(path, 'a');
    return new JsonlWriter(fh, { flushEveryMs: 500, highWaterBytes: 1 << 20, onError: () => {}, ...options });
  }

  write(value: unknown): void {
    if (this.closed) return;
    const line = JSON.stringify(value) + '\n';
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= this.options.highWaterBytes) void this.flush();
  }

  /** Resolves once everything written so far is on disk (handed to the kernel). */
  flush(): Promise<void> {
    if (this.pending.length === 0) return this.inFlight;
    const batch = this.pending.join('');
    const count = this.pending.length;
    this.pending = [];
    this.pendingBytes = 0;
    this.inFlight = this.inFlight.then(async () => {
      try {
        await this.fh.write(batch);
        this.written += count;
      } catch (e) {
        this.options.onError(e);
      }
    });
    return this.inFlight;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    await this.flush();
    this.closed = true;
    await this.fh.close();
  }
}
