import { Type, type TUnsafe } from '@sinclair/typebox';
import { DURATION_PATTERN, durationMs } from '../util/duration.js';

/**
 * Durations in scenario files: `500ms`, `30s`, `5m`, `1h`, compounds such as
 * `1m30s`, or a plain number of seconds. Typed output is always integer
 * milliseconds (`forMs`, `timeoutMs`), as everywhere in firmlab.
 */
export type DurationInput = string | number;

export { DURATION_PATTERN } from '../util/duration.js';

const DURATION_HINT = 'must be a duration such as 500ms, 30s, 5m, 1h or a number of seconds';


/**
 * One schema node (not an anyOf) so a bad value gets one clear error:
 * `pattern` only applies to strings and `minimum` only to numbers.
 * `errorMessage`/`patternErrorMessage` are what editors (VS Code, the YAML
 * language server) show, and our own validator uses them too.
 */
export function durationSchema(description: string): TUnsafe<DurationInput> {
  return Type.Unsafe<DurationInput>({
    type: ['string', 'number'],
    pattern: DURATION_PATTERN,
    minimum: 0,
    description,
    examples: ['30s'],
    errorMessage: DURATION_HINT,
    patternErrorMessage: DURATION_HINT,
  });
}

/** Milliseconds for a duration the schema accepted; throws RangeError for anything else. */
export function parseDuration(value: DurationInput): number {
  const ms = durationMs(value);
  if (ms === undefined) throw new RangeError(`${DURATION_HINT}, got ${typeof value === 'number' ? value : `"${value}"`}`);
  return ms;
}
