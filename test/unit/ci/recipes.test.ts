import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PassThrough } from 'node:stream';
import { validateWorkflow } from '@action-validator/core';
import { Ajv } from 'ajv';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { parse as parseYaml } from 'yaml';
import { COMMANDS } from '../../../harness/cli/registry.js';
import { findCommand, runCli } from '../../../harness/cli/run-cli.js';
import { projectRoot } from '../../../harness/paths.js';

/*
 * The nightly recipes (#11) are tested the way one can without the engines:
 * each file against its engine's published schema or model (SchemaStore's
 * GitHub workflow schema through action-validator, GitLab's CI schema, the
 * Kubernetes API models), and every firmlab
 * command in them parsed by firmlab's own CLI and, for `run`, planned, so a
 * renamed flag or a moved scenario breaks this test, not a user's nightly.
 * The same flags run for real in the sharded e2e (matrix-scenario.test.ts).
 */
const root = projectRoot();
const text = (path: string) => readFile(join(root, path), 'utf8');
const RECIPES = ['.github/workflows/nightly.yml', 'docs/ci/gitlab-ci.yml', 'docs/ci/k8s-nightly-job.yaml'];

/** What the engines would put in the variables the recipes use. */
const SAMPLE: Record<string, string> = {
  SCENARIOS: 'scenarios/homeshield-matrix.yaml', SHARDS: '3', CI_NODE_INDEX: '2', JOB_COMPLETION_INDEX: '1',
  FIRMLAB_RUN_ID: 'nightly-1', 'matrix.shard': '2',
};

/** Every `npx firmlab ...` command line in a recipe (the Kubernetes one: `node dist/harness/cli/main.js`), variables filled in, as argv. */
function firmlabCommands(source: string): string[][] {
  // The Kubernetes recipe gives its command as a YAML list.
  const k8s = (() => {
    const doc = parseYaml(source) as { spec?: { template?: { spec?: { containers?: { command?: string[] }[] } } } };
    return doc.spec?.template?.spec?.containers?.map((c) => c.command ?? []).filter((c) => c[0] === 'node') ?? [];
  })();
  const lines = source.split('\n').filter((l) => !/^\s*#/.test(l) && l.includes('npx firmlab ')).map((l) => l.slice(l.indexOf('npx firmlab ')));
  // ${{ matrix.shard }} (GitHub), $NAME and ${NAME} (shells), $(NAME) (Kubernetes).
  const fill = (s: string) => s.replace(/\$\{\{\s*matrix\.shard\s*\}\}|\$\{([A-Z_]+)\}|\$([A-Z_]+)|\$\(([A-Z_]+)\)/g,
    (m, a?: string, b?: string, c?: string) => SAMPLE[a ?? b ?? c ?? 'matrix.shard'] ?? m);
  return [...k8s.map((c) => c.map(fill)), ...lines.map((l) => fill(l).split(/\s+/).filter((w) => w !== ''))].map((argv) => argv.slice(2));
}

describe('CI recipes for the sharded nightly', () => {
  it('the GitHub workflow passes the workflow schema, runs on a schedule and never on push', async () => {
    const content = await text('.github/workflows/nightly.yml');
    expect(validateWorkflow(content).errors).to.deep.equal([]);
    // The schema can fail: a typo in a job keyword is refused.
    expect(validateWorkflow(content.replace('runs-on: ubuntu-latest', 'runs_on: ubuntu-latest')).errors).to.not.deep.equal([]);
    const on = (parseYaml(content) as { on: Record<string, unknown> }).on;
    expect(Object.keys(on).sort()).to.deep.equal(['schedule', 'workflow_dispatch']);
    // The shard matrix and SHARDS agree, and the merge waits for every shard.
    const doc = parseYaml(content) as { env: { SHARDS: string }; jobs: { shard: { strategy: { matrix: { shard: number[] } } }; merge: { needs: string; if: string } } };
    expect(doc.jobs.shard.strategy.matrix.shard).to.deep.equal(Array.from({ length: Number(doc.env.SHARDS) }, (_, i) => i + 1));
    expect(doc.jobs.merge).to.include({ needs: 'shard', if: 'always()' });
  });

  it('the GitLab job passes GitLab\'s CI schema, shards with parallel: and runs only on schedules', async () => {
    const schema = JSON.parse(await text('test/fixtures/schemas/gitlab-ci.json')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    const doc = parseYaml(await text('docs/ci/gitlab-ci.yml')) as Record<string, { parallel?: number; rules?: { if: string }[] }>;
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).to.equal(true);
    expect(doc['firmlab-shard']!.parallel).to.equal(3);
    for (const job of ['firmlab-shard', 'firmlab-merge']) expect(doc[job]!.rules!.map((r) => r.if)).to.deep.equal(['$CI_PIPELINE_SOURCE == "schedule"']);
    // The schema can fail: a typo in a keyword is refused.
    expect(validate({ ...doc, 'firmlab-shard': { ...doc['firmlab-shard'], paralel: 3 } })).to.equal(false);
  });

  it('the Kubernetes Job validates against the Kubernetes API models: Indexed, never pulled, no capability in the pod', async () => {
    const doc = parseYaml(await text('docs/ci/k8s-nightly-job.yaml')) as Record<string, unknown>;
    const job = new Job(doc as ConstructorParameters<typeof Job>[0]);
    expect(() => job.validate()).to.not.throw();
    expect(job.spec!.completionMode).to.equal('Indexed');
    const c = job.spec!.template.spec!.containers[0]!;
    expect(c.imagePullPolicy).to.equal('Never');
    expect(c.securityContext).to.deep.include({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(c.command).to.include('--shard-total');
    expect(c.command![c.command!.indexOf('--shard-total') + 1]).to.equal(String(job.spec!.completions));
    // The model can fail: a bad completion mode is refused.
    expect(() => new Job({ ...(doc as object), spec: { ...(doc.spec as object), completionMode: 7 } } as never).validate()).to.throw();
  });

  for (const recipe of RECIPES) {
    it(`${recipe}: every firmlab command parses with today's CLI, and each run plans its shard`, async () => {
      const commands = firmlabCommands(await text(recipe));
      expect(commands.length, 'firmlab commands found').to.be.at.least(recipe.includes('k8s') ? 1 : 2);
      for (const argv of commands) {
        const found = findCommand(COMMANDS, argv);
        expect(found, argv.join(' ')).to.not.equal(undefined);
        expect(() => parseArgs({ args: found!.rest, options: found!.command.options, allowPositionals: true, strict: true }), argv.join(' ')).to.not.throw();
        if (found!.command.path[0] !== 'run') continue;
        // The same arguments, handed to `plan` instead of `run`: the shard must exist and its scenarios load.
        const keep = parseArgs({ args: found!.rest, options: found!.command.options, allowPositionals: true, strict: true });
        const planArgv = ['plan', ...keep.positionals, '--json',
          ...(typeof keep.values.shard === 'string' ? ['--shard', keep.values.shard] : []),
          ...(typeof keep.values['shard-total'] === 'string' ? ['--shard-total', keep.values['shard-total']] : [])];
        const out: string[] = [];
        const err: string[] = [];
        const env = recipe.includes('gitlab') ? { CI_NODE_INDEX: SAMPLE.CI_NODE_INDEX, CI_NODE_TOTAL: '3' } : recipe.includes('k8s') ? { JOB_COMPLETION_INDEX: SAMPLE.JOB_COMPLETION_INDEX } : {};
        const code = await runCli(COMMANDS, planArgv, {
          stdout: new PassThrough().on('data', (c: Buffer) => out.push(c.toString())), stderr: new PassThrough().on('data', (c: Buffer) => err.push(c.toString())),
          env, cwd: root, signal: new AbortController().signal,
        });
        expect(code, `${planArgv.join(' ')}: ${err.join('')}`).to.equal(0);
        const planned = JSON.parse(out.join('')) as { shard: { index: number; total: number } };
        expect(planned.shard).to.deep.equal({ index: 2, total: 3 });
      }
    });
  }
});
