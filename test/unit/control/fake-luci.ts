import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../harness/paths.js';
import type { Fetch } from '../../../harness/control/web-ui-session.js';

/** Pages captured from the real OpenWrt 15.05.1 image (test/fixtures/luci/README.md). */
export function luciPage(name: 'login' | 'system-ntp-on' | 'system-ntp-off' | 'system-applied' | 'system-invalid'): string {
  return readFileSync(join(projectRoot(), 'test', 'fixtures', 'luci', `openwrt-15.05.1-${name}.html`), 'utf8');
}

export interface FakeLuciOptions {
  /** Accepted users (LuCI on a fresh image: root, any password). */
  users?: Record<string, string | undefined>;
  /** Requests after which the session is forgotten (as `ubus call session destroy` would). */
  expireAfter?: number;
  /** Forget every session on every request. */
  alwaysExpired?: boolean;
  /** The checkbox the router keeps, whatever is posted. */
  stuck?: boolean;
  /** Answer the POST as invalid (X-CBI-State -1, the captured invalid page). */
  invalid?: boolean;
  /** servicectl/status answers with the config being applied this many times before `finish`. */
  applyingPolls?: number;
}

/**
 * The parts of LuCI 15.05's dispatcher the session and the CBI driver meet,
 * as seen on the real image: login redirects with a cookie and a token; a
 * stale token is answered 302 to /cgi-bin/luci with the cookie expired;
 * the System page renders the checkbox from the init script's state.
 */
export function fakeLuci(opts: FakeLuciOptions = {}) {
  const state = {
    ntp: true,
    logins: 0,
    session: '',
    token: '',
    requests: [] as string[],
    posted: [] as [string, string][][],
    applied: [] as string[],
    statusPolls: 0,
  };
  let uses = 0;
  const users = opts.users ?? { root: undefined };
  const html = (status: number, body: string, headers: Record<string, string> = {}) =>
    new Response(body, { status, headers: { 'content-type': 'text/html', ...headers } });
  const fetchImpl: Fetch = async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    state.requests.push(`${method} ${url.pathname}`);
    if (url.pathname === '/cgi-bin/luci' && method === 'POST') {
      const form = new URLSearchParams(String(init?.body ?? ''));
      const user = form.get('luci_username') ?? '';
      const wanted = users[user];
      if (!(user in users) || (wanted !== undefined && wanted !== form.get('luci_password'))) {
        return html(403, luciPage('login').replace('Please enter your username and password.', '$&<div class="error">Invalid username and/or password! Please try again.</div>'));
      }
      state.logins++;
      state.session = `5e55${state.logins}`;
      state.token = `70c${state.logins}`;
      uses = 0;
      return html(302, '', { 'set-cookie': `sysauth=${state.session}; path=/cgi-bin/luci/`, location: `/cgi-bin/luci/;stok=${state.token}` });
    }
    const m = /^\/cgi-bin\/luci\/;stok=([^/]*)\/(.*)$/.exec(url.pathname);
    const cookie = /sysauth=([0-9a-f]+)/.exec(new Headers(init?.headers).get('cookie') ?? '')?.[1];
    if (opts.alwaysExpired || (opts.expireAfter !== undefined && uses++ >= opts.expireAfter)) state.session = 'forgotten';
    if (!m) return html(403, luciPage('login'));
    if (cookie !== state.session || m[1] !== state.token) {
      return html(302, '', { 'set-cookie': `sysauth=${cookie ?? 'x'}; expires=Thu, 01 Jan 1970 01:00:00 GMT; path=/cgi-bin/luci/`, location: '/cgi-bin/luci' });
    }
    const path = m[2]!;
    if (path === 'admin/system/system' && method === 'GET') return html(200, luciPage(state.ntp ? 'system-ntp-on' : 'system-ntp-off'), { 'x-cbi-state': '0' });
    if (path === 'admin/system/system' && method === 'POST') {
      const fd = await new Request(url, { method: 'POST', body: init!.body as FormData }).formData();
      const entries = [...fd.entries()].map(([k, v]) => [k, String(v)] as [string, string]);
      state.posted.push(entries);
      if (opts.invalid) return html(200, luciPage('system-invalid'), { 'x-cbi-state': '-1' });
      // cbi.lua Flag.parse: only with its cbi.cbe marker; present = enabled.
      if (!opts.stuck && fd.has('cbi.cbe.system.ntp.enable')) state.ntp = fd.has('cbid.system.ntp.enable');
      return html(200, luciPage('system-applied'), { 'x-cbi-state': '2' });
    }
    if (path.startsWith('servicectl/restart/')) {
      state.applied.push(path.slice('servicectl/restart/'.length));
      return new Response('OK', { status: 200 });
    }
    if (path === 'servicectl/status') {
      state.statusPolls++;
      return new Response(state.statusPolls <= (opts.applyingPolls ?? 0) ? '/etc/config/system' : 'finish', { status: 200 });
    }
    return html(404, 'No page is registered at this path.');
  };
  return { state, fetchImpl };
}
