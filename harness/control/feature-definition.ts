import type { FeatureState } from './feature-switch.js';

/**
 * A TP-Link-style JSON form call (the fixture firmware's web UI):
 * `admin/<path>?form=<form>` with `write`/`read` fields; the reply's
 * `data[field]` is the reading, compared with the definition's `values`.
 */
export interface TplinkFormWeb {
  kind: 'tplink-form';
  path: string;
  form: string;
  write: Record<string, string>;
  read: Record<string, string>;
  field: string;
}

/**
 * One field of a LuCI CBI page (OpenWrt), switched the way a browser
 * does: the page's whole form re-posted with only `field` changed and its
 * apply button pressed, then the page fetched again and the field read.
 */
export interface LuciCbiWeb {
  kind: 'luci-cbi';
  /** The dispatcher path, e.g. `admin/system/system`. */
  page: string;
  /** The control's name, e.g. `cbid.system.ntp.enable`. */
  field: string;
  /**
   * What the field holds in each state, written and read back alike: a
   * checkbox is `checked` or `unchecked`, a select or text field its value.
   */
  values: Record<FeatureState, string>;
  /** The submit button pressed; default `cbi.apply` ("Save & Apply"). */
  button?: string;
}

/**
 * A router feature declared as data instead of coded: how to switch it and
 * read it back through the web UI (a form in the dialect the device
 * profile's web UI speaks) or the console (shell commands), what its
 * readings look like, and what proves its service is running. `{state}` in
 * a value is replaced by `on` or `off`. Device profiles ship the built-in
 * ones (harness/profiles/families).
 */
export interface FeatureDefinition {
  name: string;
  description: string;
  /**
   * Readings that mean on and off on the console and through a
   * `tplink-form` (compared trimmed, case-insensitively); anything else
   * fails the read-back. A `luci-cbi` form declares its own.
   */
  values: Record<FeatureState, string[]>;
  web?: TplinkFormWeb | LuciCbiWeb;
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
