import { UnknownFeatureError } from '../control-errors.js';
import type { FeatureSwitch, ShellConsole } from '../feature-switch.js';
import type { WebUiSession } from '../web-ui-session.js';
import { HomeShieldFeature } from './homeshield.js';

type FeatureFactory = (web: WebUiSession | undefined, console: ShellConsole | undefined) => FeatureSwitch;

/** Feature drivers by the name scenarios use. Adding a vendor feature is one file and one line here. */
const FEATURES: Record<string, FeatureFactory> = {
  homeshield: (web, console) => new HomeShieldFeature(web, console),
};

export function featureNames(): string[] {
  return Object.keys(FEATURES);
}

export function createFeature(name: string, web: WebUiSession | undefined, console: ShellConsole | undefined): FeatureSwitch {
  const factory = FEATURES[name];
  if (!factory) throw new UnknownFeatureError(name, featureNames());
  return factory(web, console);
}
