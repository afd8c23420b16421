import { ControlFormError } from '../control-errors.js';
import { formEntries, parseForms, selectedValues, type FormControl, type FormEntries, type HtmlForm } from './html-form.js';
import { htmlTokens } from './html-tokens.js';
import { luciPath } from './luci-auth.js';

/**
 * LuCI's CBI forms (luci/cbi.lua and the cbi/*.htm templates, 15.05), as
 * pure functions over the page. CBI writes what a submit carries and
 * removes options whose fields are missing from it, so a change is the
 * whole form as the page rendered it with one control changed. A Flag
 * (checkbox) is only parsed when its `cbi.cbe.<config>.<section>.<option>`
 * marker comes along: present with its value is on, absent is off.
 */

/** How a checkbox reads, in a feature definition's `values`. */
export const CHECKED = 'checked';
export const UNCHECKED = 'unchecked';

/** The page's CBI form (map.htm renders it as `<form name="cbi" action=".../<page>">`). */
export function findCbiForm(html: string, page: string): HtmlForm {
  const forms = parseForms(html);
  const form = forms.find((f) => f.name === 'cbi' && luciPath(f.action) === page);
  if (!form) {
    const seen = forms.map((f) => `${f.name ?? '(no name)'} -> ${f.action || '(no action)'}`).join(', ') || 'none';
    throw new ControlFormError(page, `no CBI form (name="cbi") posting to ${page}; forms on the page: ${seen}`, { forms: seen });
  }
  return form;
}

/** What a field holds now: `checked`/`unchecked` for a checkbox, the submitted value of a select or text field. */
export function readCbiField(form: HtmlForm, field: string, page: string): string {
  const c = control(form, field, page);
  if (isCheckbox(c)) return c.checked ? CHECKED : UNCHECKED;
  if (c.tag === 'select') return selectedValues(c).join(' ');
  return c.value;
}

/**
 * The entries a browser posts when the user changes only `field` to `want`
 * and presses the `button` submit (`cbi.apply`: "Save & Apply").
 */
export function cbiSubmission(form: HtmlForm, field: string, want: string, button: string, page: string): FormEntries {
  const target = control(form, field, page);
  const changed = withValue(target, want, page);
  const submitter = form.controls.find((c) => c.name === button && (c.tag === 'button' || c.type === 'submit' || c.type === 'image'));
  if (!submitter) {
    const buttons = form.controls.filter((c) => c.type === 'submit' && c.name !== '').map((c) => c.name);
    throw new ControlFormError(page, `no submit button named ${button}; named buttons: ${buttons.join(', ') || 'none'}`, { button });
  }
  const controls = form.controls.map((c) => (c === target ? changed : c));
  const entries = formEntries({ ...form, controls }, submitter);
  if (!entries.some(([k, v]) => k === 'cbi.submit' && v === '1')) {
    throw new ControlFormError(page, 'the form carries no cbi.submit=1: not a CBI map form, LuCI would not parse it', { field });
  }
  if (isCheckbox(target)) {
    const marker = `cbi.cbe.${field.replace(/^cbid\./, '')}`;
    if (!entries.some(([k]) => k === marker)) {
      throw new ControlFormError(page, `checkbox ${field} has no ${marker} marker: CBI would remove the option instead of writing it`, { field, marker });
    }
  }
  return entries;
}

function withValue(c: FormControl, want: string, page: string): FormControl {
  if (isCheckbox(c)) {
    if (want !== CHECKED && want !== UNCHECKED) {
      throw new ControlFormError(page, `${c.name} is a checkbox: its values are ${CHECKED} and ${UNCHECKED}, not ${JSON.stringify(want)}`, { field: c.name });
    }
    return { ...c, checked: want === CHECKED };
  }
  if (c.tag === 'select') {
    if (!c.options.some((o) => o.value === want && !o.disabled)) {
      const offered = c.options.map((o) => o.value).slice(0, 20).join(', ');
      throw new ControlFormError(page, `select ${c.name} offers no option ${JSON.stringify(want)}; it offers ${offered}`, { field: c.name });
    }
    return { ...c, options: c.options.map((o) => ({ ...o, selected: o.value === want })) };
  }
  return { ...c, value: want };
}

function control(form: HtmlForm, field: string, page: string): FormControl {
  const all = form.controls.filter((c) => c.name === field && c.tag !== 'button' && c.type !== 'submit');
  if (all.length === 0) {
    const names = [...new Set(form.controls.map((c) => c.name).filter((n) => n.startsWith('cbid.')))];
    throw new ControlFormError(page, `the form has no field ${field}; its fields: ${names.slice(0, 30).join(', ') || 'none'}`, { field, fields: names });
  }
  if (all.length > 1) throw new ControlFormError(page, `${field} names ${all.length} controls (a list); only a single field can be switched`, { field });
  return all[0]!;
}

function isCheckbox(c: FormControl): boolean {
  return c.tag === 'input' && c.type === 'checkbox';
}

/**
 * The map's state from the `X-CBI-State` header: -1 invalid (nothing saved),
 * 0 no data, 1 valid, 2 changed (cbi.lua FORM_* constants).
 */
export function cbiState(header: string | null): number | undefined {
  if (header === null || !/^-?\d+$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

/** What an invalid form says: the section errors and the titles of the fields marked invalid. */
export function cbiErrors(html: string): string[] {
  const out: string[] = [];
  let inSectionError = 0;
  let inErrorValue = false;
  let inLabel = false;
  let depth = 0;
  for (const t of htmlTokens(html)) {
    if (t.kind === 'start' && t.name === 'div') {
      depth++;
      const cls = t.attrs.get('class') ?? '';
      if (/\bcbi-section-error\b/.test(cls)) inSectionError = depth;
      if (/\bcbi-value-error\b/.test(cls)) inErrorValue = true;
    } else if (t.kind === 'end' && t.name === 'div') {
      if (inSectionError === depth) inSectionError = 0;
      depth--;
    } else if (t.kind === 'start' && t.name === 'label' && inErrorValue) {
      inLabel = true;
    } else if (t.kind === 'end' && t.name === 'label' && inLabel) {
      inLabel = false;
      inErrorValue = false;
    } else if (t.kind === 'text' && t.text.trim() !== '') {
      if (inLabel) out.push(`invalid: ${t.text.trim()}`);
      else if (inSectionError) out.push(t.text.trim());
    }
  }
  return out;
}

/**
 * The two URLs apply_xhr.htm makes a browser call after "Save & Apply":
 * `servicectl/restart/<configs>` (runs luci-reload for the committed
 * configs), then `servicectl/status` until it answers `finish`.
 */
export function applyUrls(html: string): { restart: string; status: string } | undefined {
  const urls = [...html.matchAll(/apply_xhr\.get\('([^']+)'/g)].map((m) => m[1]!);
  const restart = urls.find((u) => /\/servicectl\/restart\//.test(u));
  const status = urls.find((u) => /\/servicectl\/status$/.test(u));
  return restart && status ? { restart, status } : undefined;
}
