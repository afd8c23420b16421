import { Type, type TUnsafe } from '@sinclair/typebox';

/**
 * Durations in scenario files: `500ms`, `30s`, `5m`, `1h`, compounds such as
 * `1m30s`, or a plain number of seconds. Typed output is always integer
 * milliseconds (`forMs`, `timeoutMs`), as everywhere in firmlab.
 */
export type DurationInput = string | number;

export const DURATION_PATTERN = '^(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))+$';

const DURATION_HINT = 'must be a duration such as 500ms, 30s, 5m, 1h or a number of seconds';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

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
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${DURATION_HINT}, got ${value}`);
    return Math.round(value * 1000);
  }
  if (!new RegExp(DURATION_PATTERN).test(value)) throw new RangeError(`${DURATION_HINT}, got "${value}"`);
  let ms = 0;
  for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.round(ms);
}
