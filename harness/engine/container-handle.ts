import type { ContainerState, EngineClient, ExecResult } from './engine-client.js';
import { mapDockerError, statusOf } from './engine-errors.js';

/** A container firmlab created. Removing it is idempotent, and `await using` removes it. */
export class ContainerHandle {
  private removed = false;

  constructor(
    private readonly client: EngineClient,
    readonly id: string,
    readonly name: string,
  ) {}

  async start(): Promise<void> {
    await this.call('start container', () => this.client.startContainer(this.id));
  }

  inspect(): Promise<ContainerState> {
    return this.call('inspect container', () => this.client.inspectContainer(this.id));
  }

  exec(cmd: string[], opts: { timeoutMs?: number } = {}): Promise<ExecResult> {
    return this.call(`exec ${cmd[0]}`, () => this.client.exec(this.id, cmd, opts.timeoutMs ?? 30_000));
  }

  /** Streams stdout/stderr lines until the container stops or `signal` aborts. */
  logs(onLine: (line: string, stream: 'stdout' | 'stderr') => void, signal: AbortSignal): Promise<void> {
    return this.call('follow logs', () => this.client.followLogs(this.id, onLine, signal));
  }

  /** Resolves with the exit code once the container stops. */
  wait(): Promise<number> {
    return this.call('wait for container', () => this.client.waitContainer(this.id));
  }

  memory(): Promise<{ usage: number; peak: number | undefined }> {
    return this.call('read container stats', () => this.client.memoryBytes(this.id));
  }

  async kill(): Promise<void> {
    try {
      await this.client.killContainer(this.id);
    } catch (e) {
      // 409: not running; 404: already gone. Both are the state we wanted.
      if (statusOf(e) !== 409 && statusOf(e) !== 404) throw mapDockerError('kill container', e, this.client.endpoint);
    }
  }

  async remove(): Promise<void> {
    if (this.removed) return;
    try {
      await this.client.removeContainer(this.id);
    } catch (e) {
      if (statusOf(e) !== 404 && statusOf(e) !== 409) throw mapDockerError('remove container', e, this.client.endpoint);
    }
    this.removed = true;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.remove();
  }

  private async call<T>(action: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw mapDockerError(`${action} ${this.name}`, e, this.client.endpoint);
    }
  }
}
