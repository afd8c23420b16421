import type { FeatureDefinition } from './feature-definition.js';

/** What the control layer needs from a console: run a shell command, get its output. */
export interface ShellConsole {
  run(command: string, opts?: { timeoutMs?: number }): Promise<string>;
}

export type FeatureState = 'on' | 'off';

export type ControlPath = 'web' | 'console';

export interface SetOptions {
  via?: ControlPath;
  fallback?: 'console';
}

export interface SetResult {
  via: ControlPath;
  /** Why the web UI was given up for the console (an allowed fallback). */
  fellBack?: string;
}

/** A router feature that can be switched and read back (HomeShield, parental controls...). */
export interface FeatureSwitch {
  readonly name: string;
  /** What it was made from: its process and traffic are the evidence its service runs. */
  readonly definition: FeatureDefinition;
  /**
   * Sets the state, then reads it back from the router the same way; a
   * mismatch throws FIRMLAB_FEATURE_READBACK. `via` forces a path (default:
   * the web UI when logged in and declared, else the console); a failed web
   * UI falls back to the console only with `fallback: 'console'`, and the
   * result then says why (`fellBack`).
   */
  set(state: FeatureState, opts?: SetOptions): Promise<SetResult>;
  read(): Promise<FeatureState>;
  /** Whether the service behind the feature is running right now (`pidof` its `alive.process`); undefined when it declares no process. */
  alive(): Promise<boolean | undefined>;
}
