import type { FeatureState } from './feature-switch.js';

/**
 * A router feature declared as data instead of coded: how to switch it and
 * read it back through the web UI (form calls with the session's token) or
 * the console (shell commands), what its readings look like, and what proves
 * its service is running. `{state}` in a value is replaced by `on` or `off`.
 * Device profiles ship the built-in ones (harness/profiles/families).
 */
export interface FeatureDefinition {
  name: string;
  description: string;
  /** Readings that mean on and off (compared trimmed, case-insensitively); anything else fails the read-back. */
  values: Record<FeatureState, string[]>;
  /** A TP-Link-style form call: `admin/<path>?form=<form>` with `write`/`read` fields; the reply's `data[field]` is the reading. */
  web?: { path: string; form: string; write: Record<string, string>; read: Record<string, string>; field: string };
  /** Shell commands on the console: one per state to set it, one to read it (the first group of `pattern`, else the whole output). */
  console?: { set: Record<FeatureState, string>; read: string; pattern?: string };
  /**
   * What proves the service behind the feature runs: its process name
   * (busybox `pidof`) and, optionally, the traffic it makes soon after it is
   * switched on (a domain pattern, counted by DNS, TLS SNI or HTTP Host).
   * With `traffic`, a service that runs but sent none of it since it was
   * switched on is judged hung (analysis/window-liveness.ts).
   */
  alive: { process: string; traffic?: string };
  /** Console lines the service prints when it starts or takes a setting (regular expression source). */
  livenessLine?: string;
}

/** A definition's value with `{state}` filled in. */
export function fill(template: string, state: FeatureState): string {
  return template.replace(/\{state\}/g, state);
}
