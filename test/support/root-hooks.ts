import { randomBytes } from 'node:crypto';
import { DockerEngine, OWNER_LABEL } from '../../harness/engine/index.js';

/*
 * Every object this test run makes, in this process or in the firmlab
 * processes it starts (they inherit the environment), carries this tag, so
 * the leftover check below looks at this run's objects only: another firmlab
 * run on the machine (a nightly, a second CI job) is not this suite's leak.
 */
process.env.FIRMLAB_OWNER_TAG ??= `test-${process.pid}-${randomBytes(4).toString('hex')}`;
const TAG = `${OWNER_LABEL.tag}=${process.env.FIRMLAB_OWNER_TAG}`;

/*
 * Routers boot cold in the tests unless a test asks for snapshots (the
 * snapshot e2e does, with a cache of its own): a test of what a boot does
 * must see a boot, and one test's saved router must not stand in for
 * another's.
 */
process.env.FIRMLAB_SNAPSHOTS ??= 'off';

/**
 * After the Docker tiers: nothing this test run labelled may be left behind
 * (DESIGN.md: no stray containers or networks). A leftover fails the run.
 */
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    const engine = await DockerEngine.connect();
    const containers = await engine.client.listContainers(TAG);
    const networks = await engine.client.listNetworks(TAG);
    const left = [...containers.map((c) => `container ${c.name}`), ...networks.map((n) => `network ${n.name}`)];
    if (left.length) throw new Error(`firmlab objects left behind after the tests: ${left.join(', ')}`);
  },
};
