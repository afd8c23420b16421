import { expect } from 'chai';
import type { EgressEvent } from '../../../harness/analysis/analysis-input.js';
import { egressStats } from '../../../harness/analysis/egress-stats.js';

const w = { build: 'old', window: 'w', spans: [{ startMs: 0, endMs: 1000 }], durationMs: 1000, labLive: true };

function egress(atMs: number, address: string, port: number, bytes: number): EgressEvent {
  return { atMs, transport: 'udp', destination: { address, port }, bytes };
}

describe('analysis/egress-stats', () => {
  it('counts events and bytes in the window, per destination, most first', () => {
    const s = egressStats(
      [egress(0, '2001:db8::1', 123, 48), egress(10, '198.51.100.7', 9, 10), egress(20, '2001:db8::1', 123, 48), egress(1000, '198.51.100.7', 9, 99)],
      w,
    );
    expect(s).to.deep.equal({
      build: 'old', window: 'w', count: 3, bytes: 106,
      destinations: [{ destination: 'udp [2001:db8::1]:123', count: 2 }, { destination: 'udp 198.51.100.7:9', count: 1 }],
    });
  });

  it('no events: zeros', () => {
    expect(egressStats([], w)).to.include({ count: 0, bytes: 0 });
  });
});
