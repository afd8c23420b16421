import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import { imagesDir } from '../paths.js';
import { ContainerHandle } from './container-handle.js';
import { contentTag, hashContext } from './content-hash.js';
import { DockerodeClient } from './dockerode-client.js';
import type { CreateContainerRequest, EngineClient } from './engine-client.js';
import { EngineUnavailableError, ImageBuildError, ImageMissingError, mapDockerError } from './engine-errors.js';
import { reapOrphans, type GcReport } from './garbage-collector.js';
import { buildLabels, LABEL, objectName, type OwnerLabels } from './labels.js';
import { currentOwner, ownerLabels } from '../util/process-owner.js';
import { LabNetwork } from './lab-network.js';
import { gatewayOf, isOverlapError, subnetCandidates } from './subnet-pool.js';

export const DEFAULT_BASE_IMAGE = 'firmlab/base:bookworm';

export interface BuildOptions {
  /** Rebuild even when the content-hash tag exists. */
  force?: boolean;
  /** Build context; default `images/<name>/`. */
  contextDir?: string;
  onProgress?: (line: string) => void;
}

export interface ContainerSpec extends Omit<CreateContainerRequest, 'labels' | 'name'> {
  owner: OwnerLabels;
  name?: string;
}

/** The Docker engine as firmlab uses it: the only door to Docker. */
export class DockerEngine {
  constructor(
    readonly client: EngineClient,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly random: () => number = Math.random,
  ) {}

  /** Finds the engine (DOCKER_HOST or the default socket) and checks that it answers. */
  static async connect(opts: { env?: NodeJS.ProcessEnv; client?: EngineClient } = {}): Promise<DockerEngine> {
    const env = opts.env ?? process.env;
    const client = opts.client ?? new DockerodeClient(env);
    try {
      await client.ping();
    } catch (e) {
      throw new EngineUnavailableError(client.endpoint, e);
    }
    return new DockerEngine(client, env);
  }

  /**
   * Removes the containers and networks of killed firmlab runs on this host
   * (never those of a live run), as every command that starts labs does
   * first. A reap that fails is no reason not to start: `gc` remains, so it
   * answers undefined. Not part of `connect`: a check that looks for leaks
   * must see them, not have them reaped away first.
   */
  async reapOrphans(): Promise<GcReport | undefined> {
    return reapOrphans(this.client).catch(() => undefined);
  }

  get baseImage(): string {
    return this.env.FIRMLAB_BASE_IMAGE || DEFAULT_BASE_IMAGE;
  }

  async version(): Promise<{ version: string; apiVersion: string }> {
    return this.guard('read engine version', () => this.client.version());
  }

  imageExists(ref: string): Promise<boolean> {
    return this.guard('inspect image', () => this.client.imageExists(ref));
  }

  /**
   * The base image, built with debootstrap + `docker import` when it is the
   * default and missing. A configured base that is missing is an error: we never pull.
   */
  async ensureBaseImage(opts: BuildOptions = {}): Promise<string> {
    const ref = this.baseImage;
    if (await this.imageExists(ref)) return ref;
    if (ref !== DEFAULT_BASE_IMAGE) throw new ImageMissingError(ref);
    const script = join(imagesDir(), 'base', 'build.sh');
    const lines: string[] = [];
    const proc = execa('bash', [script, ref], { all: true, reject: false, env: this.env });
    proc.all?.on('data', (b: Buffer) => {
      for (const l of b.toString().split('\n')) if (l.trim()) { lines.push(l); opts.onProgress?.(l); }
    });
    const r = await proc;
    if (r.exitCode !== 0) throw new ImageBuildError('base', `images/base/build.sh exited ${r.exitCode}`, lines.slice(-10));
    return ref;
  }

  /**
   * The content-hash tag `images/<name>/` builds to: its files, the base it
   * builds on and the tags of the project images it copies from (so a rebuilt
   * kernel image gives the emulator a new tag too).
   */
  async imageTag(name: string, contextDir = this.contextDir(name)): Promise<string> {
    const deps = await this.dependencyTags(contextDir);
    return contentTag(name, await hashContext(contextDir, [this.baseImage, ...Object.values(deps)]));
  }

  /** `<NAME>_IMAGE` build arguments of a Dockerfile that name other images/ folders, with their tags. */
  private async dependencyTags(contextDir: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const dep of dependenciesOf(contextDir)) out[dep.buildArg] = await this.imageTag(dep.name);
    return out;
  }

  /** Builds `images/<name>/` unless an image with its content-hash tag exists. */
  async buildImage(name: string, opts: BuildOptions = {}): Promise<{ tag: string; built: boolean }> {
    const contextDir = opts.contextDir ?? this.contextDir(name);
    if (!existsSync(join(contextDir, 'Dockerfile'))) throw new ImageBuildError(name, `no Dockerfile in ${contextDir}`, []);
    const tag = await this.imageTag(name, contextDir);
    if (!opts.force && (await this.imageExists(tag))) return { tag, built: false };
    await this.ensureBaseImage(opts);
    // Images this one copies from are built first (not forced: --force means this image).
    const deps = await this.dependencyTags(contextDir);
    for (const dep of dependenciesOf(contextDir)) await this.buildImage(dep.name, { onProgress: opts.onProgress });
    const tail: string[] = [];
    try {
      await this.client.buildImage(
        { contextDir, tag, labels: { [LABEL.image]: name, [LABEL.contextHash]: tag.split(':')[1]! }, buildArgs: { BASE_IMAGE: this.baseImage, ...deps } },
        (line) => { tail.push(line); if (tail.length > 20) tail.shift(); opts.onProgress?.(line); },
      );
    } catch (e) {
      const mapped = mapDockerError(`build image ${name}`, e, this.client.endpoint);
      if (mapped.code === 'FIRMLAB_ENGINE_UNAVAILABLE') throw mapped;
      throw new ImageBuildError(name, (e as Error).message ?? String(e), tail.slice(-10), e);
    }
    await this.pruneOldTags(name, tag);
    return { tag, built: true };
  }

  /**
   * Earlier content-hash tags of the same image are dead weight once a new one
   * is built. Plain (not forced) removal: an image a container still uses stays.
   */
  private async pruneOldTags(name: string, keep: string): Promise<void> {
    const tags = await this.client.listImageTags(`${LABEL.image}=${name}`).catch(() => [] as string[]);
    for (const t of tags) {
      if (t !== keep && t.startsWith(`firmlab/${name}:`)) await this.client.removeImage(t, { force: false }).catch(() => undefined);
    }
  }

  /** An internal network on a /24 no other network uses. */
  async createNetwork(owner: OwnerLabels): Promise<LabNetwork> {
    const labels = buildLabels({ role: 'lab-network', ...owner }, ownerLabels(currentOwner()));
    const name = objectName(owner.session, owner.run ?? 'net');
    const existing = await this.guard('list networks', () => this.client.listNetworks());
    const candidates = subnetCandidates(existing.flatMap((n) => n.subnets), Math.floor(this.random() * 256));
    for (const subnet of candidates) {
      const gateway = gatewayOf(subnet);
      try {
        const id = await this.client.createNetwork({ name, labels, subnet, gateway });
        return new LabNetwork(this.client, id, name, subnet, gateway);
      } catch (e) {
        if (!isOverlapError(e)) throw mapDockerError(`create network ${name}`, e, this.client.endpoint);
      }
    }
    throw mapDockerError(`create network ${name}`, new Error('no free /24 left in 10.213.0.0/16'), this.client.endpoint);
  }

  /** A container, labelled, never pulled (a missing image is FIRMLAB_IMAGE_MISSING). */
  async createContainer(spec: ContainerSpec): Promise<ContainerHandle> {
    const { owner, name: wanted, ...rest } = spec;
    const name = wanted ?? objectName(owner.session, owner.run ?? '', owner.role ?? 'container');
    const labels = buildLabels(owner, ownerLabels(currentOwner()));
    try {
      const id = await this.client.createContainer({ ...rest, name, labels });
      return new ContainerHandle(this.client, id, name);
    } catch (e) {
      throw mapDockerError(`create container ${name}`, e, this.client.endpoint, rest.image);
    }
  }

  private contextDir(name: string): string {
    return join(imagesDir(), name);
  }

  private async guard<T>(action: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw mapDockerError(action, e, this.client.endpoint);
    }
  }
}

function dependenciesOf(contextDir: string): { name: string; buildArg: string }[] {
  const file = join(contextDir, 'Dockerfile');
  if (!existsSync(file)) return [];
  return imageDependencies(readFileSync(file, 'utf8'), (n) => existsSync(join(imagesDir(), n, 'Dockerfile')));
}

/**
 * The project images a Dockerfile builds on besides the base: each
 * `ARG <NAME>_IMAGE` whose lower-kebab name is an images/ folder
 * (`ARG KERNEL_MALTA_IMAGE` -> images/kernel-malta). The engine passes their
 * content-hash tags, so `FROM ${KERNEL_MALTA_IMAGE} AS kernels` never pulls.
 */
export function imageDependencies(dockerfile: string, isImage: (name: string) => boolean): { name: string; buildArg: string }[] {
  const out: { name: string; buildArg: string }[] = [];
  for (const m of dockerfile.matchAll(/^\s*ARG\s+([A-Z0-9_]+)_IMAGE\b/gm)) {
    const buildArg = `${m[1]}_IMAGE`;
    const name = m[1]!.toLowerCase().replace(/_/g, '-');
    if (buildArg !== 'BASE_IMAGE' && isImage(name) && !out.some((d) => d.name === name)) out.push({ name, buildArg });
  }
  return out;
}
