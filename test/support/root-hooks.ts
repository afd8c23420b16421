import { DockerEngine, LABEL } from '../../harness/engine/index.js';

/**
 * After the Docker tiers: nothing labelled by firmlab may be left behind
 * (DESIGN.md: no stray containers or networks). A leftover fails the run.
 */
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    const engine = await DockerEngine.connect();
    const containers = await engine.client.listContainers(LABEL.session);
    const networks = await engine.client.listNetworks(LABEL.session);
    const left = [...containers.map((c) => `container ${c.name}`), ...networks.map((n) => `network ${n.name}`)];
    if (left.length) throw new Error(`firmlab objects left behind after the tests: ${left.join(', ')}`);
  },
};
