import { expect } from 'chai';
import { loginOutcome, luciPath, parseSetCookie, sessionExpired, stokOf } from '../../../harness/control/luci/luci-auth.js';
import { LuciSession } from '../../../harness/control/luci/luci-session.js';
import type { FirmlabError } from '../../../harness/errors.js';
import { fakeLuci, luciPage } from './fake-luci.js';

/** What the real 15.05 image answered to `POST /cgi-bin/luci` with root and an empty password. */
const REAL_LOGIN = {
  status: 302,
  location: '/cgi-bin/luci/;stok=686abfa1e57ca165ccac278135f67a2d',
  setCookies: ['sysauth=10a801da68811ac6c5dcc9bb75bd2c40; path=/cgi-bin/luci/'],
  body: '',
};

describe('LuCI login answers and session expiry (luci-auth)', () => {
  it('takes the sysauth cookie and the stok from a 15.05 login redirect', () => {
    expect(loginOutcome(REAL_LOGIN)).to.deep.equal({ ok: true, sysauth: '10a801da68811ac6c5dcc9bb75bd2c40', stok: '686abfa1e57ca165ccac278135f67a2d' });
  });

  it('takes the stok from the cookie path when the Location has none (older LuCI)', () => {
    const r = { ...REAL_LOGIN, location: '/cgi-bin/luci', setCookies: ['sysauth=ab12; path=/cgi-bin/luci/;stok=cd34'] };
    expect(loginOutcome(r)).to.deep.equal({ ok: true, sysauth: 'ab12', stok: 'cd34' });
  });

  const refused: [string, Parameters<typeof loginOutcome>[0], RegExp][] = [
    ['the login form again (403), quoting its error', { status: 403, location: null, setCookies: [], body: '<input name="luci_password" /><div class="error">Invalid username and/or password! Please try again.</div>' }, /login form again: "Invalid username/],
    ['a 200 page', { status: 200, location: null, setCookies: [], body: '<html>' }, /expected a redirect \(302\).*HTTP 200/],
    ['a redirect without a cookie', { ...REAL_LOGIN, setCookies: [] }, /no sysauth cookie.*none/],
    ['a redirect whose only cookie is expired', { ...REAL_LOGIN, setCookies: ['sysauth=ab; expires=Thu, 01 Jan 1970 01:00:00 GMT; path=/cgi-bin/luci/'] }, /no sysauth cookie/],
    ['a redirect without a token anywhere', { ...REAL_LOGIN, location: '/cgi-bin/luci/' }, /no ;stok= token in Location \(\/cgi-bin\/luci\/\)/],
  ];
  for (const [what, reply, reason] of refused) {
    it(`is no login: ${what}`, () => {
      const o = loginOutcome(reply);
      expect(o.ok).to.equal(false);
      expect(o.ok ? '' : o.reason).to.match(reason);
    });
  }

  const expiry: [string, { status: number; location: string | null; body: string }, boolean][] = [
    ['15.05 on a stale token: 302 to /cgi-bin/luci', { status: 302, location: '/cgi-bin/luci', body: '' }, true],
    ['403 (the login form)', { status: 403, location: null, body: luciPage('login') }, true],
    ['a login form served with 200', { status: 200, location: null, body: luciPage('login') }, true],
    ['the System page', { status: 200, location: null, body: luciPage('system-ntp-on') }, false],
    ['a redirect that keeps the token', { status: 302, location: '/cgi-bin/luci/;stok=ab/admin', body: '' }, false],
    ['a server error', { status: 500, location: null, body: 'error' }, false],
  ];
  for (const [what, reply, expired] of expiry) {
    it(`${expired ? 'expired' : 'not expired'}: ${what}`, () => expect(sessionExpired(reply)).to.equal(expired));
  }

  const paths: [string, string | undefined][] = [
    ['/cgi-bin/luci/;stok=87b3/admin/system/system', 'admin/system/system'],
    ['http://10.0.0.2:80/cgi-bin/luci/;stok=87b3/servicectl/status?x=1', 'servicectl/status'],
    ['/cgi-bin/luci/admin/status/', 'admin/status'],
    ['/cgi-bin/luci', ''],
    ['/cgi-bin/luciX/admin', undefined],
    ['/ubus', undefined],
  ];
  for (const [url, path] of paths) it(`luciPath(${url}) is ${String(path)}`, () => expect(luciPath(url)).to.equal(path));

  it('reads tokens and cookies as LuCI writes them', () => {
    expect(stokOf('/cgi-bin/luci/;stok=abc/admin')).to.equal('abc');
    expect(stokOf('/cgi-bin/luci')).to.equal(undefined);
    expect(parseSetCookie('sysauth=ab; Path=/cgi-bin/luci/; HttpOnly')).to.deep.equal({ name: 'sysauth', value: 'ab', path: '/cgi-bin/luci/', expired: false });
    expect(parseSetCookie('sysauth=ab; Max-Age=0')?.expired).to.equal(true);
    expect(parseSetCookie('garbage')).to.equal(undefined);
  });
});

describe('LuciSession against a LuCI 15.05 stand-in', () => {
  const open = (r: ReturnType<typeof fakeLuci>, username = 'root', password = '') =>
    new LuciSession({ baseUrl: 'http://router', username, password, fetch: r.fetchImpl });

  it('logs in with the login form fields and sends cookie and token with every page', async () => {
    const r = fakeLuci();
    const s = open(r);
    const page = await s.get('admin/system/system');
    expect(page.status).to.equal(200);
    expect(s.token).to.equal('70c1');
    expect(r.state.requests).to.deep.equal(['POST /cgi-bin/luci', 'GET /cgi-bin/luci/;stok=70c1/admin/system/system']);
  });

  it('logs in again, once, when LuCI forgot the session, and repeats the request', async () => {
    const r = fakeLuci({ expireAfter: 1 });
    const s = open(r);
    await s.get('admin/system/system');
    await s.get('admin/system/system');
    expect(r.state.logins).to.equal(2);
    expect(s.token).to.equal('70c2');
    expect(r.state.requests.filter((q) => q === 'POST /cgi-bin/luci')).to.have.length(2);
  });

  it('fails with FIRMLAB_CONTROL_HTTP naming the request and what came back when the new session is refused too', async () => {
    const r = fakeLuci({ alwaysExpired: true });
    const e = await open(r).get('admin/system/system', 'GET admin/system/system (to fill its form)').then(() => undefined, (x: FirmlabError) => x);
    expect(e?.code).to.equal('FIRMLAB_CONTROL_HTTP');
    expect(e?.message).to.include('GET admin/system/system (to fill its form): the session was refused again right after logging in')
      .and.include('HTTP 302').and.include('Location: /cgi-bin/luci');
    expect(r.state.logins).to.equal(2);
  });

  it('fails with FIRMLAB_LOGIN_FAILED quoting LuCI for an unknown user, and names the user', async () => {
    const e = await open(fakeLuci(), 'admin').login().then(() => undefined, (x: FirmlabError) => x);
    expect(e?.code).to.equal('FIRMLAB_LOGIN_FAILED');
    expect(e?.message).to.include('HTTP 403').and.include('Invalid username and/or password!').and.include('username (admin)');
  });

  it('a set root password is checked; the empty one of a fresh image is what LuCI takes then', async () => {
    const r = fakeLuci({ users: { root: 'secret' } });
    expect((await open(r, 'root', '').login().catch((x: FirmlabError) => x) as FirmlabError).code).to.equal('FIRMLAB_LOGIN_FAILED');
    expect(await open(r, 'root', 'secret').login()).to.equal('70c1');
  });

  it('reports a page LuCI has not (404) with status and text', async () => {
    const e = await open(fakeLuci()).get('admin/nothing').then(() => undefined, (x: FirmlabError) => x);
    expect(e?.code).to.equal('FIRMLAB_CONTROL_HTTP');
    expect(e?.details).to.include({ status: 404 });
    expect(e?.message).to.include('GET admin/nothing').and.include('No page is registered');
  });

  it('reports an unreachable web UI as FIRMLAB_CONTROL_UNREACHABLE, after trying the first login three times', async () => {
    let calls = 0;
    const s = new LuciSession({ baseUrl: 'http://router', username: 'root', password: '', retryDelayMs: 0, fetch: async () => { calls++; throw new TypeError('fetch failed'); } });
    expect(((await s.login().catch((x: unknown) => x)) as FirmlabError).code).to.equal('FIRMLAB_CONTROL_UNREACHABLE');
    expect(calls).to.equal(3);
  });

  it('tries the first login again when uhttpd resets the connection right after boot, then goes on as usual', async () => {
    const r = fakeLuci();
    let resets = 2;
    const fetchImpl: typeof r.fetchImpl = async (url, init) => {
      if (resets > 0) {
        resets--;
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
      }
      return r.fetchImpl(url, init);
    };
    const s = new LuciSession({ baseUrl: 'http://router', username: 'root', password: '', retryDelayMs: 0, fetch: fetchImpl });
    expect(await s.login()).to.equal('70c1');
    expect(s.logins).to.equal(1);
  });

  it('does not try again after a timeout, nor once a login has succeeded: a router gone silent is an answer', async () => {
    let calls = 0;
    const timeout = new LuciSession({ baseUrl: 'http://router', username: 'root', password: '', retryDelayMs: 0, fetch: async () => {
      calls++;
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    } });
    expect(((await timeout.login().catch((x: unknown) => x)) as FirmlabError).code).to.equal('FIRMLAB_CONTROL_UNREACHABLE');
    expect(calls).to.equal(1);

    const r = fakeLuci({ expireAfter: 1 });
    let down = false;
    let afterDown = 0;
    const s = new LuciSession({ baseUrl: 'http://router', username: 'root', password: '', retryDelayMs: 0, fetch: async (url, init) => {
      if (down) { afterDown++; throw new TypeError('fetch failed'); }
      return r.fetchImpl(url, init);
    } });
    await s.get('admin/system/system');
    down = true;
    expect(((await s.login().catch((x: unknown) => x)) as FirmlabError).code).to.equal('FIRMLAB_CONTROL_UNREACHABLE');
    expect(afterDown).to.equal(1);
  });
});
