import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export interface JsonlWriterOptions {
  onError?: (e: unknown) => void;
}

/**
 * Appends one JSON object per line (`JSON.stringify`) through a plain write
 * stream. The stream writes lines in order, and batches those that queue up
 * while a write is out into one writev, so a burst costs few system calls;
 * nothing waits on a timer, so a crash loses at most what is still queued.
 */
export class JsonlWriter {
  private failed = false;

  private constructor(private readonly stream: WriteStream) {}

  static async open(path: string, options: JsonlWriterOptions = {}): Promise<JsonlWriter> {
    const stream = createWriteStream(path, { flags: 'a' });
    await Promise.race([once(stream, 'open'), once(stream, 'error').then(([e]) => Promise.reject(e as Error))]);
    const writer = new JsonlWriter(stream);
    stream.on('error', (e) => {
      writer.failed = true;
      (options.onError ?? (() => {}))(e);
    });
    return writer;
  }

  write(value: unknown): void {
    if (this.failed || this.stream.writableEnded) return;
    this.stream.write(JSON.stringify(value) + '\n');
  }

  /** Resolves once everything written so far is handed to the kernel. */
  flush(): Promise<void> {
    if (this.failed || this.stream.writableEnded) return Promise.resolve();
    // A write's callback runs once it and every write before it are done.
    return new Promise((resolve) => this.stream.write('', () => resolve()));
  }

  async close(): Promise<void> {
    if (this.stream.closed) return;
    await new Promise<void>((resolve) => {
      this.stream.once('close', resolve);
      this.stream.end();
    });
  }
}
