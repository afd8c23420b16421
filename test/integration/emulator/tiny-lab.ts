import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { DockerEngine, newId, type LabNetwork } from '../../../harness/engine/index.js';
import { kernelNamed } from '../../../harness/emulator/arch-table.js';
import { EmulatorContainer } from '../../../harness/emulator/emulator-container.js';
import { projectRoot } from '../../../harness/paths.js';

/**
 * A sealed mini lab for the emulator's integration tests: the emulator image,
 * one internal labelled network, a UDP socket on its gateway standing in for
 * the DNS recorder (it only counts datagrams), and a tiny busybox guest root.
 */
export class TinyLab {
  readonly session = `emu-it-${newId()}`;
  readonly datagrams: { from: string; bytes: Buffer }[] = [];
  private readonly emulators: EmulatorContainer[] = [];
  engine!: DockerEngine;
  image!: string;
  network!: LabNetwork;
  dir!: string;
  rootfs!: string;
  private recorder: Socket | undefined;
  private mipsel: Promise<string> | undefined;
  recorderPort = 0;

  async up(log: (l: string) => void = () => undefined): Promise<void> {
    this.engine = await DockerEngine.connect();
    this.image = (await this.engine.buildImage('emulator', { onProgress: log })).tag;
    this.dir = await mkdtemp(join(tmpdir(), 'fl-emu-'));
    this.network = await this.engine.createNetwork({ session: this.session, run: 'net' });
    this.recorder = createSocket('udp4');
    this.recorder.on('message', (bytes, from) => this.datagrams.push({ from: from.address, bytes }));
    await new Promise<void>((resolve, reject) => {
      this.recorder!.once('error', reject);
      this.recorder!.bind(0, this.network.gateway, () => resolve());
    });
    this.recorderPort = this.recorder.address().port;
    const busybox = await this.copyFromImage('/opt/firmlab/armhf/busybox');
    this.rootfs = join(this.dir, 'tiny.squashfs');
    const here = join(projectRoot(), 'test', 'integration', 'emulator');
    await execa('bash', [join(here, 'make-tiny-root.sh'), busybox, this.rootfs]);
  }

  /** The same tiny root for little-endian MIPS (Debian's mipsel busybox kept beside the malta-le kernel), made once. */
  async mipselRootfs(): Promise<string> {
    this.mipsel ??= (async () => {
      const busybox = await this.copyFromImage('/opt/firmlab/malta-le/busybox', 'out-mipsel');
      const rootfs = join(this.dir, 'tiny-mipsel.squashfs');
      await execa('bash', [join(projectRoot(), 'test', 'integration', 'emulator', 'make-tiny-root.sh'), busybox, rootfs]);
      return rootfs;
    })();
    return this.mipsel;
  }

  async emulator(run: string, kernel = 'arm64', rootfs = this.rootfs, sinkhole?: string): Promise<EmulatorContainer> {
    const emu = await EmulatorContainer.create(this.engine, {
      image: this.image,
      owner: { session: this.session, run },
      network: { name: this.network.name },
      runDir: join(this.dir, run),
      rootfsImage: rootfs,
      kernel: kernelNamed(kernel),
      recorder: `${this.network.gateway}:${this.recorderPort}`,
      sinkhole,
    });
    this.emulators.push(emu);
    return emu;
  }

  async down(): Promise<void> {
    for (const emu of this.emulators) await emu[Symbol.asyncDispose]().catch(() => undefined);
    this.recorder?.close();
    await this.network?.remove();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  private copyFromImage(path: string, into = 'out'): Promise<string> {
    return copyFromImage(this.engine, { image: this.image, network: this.network.name, session: this.session }, path, join(this.dir, into));
  }
}

/** Copies one file out of an image into `outDir` (a short-lived container on a lab network, never the default bridge). */
export async function copyFromImage(
  engine: DockerEngine, where: { image: string; network: string; session: string }, path: string, outDir: string,
): Promise<string> {
  const c = await engine.createContainer({
    image: where.image,
    owner: { session: where.session, run: `copy-${path.split('/').pop()}`, role: 'copy' },
    entrypoint: ['cp'],
    cmd: [path, '/out/'],
    binds: [`${outDir}:/out`],
    network: { name: where.network },
  });
  try {
    await c.start();
    const code = await c.wait();
    if (code !== 0) throw new Error(`copying ${path} out of ${where.image} exited ${code}`);
  } finally {
    await c.remove();
  }
  return join(outDir, path.split('/').pop()!);
}

export const here = dirname(fileURLToPath(import.meta.url));
