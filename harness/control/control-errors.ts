import { FirmlabError } from '../errors.js';

export class LoginFailedError extends FirmlabError {
  constructor(url: string, status: number, body: string, check = "the scenario's password") {
    super('FIRMLAB_LOGIN_FAILED', `login at ${url} was refused (HTTP ${status}): ${excerpt(body)}; check ${check}`, {
      details: { url, status, body: excerpt(body) },
    });
  }
}

export class ControlHttpError extends FirmlabError {
  constructor(url: string, status: number, body: string, what: string) {
    super('FIRMLAB_CONTROL_HTTP', `${what}: ${url} answered HTTP ${status}: ${excerpt(body)}`, {
      details: { url, status, body: excerpt(body) },
    });
  }
}

export class ControlUnreachableError extends FirmlabError {
  constructor(url: string, cause: unknown) {
    super('FIRMLAB_CONTROL_UNREACHABLE', `the router's web UI at ${url} did not answer: ${(cause as Error)?.message ?? cause}`, {
      cause, details: { url },
    });
  }
}

/** An answer bigger than any web UI page (http-body.ts): not read further, never routed around. */
export class ControlTooLargeError extends FirmlabError {
  constructor(url: string, maxBytes: number, how: string) {
    super('FIRMLAB_CONTROL_TOO_LARGE', `the router's web UI at ${url} answered with more than ${maxBytes} bytes (it ${how}); a web UI page is never that big`, {
      details: { url, maxBytes },
    });
  }
}

/**
 * A web form the driver could not fill or the router would not take: the
 * page lacks the field or button the feature declares, or the router
 * rejected the submitted values. A finding about the page, never a reason
 * to fall back to the console.
 */
export class ControlFormError extends FirmlabError {
  constructor(page: string, problem: string, details: Record<string, unknown> = {}) {
    super('FIRMLAB_CONTROL_FORM', `web UI page ${page}: ${problem}`, { details: { page, ...details } });
  }
}

/** The profile's web UI dialect and the feature's web form do not go together, or no dialect is declared. */
export class WebUiDialectError extends FirmlabError {
  constructor(message: string) {
    super('FIRMLAB_WEBUI_DIALECT', message, { exitKind: 'usage' });
  }
}

export class FeatureReadbackError extends FirmlabError {
  constructor(feature: string, wanted: string, seen: string, via: string) {
    super('FIRMLAB_FEATURE_READBACK', `set ${feature} to ${wanted} via ${via}, but the router reads back ${seen}`, {
      details: { feature, wanted, seen, via },
    });
  }
}

/** The router answered with a value that is neither on nor off (or nothing): never guessed. */
export class FeatureUnreadableError extends FirmlabError {
  constructor(feature: string, seen: string, via: string) {
    super('FIRMLAB_FEATURE_READBACK', `read ${feature} via ${via}, but the router's answer ${JSON.stringify(seen.slice(0, 200))} is neither on nor off`, {
      details: { feature, seen, via },
    });
  }
}

export class UnknownFeatureError extends FirmlabError {
  constructor(name: string, known: string[]) {
    super('FIRMLAB_FEATURE_UNKNOWN', `no feature driver named ${name}; known: ${known.join(', ')}`, { exitKind: 'usage' });
  }
}

export function excerpt(body: string, max = 200): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}
