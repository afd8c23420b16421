import { Type, type Static } from '@sinclair/typebox';

/**
 * Expectations as scenario files write them (snake_case). Two shapes, told
 * apart by `compare`: an if/then/else rather than an anyOf, so a mistake in
 * one shape is reported against that shape only.
 */
const domain = Type.String({ minLength: 1, description: 'Query name pattern: `*.safethings.avira.com` (any depth below), an exact name, or `*`.' });
const window = Type.String({ minLength: 1, description: 'An observe window, by its `as` name.' });

export const WINDOW_ASSERTIONS = ['max_per_day', 'min_per_day', 'none', 'ttl_respected'] as const;
export const COMPARE_ASSERTIONS = ['new_at_most', 'at_least_times_fewer'] as const;

/** `0.2 x old` (also `0.2 * old`, `0.2 × old`), the readable form of `new_at_most: 0.2`. */
export const TIMES_OLD_PATTERN = '^\\s*(\\d+(?:\\.\\d+)?)\\s*[x*×]\\s*old\\s*$';

const exactlyOne = (keys: readonly string[]) => keys.map((k) => ({ required: [k] }));

export const WindowExpectationSchema = Type.Object(
  {
    build: Type.String({ minLength: 1, description: 'Build name: `old` or `new`.' }),
    window,
    domain,
    max_per_day: Type.Optional(Type.Number({ minimum: 0, description: 'The rate’s 95% upper bound must be at most this many queries a day.' })),
    min_per_day: Type.Optional(Type.Number({ minimum: 0, description: 'The rate’s 95% lower bound must be at least this many queries a day (a positive control).' })),
    none: Type.Optional(Type.Literal(true, { description: 'No query at all in the window.' })),
    ttl_respected: Type.Optional(Type.Literal(true, { description: 'No name queried again before its answer’s TTL ran out.' })),
  },
  { additionalProperties: false, oneOf: exactlyOne(WINDOW_ASSERTIONS), description: 'What one build did in one window.' },
);

export const CompareExpectationSchema = Type.Object(
  {
    compare: Type.Object({ domain, window }, { additionalProperties: false, description: 'Which queries and window to compare between the old and the new build.' }),
    new_at_most: Type.Optional(
      Type.Unsafe<number | string>({
        type: ['number', 'string'],
        minimum: 0,
        pattern: TIMES_OLD_PATTERN,
        description: 'The new build’s rate is at most this fraction of the old one’s: `0.2` or `0.2 x old`.',
        patternErrorMessage: 'must be a fraction such as 0.2 or "0.2 x old"',
      }),
    ),
    at_least_times_fewer: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'The new build sends at least this many times fewer queries than the old.' })),
  },
  { additionalProperties: false, oneOf: exactlyOne(COMPARE_ASSERTIONS), description: 'The new build against the old one.' },
);

export type WindowExpectationDocument = Static<typeof WindowExpectationSchema>;
export type CompareExpectationDocument = Static<typeof CompareExpectationSchema>;
export type ExpectationDocument = WindowExpectationDocument | CompareExpectationDocument;

export const ExpectationSchema = Type.Unsafe<ExpectationDocument>({
  type: 'object',
  if: { required: ['compare'] },
  then: CompareExpectationSchema,
  else: WindowExpectationSchema,
  description: 'One expectation: `{ build, window, domain, <assertion> }` or `{ compare: { domain, window }, <ratio> }`.',
});

export function isCompare(e: ExpectationDocument): e is CompareExpectationDocument {
  return 'compare' in e;
}

/** `0.2` or `"0.2 x old"` -> 0.2, for a value the schema accepted. */
export function newAtMostFraction(value: number | string): number {
  if (typeof value === 'number') return value;
  const m = new RegExp(TIMES_OLD_PATTERN).exec(value);
  if (m === null) throw new RangeError(`not a fraction of old: "${value}"`);
  return Number(m[1]);
}
