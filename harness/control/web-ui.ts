import { WebUiDialectError } from './control-errors.js';
import { LuciSession } from './luci/luci-session.js';
import { WebUiSession, type Fetch } from './web-ui-session.js';

/**
 * Which web UI a firmware family serves, as its device profile declares it:
 * the fixture's TP-Link-style JSON login (a password, no user), or
 * OpenWrt's LuCI (a user and a password; `user` is the default when a
 * scenario's login names none).
 */
export type WebUiDialect = { kind: 'tplink-json' } | { kind: 'luci'; user: string };

/** A logged-in (or about to be) web UI session of either dialect. */
export type WebUi = WebUiSession | LuciSession;

/** Which form kind of a feature definition each dialect's session fills. */
export const FORM_KIND_OF: Record<WebUi['dialect'], 'tplink-form' | 'luci-cbi'> = { 'tplink-json': 'tplink-form', luci: 'luci-cbi' };

export interface OpenWebUiOptions {
  baseUrl: string;
  /** Only LuCI asks for one; default: the dialect's. */
  username?: string;
  password: string;
  fetch?: Fetch;
}

/** The session for a profile's web UI dialect (not yet logged in). */
export function openWebUi(dialect: WebUiDialect | undefined, profile: string, o: OpenWebUiOptions): WebUi {
  if (!dialect) throw new WebUiDialectError(`the ${profile} device profile declares no web UI, so there is nothing to log in to; switch features through the console`);
  if (dialect.kind === 'luci') {
    return new LuciSession({ baseUrl: o.baseUrl, username: o.username ?? dialect.user, password: o.password, ...(o.fetch && { fetch: o.fetch }) });
  }
  if (o.username !== undefined) {
    throw new WebUiDialectError(`the ${profile} firmware's web UI (TP-Link JSON login) takes a password only; drop \`username\` from the login step`);
  }
  return new WebUiSession({ baseUrl: o.baseUrl, password: o.password, ...(o.fetch && { fetch: o.fetch }) });
}
