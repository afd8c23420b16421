/**
 * What happens during a run, as typed events. The runner emits; reporters
 * (console progress, files) subscribe. Times are epoch ms (`atMs`).
 */
export type RunEvent =
  | { type: 'run-started'; atMs: number; scenario: string; builds: string[]; runDir: string }
  | { type: 'build-started'; atMs: number; build: string; firmware: string }
  | { type: 'boot-phase'; atMs: number; build: string; phase: string; elapsedMs: number }
  | { type: 'step-started'; atMs: number; build: string; index: number; step: string }
  | { type: 'step-finished'; atMs: number; build: string; index: number; step: string; durationMs: number; detail?: string }
  | { type: 'setting-changed'; atMs: number; build: string; feature: string; state: string; via: string; fellBack?: string }
  | { type: 'window-closed'; atMs: number; build: string; window: string; startMs: number; endMs: number; labLive: boolean; queries: number; liveness: string }
  | { type: 'dns-query'; atMs: number; build: string; name: string; qtype: string; rcode: string | null }
  | { type: 'console-line'; atMs: number; build: string; line: string }
  | { type: 'build-finished'; atMs: number; build: string; ok: boolean; error?: { code: string; message: string } }
  | { type: 'run-finished'; atMs: number; exitCode: number };

export type RunEventType = RunEvent['type'];
type Of<T extends RunEventType> = Extract<RunEvent, { type: T }>;

export class RunEventBus {
  private readonly listeners = new Map<string, Array<(e: RunEvent) => void>>();

  on<T extends RunEventType>(type: T | '*', fn: (e: Of<T>) => void): () => void {
    const list = this.listeners.get(type) ?? [];
    list.push(fn as (e: RunEvent) => void);
    this.listeners.set(type, list);
    return () => list.splice(list.indexOf(fn as (e: RunEvent) => void), 1);
  }

  emit(e: RunEvent): void {
    for (const fn of [...(this.listeners.get(e.type) ?? []), ...(this.listeners.get('*') ?? [])]) {
      // A reporter that throws must not change the run's outcome.
      try { fn(e); } catch { /* reporters are observers */ }
    }
  }
}
