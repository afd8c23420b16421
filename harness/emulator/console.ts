/** One line the router printed on its console, stamped by the injected clock. */
export interface ConsoleLine {
  text: string;
  atMs: number;
  /** Counts lines from 1 since the console was connected. */
  seq: number;
}

export interface ConsoleCommandResult {
  output: string;
  exitCode: number;
}

/** What a router console offers to waits, boot strategies and control drivers. */
export interface Console {
  /** The last lines (at most 50), oldest first. */
  readonly tail: string[];
  /** Text after the last newline: a prompt, or busybox's askfirst line. */
  readonly partial: string;
  onLine(listener: (line: ConsoleLine) => void): () => void;
  /** Resolves with the first line (or unfinished line) matching `re`; `includeTail` also searches lines already seen. */
  waitFor(re: RegExp, timeoutMs: number, opts?: { includeTail?: boolean; signal?: AbortSignal }): Promise<ConsoleLine>;
  /** Runs one shell command and returns its output and exit status. */
  exec(command: string, opts?: { timeoutMs?: number }): Promise<ConsoleCommandResult>;
  /** Like exec, only the output. */
  run(command: string, opts?: { timeoutMs?: number }): Promise<string>;
  /** Types text (paced: QEMU drops input it has not read). */
  write(text: string): Promise<void>;
}
