import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerEngine, LABEL, newId } from '../../harness/engine/index.js';
import { Lab } from '../../harness/lab/lab.js';
import { prepareLab } from '../../harness/lab/prepare-lab.js';
import { fixture } from './run-firmlab.js';

export type FixtureBuild = '1.0.7' | '1.0.9';

export const fixtureFile = (build: FixtureBuild) => fixture(`archer-ax55v1-${build}.bin`);

/** A Lab for one fixture build in its own session and a fresh run directory (kept after down). */
export async function fixtureLab(
  engine: DockerEngine,
  build: FixtureBuild,
  opts: { sinkhole?: boolean; timeoutMs?: number; session?: string } = {},
): Promise<Lab> {
  const session = opts.session ?? `e2e-lab-${newId()}`;
  const runDir = await mkdtemp(join(tmpdir(), `fl-lab-${build}-`));
  const prepared = await prepareLab(engine, { file: fixtureFile(build), session, run: `v${build.replace(/\./g, '')}`, runDir });
  return Lab.up(engine, { ...prepared.spec, sinkhole: opts.sinkhole ?? false }, { timeoutMs: opts.timeoutMs ?? 60_000 });
}

/** Containers and networks still carrying this session's label. */
export async function leftovers(engine: DockerEngine, session: string): Promise<string[]> {
  const label = `${LABEL.session}=${session}`;
  const containers = await engine.client.listContainers(label);
  const networks = await engine.client.listNetworks(label);
  return [...containers.map((c) => `container ${c.name}`), ...networks.map((n) => `network ${n.name}`)];
}
