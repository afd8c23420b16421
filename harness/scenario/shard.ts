import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import { BUILD_NAMES, type BuildName, type Scenario, type Step } from './scenario.js';

/** Shard `index` of `total`, both counted from 1 (`--shard 2/3`). */
export interface ShardSpec {
  index: number;
  total: number;
}

/**
 * The unit a shard runs: one model of one scenario with all of its builds,
 * so old and new are always judged together on one machine.
 */
export interface RunUnit {
  /** `homeshield-matrix/deco-x20v1`: scenario name and model, the same on every machine. */
  key: string;
  /** Which of the run's scenario files (0-based, in command-line order). */
  scenario: number;
  model?: string;
  builds: BuildName[];
  /** What the unit is expected to take, builds one after another: boots, windows, steps. */
  expectedMs: number;
}

/** A unit and the shard that runs it: the run's whole plan, which every shard writes down. */
export interface PlacedUnit extends RunUnit {
  shard: number;
}

/** `2/3` → shard 2 of 3; anything else is a usage error that says what was given. */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UsageError(`--shard must be INDEX/TOTAL (e.g. 2/3), not ${JSON.stringify(text)}`);
  return checkedShard(Number(m[1]), Number(m[2]), `--shard ${text}`);
}

function checkedShard(index: number, total: number, said: string): ShardSpec {
  if (!Number.isSafeInteger(total) || total < 1) throw new UsageError(`${said}: the shard total must be 1 or more`);
  if (!Number.isSafeInteger(index) || index < 1 || index > total) throw new UsageError(`${said}: the shard index must be from 1 to ${total}`);
  return { index, total };
}

/**
 * The shard this process runs: the flag when given, else what the CI engine
 * says (GitLab's `parallel:` sets CI_NODE_INDEX/CI_NODE_TOTAL, counted from
 * 1; a Kubernetes Indexed Job sets JOB_COMPLETION_INDEX, counted from 0, and
 * the total comes from `--shard-total`), else none: run everything.
 */
export function shardFrom(flag: { shard?: string; shardTotal?: string }, env: NodeJS.ProcessEnv): ShardSpec | undefined {
  if (flag.shard !== undefined) return parseShard(flag.shard);
  const whole = (name: string, text: string) => {
    if (!/^\s*\d+\s*$/.test(text)) throw new UsageError(`${name} must be a whole number, not ${JSON.stringify(text)}`);
    return Number(text);
  };
  if (env.JOB_COMPLETION_INDEX !== undefined && env.JOB_COMPLETION_INDEX !== '') {
    if (flag.shardTotal === undefined) throw new UsageError('JOB_COMPLETION_INDEX is set: give the number of shards with --shard-total N (the Job\'s completions)');
    const index = whole('JOB_COMPLETION_INDEX', env.JOB_COMPLETION_INDEX) + 1;
    return checkedShard(index, whole('--shard-total', flag.shardTotal), `JOB_COMPLETION_INDEX=${env.JOB_COMPLETION_INDEX} --shard-total ${flag.shardTotal}`);
  }
  if (env.CI_NODE_INDEX !== undefined && env.CI_NODE_INDEX !== '' && env.CI_NODE_TOTAL !== undefined && env.CI_NODE_TOTAL !== '') {
    const total = flag.shardTotal === undefined ? whole('CI_NODE_TOTAL', env.CI_NODE_TOTAL) : whole('--shard-total', flag.shardTotal);
    return checkedShard(whole('CI_NODE_INDEX', env.CI_NODE_INDEX), total, `CI_NODE_INDEX=${env.CI_NODE_INDEX} CI_NODE_TOTAL=${env.CI_NODE_TOTAL}`);
  }
  if (flag.shardTotal !== undefined) throw new UsageError('--shard-total needs JOB_COMPLETION_INDEX or CI_NODE_INDEX in the environment, or use --shard INDEX/TOTAL');
  return undefined;
}

/**
 * What one build is expected to take, from the scenario alone (a shard must
 * plan without unpacking firmware, and every machine must plan alike): a
 * boot or reboot at most BOOT_ESTIMATE_MS (the fixture reaches ready in
 * ~16 s, OpenWrt on malta in ~30 s) or its timeout if shorter, each
 * window its length, other steps a few seconds, plus lab set-up and
 * teardown.
 */
export const BOOT_ESTIMATE_MS = 30_000;
const STEP_ESTIMATE_MS = 2_000;
const LAB_ESTIMATE_MS = 5_000;

function stepEstimateMs(step: Step): number {
  switch (step.kind) {
    case 'boot': case 'reboot': return Math.min(step.timeoutMs, BOOT_ESTIMATE_MS);
    case 'observe': return step.forMs;
    case 'console': case 'waitFor': return Math.min(step.timeoutMs, STEP_ESTIMATE_MS);
    default: return STEP_ESTIMATE_MS;
  }
}

/** The run's units in command-line order: per scenario file, its models in file order. */
export function runUnits(scenarios: readonly Scenario[]): RunUnit[] {
  const units: RunUnit[] = [];
  const seen = new Map<string, number>();
  for (const [i, s] of scenarios.entries()) {
    const perBuild = LAB_ESTIMATE_MS + s.steps.reduce((t, step) => t + stepEstimateMs(step), 0);
    for (const m of s.models) {
      const builds = BUILD_NAMES.filter((b) => m.firmware[b] !== undefined);
      const base = `${s.name}/${m.model ?? '-'}`;
      // The same scenario file named twice: its second copy is a unit of its own.
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      units.push({ key: n === 1 ? base : `${base}#${n}`, scenario: i, ...(m.model !== undefined && { model: m.model }), builds, expectedMs: builds.length * perBuild });
    }
  }
  return units;
}

/**
 * Places every unit on one of `total` shards, the same on every machine.
 *
 * Each unit has its own order of preference over the shards (rendezvous
 * hashing: sha256 of its key and the shard number), so where it goes
 * depends on its own key first, not on its position among the others, and
 * adding a unit moves others only when balance demands it. Units are placed
 * longest first (then by key) on the most preferred shard whose expected
 * time stays within the bound: the mean per shard or the longest unit,
 * whichever is more, plus a quarter. When none has room, the least loaded
 * shard takes it (longest-first greedy, which stays within the mean plus
 * the longest unit). The quarter is the trade between balance and staying
 * put: measured over random matrices, a tenth moves ~2 units per unit
 * added, a quarter ~1, a half ~0.5 with shards up to 1.5x the mean. p-limit and friends schedule within one process; no
 * package does a stable split across machines, so this is written here.
 */
const SLACK = 1.25;

export function placeUnits(units: readonly RunUnit[], total: number): PlacedUnit[] {
  const sum = units.reduce((t, u) => t + u.expectedMs, 0);
  const longest = units.reduce((t, u) => Math.max(t, u.expectedMs), 0);
  const bound = Math.max(sum / total, longest) * SLACK;
  const load = new Array<number>(total).fill(0);
  const shardOf = new Map<string, number>();
  const order = [...units].sort((a, b) => b.expectedMs - a.expectedMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const u of order) {
    const prefs = preference(u.key, total);
    const fits = prefs.find((s) => load[s]! + u.expectedMs <= bound);
    const shard = fits ?? prefs.reduce((best, s) => (load[s]! < load[best]! ? s : best));
    load[shard]! += u.expectedMs;
    shardOf.set(u.key, shard + 1);
  }
  return units.map((u) => ({ ...u, shard: shardOf.get(u.key)! }));
}

/** Shards (0-based) in this key's order of preference. */
function preference(key: string, total: number): number[] {
  const score = (s: number) => createHash('sha256').update(`${key}\0${s}`).digest().readBigUInt64BE(0);
  const scores = Array.from({ length: total }, (_, s) => ({ s, v: score(s) }));
  return scores.sort((a, b) => (a.v > b.v ? -1 : a.v < b.v ? 1 : a.s - b.s)).map((x) => x.s);
}
