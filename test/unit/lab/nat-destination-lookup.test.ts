import { expect } from 'chai';
import type { NatEntry } from '../../../harness/emulator/nat-entries.js';
import { NatDestinationLookup } from '../../../harness/lab/nat-destination-lookup.js';

const container = '10.213.5.2';
function entry(clientPort: number, dst: string, dport: number): NatEntry {
  return {
    transport: 'udp',
    original: { source: { address: '10.200.0.2', port: clientPort }, destination: { address: dst, port: dport } },
    reply: { source: { address: '10.213.5.1', port: 36000 }, destination: { address: container, port: clientPort } },
    dnat: true,
  };
}
const flow = (port: number) => ({ transport: 'udp' as const, client: { address: container, port } });

describe('NatDestinationLookup', () => {
  let clock = 0;
  const now = () => clock;

  it('answers repeated datagrams of one flow from one read', async () => {
    let reads = 0;
    const lookup = new NatDestinationLookup(async () => { reads++; return [entry(1000, '192.0.2.10', 123)]; }, { now });
    for (let i = 0; i < 5; i++) expect(await lookup.lookup(flow(1000))).to.deep.equal({ address: '192.0.2.10', port: 123 });
    expect(reads).to.equal(1);
  });

  it('reads again for a flow it has not seen, and after maxAgeMs', async () => {
    const table = [entry(1000, '192.0.2.10', 123)];
    const lookup = new NatDestinationLookup(async () => [...table], { now, maxAgeMs: 1000 });
    await lookup.lookup(flow(1000));
    table.push(entry(1001, '198.51.100.9', 8080));
    expect(await lookup.lookup(flow(1001))).to.deep.equal({ address: '198.51.100.9', port: 8080 });
    expect(lookup.reads).to.equal(2);
    clock += 5000;
    table[0] = entry(1000, '203.0.113.1', 9);
    expect(await lookup.lookup(flow(1000))).to.deep.equal({ address: '203.0.113.1', port: 9 });
    expect(lookup.reads).to.equal(3);
  });

  it('coalesces concurrent misses, and a flow arriving mid-read waits for a read that started after it', async () => {
    const table: NatEntry[] = [];
    const gates: (() => void)[] = [];
    const lookup = new NatDestinationLookup(async () => {
      const snapshot = [...table];
      await new Promise<void>((r) => gates.push(r));
      return snapshot;
    }, { now });
    table.push(entry(1000, '192.0.2.1', 1));
    const a = lookup.lookup(flow(1000));
    await Promise.resolve();
    table.push(entry(1001, '192.0.2.2', 2));
    const b = lookup.lookup(flow(1001));
    const c = lookup.lookup(flow(1001));
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
    gates.shift()!();
    expect(await a).to.deep.equal({ address: '192.0.2.1', port: 1 });
    expect(await b).to.deep.equal({ address: '192.0.2.2', port: 2 });
    expect(await c).to.deep.equal({ address: '192.0.2.2', port: 2 });
    expect(lookup.reads).to.equal(2);
  });

  it('answers undefined when conntrack has no such flow, and passes read errors on', async () => {
    const lookup = new NatDestinationLookup(async () => [], { now });
    expect(await lookup.lookup(flow(5))).to.equal(undefined);
    const failing = new NatDestinationLookup(async () => { throw new Error('exec failed'); }, { now });
    const err = await failing.lookup(flow(5)).catch((e: unknown) => e);
    expect((err as Error).message).to.equal('exec failed');
  });
});
