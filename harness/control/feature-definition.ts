import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { domainPatternProblem } from '../util/domain-pattern.js';
import type { FeatureState } from './feature-switch.js';

/*
 * A router feature declared as data instead of coded: how to switch it and
 * read it back through the web UI (a form in the dialect the device
 * profile's web UI speaks) or the console (shell commands), what its
 * readings look like, and what proves its service is running. `{state}` in
 * a value is replaced by `on` or `off`.
 *
 * One schema for both places a feature is declared: device profiles ship the
 * built-in ones (harness/profiles/families, typed by it and checked by
 * `featureDefinitionProblems` in a unit test), and a scenario's `features:`
 * adds its own (validated by the scenario loader, errors with file:line:col).
 * Every key is one lower-case word, so profiles (camelCase TypeScript) and
 * scenario files (snake_case YAML) write it alike.
 */

const OnOff = <T extends TSchema>(item: T, what: string) =>
  Type.Object({ on: item, off: item }, { additionalProperties: false, description: what });

const TplinkFormWebSchema = Type.Object(
  {
    kind: Type.Literal('tplink-form'),
    path: Type.String({ minLength: 1, description: 'The form path under `admin/`, e.g. `homeshield`.' }),
    form: Type.String({ minLength: 1, description: 'The `?form=` name, e.g. `enable`.' }),
    write: Type.Record(Type.String(), Type.String(), { description: 'Fields posted to set it (`{state}` is replaced).' }),
    read: Type.Record(Type.String(), Type.String(), { description: 'Fields posted to read it.' }),
    field: Type.String({ minLength: 1, description: 'The reply’s `data` field that holds the reading.' }),
  },
  {
    additionalProperties: false,
    description: 'A TP-Link-style JSON form call (the fixture firmware’s web UI): `admin/<path>?form=<form>`; the reply’s `data[field]` is the reading, compared with the feature’s `values`.',
  },
);

const LuciCbiWebSchema = Type.Object(
  {
    kind: Type.Literal('luci-cbi'),
    page: Type.String({ minLength: 1, description: 'The LuCI dispatcher path, e.g. `admin/system/system`.' }),
    field: Type.String({ minLength: 1, description: 'The control’s name, e.g. `cbid.system.ntp.enable`.' }),
    values: OnOff(Type.String(), 'What the field holds in each state, written and read back alike: a checkbox is `checked` or `unchecked`, a select or text field its value.'),
    button: Type.Optional(Type.String({ minLength: 1, description: 'The submit button pressed; default `cbi.apply` ("Save & Apply").' })),
  },
  {
    additionalProperties: false,
    description: 'One field of a LuCI CBI page (OpenWrt), switched as a browser does: the whole form re-posted with only `field` changed and its apply button pressed, then the page fetched again and the field read.',
  },
);

export type TplinkFormWeb = Static<typeof TplinkFormWebSchema>;
export type LuciCbiWeb = Static<typeof LuciCbiWebSchema>;
export const WEB_FORM_KINDS = ['tplink-form', 'luci-cbi'] as const;

// if/then on `kind` rather than anyOf, so a mistake in one form is reported
// against that form only, and an unknown kind gets one error.
const WebFormSchema = Type.Unsafe<TplinkFormWeb | LuciCbiWeb>({
  type: 'object',
  required: ['kind'],
  properties: { kind: { type: 'string', enum: [...WEB_FORM_KINDS], description: 'The form’s dialect: `tplink-form` (TP-Link JSON web UI) or `luci-cbi` (OpenWrt LuCI).' } },
  if: { properties: { kind: { const: 'luci-cbi' } } },
  then: LuciCbiWebSchema,
  else: { if: { properties: { kind: { const: 'tplink-form' } } }, then: TplinkFormWebSchema },
  description: 'How to switch it through the web UI after `login`.',
});

export const FeatureDefinitionSchema = Type.Object(
  {
    name: Type.String({
      pattern: '^[a-z][a-z0-9_-]*$',
      patternErrorMessage: 'must be lower case letters, digits, - or _, starting with a letter, such as parental_controls',
      description: 'The name `set` steps switch it by, e.g. `homeshield`. A scenario feature with a built-in’s name replaces it.',
    }),
    description: Type.Optional(Type.String({ description: 'What it is, in words, for reports.' })),
    values: Type.Optional(OnOff(
      Type.Array(Type.String(), { minItems: 1 }),
      'Readings that mean on and off, from the console and a `tplink-form` (compared trimmed, case-insensitively); anything else fails the read-back. Needed with `console` or a `tplink-form`; a `luci-cbi` form declares its own.',
    )),
    web: Type.Optional(WebFormSchema),
    console: Type.Optional(Type.Object(
      {
        set: OnOff(Type.String({ minLength: 1 }), 'The shell command that sets each state.'),
        read: Type.String({ minLength: 1, description: 'The shell command that prints the setting.' }),
        pattern: Type.Optional(Type.String({ description: 'Regular expression whose first group is the reading in `read`’s output (default: the whole output).' })),
      },
      { additionalProperties: false, description: 'How to switch and read it through the router’s console shell.' },
    )),
    alive: Type.Object(
      {
        process: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.+-]+$', description: 'The process that serves it (busybox `pidof`): it must run while the feature is on.' })),
        line: Type.Optional(Type.String({ minLength: 1, description: 'Regular expression of a console line the service prints when it starts or takes a setting; with no `process`, it must have been printed since the feature was switched on. It proves a start, not that the service still runs.' })),
        traffic: Type.Optional(Type.String({ minLength: 1, description: 'Domain pattern of the service’s own traffic (counted by DNS, TLS SNI or HTTP Host): a service that runs but sent none of it since it was switched on is judged hung.' })),
      },
      { additionalProperties: false, minProperties: 1, description: 'What proves the service behind the feature runs while it is on: a process, a console line, its own traffic (at least one).' },
    ),
  },
  { additionalProperties: false, description: 'A router feature declared as data: how to switch it, how to read it back, what proves its service runs.' },
);

export type FeatureDefinition = Static<typeof FeatureDefinitionSchema>;

/** A problem with one definition the schema cannot see: where (path below the definition) and what. */
export interface FeatureDefinitionProblem {
  path: (string | number)[];
  message: string;
}

/**
 * What a JSON Schema cannot check in a definition the schema accepted: a
 * way to switch it, readings where a path needs them, readings that tell
 * on from off, regular expressions that compile.
 */
export function featureDefinitionProblems(d: FeatureDefinition): FeatureDefinitionProblem[] {
  const out: FeatureDefinitionProblem[] = [];
  if (d.web === undefined && d.console === undefined) out.push({ path: [], message: `feature \`${d.name}\` has neither \`web\` nor \`console\`: there is no way to switch it` });
  const needsValues = d.console !== undefined || d.web?.kind === 'tplink-form';
  if (needsValues && d.values === undefined) {
    out.push({ path: [], message: `feature \`${d.name}\` needs \`values\` (the readings that mean on and off) for its ${d.console ? '`console` read' : '`tplink-form`'}` });
  }
  if (d.values) {
    const on = new Set(d.values.on.map(norm));
    const both = d.values.off.filter((v) => on.has(norm(v)));
    if (both.length > 0) out.push({ path: ['values'], message: `${both.map((v) => `\`${v}\``).join(', ')} cannot mean both on and off` });
  }
  if (d.web?.kind === 'luci-cbi' && d.web.values.on === d.web.values.off) out.push({ path: ['web', 'values'], message: 'on and off must differ' });
  for (const [path, source] of [[['console', 'pattern'], d.console?.pattern], [['alive', 'line'], d.alive.line]] as const) {
    if (source === undefined) continue;
    try {
      new RegExp(source);
    } catch (e) {
      out.push({ path: [...path], message: `is not a valid regular expression: ${(e as Error).message}` });
    }
  }
  if (d.alive.traffic !== undefined) {
    const problem = domainPatternProblem(d.alive.traffic);
    if (problem !== undefined) out.push({ path: ['alive', 'traffic'], message: `\`${d.alive.traffic}\` is not a domain pattern: ${problem}` });
  }
  return out;
}

/** The readings a definition's console or TP-Link form compare with (checked present by featureDefinitionProblems). */
export function readings(d: FeatureDefinition): Record<FeatureState, readonly string[]> {
  return d.values ?? { on: [], off: [] };
}

/**
 * The definitions a build runs with: the device profile's, each replaced by
 * a scenario's of the same name, then the scenario's new ones.
 */
export function mergeFeatures(builtin: readonly FeatureDefinition[], own: readonly FeatureDefinition[]): FeatureDefinition[] {
  const names = new Set(own.map((f) => f.name));
  return [...builtin.filter((f) => !names.has(f.name)), ...own];
}

/** A definition's value with `{state}` filled in. */
export function fill(template: string, state: FeatureState): string {
  return template.replace(/\{state\}/g, state);
}

function norm(v: string): string {
  return v.trim().toLowerCase();
}
