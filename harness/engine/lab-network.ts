import type { EngineClient } from './engine-client.js';
import { mapDockerError, statusOf } from './engine-errors.js';

/** An internal Docker network firmlab created; nothing on it has a route off the machine. */
export class LabNetwork {
  private removed = false;

  constructor(
    private readonly client: EngineClient,
    readonly id: string,
    readonly name: string,
    readonly subnet: string,
    /** The host's address on the network's bridge: where the lab's recorder listens. */
    readonly gateway: string,
  ) {}

  /** The n-th host address of the /24 (gateway is .1). */
  host(n: number): string {
    const base = this.subnet.split('/')[0]!.split('.').slice(0, 3).join('.');
    return `${base}.${n}`;
  }

  async remove(): Promise<void> {
    if (this.removed) return;
    try {
      await this.client.removeNetwork(this.id);
    } catch (e) {
      if (statusOf(e) !== 404) throw mapDockerError(`remove network ${this.name}`, e, this.client.endpoint);
    }
    this.removed = true;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.remove();
  }
}
