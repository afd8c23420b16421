import { htmlTokens } from './html-tokens.js';

/** One form control as the page rendered it. */
export interface FormControl {
  tag: 'input' | 'select' | 'textarea' | 'button';
  /** Lower case; `text` for an input without one, `submit` for a button without one. */
  type: string;
  name: string;
  /** input/button: the value attribute; textarea: its text; select: unused (see options). */
  value: string;
  checked: boolean;
  disabled: boolean;
  multiple: boolean;
  options: { value: string; selected: boolean; disabled: boolean }[];
}

export interface HtmlForm {
  name: string | undefined;
  action: string;
  method: string;
  enctype: string;
  controls: FormControl[];
}

/** A form's submission: name/value pairs in document order (names may repeat, like a DynamicList's). */
export type FormEntries = [name: string, value: string][];

/** Every `<form>` of a page, with the controls inside it (nested forms are not HTML). */
export function parseForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  let form: HtmlForm | undefined;
  let select: FormControl | undefined;
  let option: { value: string | undefined; text: string; selected: boolean; disabled: boolean } | undefined;
  let textarea: FormControl | undefined;
  const closeOption = () => {
    if (select && option) {
      // An option without a value attribute submits its text, whitespace stripped and collapsed.
      select.options.push({ value: option.value ?? option.text.replace(/\s+/g, ' ').trim(), selected: option.selected, disabled: option.disabled });
    }
    option = undefined;
  };
  for (const t of htmlTokens(html)) {
    if (t.kind === 'text') {
      if (option) option.text += t.text;
      // The newline right after <textarea> is not part of its value.
      else if (textarea) textarea.value += textarea.value === '' ? t.text.replace(/^\r?\n/, '') : t.text;
      continue;
    }
    if (t.kind === 'end') {
      if (t.name === 'form') form = undefined;
      else if (t.name === 'option') closeOption();
      else if (t.name === 'select') {
        closeOption();
        select = undefined;
      } else if (t.name === 'textarea') textarea = undefined;
      continue;
    }
    const a = t.attrs;
    if (t.name === 'form') {
      if (form) continue;
      form = {
        name: a.get('name'), action: a.get('action') ?? '', method: (a.get('method') ?? 'get').toLowerCase(),
        enctype: (a.get('enctype') ?? 'application/x-www-form-urlencoded').toLowerCase(), controls: [],
      };
      forms.push(form);
      continue;
    }
    if (!form) continue;
    const base = { name: a.get('name') ?? '', disabled: a.has('disabled'), checked: false, multiple: false, options: [], value: '' };
    if (t.name === 'input') {
      form.controls.push({ ...base, tag: 'input', type: (a.get('type') ?? 'text').toLowerCase(), value: a.get('value') ?? '', checked: a.has('checked') });
    } else if (t.name === 'button') {
      form.controls.push({ ...base, tag: 'button', type: (a.get('type') ?? 'submit').toLowerCase(), value: a.get('value') ?? '' });
    } else if (t.name === 'select') {
      select = { ...base, tag: 'select', type: a.has('multiple') ? 'select-multiple' : 'select-one', multiple: a.has('multiple'), options: [] };
      form.controls.push(select);
    } else if (t.name === 'option') {
      closeOption();
      if (select) option = { value: a.get('value'), text: '', selected: a.has('selected'), disabled: a.has('disabled') };
    } else if (t.name === 'textarea') {
      textarea = { ...base, tag: 'textarea', type: 'textarea' };
      form.controls.push(textarea);
    }
  }
  return forms;
}

const NEVER_SUBMITTED = new Set(['submit', 'image', 'reset', 'button', 'file']);

/**
 * The entries a browser submits for the form (WHATWG HTML, "constructing
 * the entry list"): enabled controls with a name; checkboxes and radios only
 * when checked (value default `on`); buttons only the one that submits
 * (`submitter`); a single select's selected option, or its first enabled one
 * when none is marked selected (the "selectedness setting algorithm").
 */
export function formEntries(form: HtmlForm, submitter?: FormControl): FormEntries {
  const out: FormEntries = [];
  for (const c of form.controls) {
    if (c.disabled || c.name === '') continue;
    if (c.tag === 'button' || (c.tag === 'input' && NEVER_SUBMITTED.has(c.type))) {
      if (c === submitter) out.push([c.name, c.value]);
      continue;
    }
    if (c.tag === 'input' && (c.type === 'checkbox' || c.type === 'radio')) {
      if (c.checked) out.push([c.name, c.value === '' ? 'on' : c.value]);
      continue;
    }
    if (c.tag === 'select') {
      for (const v of selectedValues(c)) out.push([c.name, v]);
      continue;
    }
    out.push([c.name, c.value]);
  }
  return out;
}

/** What a select submits: its selected options, else (single select) the first enabled one. */
export function selectedValues(c: FormControl): string[] {
  const marked = c.options.filter((o) => o.selected && !o.disabled);
  if (c.multiple) return marked.map((o) => o.value);
  // Several marked in a single select: the last one wins, as in a browser.
  if (marked.length > 0) return [marked[marked.length - 1]!.value];
  const first = c.options.find((o) => !o.disabled);
  return first === undefined ? [] : [first.value];
}
