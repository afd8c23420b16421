import type { RunIdentity } from '../../harness/report/index.js';

/** The identity of an unsharded run of one single-model scenario, for reports built in tests. */
export const TEST_RUN: RunIdentity = {
  id: 'test-run', harness: '0.0.0-test', shard: { index: 1, total: 1 },
  scenarios: [{ file: 'x.yaml', name: 'x', sha256: '0'.repeat(64) }], scenario: 0,
  units: [{ key: 'x/-', scenario: 0, builds: ['old', 'new'], expectedMs: 60_000, shard: 1 }],
};
