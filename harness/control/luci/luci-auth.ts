/**
 * What LuCI's answers mean for a session, as pure functions over status,
 * headers and body (luci/dispatcher.lua, 15.05: `authenticator.htmlauth`
 * and the `sysauth` check in `dispatch`).
 *
 * A login (`POST /cgi-bin/luci` with `luci_username`, `luci_password`) is
 * answered 302 with `Set-Cookie: sysauth=<ubus session id>;
 * path=/cgi-bin/luci/` and `Location: /cgi-bin/luci/;stok=<token>`; older
 * releases build the cookie path with the token in it
 * (`path=/cgi-bin/luci/;stok=<token>`). Later requests need both: the
 * cookie names the session, the path token must equal the one stored in it.
 * Refused credentials get 403 and the login form again.
 */
export interface LuciReplyHead {
  status: number;
  /** The Location header, if any. */
  location: string | null;
  /** Every Set-Cookie header, as sent. */
  setCookies: readonly string[];
  body: string;
}

export type LoginOutcome = { ok: true; sysauth: string; stok: string } | { ok: false; reason: string };

export function loginOutcome(r: LuciReplyHead, nowMs = Date.now()): LoginOutcome {
  if (r.status === 403 || isLoginForm(r.body)) {
    const said = /<div class="error">([^<]*)<\/div>/.exec(r.body)?.[1]?.trim();
    return { ok: false, reason: `LuCI served its login form again${said ? `: "${said}"` : ''}` };
  }
  if (r.status < 300 || r.status >= 400) return { ok: false, reason: `expected a redirect (302) to the session's ;stok= path, got HTTP ${r.status}` };
  const cookie = r.setCookies.map((h) => parseSetCookie(h, nowMs)).find((c) => c?.name === 'sysauth' && c.value !== '' && !c.expired);
  if (!cookie) return { ok: false, reason: `no sysauth cookie in the answer (Set-Cookie: ${r.setCookies.join(' | ') || 'none'})` };
  const stok = stokOf(r.location ?? '') ?? stokOf(cookie.path);
  if (stok === undefined) return { ok: false, reason: `no ;stok= token in Location (${r.location ?? 'none'}) or in the cookie path (${cookie.path || 'none'})` };
  return { ok: true, sysauth: cookie.value, stok };
}

/**
 * Whether LuCI no longer knows the session: 403 (the login form), a
 * redirect that drops the token (15.05 answers a stale `;stok=` with a
 * cookie that expired in 1970 and `Location: /cgi-bin/luci`), or a login
 * form served in the page's place.
 */
export function sessionExpired(r: Pick<LuciReplyHead, 'status' | 'location' | 'body'>): boolean {
  if (r.status === 403) return true;
  if (r.status >= 300 && r.status < 400) return stokOf(r.location ?? '') === undefined;
  return r.status === 200 && isLoginForm(r.body);
}

/** The login form's password field; the pages behind the login never carry it. */
export function isLoginForm(body: string): boolean {
  return /<input[^>]*\bname=["']?luci_password\b/i.test(body);
}

/** The token of a `;stok=<token>` path segment, if there is one. */
export function stokOf(pathOrUrl: string): string | undefined {
  const m = /;stok=([^/?#;\s]+)/.exec(pathOrUrl);
  return m?.[1];
}

/**
 * A LuCI URL (absolute, or a path as pages write them) as the dispatcher
 * path under `/cgi-bin/luci/`, token left out: `/cgi-bin/luci/;stok=ab/admin/system/system`
 * gives `admin/system/system`. Undefined when it is not under LuCI.
 */
export function luciPath(url: string): string | undefined {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
  const m = /^\/cgi-bin\/luci(?:\/|$)(.*)$/.exec(path);
  if (!m) return undefined;
  return m[1]!.replace(/^;stok=[^/]*\/?/, '').replace(/\/+$/, '');
}

interface SetCookie {
  name: string;
  value: string;
  path: string;
  expired: boolean;
}

/**
 * One Set-Cookie header (RFC 6265 section 5.2, the parts LuCI sends). The
 * path is taken up to the next attribute, so `path=/cgi-bin/luci/;stok=ab`
 * (old LuCI) keeps its token: `;stok=` is no cookie attribute.
 */
export function parseSetCookie(header: string, nowMs = Date.now()): SetCookie | undefined {
  const [pair, ...attrs] = header.split(';');
  const eq = pair?.indexOf('=') ?? -1;
  if (!pair || eq <= 0) return undefined;
  const out: SetCookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), path: '', expired: false };
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i]!.trim();
    const [k, ...v] = a.split('=');
    const key = k!.trim().toLowerCase();
    const value = v.join('=').trim();
    if (key === 'path') {
      let path = value;
      while (i + 1 < attrs.length && /^\s*stok=/i.test(attrs[i + 1]!)) path += `;${attrs[++i]!.trim()}`;
      out.path = path;
    } else if (key === 'expires') {
      const at = Date.parse(value);
      if (!Number.isNaN(at) && at <= nowMs) out.expired = true;
    } else if (key === 'max-age' && Number(value) <= 0) {
      out.expired = true;
    }
  }
  return out;
}
