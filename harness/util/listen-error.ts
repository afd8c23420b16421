import { FirmlabError } from '../errors.js';
import type { ListenAddress } from './listen-address.js';

/** A recorder or sinkhole socket could not be bound (port taken, address not local, no permission). */
export class ListenError extends FirmlabError {
  constructor(what: string, address: ListenAddress, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('FIRMLAB_LISTEN_FAILED', `${what} could not listen on ${address.host}:${address.port}: ${reason}`, {
      cause,
      details: { host: address.host, port: address.port },
    });
  }
}
