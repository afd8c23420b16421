import { expect } from 'chai';
import { WebUiSession, type Fetch } from '../../../harness/control/web-ui-session.js';
import { BUILTIN_FEATURES } from '../../../harness/profiles/index.js';
import { DeclarativeFeature } from '../../../harness/control/features/declarative-feature.js';
import { createFeature } from '../../../harness/control/features/index.js';
import type { FirmlabError } from '../../../harness/errors.js';

/** A fake LuCI endpoint: enough of the fixture's API to test the session logic without a router. */
function fakeRouter(opts: { password?: string; expireAfter?: number; stuck?: boolean } = {}) {
  const state = { enable: 'on', logins: 0, calls: [] as string[], token: '' };
  let uses = 0;
  const fetchImpl: Fetch = async (input, init) => {
    const url = String(input);
    const form = new URLSearchParams(String(init?.body ?? ''));
    state.calls.push(`${url.replace(/^https?:\/\/[^/]+/, '')} ${form.toString()}`);
    const reply = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
    if (url.includes(';stok=/login')) {
      if (form.get('password') !== (opts.password ?? 'admin')) return reply(403, { success: false, errorcode: 'login failed' });
      state.logins++;
      state.token = `tok${state.logins}`;
      uses = 0;
      return reply(200, { success: true, data: { stok: state.token } });
    }
    const tok = /;stok=([^/]*)\//.exec(url)?.[1];
    if (tok !== state.token || (opts.expireAfter !== undefined && uses++ >= opts.expireAfter)) {
      return reply(403, { success: false, errorcode: 'invalid token' });
    }
    if (form.get('operation') === 'write' && !opts.stuck) state.enable = form.get('enable')!;
    return reply(200, { success: true, data: { enable: state.enable } });
  };
  return { state, fetchImpl };
}

describe('WebUiSession', () => {
  it('logs in, keeps the stok and sends it in later paths', async () => {
    const r = fakeRouter();
    const s = new WebUiSession({ baseUrl: 'http://router', password: 'admin', fetch: r.fetchImpl });
    expect(await s.call('homeshield', 'enable', { operation: 'read' })).to.deep.equal({ enable: 'on' });
    expect(s.token).to.equal('tok1');
    expect(r.state.calls[1]).to.equal('/cgi-bin/luci/;stok=tok1/admin/homeshield?form=enable operation=read');
  });

  it('fails with FIRMLAB_LOGIN_FAILED on a wrong password, naming the status', async () => {
    const r = fakeRouter({ password: 'secret' });
    const s = new WebUiSession({ baseUrl: 'http://router', password: 'admin', fetch: r.fetchImpl });
    const err = await s.login().then(() => undefined, (e: FirmlabError) => e);
    expect(err?.code).to.equal('FIRMLAB_LOGIN_FAILED');
    expect(err?.message).to.match(/HTTP 403/).and.match(/login failed/);
  });

  it('logs in again once when the token expired', async () => {
    const r = fakeRouter({ expireAfter: 1 });
    const s = new WebUiSession({ baseUrl: 'http://router', password: 'admin', fetch: r.fetchImpl });
    await s.call('homeshield', 'enable', { operation: 'read' });
    await s.call('homeshield', 'enable', { operation: 'read' });
    expect(r.state.logins).to.equal(2);
    expect(s.token).to.equal('tok2');
  });

  it('gives FIRMLAB_CONTROL_HTTP with status and body excerpt when a retry does not help', async () => {
    const r = fakeRouter({ expireAfter: 0 });
    const s = new WebUiSession({ baseUrl: 'http://router', password: 'admin', fetch: r.fetchImpl });
    const err = await s.call('homeshield', 'enable', { operation: 'read' }).then(() => undefined, (e: FirmlabError) => e);
    expect(err?.code).to.equal('FIRMLAB_CONTROL_HTTP');
    expect(err?.details).to.include({ status: 403 });
    expect(err?.message).to.contain('invalid token');
  });

  it('reports an unreachable web UI as FIRMLAB_CONTROL_UNREACHABLE', async () => {
    const s = new WebUiSession({ baseUrl: 'http://router', password: 'admin', fetch: async () => { throw new TypeError('fetch failed'); } });
    const err = await s.login().then(() => undefined, (e: FirmlabError) => e);
    expect(err?.code).to.equal('FIRMLAB_CONTROL_UNREACHABLE');
  });
});

/** The fixture's HomeShield as its device profile declares it. */
const HOMESHIELD = BUILTIN_FEATURES.find((f) => f.name === 'homeshield')!;

describe('HomeShield, declared in the fixture profile', () => {
  const shell = (state: { enable: string; runs: string[] }) => ({
    run: async (cmd: string) => {
      state.runs.push(cmd);
      const m = /^homeshield set (on|off)$/.exec(cmd);
      if (m) state.enable = m[1]!;
      if (cmd === 'homeshield status') return `enable=${state.enable}\n`;
      if (cmd.startsWith('pidof')) return '412\n';
      return '';
    },
  });

  it('sets through the web UI and reads the state back', async () => {
    const r = fakeRouter();
    const f = createFeature('homeshield', new WebUiSession({ baseUrl: 'http://r', password: 'admin', fetch: r.fetchImpl }), undefined, BUILTIN_FEATURES);
    expect(await f.set('off')).to.deep.equal({ via: 'web' });
    expect(r.state.enable).to.equal('off');
    expect(await f.read()).to.equal('off');
  });

  it('fails with FIRMLAB_FEATURE_READBACK when the router does not take the setting', async () => {
    const r = fakeRouter({ stuck: true });
    const f = new DeclarativeFeature(HOMESHIELD, new WebUiSession({ baseUrl: 'http://r', password: 'admin', fetch: r.fetchImpl }), undefined);
    const err = await f.set('off').then(() => undefined, (e: FirmlabError) => e);
    expect(err?.code).to.equal('FIRMLAB_FEATURE_READBACK');
    expect(err?.message).to.equal('set homeshield to off via web UI, but the router reads back on');
  });

  it('never falls back silently: a web UI that is down fails the step unless the step allows the console', async () => {
    const con = { enable: 'on', runs: [] as string[] };
    const web = new WebUiSession({ baseUrl: 'http://r', password: 'admin', fetch: async () => { throw new TypeError('down'); } });
    const f = new DeclarativeFeature(HOMESHIELD, web, shell(con));
    const err = await f.set('off').then(() => undefined, (e: FirmlabError) => e);
    expect(err?.code).to.equal('FIRMLAB_CONTROL_UNREACHABLE');
    expect(con.runs).to.deep.equal([]);
    const r = await f.set('off', { fallback: 'console' });
    expect(r.via).to.equal('console');
    expect(r.fellBack).to.match(/^FIRMLAB_CONTROL_UNREACHABLE: the router's web UI at http:\/\/r\/.* did not answer: down$/);
    expect(con.runs).to.deep.equal(['homeshield set off', 'homeshield status']);
  });

  it('via: console goes straight to the console though a web session exists; via: web without a session says to log in', async () => {
    const r = fakeRouter({ password: 'admin' });
    const con = { enable: 'on', runs: [] as string[] };
    const f = new DeclarativeFeature(HOMESHIELD, new WebUiSession({ baseUrl: 'http://r', password: 'admin', fetch: r.fetchImpl }), shell(con));
    expect(await f.set('off', { via: 'console' })).to.deep.equal({ via: 'console' });
    expect(con.runs).to.deep.equal(['homeshield set off', 'homeshield status']);
    const noWeb = new DeclarativeFeature(HOMESHIELD, undefined, shell(con));
    const err = await noWeb.set('on', { via: 'web' }).then(() => undefined, (e: FirmlabError) => e);
    expect(err?.code).to.equal('FIRMLAB_FEATURE_NO_PATH');
    expect(err?.message).to.match(/`via: web` needs a `login` step first/);
  });

  it('does not hide a wrong password behind the console fallback', async () => {
    const r = fakeRouter({ password: 'other' });
    const con = { enable: 'on', runs: [] as string[] };
    const f = new DeclarativeFeature(HOMESHIELD, new WebUiSession({ baseUrl: 'http://r', password: 'admin', fetch: r.fetchImpl }), shell(con));
    const err = await f.set('off').then(() => undefined, (e: FirmlabError) => e);
    expect(err?.code).to.equal('FIRMLAB_LOGIN_FAILED');
    expect(con.runs).to.deep.equal([]);
  });

  it('checks liveness with a process check over the console', async () => {
    const f = new DeclarativeFeature(HOMESHIELD, undefined, shell({ enable: 'on', runs: [] }));
    expect(await f.alive()).to.equal(true);
    const dead = new DeclarativeFeature(HOMESHIELD, undefined, { run: async () => 'none\n' });
    expect(await dead.alive()).to.equal(false);
  });

  it('names the known features for a typo', () => {
    expect(() => createFeature('homeshild', undefined, undefined, BUILTIN_FEATURES)).to.throw(/no feature driver named homeshild; known: homeshield, ntp/);
  });
});
