import { FirmlabError } from '../errors.js';

export class EngineUnavailableError extends FirmlabError {
  constructor(endpoint: string, cause: unknown) {
    super(
      'FIRMLAB_ENGINE_UNAVAILABLE',
      `no Docker engine answered at ${endpoint} (${reason(cause)}); ` +
        'start one with `make setup` (installs Debian\'s docker.io and starts dockerd) ' +
        'or `dockerd >/var/log/dockerd.log 2>&1 &`, or point DOCKER_HOST at a running engine',
      { cause, details: { endpoint } },
    );
  }
}

export class ImageMissingError extends FirmlabError {
  constructor(image: string) {
    super(
      'FIRMLAB_IMAGE_MISSING',
      `image ${image} is not present and firmlab never pulls from a registry; build it with \`firmlab images build\``,
      { details: { image } },
    );
  }
}

export class ImageBuildError extends FirmlabError {
  constructor(name: string, message: string, logTail: string[], cause?: unknown) {
    super('FIRMLAB_IMAGE_BUILD', `building image ${name} failed: ${message}; last build lines: ${logTail.join(' | ')}`, {
      cause,
      details: { name, logTail },
    });
  }
}

export class DockerApiError extends FirmlabError {
  constructor(action: string, cause: unknown) {
    super('FIRMLAB_DOCKER', `${action} failed: ${reason(cause)}`, { cause, details: { action } });
  }
}

/** Connection-level failures mean the engine is gone, not that a request was wrong. */
export function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && ['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EACCES', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code);
}

export function statusOf(e: unknown): number | undefined {
  const s = (e as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** Maps a dockerode error into ours, keeping the original as `cause`. */
export function mapDockerError(action: string, e: unknown, endpoint: string, image?: string): FirmlabError {
  if (e instanceof FirmlabError) return e;
  if (isConnectionError(e)) return new EngineUnavailableError(endpoint, e);
  if (statusOf(e) === 404 && image !== undefined && /image/i.test(reason(e))) return new ImageMissingError(image);
  return new DockerApiError(action, e);
}

export function reason(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    const json = (e as { json?: { message?: unknown } }).json;
    const msg = typeof json?.message === 'string' ? json.message : e.message;
    return typeof code === 'string' && !msg.includes(code) ? `${code}: ${msg}` : msg;
  }
  return String(e);
}
