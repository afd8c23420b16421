import { readFile } from 'node:fs/promises';

const TICKS_PER_SECOND = 100;

/** utime + stime of a process in clock ticks (proc(5), fields 14 and 15); 0 once it is gone. */
async function cpuTicks(pid: number): Promise<number> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
}

/** CPU use of some processes between start() and stop(), as a share of one core (100 = one core busy). */
export class CpuSampler {
  private before = new Map<number, number>();
  private startedAt = 0;

  async start(pids: number[]): Promise<void> {
    this.before = new Map(await Promise.all(pids.map(async (p) => [p, await cpuTicks(p)] as const)));
    this.startedAt = performance.now();
  }

  async stop(): Promise<Map<number, number>> {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const out = new Map<number, number>();
    for (const [pid, t0] of this.before) out.set(pid, ((await cpuTicks(pid)) - t0) / TICKS_PER_SECOND / seconds * 100);
    return out;
  }
}

export async function loadAverage(): Promise<string> {
  return (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
}
