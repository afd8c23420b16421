import type { Console } from '../emulator/console.js';
import type { FeatureSwitch } from '../control/feature-switch.js';
import type { FeatureDefinition } from '../control/feature-definition.js';
import type { WebUi, WebUiDialect } from '../control/web-ui.js';
import type { Lab } from '../lab/lab.js';
import type { ObservationWindow, SettingMarker } from '../analysis/index.js';
import type { RunEventBus } from '../report/index.js';
import type { RunJob } from './plan.js';

/** The state one build's steps share while they run. */
export interface StepContext {
  job: RunJob;
  /** The build's name in analysis and reports: `old`, or `archer-ax55v1/old`. */
  buildId: string;
  lab: Lab;
  bus: RunEventBus;
  now: () => number;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  console?: Console;
  web?: WebUi;
  /** The web UI the build's device profile says its firmware serves (none: console only). */
  webUi: WebUiDialect | undefined;
  /** The device profile's name, for messages. */
  profileName: string;
  features: Map<string, FeatureSwitch>;
  /** The features this build's device profile declares. */
  featureDefinitions: readonly FeatureDefinition[];
  /** Features set anywhere in this build's steps: their services are checked around every observe window. */
  watched: string[];
  /** The profile's console probe (`nslookup {name} {resolver}`), sent around every window to prove the lab live. */
  probeCommand?: string;
  /** Whether a shell answers on the console: unknown until the first probe; `none` stops further probes. */
  shell: 'unknown' | 'yes' | 'none';
  /** When each watched feature's start line (`alive.line`) was printed on the console. */
  startLines: Map<string, number[]>;
  /** Since when each feature's start lines count: the `set` that last switched it on (window-watch.ts `noteSwitch`). */
  linesSinceMs: Map<string, number>;
  /** When the lab came up: a feature never switched has been in its state since then. */
  labUpMs: number;
  windows: ObservationWindow[];
  markers: SettingMarker[];
}
