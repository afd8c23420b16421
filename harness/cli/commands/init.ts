import { access, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { Command } from '../command.js';
import { FirmlabError, UsageError } from '../../errors.js';
import { projectRoot } from '../../paths.js';
import { writeFileAtomic } from '../../report/index.js';
import { parseDuration } from '../../scenario/duration.js';
import { loadScenario } from '../../scenario/load-scenario.js';
import { runScenario } from '../../scenario/runner.js';
import { snapshotSetting } from '../../lab/snapshot-store.js';
import { BASELINE_WINDOW, starterScenario } from '../../scenario/starter-scenario.js';

export const initCommand: Command = {
  path: ['init'],
  summary: 'boot a firmware once, watch what it contacts on its own, and write a starter scenario (profile, timeouts, the baseline as comments, suggested expectations)',
  usage: 'firmlab init <firmware.bin> [--out scenario.yaml] [--observe 60s] [--boot-timeout 180s] [--force]',
  options: { out: { type: 'string' }, observe: { type: 'string' }, 'boot-timeout': { type: 'string' }, force: { type: 'boolean' } },
  async run(args, ctx) {
    const [file, ...extra] = args.positionals;
    if (file === undefined || extra.length > 0) throw new UsageError(`init takes one firmware file; usage: ${initCommand.usage}`);
    const firmware = resolve(ctx.cwd, file);
    if (!(await stat(firmware).then((s) => s.isFile(), () => false))) throw new UsageError(`${file}: no such firmware file`);
    const duration = (flag: string, fallback: string) => {
      const text = (args.values[flag] as string | undefined) ?? fallback;
      try {
        return parseDuration(text);
      } catch {
        throw new UsageError(`--${flag} must be a duration such as 60s or 2m, not ${text}`);
      }
    };
    const observeMs = duration('observe', '60s');
    const bootMs = duration('boot-timeout', '180s');
    const name = basename(firmware).replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'firmware';
    const out = resolve(ctx.cwd, (args.values.out as string | undefined) ?? `${name}.yaml`);
    if (!args.values.force && (await access(out).then(() => true, () => false))) throw new UsageError(`${relative(ctx.cwd, out) || out} exists; --force to replace it`);

    // The baseline: one build, booted, watched with no setting changed.
    const work = await mkdtemp(join(tmpdir(), 'firmlab-init-'));
    try {
      const baseline = join(work, 'baseline.yaml');
      await writeFile(baseline, stringify({
        name: `${name}-baseline`, builds: { new: firmware },
        steps: [{ boot: { timeout: `${Math.round(bootMs / 1000)}s` } }, { observe: { for: `${Math.round(observeMs / 1000)}s`, as: BASELINE_WINDOW } }],
      }));
      ctx.stderr.write(`init: booting ${file} and watching it for ${Math.round(observeMs / 1000)} s with no setting changed\n`);
      const reportDir = join(ctx.cwd, '.firmlab', 'init', name);
      // The baseline sees the real boot (what the firmware contacts on its own from power-on); the router is
      // saved for the runs of the starter scenario that follow.
      const snapshots = snapshotSetting(false, ctx.env, 'cold');
      const report = await runScenario(baseline, { reportDir, reporters: ['console', 'json', 'html'], env: ctx.env, cwd: ctx.cwd, signal: ctx.signal, stdout: ctx.stderr, stderr: ctx.stderr, snapshots });
      if (report.error || !report.builds[0]?.ok) {
        const e = report.error ?? report.builds[0]?.error;
        throw new FirmlabError(e?.code ?? 'FIRMLAB_INIT_FAILED', `the baseline boot of ${file} failed, so no starter scenario was written: ${e?.message ?? 'unknown'} (report: ${reportDir}/report.html)`);
      }
      const scenarioDir = dirname(out);
      const text = starterScenario(report, {
        firmware: relative(scenarioDir, firmware), schema: relative(scenarioDir, join(projectRoot(), 'scenarios', 'schema.json')), name,
        command: `firmlab init ${file}`, next: `npx firmlab run ${relative(ctx.cwd, out) || out}`,
      });
      await writeFileAtomic(out, text);
      // What was written must load as it is: the user's next command is `run`.
      await loadScenario(out);
      ctx.stdout.write(`${out}\n`);
      ctx.stderr.write(`init: wrote ${relative(ctx.cwd, out)} (baseline report: ${relative(ctx.cwd, reportDir)}/report.html); next: edit its builds and steps, then firmlab run ${relative(ctx.cwd, out)}\n`);
      return 0;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};
