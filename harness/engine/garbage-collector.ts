import type { EngineClient } from './engine-client.js';
import { mapDockerError, statusOf } from './engine-errors.js';
import { LABEL } from './labels.js';
import { currentOwner, ownerGone, type ProcessOwner } from '../util/process-owner.js';

export interface GcReport {
  containers: { id: string; name: string; session: string }[];
  networks: { id: string; name: string; session: string }[];
  failures: { kind: 'container' | 'network'; name: string; error: string }[];
}

/**
 * Removes every container, then every network, labelled by firmlab
 * (optionally only one session's, or only those `which` picks by their
 * labels). Containers first: a network with endpoints cannot be removed.
 */
export async function collectGarbage(
  client: EngineClient,
  opts: { session?: string; which?: (labels: Record<string, string>) => boolean } = {},
): Promise<GcReport> {
  const filter = opts.session ? `${LABEL.session}=${opts.session}` : LABEL.session;
  const picked = opts.which ?? (() => true);
  const report: GcReport = { containers: [], networks: [], failures: [] };
  let containers;
  let networks;
  try {
    containers = await client.listContainers(filter);
  } catch (e) {
    throw mapDockerError('list containers', e, client.endpoint);
  }
  for (const c of containers.filter((x) => picked(x.labels))) {
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
  for (const n of networks.filter((x) => picked(x.labels))) {
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

/**
 * Removes what runs whose firmlab process is gone left behind (killed with
 * SIGKILL, a cancelled CI job): every object whose owner labels name a
 * process of this host that no longer runs. Objects of live runs (another
 * CI job on this machine), of other hosts sharing the engine and of older
 * firmlab versions without owner labels are never touched.
 */
export function reapOrphans(client: EngineClient, here: ProcessOwner = currentOwner(), startOf?: (pid: number) => string | undefined): Promise<GcReport> {
  return collectGarbage(client, { which: (labels) => ownerGone(labels, here, startOf) === true });
}
