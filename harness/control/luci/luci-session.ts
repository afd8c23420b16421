import { ControlHttpError, ControlUnreachableError, LoginFailedError } from '../control-errors.js';
import { boundedText } from '../http-body.js';
import { FirmlabError } from '../../errors.js';
import type { Fetch } from '../web-ui-session.js';
import type { FormEntries } from './html-form.js';
import { visibleText } from './html-tokens.js';
import { loginOutcome, sessionExpired, type LuciReplyHead } from './luci-auth.js';

export interface LuciOptions {
  /** e.g. http://10.213.4.2 (the emulator container forwards port 80 to the guest's LAN). */
  baseUrl: string;
  username: string;
  /** A fresh OpenWrt's root has none: LuCI then takes any password for root, the empty one included. */
  password: string;
  timeoutMs?: number;
  /** The first login's own time limit; default FIRST_LOGIN_TIMEOUT_MS. */
  firstLoginTimeoutMs?: number;
  /** Pause between the first login's attempts when the connection is refused or reset; default 2 s. */
  retryDelayMs?: number;
  fetch?: Fetch;
}

/**
 * A LuCI page on an emulated MIPS router (Lua under TCG) takes a second or
 * two, but OpenWrt 15.05's uhttpd runs at most 3 CGIs at once and kills one
 * only after 60 s (script_timeout): a request queued behind a slow LuCI is
 * answered after that. Pages have taken past 30 s in CI under load, so a
 * request waits 90 s before the router counts as not answering.
 */
export const REQUEST_TIMEOUT_MS = 90_000;
/**
 * LuCI's first login builds its dispatch index and caches: it has taken
 * past 120 s in CI under load. Only the first login gets this long.
 */
export const FIRST_LOGIN_TIMEOUT_MS = 240_000;
/** Right after boot uhttpd may restart once as LuCI is first asked: a refused or reset first login is tried again. */
const FIRST_LOGIN_ATTEMPTS = 3;

export interface LuciReply extends LuciReplyHead {
  url: string;
  headers: Headers;
}

/**
 * A session with OpenWrt's LuCI as uhttpd serves it: log in with the
 * login form's fields, keep the `sysauth` cookie and the `;stok=` token
 * (luci-auth.ts), and send both with every page. When LuCI no longer knows
 * the session (the login form again, 403, or a redirect that drops the
 * token) it logs in again, once, and repeats the request.
 */
export class LuciSession {
  readonly dialect = 'luci' as const;
  private auth: { sysauth: string; stok: string } | undefined;
  private readonly fetch: Fetch;
  private readonly timeoutMs: number;
  /** Logins so far (the first, and one per expired session). */
  logins = 0;

  constructor(private readonly opts: LuciOptions) {
    this.fetch = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  get user(): string {
    return this.opts.username;
  }

  get token(): string | undefined {
    return this.auth?.stok;
  }

  async login(): Promise<string> {
    const url = `${this.opts.baseUrl}/cgi-bin/luci`;
    const form = () => new URLSearchParams({ luci_username: this.opts.username, luci_password: this.opts.password });
    const r = this.logins > 0 ? await this.send(url, 'POST', form(), false) : await this.firstLogin(url, form);
    const outcome = loginOutcome(r);
    if (!outcome.ok) {
      this.auth = undefined;
      throw new LoginFailedError(url, r.status, `${outcome.reason}; ${visibleText(r.body)}`, `the scenario's username (${this.opts.username}) and password`);
    }
    this.auth = { sysauth: outcome.sysauth, stok: outcome.stok };
    this.logins++;
    return outcome.stok;
  }

  /**
   * The first login: its longer time limit, and a refused or reset
   * connection tried again (a timeout is not: it already waited long). After
   * one login succeeded, a router that stops answering is an answer.
   */
  private async firstLogin(url: string, form: () => URLSearchParams): Promise<LuciReply> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(url, 'POST', form(), false, this.opts.firstLoginTimeoutMs ?? FIRST_LOGIN_TIMEOUT_MS);
      } catch (e) {
        const timedOut = (e as { cause?: { name?: string } }).cause?.name === 'TimeoutError';
        if (!(e instanceof ControlUnreachableError) || timedOut || attempt >= FIRST_LOGIN_ATTEMPTS) throw e;
        await new Promise((r) => setTimeout(r, this.opts.retryDelayMs ?? 2_000));
      }
    }
  }

  /** GETs a dispatcher path (`admin/system/system`) in the session. */
  get(path: string, what = `GET ${path}`): Promise<LuciReply> {
    return this.request(path, what, () => ({ method: 'GET' }));
  }

  /** POSTs a form's entries to a dispatcher path, encoded as the form's enctype says. */
  post(path: string, entries: FormEntries, enctype: string, what = `POST ${path}`): Promise<LuciReply> {
    return this.request(path, what, () => ({ method: 'POST', body: encode(entries, enctype) }));
  }

  private async request(path: string, what: string, init: () => { method: string; body?: FormData | URLSearchParams }): Promise<LuciReply> {
    if (!this.auth) await this.login();
    let r = await this.attempt(path, init());
    if (sessionExpired(r)) {
      await this.login();
      r = await this.attempt(path, init());
      if (sessionExpired(r)) throw new ControlHttpError(r.url, r.status, said(r), `${what}: the session was refused again right after logging in`);
    }
    if (r.status !== 200) throw new ControlHttpError(r.url, r.status, said(r), what);
    return r;
  }

  private attempt(path: string, init: { method: string; body?: FormData | URLSearchParams }): Promise<LuciReply> {
    const url = `${this.opts.baseUrl}/cgi-bin/luci/;stok=${this.auth!.stok}/${path.replace(/^\/+/, '')}`;
    return this.send(url, init.method, init.body, true);
  }

  private async send(url: string, method: string, body: FormData | URLSearchParams | undefined, withCookie: boolean, timeoutMs = this.timeoutMs): Promise<LuciReply> {
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(url, {
        method,
        // Redirects are answers here (a login's token, an expired session), never followed.
        redirect: 'manual',
        headers: withCookie && this.auth ? { cookie: `sysauth=${this.auth.sysauth}` } : {},
        ...(body !== undefined && { body }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await boundedText(res, url);
    } catch (e) {
      if (e instanceof FirmlabError) throw e;
      throw new ControlUnreachableError(url, e);
    }
    return { url, status: res.status, headers: res.headers, location: res.headers.get('location'), setCookies: res.headers.getSetCookie(), body: text };
  }
}

/** What an answer said, for error messages: its redirect, and its text rather than its markup. */
function said(r: LuciReply): string {
  const text = visibleText(r.body);
  return r.location ? `Location: ${r.location}${text ? `; ${text}` : ''}` : text;
}

/** LuCI's CBI forms are multipart (`enctype="multipart/form-data"`); fetch sets the boundary. */
function encode(entries: FormEntries, enctype: string): FormData | URLSearchParams {
  if (enctype === 'multipart/form-data') {
    const fd = new FormData();
    for (const [k, v] of entries) fd.append(k, v);
    return fd;
  }
  const p = new URLSearchParams();
  for (const [k, v] of entries) p.append(k, v);
  return p;
}
