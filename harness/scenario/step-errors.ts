import { FirmlabError } from '../errors.js';

export class ConsoleExpectError extends FirmlabError {
  constructor(command: string, expected: string, output: string) {
    super('FIRMLAB_CONSOLE_EXPECT', `console command \`${command}\` printed nothing matching /${expected}/; it printed: ${output.trim().slice(0, 300) || '(nothing)'}`, {
      exitKind: 'assertion', details: { command, expected, output },
    });
  }
}

export class StepTimeoutError extends FirmlabError {
  constructor(what: string, timeoutMs: number) {
    super('FIRMLAB_STEP_TIMEOUT', `${what} did not happen within ${(timeoutMs / 1000).toFixed(0)} s`, { details: { timeoutMs } });
  }
}

export class InterruptedError extends FirmlabError {
  constructor(reason: unknown) {
    super('FIRMLAB_INTERRUPTED', `the run was interrupted (${(reason as Error)?.message ?? reason}); labs were removed, run directories kept`);
  }
}

/** The same error, its message prefixed with the step that failed; code and exit kind are kept. */
export function inStep(e: unknown, where: string): FirmlabError {
  if (e instanceof FirmlabError) {
    return new FirmlabError(e.code, `${where}: ${e.message}`, { cause: e, exitKind: e.exitKind, details: e.details });
  }
  return new FirmlabError('FIRMLAB_STEP_FAILED', `${where}: ${(e as Error)?.message ?? e}`, { cause: e });
}
