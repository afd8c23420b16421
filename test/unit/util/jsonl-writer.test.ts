import { expect } from 'chai';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlWriter } from '../../../harness/util/jsonl-writer.js';

describe('util/jsonl-writer', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'firmlab-jsonl-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('flush() resolves once every line written so far is in the file, in order', async () => {
    const file = join(dir, 'x.jsonl');
    const w = await JsonlWriter.open(file);
    for (let i = 0; i < 20_000; i++) w.write({ i, name: `q${i}.example` });
    await w.flush();
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines).to.have.length(20_001);
    expect(lines[19_999]).to.equal(JSON.stringify({ i: 19_999, name: 'q19999.example' }));
    expect(lines.slice(0, -1).every((l, i) => (JSON.parse(l) as { i: number }).i === i)).to.equal(true);
    await w.close();
  });

  it('appends to what the file held, and ignores writes after close', async () => {
    const file = join(dir, 'x.jsonl');
    for (const n of [1, 2]) {
      const w = await JsonlWriter.open(file);
      w.write({ n });
      await w.close();
      w.write({ late: true });
      await w.flush();
    }
    expect(await readFile(file, 'utf8')).to.equal('{"n":1}\n{"n":2}\n');
  });

  it('rejects a path it cannot open', async () => {
    const e = await JsonlWriter.open(join(dir, 'missing', 'x.jsonl')).catch((x: unknown) => x);
    expect(e).to.have.property('code', 'ENOENT');
  });
});
