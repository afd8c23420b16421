import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DockerEngine } from '../../harness/engine/index.js';
import type { EgressRecord } from '../../harness/egress/index.js';
import type { Lab } from '../../harness/lab/lab.js';
import { fixtureLab, leftovers } from './lab-support.js';

/** Polls until `pick` finds a record (the sinkhole logs TCP when the connection ends). */
async function waitForRecord(lab: Lab, pick: (r: EgressRecord) => boolean, ms = 15_000): Promise<EgressRecord | undefined> {
  const until = Date.now() + ms;
  for (;;) {
    const hit = lab.sinkhole!.records.find(pick);
    if (hit || Date.now() > until) return hit;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('lab e2e: the sinkhole records where the guest really aimed', function () {
  let engine: DockerEngine;
  let lab: Lab | undefined;

  before(async () => {
    engine = await DockerEngine.connect();
    lab = await fixtureLab(engine, '1.0.9', { sinkhole: true });
    const con = await lab.boot.boot();
    // Documentation addresses only; the container DNATs both flows to the sinkhole.
    await con.exec('echo hello | nc -w 1 203.0.113.10 443 >/dev/null 2>&1; true', { timeoutMs: 20_000 });
    await con.exec('traceroute -n -f 5 -m 5 -q 1 -w 1 198.51.100.20 >/dev/null 2>&1; true', { timeoutMs: 20_000 });
  });

  after(async () => {
    if (!lab) return;
    await lab.down();
    expect(await leftovers(engine, lab.spec.session)).to.deep.equal([]);
  });

  it('a TCP connection to 203.0.113.10:443 is recorded with that destination and its bytes', async () => {
    const r = await waitForRecord(lab!, (x) => x.transport === 'tcp' && x.destination.port === 443);
    expect(r, JSON.stringify(lab!.sinkhole!.records)).to.not.equal(undefined);
    expect(r!.destination).to.deep.equal({ address: '203.0.113.10', port: 443 });
    expect(Buffer.from(r!.firstBytesHex, 'hex').toString()).to.equal('hello\n');
    expect(r!.client.address).to.not.equal(r!.destination.address);
  });

  it('UDP datagrams keep their original destination too', async () => {
    const r = await waitForRecord(lab!, (x) => x.transport === 'udp' && x.destination.address === '198.51.100.20');
    expect(r, JSON.stringify(lab!.sinkhole!.records)).to.not.equal(undefined);
    expect(r!.destination.port).to.be.at.least(33434);
  });

  it('egress.jsonl in the run directory holds the same destinations', async () => {
    await lab!.sinkhole!.flush();
    const lines = (await readFile(join(lab!.runDir, 'egress.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as EgressRecord);
    expect(lines.map((l) => `${l.transport} ${l.destination.address}:${l.destination.port}`)).to.include('tcp 203.0.113.10:443');
    const sink = lab!.sinkhole!.addresses()[0]!;
    expect(lines.some((l) => l.destination.address === sink.host), 'no record names the sinkhole itself').to.equal(false);
  });
});
