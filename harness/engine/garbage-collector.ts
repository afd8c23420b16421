import type { EngineClient } from './engine-client.js';
import { mapDockerError, statusOf } from './engine-errors.js';
import { LABEL } from './labels.js';

export interface GcReport {
  containers: { id: string; name: string; session: string }[];
  networks: { id: string; name: string; session: string }[];
  failures: { kind: 'container' | 'network'; name: string; error: string }[];
}

/**
 * Removes every container, then every network, labelled by firmlab
 * (optionally only one session's). Containers first: a network with
 * endpoints cannot be removed.
 */
export async function collectGarbage(client: EngineClient, opts: { session?: string } = {}): Promise<GcReport> {
  const filter = opts.session ? `${LABEL.session}=${opts.session}` : LABEL.session;
  const report: GcReport = { containers: [], networks: [], failures: [] };
  let containers;
  let networks;
  try {
    containers = await client.listContainers(filter);
  } catch (e) {
    throw mapDockerError('list containers', e, client.endpoint);
  }
  for (const c of containers) {
    try {
      await client.removeContainer(c.id);
      report.containers.push({ id: c.id, name: c.name, session: c.labels[LABEL.session] ?? '' });
    } catch (e) {
      if (statusOf(e) === 404) continue;
      report.failures.push({ kind: 'container', name: c.name, error: (e as Error).message });
    }
  }
  try {
    networks = await client.listNetworks(filter);
  } catch (e) {
    throw mapDockerError('list networks', e, client.endpoint);
  }
  for (const n of networks) {
    try {
      await client.removeNetwork(n.id);
      report.networks.push({ id: n.id, name: n.name, session: n.labels[LABEL.session] ?? '' });
    } catch (e) {
      if (statusOf(e) === 404) continue;
      report.failures.push({ kind: 'network', name: n.name, error: (e as Error).message });
    }
  }
  return report;
}
