import { expect } from 'chai';
import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRun } from '../../../harness/analysis/index.js';
import { renderJunit, reporterByName, type RunReport } from '../../../harness/report/index.js';
import { projectRoot } from '../../../harness/paths.js';
import { TEST_RUN } from '../../support/test-run.js';

/** The Surefire/Jenkins JUnit schema CI tools accept (test/fixtures/schemas/README.md). */
const XSD = join(projectRoot(), 'test/fixtures/schemas/junit-10.xsd');

/*
 * junit.xml read back by libxml2 (Debian's xmllint), with the names a
 * firmware controls made as hostile as they get: markup, quotes, non-ASCII
 * and control characters XML 1.0 forbids.
 */
const HOSTILE = 'a<b>&"c\'\u00e9\u4e2d\u0001\u001f.example';

function report(): RunReport {
  const analysis = analyzeRun({
    records: [{ build: 'new', dns: [{ atMs: 1000, name: HOSTILE, type: 'A', response: { rcode: 'NOERROR', ttl: 1 } }] }],
    windows: [{ build: 'new', window: 'disabled', startMs: 0, endMs: 30_000, labLive: true }],
  }, [{ build: 'new', window: 'disabled', domain: '*', none: true }, { build: 'new', window: 'disabled', domain: 'x.example', none: true }]);
  return {
    run: TEST_RUN,
    scenario: { name: 'hostile & <names>', file: 's.yaml' }, startedAtMs: 0, finishedAtMs: 1, durationMs: 1500, runDir: '/r',
    exitCode: analysis.summary.exitCode, analysis,
    builds: [{ build: 'new', firmware: { path: '/fw/new "1".bin', version: '1.0.9 <fixed>', sha256: 'b'.repeat(64), model: 'Archer AX55 v1' }, runDir: '/r/new', timings: {}, ok: true, queries: 1 }],
  };
}

describe('junit.xml through xmllint', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'firmlab-junit-')); });
  after(() => rm(dir, { recursive: true, force: true }));

  it('validates against the Surefire/Jenkins junit-10.xsd, keeps every verdict, the firmware as suite properties, and the hostile name legible', async () => {
    const path = (await reporterByName('junit').finish(report(), { reportDir: dir, stdout: process.stdout, stderr: process.stderr }))!;
    const lint = await execa('xmllint', ['--noout', '--schema', XSD, path], { reject: false });
    expect(lint.exitCode, lint.stderr).to.equal(0);
    expect(lint.stderr).to.contain('validates');
    // What a CI tool reads: the cases, the properties, the failure message, decoded.
    const cases = await execa('xmllint', ['--xpath', 'count(//testcase)', path]);
    expect(cases.stdout.trim()).to.equal('2');
    const props = await execa('xmllint', ['--xpath', 'string(//property[@name="firmware.new.version"]/@value)', path]);
    expect(props.stdout).to.equal('1.0.9 <fixed>');
    const failure = await execa('xmllint', ['--xpath', 'string(//failure/@message)', path]);
    expect(failure.stdout).to.contain('a<b>&"c\'\u00e9\u4e2d\ufffd\ufffd.example');
    const suite = await execa('xmllint', ['--xpath', 'string(//testsuite/@name)', path]);
    expect(suite.stdout).to.equal('hostile & <names>');
    expect(await readFile(path, 'utf8')).to.not.match(/[\u0001\u001f]/);
  });

  it('several scenarios of one run in one file: a suite each, the totals summed, still valid', async () => {
    const second: RunReport = { ...report(), scenario: { name: 'second scenario', file: 't.yaml' }, durationMs: 2500 };
    const path = join(dir, 'two.xml');
    await writeFile(path, renderJunit([report(), second]));
    const lint = await execa('xmllint', ['--noout', '--schema', XSD, path], { reject: false });
    expect(lint.exitCode, lint.stderr).to.equal(0);
    const xpath = async (q: string) => (await execa('xmllint', ['--xpath', q, path])).stdout.trim();
    expect(await xpath('count(//testsuite)')).to.equal('2');
    expect(await xpath('string(//testsuite[2]/@name)')).to.equal('second scenario');
    expect(await xpath('string(/testsuites/@tests)')).to.equal('4');
    expect(await xpath('string(/testsuites/@failures)')).to.equal('2');
    expect(await xpath('string(/testsuites/@time)')).to.equal('4.000');
  });

  it('the schema can fail: a case without its name, or a suite time in the wrong form, is refused', async () => {
    const good = await readFile((await reporterByName('junit').finish(report(), { reportDir: dir, stdout: process.stdout, stderr: process.stderr }))!, 'utf8');
    for (const [what, bad] of [['nameless case', good.replace(/<testcase classname="([^"]*)" name="[^"]*"/, '<testcase classname="$1"')], ['time', good.replace(/time="[0-9.]+"/, 'time="1.5 s"')]] as const) {
      const file = join(dir, `bad-${what.replace(/\W/g, '-')}.xml`);
      await writeFile(file, bad);
      const lint = await execa('xmllint', ['--noout', '--schema', XSD, file], { reject: false });
      expect(lint.exitCode, what).to.not.equal(0);
    }
  });
});
