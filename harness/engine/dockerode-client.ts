import Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { listFiles } from './content-hash.js';
import type {
  ContainerInfo, ContainerState, CreateContainerRequest, CreateNetworkRequest, EngineClient, ExecResult, NetworkInfo,
} from './engine-client.js';

/** The one place dockerode is imported (DESIGN.md: only engine/ talks to Docker). */
export class DockerodeClient implements EngineClient {
  readonly endpoint: string;
  private readonly docker: Docker;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const host = env.DOCKER_HOST;
    if (host && host.startsWith('tcp://')) {
      const url = new URL(host);
      this.docker = new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: 'http' });
      this.endpoint = host;
    } else {
      const socketPath = host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
      this.docker = new Docker({ socketPath });
      this.endpoint = `unix://${socketPath}`;
    }
  }

  async ping(): Promise<void> {
    await this.docker.ping();
  }

  async version(): Promise<{ version: string; apiVersion: string }> {
    const v = await this.docker.version();
    return { version: v.Version, apiVersion: v.ApiVersion };
  }

  async imageExists(ref: string): Promise<boolean> {
    try {
      await this.docker.getImage(ref).inspect();
      return true;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return false;
      throw e;
    }
  }

  async buildImage(req: { contextDir: string; tag: string; labels: Record<string, string>; buildArgs?: Record<string, string> }, onLine: (line: string) => void): Promise<void> {
    const src = await listFiles(req.contextDir);
    // No `pull` option: the builder then uses the local base image (ensured before every build).
    const stream = await this.docker.buildImage({ context: req.contextDir, src }, {
      t: req.tag, labels: req.labels, buildargs: req.buildArgs, rm: true, forcerm: true,
    } as Docker.ImageBuildOptions);
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string }>) => {
        const failed = err ?? out.find((o) => o.error);
        if (failed) reject(failed instanceof Error ? failed : new Error(String(failed.error)));
        else resolve();
      }, (event: { stream?: string; status?: string; error?: string }) => {
        const text = event.stream ?? event.status ?? event.error ?? '';
        for (const line of text.split('\n')) if (line.trim()) onLine(line.trimEnd());
      });
    });
  }

  async removeImage(ref: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.docker.getImage(ref).remove({ force: opts.force ?? true });
  }

  async listImageTags(label: string): Promise<string[]> {
    const images = await this.docker.listImages({ filters: { label: [label] } });
    return images.flatMap((i) => i.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  }

  async listNetworks(label?: string): Promise<NetworkInfo[]> {
    const nets = await this.docker.listNetworks(label ? { filters: { label: [label] } } : {});
    return nets.map((n) => ({
      id: n.Id, name: n.Name, labels: n.Labels ?? {}, internal: Boolean(n.Internal),
      subnets: (n.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => Boolean(s)),
    }));
  }

  async createNetwork(req: CreateNetworkRequest): Promise<string> {
    const net = await this.docker.createNetwork({
      Name: req.name, Driver: 'bridge', Internal: true, CheckDuplicate: true, Labels: req.labels,
      IPAM: { Driver: 'default', Config: [{ Subnet: req.subnet, Gateway: req.gateway }] },
    });
    return net.id;
  }

  async removeNetwork(id: string): Promise<void> {
    await this.docker.getNetwork(id).remove();
  }

  async listContainers(label: string): Promise<ContainerInfo[]> {
    const list = await this.docker.listContainers({ all: true, filters: { label: [label] } });
    return list.map((c) => ({ id: c.Id, name: (c.Names[0] ?? '').replace(/^\//, ''), labels: c.Labels ?? {}, state: c.State }));
  }

  async createContainer(req: CreateContainerRequest): Promise<string> {
    // The Engine API never pulls on create (only the docker CLI does), so a
    // missing image is a 404 here, never a registry request.
    const c = await this.docker.createContainer({
      Image: req.image, name: req.name, Labels: req.labels, Cmd: req.cmd, Entrypoint: req.entrypoint,
      Env: Object.entries(req.env ?? {}).map(([k, v]) => `${k}=${v}`), WorkingDir: req.workingDir,
      HostConfig: {
        Binds: req.binds, CapAdd: req.capAdd, CapDrop: req.capDrop, Memory: req.memoryBytes, Sysctls: req.sysctls,
        ReadonlyRootfs: req.readonlyRootfs, Tmpfs: req.tmpfs, SecurityOpt: req.securityOpt, PidsLimit: req.pidsLimit,
        NanoCpus: req.cpus === undefined ? undefined : Math.round(req.cpus * 1e9),
        Devices: (req.devices ?? []).map((d) => ({ PathOnHost: d, PathInContainer: d, CgroupPermissions: 'rwm' })),
        NetworkMode: req.network?.name ?? 'none',
      },
      NetworkingConfig: req.network
        ? { EndpointsConfig: { [req.network.name]: req.network.ipv4 ? { IPAMConfig: { IPv4Address: req.network.ipv4 } } : {} } }
        : undefined,
    });
    return c.id;
  }

  async startContainer(id: string): Promise<void> {
    await this.docker.getContainer(id).start();
  }

  async inspectContainer(id: string): Promise<ContainerState> {
    const info = await this.docker.getContainer(id).inspect();
    const ipByNetwork: Record<string, string> = {};
    for (const [name, ep] of Object.entries(info.NetworkSettings?.Networks ?? {})) if (ep.IPAddress) ipByNetwork[name] = ep.IPAddress;
    return { running: info.State.Running, exitCode: info.State.ExitCode, ipByNetwork };
  }

  async exec(id: string, cmd: string[], timeoutMs: number): Promise<ExecResult> {
    const exec = await this.docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const stdout = new PassThrough().on('data', (b: Buffer) => out.push(b));
    const stderr = new PassThrough().on('data', (b: Buffer) => err.push(b));
    this.docker.modem.demuxStream(stream, stdout, stderr);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        stream.destroy();
        reject(Object.assign(new Error(`exec ${cmd.join(' ')} timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT_EXEC' }));
      }, timeoutMs);
      stream.on('end', () => { clearTimeout(timer); resolve(); });
      stream.on('close', () => { clearTimeout(timer); resolve(); });
      stream.on('error', (e) => { clearTimeout(timer); reject(e); });
    });
    const info = await exec.inspect();
    return { exitCode: info.ExitCode ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
  }

  async followLogs(id: string, onLine: (line: string, stream: 'stdout' | 'stderr') => void, signal: AbortSignal): Promise<void> {
    const raw = await this.docker.getContainer(id).logs({ follow: true, stdout: true, stderr: true });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    this.docker.modem.demuxStream(raw, stdout, stderr);
    createInterface({ input: stdout }).on('line', (l) => onLine(l, 'stdout'));
    createInterface({ input: stderr }).on('line', (l) => onLine(l, 'stderr'));
    const stop = () => (raw as unknown as { destroy(): void }).destroy();
    signal.addEventListener('abort', stop, { once: true });
    await new Promise<void>((resolve) => {
      raw.on('end', resolve);
      raw.on('close', resolve);
      raw.on('error', () => resolve());
    });
    stdout.end();
    stderr.end();
    signal.removeEventListener('abort', stop);
  }

  async waitContainer(id: string): Promise<number> {
    const r = (await this.docker.getContainer(id).wait()) as { StatusCode: number };
    return r.StatusCode;
  }

  async memoryBytes(id: string): Promise<{ usage: number; peak: number | undefined }> {
    const s = (await this.docker.getContainer(id).stats({ stream: false })) as {
      memory_stats?: { usage?: number; max_usage?: number };
    };
    return { usage: s.memory_stats?.usage ?? 0, peak: s.memory_stats?.max_usage };
  }

  async killContainer(id: string): Promise<void> {
    await this.docker.getContainer(id).kill();
  }

  async removeContainer(id: string): Promise<void> {
    await this.docker.getContainer(id).remove({ force: true, v: true });
  }
}
