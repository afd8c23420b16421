import { open, type FileHandle } from 'node:fs/promises';

export interface JsonlWriterOptions {
  /** Flush at least this often, so a crash loses at most this much. */
  flushEveryMs?: number;
  /** Flush early once this many bytes are pending. */
  highWaterBytes?: number;
  onError?: (e: unknown) => void;
}

const CHUNK_BYTES = 64 << 10;

/**
 * Appends one JSON object per line, buffered: lines are encoded at once into
 * byte chunks (so no string outlives the call that wrote it: at high rates,
 * keeping the line strings until the flush made the young-generation GC copy
 * them) and written asynchronously at most every `flushEveryMs` (or sooner when
 * large). One write is in flight at a time, so lines stay in order.
 */
export class JsonlWriter {
  private full: Buffer[] = [];
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private pendingLines = 0;
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
    this.writeLine(JSON.stringify(value) + '\n');
  }

  /** Appends text that is already JSON lines, each ending in a newline; `lines` counts them for `written`. */
  writeLine(text: string, lines = 1): void {
    if (this.closed) return;
    // A UTF-16 unit takes at most 3 bytes in UTF-8, so this bound never overflows the chunk.
    if (this.used + text.length * 3 > this.chunk.length) {
      this.seal();
      if (text.length * 3 > this.chunk.length) this.chunk = Buffer.allocUnsafe(text.length * 3);
    }
    const n = this.chunk.write(text, this.used, 'utf8');
    this.used += n;
    this.pendingBytes += n;
    this.pendingLines += lines;
    if (this.pendingBytes >= this.options.highWaterBytes) void this.flush();
  }

  /** Resolves once everything written so far is on disk (handed to the kernel). */
  flush(): Promise<void> {
    if (this.pendingLines === 0 && this.used === 0) return this.inFlight;
    this.seal();
    const batch = this.full;
    const count = this.pendingLines;
    this.full = [];
    this.pendingLines = 0;
    this.pendingBytes = 0;
    this.inFlight = this.inFlight.then(async () => {
      try {
        await this.fh.writev(batch);
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

  private seal(): void {
    if (this.used === 0) return;
    this.full.push(this.chunk.subarray(0, this.used));
    // The sealed part is never written again, so the rest of the chunk can take the next lines.
    this.chunk = this.chunk.length - this.used >= 4096 ? this.chunk.subarray(this.used) : Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
  }
}
