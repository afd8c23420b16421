import { FirmlabError } from '../errors.js';

/**
 * A DnsRecorderCluster worker exited while the recorder was running, or reported a
 * failure. The other workers keep serving the shared sockets; the records this one
 * had not shipped yet (at most one batch interval's worth) are lost, and this error
 * is how that loss is reported instead of going unnoticed.
 */
export class DnsWorkerError extends FirmlabError {
  constructor(worker: number, pid: number | undefined, what: string) {
    super('FIRMLAB_DNS_WORKER_FAILED', `DNS recorder worker ${worker} (pid ${pid ?? '?'}) ${what}`, { details: { worker, pid } });
  }
}
