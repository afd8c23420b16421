import { Type, type Static } from '@sinclair/typebox';
import { FeatureDefinitionSchema } from '../control/feature-definition.js';
import { durationSchema } from './duration.js';
import { ExpectationSchema } from './expectation-schema.js';
import { StepSchema } from './step-schema.js';
import { stringEnum } from './string-enum.js';
import { UpstreamRuleSchema } from './upstream-rule-schema.js';
import { PROFILE_NAMES } from '../profiles/profiles.js';
import type { NicLayout } from '../emulator/guest-layout.js';

/**
 * The scenario file, the one source of truth: the loader validates against it,
 * the static types come from it, and write-schema.ts turns it into
 * scenarios/schema.json for editors.
 */
export const KERNELS = ['arm64', 'arm64-virt', 'armhf', 'malta-be', 'malta-le'] as const;
/** Dotted-quad IPv4, each octet 0-255 (300.1.1.1 is refused). */
const IPV4 = '^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$';

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

// if/then/else rather than anyOf, so a mistake in one form is reported against that form only.
const NicsSchema = Type.Unsafe<NicLayout>({
  description: 'The guest’s NICs: which is which, eth0 first (OpenWrt on malta: [lan, wan]), or `{ vlans: { wan: 2, lan: 3 } }`: one NIC (eth0) carrying WAN and LAN as 802.1Q VLANs, as stock TP-Link firmware expects of its switch.',
  if: { type: 'array' },
  then: Type.Array(stringEnum(['wan', 'lan'] as const), { minItems: 2, maxItems: 2, uniqueItems: true }),
  else: Type.Object({
    vlans: Type.Object({
      wan: Type.Integer({ minimum: 1, maximum: 4094, description: 'The WAN side’s VLAN id (stock TP-Link: 2).' }),
      lan: Type.Integer({ minimum: 1, maximum: 4094, description: 'The LAN VLAN the lab joins (stock TP-Link: 3).' }),
    }, { additionalProperties: false }),
  }, { additionalProperties: false }),
});

export const LabSchema = Type.Object(
  {
    kernel: Type.Optional(
      stringEnum(KERNELS, {
        description: 'Generic kernel to boot the firmware’s rootfs with; default: the device profile’s, else the fastest that runs its userland (arm64 for ARM, malta-be / malta-le for big- / little-endian MIPS).',
      }),
    ),
    profile: Type.Optional(stringEnum(PROFILE_NAMES, { description: 'Device profile to use instead of the one recognised from the firmware’s root (`firmlab inspect` names it).' })),
    memory_mb: Type.Optional(Type.Integer({ minimum: 16, maximum: 1024, description: 'Guest memory in MiB (default: the profile’s, 128).' })),
    lan_address: Type.Optional(Type.String({ pattern: IPV4, patternErrorMessage: 'must be an IPv4 address such as 192.168.1.1', description: 'The router’s LAN address, when its own defaults do not say (OpenWrt 192.168.1.1, TP-Link 192.168.0.1).' })),
    web_ports: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 65535 }), { minItems: 1, description: 'TCP ports of the router’s web UI (default: the profile’s).' })),
    nics: Type.Optional(NicsSchema),
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
    features: Type.Optional(Type.Array(FeatureDefinitionSchema, {
      description: 'Features this scenario declares itself, for `set` steps: how to switch and read each, what proves its service runs. One with a built-in’s name (`homeshield`, `ntp`) replaces the device profile’s.',
    })),
    steps: Type.Array(StepSchema, { minItems: 1, description: 'What to do with each build, in order; starts with `boot`.' }),
    expect: Type.Optional(Type.Array(ExpectationSchema, { description: 'What must hold afterwards.' })),
  },
  { additionalProperties: false, description: 'A firmlab scenario: the same steps against old and new firmware builds, and what must hold.' },
);

export type ScenarioDocument = Static<typeof ScenarioSchema>;

/** Where keys that belong under `lab:` end up when written at the top level. */
export const MOVED_KEYS: Record<string, string> = { upstream: 'lab.upstream', kernel: 'lab.kernel', limits: 'lab.limits' };
