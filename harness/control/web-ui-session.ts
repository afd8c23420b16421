import { ControlHttpError, ControlUnreachableError, LoginFailedError } from './control-errors.js';
import { FirmlabError } from '../errors.js';
import { boundedText } from './http-body.js';

export type Fetch = typeof fetch;

export interface WebUiOptions {
  /** e.g. http://10.213.4.2 (the emulator container forwards port 80 to the guest's LAN). */
  baseUrl: string;
  password: string;
  timeoutMs?: number;
  fetch?: Fetch;
}

interface LuciReply {
  success?: boolean;
  errorcode?: string;
  data?: Record<string, unknown>;
}

/**
 * A session with a TP-Link LuCI-style web UI: `POST /cgi-bin/luci/;stok=/login`
 * yields a token (`stok`) that every later path carries
 * (`/cgi-bin/luci/;stok=<token>/admin/...?form=...`). An expired token is
 * answered with 403; the session then logs in again, once.
 */
export class WebUiSession {
  readonly dialect = 'tplink-json' as const;
  /** This login has no user, only a password. */
  readonly user = undefined;
  private stok: string | undefined;
  private readonly fetch: Fetch;
  private readonly timeoutMs: number;

  constructor(private readonly opts: WebUiOptions) {
    this.fetch = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  get token(): string | undefined {
    return this.stok;
  }

  async login(): Promise<string> {
    const url = `${this.opts.baseUrl}/cgi-bin/luci/;stok=/login?form=login`;
    const { status, body, json } = await this.post(url, { operation: 'login', password: this.opts.password });
    const stok = json?.data?.stok;
    if (status !== 200 || json?.success !== true || typeof stok !== 'string' || !stok) throw new LoginFailedError(url, status, body);
    this.stok = stok;
    return stok;
  }

  /** Calls `admin/<path>?form=<form>` with form fields; returns the reply's `data`. */
  async call(path: string, form: string, fields: Record<string, string>): Promise<Record<string, unknown>> {
    if (!this.stok) await this.login();
    let reply = await this.post(this.url(path, form), fields);
    if (reply.status === 403 || reply.status === 401) {
      await this.login();
      reply = await this.post(this.url(path, form), fields);
    }
    if (reply.status !== 200 || reply.json?.success !== true) {
      throw new ControlHttpError(this.url(path, form), reply.status, reply.body, `${fields.operation ?? 'call'} ${path}`);
    }
    return reply.json.data ?? {};
  }

  private url(path: string, form: string): string {
    return `${this.opts.baseUrl}/cgi-bin/luci/;stok=${this.stok}/admin/${path}?form=${encodeURIComponent(form)}`;
  }

  private async post(url: string, fields: Record<string, string>): Promise<{ status: number; body: string; json: LuciReply | undefined }> {
    let res: Response;
    let body: string;
    try {
      res = await this.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // Inside the try: the timeout also ends a body that never finishes.
      body = await boundedText(res, url);
    } catch (e) {
      if (e instanceof FirmlabError) throw e;
      throw new ControlUnreachableError(url, e);
    }
    let json: LuciReply | undefined;
    try {
      json = JSON.parse(body) as LuciReply;
    } catch {
      json = undefined;
    }
    return { status: res.status, body, json };
  }
}
