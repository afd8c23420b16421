import { expect } from 'chai';
import { DeclarativeFeature } from '../../../harness/control/features/declarative-feature.js';
import { createFeature } from '../../../harness/control/features/index.js';
import { LuciCbiForm } from '../../../harness/control/features/luci-cbi-form.js';
import type { LuciCbiWeb } from '../../../harness/control/feature-definition.js';
import { LuciSession } from '../../../harness/control/luci/luci-session.js';
import { openWebUi } from '../../../harness/control/web-ui.js';
import { WebUiSession } from '../../../harness/control/web-ui-session.js';
import type { FirmlabError } from '../../../harness/errors.js';
import { BUILTIN_FEATURES, PROFILES } from '../../../harness/profiles/index.js';
import { fakeLuci } from './fake-luci.js';

const NTP = BUILTIN_FEATURES.find((f) => f.name === 'ntp')!;
const session = (r: ReturnType<typeof fakeLuci>) => new LuciSession({ baseUrl: 'http://router', username: 'root', password: '', fetch: r.fetchImpl });
const err = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: FirmlabError) => e);

describe("OpenWrt's ntp through LuCI's System page", () => {
  it('is declared as the LuCI CBI checkbox the real 15.05 page has, beside its console commands', () => {
    expect(NTP.web).to.deep.equal({ kind: 'luci-cbi', page: 'admin/system/system', field: 'cbid.system.ntp.enable', values: { on: 'checked', off: 'unchecked' } });
    expect(NTP.console?.read).to.equal('uci -q get system.ntp.enabled');
    expect(PROFILES.find((p) => p.name === 'openwrt')?.webUi).to.deep.equal({ kind: 'luci', user: 'root' });
    expect(PROFILES.find((p) => p.name === 'fixture')?.webUi).to.deep.equal({ kind: 'tplink-json' });
  });

  it('switches off like a browser: page, whole form without the checkbox, Save & Apply, apply calls, page again', async () => {
    const r = fakeLuci({ applyingPolls: 1 });
    const f = createFeature('ntp', session(r), undefined, BUILTIN_FEATURES);
    expect(await f.set('off')).to.deep.equal({ via: 'web' });
    expect(r.state.ntp).to.equal(false);
    const posted = r.state.posted[0]!;
    expect(posted.some(([k]) => k === 'cbid.system.ntp.enable')).to.equal(false);
    expect(posted).to.deep.include.members([['cbi.submit', '1'], ['cbi.cbe.system.ntp.enable', '1'], ['cbi.apply', 'Save & Apply'], ['cbid.system.cfg02e48a.hostname', 'OpenWrt']]);
    expect(r.state.applied).to.deep.equal(['system,luci']);
    expect(r.state.requests.map((q) => q.replace(/;stok=\w+\//, ''))).to.deep.equal([
      'POST /cgi-bin/luci',
      'GET /cgi-bin/luci/admin/system/system',
      'POST /cgi-bin/luci/admin/system/system',
      'GET /cgi-bin/luci/servicectl/restart/system,luci',
      'GET /cgi-bin/luci/servicectl/status',
      'GET /cgi-bin/luci/servicectl/status',
      'GET /cgi-bin/luci/admin/system/system',
    ]);
    expect(await f.read()).to.equal('off');
    expect(await f.set('on')).to.deep.equal({ via: 'web' });
    expect(r.state.posted[1]).to.deep.include(['cbid.system.ntp.enable', '1']);
    expect(await f.read()).to.equal('on');
  });

  it('fails the read-back with FIRMLAB_FEATURE_READBACK when the page still shows the box checked', async () => {
    const e = await err(createFeature('ntp', session(fakeLuci({ stuck: true })), undefined, BUILTIN_FEATURES).set('off'));
    expect(e.code).to.equal('FIRMLAB_FEATURE_READBACK');
    expect(e.message).to.equal('set ntp to off via web UI, but the router reads back on');
  });

  it('a refused form (X-CBI-State -1) is FIRMLAB_CONTROL_FORM with LuCI\'s reasons, and no console fallback', async () => {
    const typed: string[] = [];
    const con = { run: async (c: string) => { typed.push(c); return '0'; } };
    const e = await err(new DeclarativeFeature(NTP, session(fakeLuci({ invalid: true })), con).set('off'));
    expect(e.code).to.equal('FIRMLAB_CONTROL_FORM');
    expect(e.message).to.include('X-CBI-State -1').and.include('invalid: System log buffer size');
    expect(typed).to.deep.equal([]);
  });

  it('an apply that never finishes is FIRMLAB_CONTROL_FORM saying what the status said', async () => {
    let t = 0;
    const r = fakeLuci({ applyingPolls: 1000 });
    const form = new LuciCbiForm(NTP.web as LuciCbiWeb, session(r), { applyTimeoutMs: 3000, applyPollMs: 1000, sleep: async (ms) => { t += ms; }, now: () => t });
    const e = await err(form.write('off'));
    expect(e.code).to.equal('FIRMLAB_CONTROL_FORM');
    expect(e.message).to.include('did not finish within 3 s').and.include('"/etc/config/system"');
    expect(r.state.statusPolls).to.equal(4);
  });

  it('an unreachable LuCI falls back to the console (where the step allows it), which sets and reads UCI', async () => {
    const typed: string[] = [];
    const con = { run: async (c: string) => { typed.push(c); return c.startsWith('uci -q get') ? '0\n' : ''; } };
    const down = new LuciSession({ baseUrl: 'http://router', username: 'root', password: '', retryDelayMs: 0, fetch: async () => { throw new TypeError('fetch failed'); } });
    const r = await new DeclarativeFeature(NTP, down, con).set('off', { fallback: 'console' });
    expect(r.via).to.equal('console');
    expect(r.fellBack).to.match(/^FIRMLAB_CONTROL_UNREACHABLE: /);
    expect(typed).to.deep.equal([NTP.console!.set.off, 'uci -q get system.ntp.enabled']);
  });

  it('a checkbox reading other than checked/unchecked is refused', async () => {
    const odd = { ...NTP, web: { ...(NTP.web as LuciCbiWeb), field: 'cbid.system.cfg02e48a.hostname' } };
    const e = await err(new DeclarativeFeature(odd, session(fakeLuci()), undefined).read());
    expect(e.code).to.equal('FIRMLAB_FEATURE_READBACK');
    expect(e.message).to.include('"OpenWrt" is neither on nor off');
  });
});

describe('web UI dialects: the profile says which login and which forms', () => {
  it('opens a LuCI session with the profile\'s default user, or the one the scenario names', () => {
    const s = openWebUi({ kind: 'luci', user: 'root' }, 'openwrt', { baseUrl: 'http://r', password: '' });
    expect(s).to.be.instanceOf(LuciSession);
    expect(s.user).to.equal('root');
    expect(openWebUi({ kind: 'luci', user: 'root' }, 'openwrt', { baseUrl: 'http://r', username: 'admin', password: '' }).user).to.equal('admin');
    expect(openWebUi({ kind: 'tplink-json' }, 'fixture', { baseUrl: 'http://r', password: 'admin' })).to.be.instanceOf(WebUiSession);
  });

  it('refuses a username for the TP-Link login, and a login where the profile declares no web UI', () => {
    expect(() => openWebUi({ kind: 'tplink-json' }, 'fixture', { baseUrl: 'http://r', username: 'root', password: 'admin' }))
      .to.throw(/takes a password only/).with.property('code', 'FIRMLAB_WEBUI_DIALECT');
    expect(() => openWebUi(undefined, 'generic', { baseUrl: 'http://r', password: '' })).to.throw(/generic device profile declares no web UI/);
  });

  it('a feature whose form is of the other dialect is refused, naming both', () => {
    const hs = BUILTIN_FEATURES.find((f) => f.name === 'homeshield')!;
    expect(() => createFeature('homeshield', session(fakeLuci()), undefined, [hs]))
      .to.throw('homeshield: its web form is a tplink-form form, but the web UI session speaks luci (which fills luci-cbi forms)');
    expect(() => createFeature('ntp', new WebUiSession({ baseUrl: 'http://r', password: 'admin' }), undefined, [NTP])).to.throw(/speaks tplink-json/);
  });
});
