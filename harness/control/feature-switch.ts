import type { FeatureDefinition } from './feature-definition.js';

/** What the control layer needs from a console: run a shell command, get its output. */
export interface ShellConsole {
  run(command: string, opts?: { timeoutMs?: number }): Promise<string>;
}

export type FeatureState = 'on' | 'off';

/** A router feature that can be switched and read back (HomeShield, parental controls...). */
export interface FeatureSwitch {
  readonly name: string;
  /** What it was made from: its process and traffic are the evidence its service runs. */
  readonly definition: FeatureDefinition;
  /** Sets the state, then reads it back from the router; a mismatch throws FIRMLAB_FEATURE_READBACK. */
  set(state: FeatureState): Promise<{ via: 'web' | 'console' }>;
  read(): Promise<FeatureState>;
  /** Whether the service behind the feature is running right now (a process check). */
  alive(): Promise<boolean>;
  /** Console lines that prove the service ran (its start and setting-change lines). */
  readonly livenessPattern?: RegExp;
}
