import { setTimeout as sleep } from 'node:timers/promises';
import { ControlFormError } from '../control-errors.js';
import type { LuciCbiWeb } from '../feature-definition.js';
import type { FeatureState } from '../feature-switch.js';
import { applyUrls, cbiErrors, cbiState, cbiSubmission, findCbiForm, readCbiField } from '../luci/cbi-form.js';
import { luciPath } from '../luci/luci-auth.js';
import type { LuciSession } from '../luci/luci-session.js';
import type { WebForm } from './web-form.js';

export interface LuciCbiFormOptions {
  /** How long "Save & Apply" may take to report `finish`. */
  applyTimeoutMs?: number;
  applyPollMs?: number;
  sleep?: (ms: number) => Promise<unknown>;
  now?: () => number;
}

/**
 * One CBI field switched as a browser would: GET the page, re-post its
 * whole form with only the field changed and the apply button pressed,
 * then run the apply the answer page asks for (apply_xhr.htm: servicectl
 * restart, then status until `finish`). The reading is the field as a
 * fresh GET of the page shows it.
 */
export class LuciCbiForm implements WebForm {
  readonly values: Record<FeatureState, readonly string[]>;
  private readonly applyTimeoutMs: number;
  private readonly applyPollMs: number;
  private readonly sleep: (ms: number) => Promise<unknown>;
  private readonly now: () => number;

  constructor(private readonly spec: LuciCbiWeb, private readonly session: LuciSession, opts: LuciCbiFormOptions = {}) {
    this.values = { on: [spec.values.on], off: [spec.values.off] };
    this.applyTimeoutMs = opts.applyTimeoutMs ?? 60_000;
    this.applyPollMs = opts.applyPollMs ?? 1000;
    this.sleep = opts.sleep ?? ((ms) => sleep(ms));
    this.now = opts.now ?? Date.now;
  }

  async write(state: FeatureState): Promise<void> {
    const { page, field } = this.spec;
    const shown = await this.session.get(page, `GET ${page} (to fill its form)`);
    const form = findCbiForm(shown.body, page);
    const entries = cbiSubmission(form, field, this.spec.values[state], this.spec.button ?? 'cbi.apply', page);
    const target = luciPath(form.action) ?? page;
    const answer = await this.session.post(target, entries, form.enctype, `POST ${page} with ${field}=${this.spec.values[state]}`);
    const cbi = cbiState(answer.headers.get('x-cbi-state'));
    if (cbi !== undefined && cbi < 0) {
      const errors = cbiErrors(answer.body);
      throw new ControlFormError(page, `LuCI refused the form (X-CBI-State ${cbi}): ${errors.join('; ') || 'no error text on the page'}`, { field, errors });
    }
    const apply = applyUrls(answer.body);
    if (apply) await this.apply(apply, page);
  }

  async reading(): Promise<string> {
    const { page, field } = this.spec;
    const shown = await this.session.get(page, `GET ${page} (to read ${field})`);
    return readCbiField(findCbiForm(shown.body, page), field, page);
  }

  private async apply(urls: { restart: string; status: string }, page: string): Promise<void> {
    const restart = luciPath(urls.restart);
    const status = luciPath(urls.status);
    if (restart === undefined || status === undefined) throw new ControlFormError(page, `apply URLs outside LuCI: ${urls.restart}, ${urls.status}`);
    await this.session.get(restart, `apply (GET ${restart})`);
    const deadline = this.now() + this.applyTimeoutMs;
    let last = '';
    for (;;) {
      last = (await this.session.get(status, `apply status (GET ${status})`)).body.trim();
      if (last === 'finish') return;
      if (this.now() >= deadline) break;
      await this.sleep(this.applyPollMs);
    }
    throw new ControlFormError(page, `"Save & Apply" did not finish within ${Math.round(this.applyTimeoutMs / 1000)} s; ${status} last said ${JSON.stringify(last.slice(0, 100))}`);
  }
}
