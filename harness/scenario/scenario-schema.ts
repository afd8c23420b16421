import { Type, type Static } from '@sinclair/typebox';
import { durationSchema } from './duration.js';
import { ExpectationSchema } from './expectation-schema.js';
import { StepSchema } from './step-schema.js';
import { stringEnum } from './string-enum.js';
import { UpstreamRuleSchema } from './upstream-rule-schema.js';

/**
 * The scenario file, the one source of truth: the loader validates against it,
 * the static types come from it, and write-schema.ts turns it into
 * scenarios/schema.json for editors.
 */
export const KERNELS = ['arm64', 'armhf'] as const;

const firmware = (which: string) =>
  Type.Optional(Type.String({ minLength: 1, description: `The ${which} firmware file, relative to this scenario file.` }));
const model = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', description: 'Model name, used in job ids such as `archer-ax55v1/old`.' });

export const ModelBuildsSchema = Type.Object(
  { model, old: firmware('old (reference)'), new: firmware('new (candidate)') },
  { additionalProperties: false, anyOf: [{ required: ['old'] }, { required: ['new'] }], description: 'One model’s builds.' },
);

export const BuildsSchema = Type.Object(
  {
    model: Type.Optional(model),
    old: firmware('old (reference)'),
    new: firmware('new (candidate)'),
    matrix: Type.Optional(Type.Array(ModelBuildsSchema, { minItems: 1, description: 'Several models, each `{ model, old, new }`, instead of `old`/`new`.' })),
  },
  { additionalProperties: false, minProperties: 1, description: 'Firmware files: `{ old, new }` (optionally `model`), or `matrix: [{ model, old, new }]`.' },
);

export const LimitsSchema = Type.Object(
  {
    boot_timeout: Type.Optional(durationSchema('Default timeout of `boot` and `reboot` steps (default 120s).')),
    step_timeout: Type.Optional(durationSchema('Default timeout of `console` and `wait_for` steps (default 30s).')),
    total_timeout: Type.Optional(durationSchema('Give up on a whole build’s run after this long (default 30m).')),
  },
  { additionalProperties: false },
);

export const LabSchema = Type.Object(
  {
    kernel: Type.Optional(
      stringEnum(KERNELS, {
        default: 'arm64',
        description: 'Generic kernel to boot the firmware’s rootfs with (arm64 runs 32-bit userlands too and boots faster).',
      }),
    ),
    upstream: Type.Optional(Type.Array(UpstreamRuleSchema, { description: 'What the lab’s “internet” DNS answers; names no rule matches get a sinkhole address.' })),
    limits: Type.Optional(LimitsSchema),
  },
  { additionalProperties: false, description: 'The sealed lab each build runs in.' },
);

export const ScenarioSchema = Type.Object(
  {
    name: Type.String({
      pattern: '^[a-z0-9][a-z0-9_.-]*$',
      description: 'Scenario name (lower case, digits, `-`, `_`, `.`); used in run directories and reports.',
      patternErrorMessage: 'must be lower case letters, digits, -, _ or . such as homeshield-dns-request-logic',
    }),
    description: Type.Optional(Type.String()),
    builds: BuildsSchema,
    lab: Type.Optional(LabSchema),
    steps: Type.Array(StepSchema, { minItems: 1, description: 'What to do with each build, in order; starts with `boot`.' }),
    expect: Type.Optional(Type.Array(ExpectationSchema, { description: 'What must hold afterwards.' })),
  },
  { additionalProperties: false, description: 'A firmlab scenario: the same steps against old and new firmware builds, and what must hold.' },
);

export type ScenarioDocument = Static<typeof ScenarioSchema>;

/** Where keys that belong under `lab:` end up when written at the top level. */
export const MOVED_KEYS: Record<string, string> = { upstream: 'lab.upstream', kernel: 'lab.kernel', limits: 'lab.limits' };
