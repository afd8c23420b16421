import { expect } from 'chai';
import { applyUrls, cbiErrors, cbiState, cbiSubmission, findCbiForm, readCbiField } from '../../../harness/control/luci/cbi-form.js';
import { formEntries, parseForms } from '../../../harness/control/luci/html-form.js';
import { htmlTokens, visibleText } from '../../../harness/control/luci/html-tokens.js';
import type { FirmlabError } from '../../../harness/errors.js';
import { luciPage } from './fake-luci.js';

const PAGE = 'admin/system/system';
const NTP = 'cbid.system.ntp.enable';
const fails = (f: () => unknown): FirmlabError => {
  try {
    f();
  } catch (e) {
    return e as FirmlabError;
  }
  throw new Error('expected it to throw');
};

describe('LuCI 15.05 System page (captured from the real image): form collection', () => {
  const on = findCbiForm(luciPage('system-ntp-on'), PAGE);

  it('finds the CBI form, multipart, posting to the page itself under the session token', () => {
    expect(on).to.include({ name: 'cbi', method: 'post', enctype: 'multipart/form-data' });
    expect(on.action).to.match(/^\/cgi-bin\/luci\/;stok=[0-9a-f]+\/admin\/system\/system$/);
  });

  it('collects every field as a browser submits it: hidden markers, text, selects (first option when none is selected), the server list', () => {
    expect(formEntries(on)).to.deep.equal([
      ['cbi.submit', '1'],
      ['tab.system.cfg02e48a', 'general'],
      ['cbid.system.cfg02e48a.log_size', ''],
      ['cbid.system.cfg02e48a.log_ip', ''],
      ['cbid.system.cfg02e48a.log_port', ''],
      // No option marked selected: a browser submits the first, so saving this page sets them (RECIPES.md).
      ['cbid.system.cfg02e48a.conloglevel', '8'],
      ['cbid.system.cfg02e48a.cronloglevel', '8'],
      ['cbid.system.cfg02e48a.hostname', 'OpenWrt'],
      ['cbid.system.cfg02e48a.zonename', 'UTC'],
      ['cbid.system.cfg02e48a._lang', 'auto'],
      ['cbid.system.cfg02e48a._mediaurlbase', '/luci-static/bootstrap'],
      ['cbi.cbe.system.ntp.enable', '1'],
      ['cbid.system.ntp.enable', '1'],
      ['cbi.cbe.system.ntp.enable_server', '1'],
      ['cbid.system.ntp.server', '0.openwrt.pool.ntp.org'],
      ['cbid.system.ntp.server', '1.openwrt.pool.ntp.org'],
      ['cbid.system.ntp.server', '2.openwrt.pool.ntp.org'],
      ['cbid.system.ntp.server', '3.openwrt.pool.ntp.org'],
    ]);
  });

  it('switching NTP off leaves the checkbox out, keeps its cbi.cbe marker and every other field, and presses Save & Apply', () => {
    const off = cbiSubmission(on, NTP, 'unchecked', 'cbi.apply', PAGE);
    const all = formEntries(on);
    expect(off.filter(([k]) => k === NTP)).to.deep.equal([]);
    expect(off).to.deep.include(['cbi.cbe.system.ntp.enable', '1']);
    expect(off.slice(0, -1)).to.deep.equal(all.filter(([k]) => k !== NTP));
    expect(off[off.length - 1]).to.deep.equal(['cbi.apply', 'Save & Apply']);
  });

  it('switching it on again puts the checkbox back with its value 1', () => {
    const page = findCbiForm(luciPage('system-ntp-off'), PAGE);
    expect(formEntries(page).some(([k]) => k === NTP)).to.equal(false);
    expect(cbiSubmission(page, NTP, 'checked', 'cbi.apply', PAGE)).to.deep.include([NTP, '1']);
  });

  it('reads the checkbox back from the page: checked with NTP on, unchecked with it off', () => {
    expect(readCbiField(on, NTP, PAGE)).to.equal('checked');
    expect(readCbiField(findCbiForm(luciPage('system-ntp-off'), PAGE), NTP, PAGE)).to.equal('unchecked');
    expect(readCbiField(on, 'cbid.system.cfg02e48a.zonename', PAGE)).to.equal('UTC');
    expect(readCbiField(on, 'cbid.system.cfg02e48a.hostname', PAGE)).to.equal('OpenWrt');
  });

  it('finds the apply calls a browser makes after Save & Apply, and none on a plain page', () => {
    expect(applyUrls(luciPage('system-applied'))).to.deep.equal({
      restart: '/cgi-bin/luci/;stok=87b31745314a28bbbdd51898e0753239/servicectl/restart/system,luci',
      status: '/cgi-bin/luci/;stok=87b31745314a28bbbdd51898e0753239/servicectl/status',
    });
    expect(applyUrls(luciPage('system-ntp-on'))).to.equal(undefined);
  });

  it('reads why LuCI refused a form (X-CBI-State -1)', () => {
    expect(cbiState('-1')).to.equal(-1);
    expect(cbiState('2')).to.equal(2);
    expect(cbiState(null)).to.equal(undefined);
    expect(cbiState('x')).to.equal(undefined);
    expect(cbiErrors(luciPage('system-invalid'))).to.deep.equal(['invalid: System log buffer size', 'One or more fields contain invalid values!']);
    expect(cbiErrors(luciPage('system-ntp-on'))).to.deep.equal([]);
  });

  describe('refuses what it cannot submit faithfully (FIRMLAB_CONTROL_FORM)', () => {
    it('a page without the CBI form (the login page)', () => {
      const e = fails(() => findCbiForm(luciPage('login'), PAGE));
      expect(e.code).to.equal('FIRMLAB_CONTROL_FORM');
      expect(e.message).to.include('no CBI form').and.include('/cgi-bin/luci');
    });
    it('a field the page does not have, naming the ones it has', () => {
      const e = fails(() => cbiSubmission(on, 'cbid.system.ntp.enabled', 'checked', 'cbi.apply', PAGE));
      expect(e.code).to.equal('FIRMLAB_CONTROL_FORM');
      expect(e.message).to.include('no field cbid.system.ntp.enabled').and.include(NTP);
    });
    it('a checkbox without its cbi.cbe marker (CBI would delete the option)', () => {
      const html = luciPage('system-ntp-on').replace('<input type="hidden" value="1" name="cbi.cbe.system.ntp.enable" />', '');
      const e = fails(() => cbiSubmission(findCbiForm(html, PAGE), NTP, 'unchecked', 'cbi.apply', PAGE));
      expect(e.message).to.include('no cbi.cbe.system.ntp.enable marker');
    });
    it('a button the page does not have', () => {
      expect(fails(() => cbiSubmission(on, NTP, 'checked', 'cbi.save', PAGE)).message).to.include('no submit button named cbi.save; named buttons: cbi.apply');
    });
    it('a checkbox value other than checked/unchecked, a select option not offered, a list field', () => {
      expect(fails(() => cbiSubmission(on, NTP, '0', 'cbi.apply', PAGE)).message).to.include('is a checkbox');
      expect(fails(() => cbiSubmission(on, 'cbid.system.cfg02e48a.zonename', 'Mars/Olympus', 'cbi.apply', PAGE)).message).to.include('offers no option "Mars/Olympus"');
      expect(fails(() => cbiSubmission(on, 'cbid.system.ntp.server', 'x', 'cbi.apply', PAGE)).message).to.include('names 4 controls');
    });
    it('a form without cbi.submit', () => {
      const html = luciPage('system-ntp-on').replace('<input type="hidden" name="cbi.submit" value="1" />', '');
      expect(fails(() => cbiSubmission(findCbiForm(html, PAGE), NTP, 'checked', 'cbi.apply', PAGE)).message).to.include('no cbi.submit=1');
    });
  });
});

describe('HTML form entries (WHATWG constructing the entry list), small cases', () => {
  const cases: { html: string; entries: [string, string][]; what: string }[] = [
    { what: 'a script that writes markup is no control', html: `<form><script>document.write('<input name="x" value="1">')</script><input name="y" value="2"></form>`, entries: [['y', '2']] },
    { what: 'comments are skipped', html: '<form><!-- <input name="x" value="1"> --><input name=y value=2></form>', entries: [['y', '2']] },
    { what: 'character references in values are decoded', html: '<form><input type="hidden" name="a" value="Save &#38; Apply &amp; &#x263A; &lt;&unknown;"></form>', entries: [['a', 'Save & Apply & \u263a <&unknown;']] },
    { what: "single-quoted and unquoted attributes, upper-case tags", html: "<FORM><INPUT NAME='a' VALUE='x y'><input name=b value=z></FORM>", entries: [['a', 'x y'], ['b', 'z']] },
    { what: 'a checkbox without a value submits on; unchecked ones and nameless or disabled fields nothing', html: '<form><input type="checkbox" name="c" checked><input type="checkbox" name="d" value="1"><input value="n"><input name="e" value="1" disabled></form>', entries: [['c', 'on']] },
    { what: 'radio: only the checked one', html: '<form><input type="radio" name="r" value="a"><input type="radio" name="r" value="b" checked></form>', entries: [['r', 'b']] },
    { what: 'textarea: its text, the first newline dropped', html: '<form><textarea name="t">\nline 1\n&lt;b&gt;</textarea></form>', entries: [['t', 'line 1\n<b>']] },
    { what: 'select: an option without value submits its text; multiple submits all selected', html: '<form><select name="s"><option> Two  words </option></select><select name="m" multiple><option value="1" selected>a<option value="2">b<option value="3" selected>c</select></form>', entries: [['s', 'Two words'], ['m', '1'], ['m', '3']] },
    { what: 'select: a disabled first option is skipped when none is selected', html: '<form><select name="s"><option value="x" disabled>x</option><option value="y">y</option></select></form>', entries: [['s', 'y']] },
    { what: 'controls outside the form are not its fields', html: '<input name="out" value="1"><form><input name="in" value="2"></form><input name="after" value="3">', entries: [['in', '2']] },
  ];
  for (const c of cases) {
    it(c.what, () => {
      const [form] = parseForms(c.html);
      expect(formEntries(form!)).to.deep.equal(c.entries);
    });
  }

  it('buttons are only submitted as the submitter', () => {
    const [form] = parseForms('<form><input type="submit" name="go" value="Go"><button name="b" value="B">b</button><input type="reset" name="r"></form>');
    expect(formEntries(form!)).to.deep.equal([]);
    expect(formEntries(form!, form!.controls[1])).to.deep.equal([['b', 'B']]);
  });

  it('an unterminated tag or a bare "<" does not lose the rest of the text', () => {
    expect([...htmlTokens('a < b <i>c</i>')].filter((t) => t.kind === 'text').map((t) => (t as { text: string }).text).join('')).to.equal('a < b c');
    expect(parseForms('<form><input name="a" value="1"')[0]!.controls).to.have.length(1);
  });

  it('visibleText gives what a reader sees, from LuCI\'s main content on', () => {
    expect(visibleText(luciPage('login'))).to.match(/^Authorization Required Please enter your username and password\. Username Password/);
    expect(visibleText('<p>a<script>var x = "<b>";</script> <b>b</b></p>')).to.equal('a b');
  });
});
