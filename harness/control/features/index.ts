import { UnknownFeatureError } from '../control-errors.js';
import type { FeatureDefinition } from '../feature-definition.js';
import type { FeatureSwitch, ShellConsole } from '../feature-switch.js';
import type { WebUi } from '../web-ui.js';
import { DeclarativeFeature } from './declarative-feature.js';

/**
 * A feature switch by the name scenarios use, from the definitions given
 * (the device profiles' built-in ones, see harness/profiles). Adding a vendor
 * feature is data in its profile, not code here.
 */
export function createFeature(
  name: string,
  web: WebUi | undefined,
  console: ShellConsole | undefined,
  definitions: readonly FeatureDefinition[],
): FeatureSwitch {
  const d = definitions.find((f) => f.name === name);
  if (!d) throw new UnknownFeatureError(name, definitions.map((f) => f.name));
  return new DeclarativeFeature(d, web, console);
}
