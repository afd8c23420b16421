import type { BootTarget } from '../../../harness/emulator/boot-strategy.js';
import { SerialConsole } from '../../../harness/emulator/serial-console.js';
import { FakeSerial } from './fake-serial.js';

/** A router that boots when told to: the test prints console lines and ends it. */
export class FakeBootTarget implements BootTarget {
  readonly serial: FakeSerial;
  readonly console: SerialConsole;
  started = false;
  stopped = false;
  private endIt!: (x: { exitCode: number; stderrTail: string[] }) => void;
  private readonly ended = new Promise<{ exitCode: number; stderrTail: string[] }>((r) => (this.endIt = r));

  /** `reply` answers typed lines like a shell would (see fakeAsh). */
  constructor(reply?: (line: string) => string) {
    this.serial = new FakeSerial(reply);
    this.console = new SerialConsole(this.serial, { writePauseMs: 0 });
  }

  async start(): Promise<void> {
    this.started = true;
  }

  async connectConsole() {
    return this.console;
  }

  async webBaseUrl(): Promise<string> {
    return 'http://router.test/';
  }

  exited() {
    return this.ended;
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  print(text: string): void {
    this.serial.print(text);
  }

  die(exitCode: number, stderrTail: string[]): void {
    this.serial.destroy();
    this.endIt({ exitCode, stderrTail });
  }
}

export const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));
