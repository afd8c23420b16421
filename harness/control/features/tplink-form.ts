import { fill, type TplinkFormWeb } from '../feature-definition.js';
import type { FeatureState } from '../feature-switch.js';
import type { WebUiSession } from '../web-ui-session.js';
import type { WebForm } from './web-form.js';

/** A TP-Link-style JSON form call (`admin/<path>?form=<form>`); the reply's `data[field]` is the reading. */
export class TplinkForm implements WebForm {
  constructor(
    private readonly spec: TplinkFormWeb,
    private readonly session: WebUiSession,
    readonly values: Record<FeatureState, readonly string[]>,
  ) {}

  async write(state: FeatureState): Promise<void> {
    await this.session.call(this.spec.path, this.spec.form, fields(this.spec.write, state));
  }

  async reading(): Promise<string> {
    const data = await this.session.call(this.spec.path, this.spec.form, fields(this.spec.read, 'on'));
    const v = data[this.spec.field];
    return v === undefined || v === null ? '' : String(v);
  }
}

function fields(template: Record<string, string>, state: FeatureState): Record<string, string> {
  return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fill(v, state)]));
}
