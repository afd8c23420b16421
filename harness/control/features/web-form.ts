import { WebUiDialectError } from '../control-errors.js';
import { readings, type FeatureDefinition } from '../feature-definition.js';
import type { FeatureState } from '../feature-switch.js';
import { FORM_KIND_OF, type WebUi } from '../web-ui.js';
import { LuciCbiForm } from './luci-cbi-form.js';
import { TplinkForm } from './tplink-form.js';

/** A feature's web form in one dialect: write a state, fetch the raw reading, and the readings that mean on and off. */
export interface WebForm {
  write(state: FeatureState): Promise<void>;
  reading(): Promise<string>;
  readonly values: Record<FeatureState, readonly string[]>;
}

/** The driver for a definition's web form over a session; the form's kind must be the one the session's dialect speaks. */
export function webFormFor(d: FeatureDefinition & { web: NonNullable<FeatureDefinition['web']> }, web: WebUi): WebForm {
  const w = d.web;
  if (FORM_KIND_OF[web.dialect] !== w.kind) {
    throw new WebUiDialectError(`${d.name}: its web form is a ${w.kind} form, but the web UI session speaks ${web.dialect} (which fills ${FORM_KIND_OF[web.dialect]} forms)`);
  }
  if (w.kind === 'luci-cbi' && web.dialect === 'luci') return new LuciCbiForm(w, web);
  if (w.kind === 'tplink-form' && web.dialect === 'tplink-json') return new TplinkForm(w, web, readings(d));
  throw new Error('unreachable: form kind and dialect were checked to match');
}
