/**
 * Every error firmlab raises on purpose is a FirmlabError with a stable code.
 * The CLI prints `CODE: message` on one line and maps the class to an exit code.
 */
export type ExitKind = 'assertion' | 'infra' | 'usage';

export class FirmlabError extends Error {
  readonly code: string;
  readonly exitKind: ExitKind;
  readonly details: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; exitKind?: ExitKind; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitKind = options.exitKind ?? 'infra';
    this.details = options.details ?? {};
  }

  /** One line for stderr: the code first, so scripts can grep for it. */
  toLine(): string {
    return `${this.code}: ${this.message.replace(/\s*\n\s*/g, ' | ')}`;
  }
}

/** Bad command line or option values: exit 64. */
export class UsageError extends FirmlabError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('FIRMLAB_USAGE', message, { exitKind: 'usage', details });
  }
}

export function isFirmlabError(e: unknown): e is FirmlabError {
  return e instanceof FirmlabError;
}

export const EXIT = { ok: 0, assertion: 1, infra: 2, usage: 64 } as const;

export function exitCodeFor(e: unknown): number {
  if (!isFirmlabError(e)) return EXIT.infra;
  return EXIT[e.exitKind];
}
