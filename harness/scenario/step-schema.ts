import { stringEnum } from './string-enum.js';
import { Type, type Static } from '@sinclair/typebox';
import { durationSchema } from './duration.js';
import { UpstreamRuleSchema } from './upstream-rule-schema.js';
import { BUILTIN_FEATURES } from '../profiles/index.js';

/**
 * Steps as scenario files write them: a list whose items are objects with
 * exactly one key (`- boot: { timeout: 60s }`). One object schema with every
 * step kind as an optional property and `maxProperties: 1`, rather than an
 * anyOf of one-key objects, so a typo (`obsrve`) gets one "unknown key" error
 * and editors complete the step names.
 */

/**
 * The features device profiles declare (the fixture's `homeshield`,
 * OpenWrt's `ntp`), named in the schema so editors complete them. A `set`
 * step may also name a scenario's own (`features:`): any other key is
 * checked against both when the scenario loads (cross-check.ts).
 */
const BUILTIN_NAMES = [...new Set(BUILTIN_FEATURES.map((f) => f.name))];

/**
 * `on`/`off`, and YAML 1.1 booleans: the `yaml` package reads `on` as a string
 * (YAML 1.2) while editors set to YAML 1.1 read it as `true`; both mean on.
 */
export const FeatureStateSchema = Type.Unsafe<'on' | 'off' | boolean>({
  type: ['string', 'boolean'],
  enum: ['on', 'off', true, false],
  description: '`on` or `off` (`true`/`false` also accepted).',
});

const timeout = (what: string) => Type.Optional(durationSchema(`Give up when ${what} takes longer than this.`));

export const StepSchema = Type.Object(
  {
    boot: Type.Optional(
      Type.Object({ timeout: timeout('booting (console marker, then the web UI answering)') }, {
        additionalProperties: false,
        description: 'Start the router from power-off; must be the first step. Default timeout: `lab.limits.boot_timeout`.',
      }),
    ),
    login: Type.Optional(
      Type.Object(
        {
          username: Type.Optional(Type.String({
            minLength: 1,
            description: "The web UI user, for firmware whose login asks for one (OpenWrt's LuCI); default: the device profile's (`root`). The fixture's TP-Link login takes none.",
          })),
          password: Type.Optional(Type.String({ description: 'The web UI password (fixture firmware: `admin`; a fresh OpenWrt: empty, `""`).' })),
          password_env: Type.Optional(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Read the password from this environment variable at run time.' })),
        },
        { additionalProperties: false, oneOf: [{ required: ['password'] }, { required: ['password_env'] }], description: 'Log in to the web UI, in the dialect the device profile declares (TP-Link JSON with a password, or LuCI with a user and a password).' },
      ),
    ),
    set: Type.Optional(
      Type.Object({
        ...Object.fromEntries(BUILTIN_NAMES.map((f) => [f, Type.Optional(FeatureStateSchema)])),
        via: Type.Optional(stringEnum(['web', 'console'] as const, {
          description: 'How to switch: `web` (the default after `login`, when the feature has a web form) or `console` (the default otherwise). Never changed silently.',
        })),
        fallback: Type.Optional(stringEnum(['console'] as const, {
          description: 'Allow the console when the web UI does not answer; the report says the step fell back and why.',
        })),
      }, {
        additionalProperties: FeatureStateSchema,
        description: 'Switch features and read the setting back (the web UI after `login`, else the console, as the feature is declared in its device profile or the scenario’s `features:`), e.g. `{ homeshield: off }` or `{ ntp: off, via: console }`.',
      }),
    ),
    observe: Type.Optional(
      Type.Object(
        {
          for: durationSchema('How long to record.'),
          as: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', description: 'Window name that expectations refer to, e.g. `enabled`.' }),
        },
        { additionalProperties: false, description: 'Record everything the router sends for a while, as a named window.' },
      ),
    ),
    reboot: Type.Optional(
      Type.Object(
        { timeout: timeout('the router coming back') },
        { additionalProperties: false, description: 'Reboot the router through its console and wait until it is ready again.' },
      ),
    ),
    console: Type.Optional(
      Type.Object(
        {
          run: Type.String({ minLength: 1, description: 'Shell command to type on the serial console.' }),
          expect: Type.Optional(Type.String({ description: 'Regular expression the output must match.' })),
          timeout: timeout('the command'),
        },
        { additionalProperties: false, description: 'Run a command on the router console.' },
      ),
    ),
    wait_for: Type.Optional(
      Type.Object(
        {
          console: Type.Optional(Type.String({ description: 'Regular expression a console line must match.' })),
          dns: Type.Optional(Type.String({ description: 'Name pattern (`*.example.com`) a DNS query must match.' })),
          timeout: timeout('the wait'),
        },
        { additionalProperties: false, oneOf: [{ required: ['console'] }, { required: ['dns'] }], description: 'Wait for a console line or a DNS query.' },
      ),
    ),
    fault: Type.Optional(
      Type.Object(
        { upstream: Type.Array(UpstreamRuleSchema, { description: 'The new upstream rules.' }) },
        { additionalProperties: false, description: 'Replace the upstream DNS rules from this point on.' },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1, description: 'One step: an object with exactly one key.' },
);

export type StepDocument = Static<typeof StepSchema>;
export const STEP_KINDS = Object.keys(StepSchema.properties) as (keyof StepDocument)[];
