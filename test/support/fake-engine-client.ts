import type {
  ContainerInfo, ContainerState, CreateContainerRequest, CreateNetworkRequest, EngineClient, ExecResult, NetworkInfo,
} from '../../harness/engine/engine-client.js';

/** An in-memory engine for unit tests of the engine's pure logic. */
export class FakeEngineClient implements EngineClient {
  readonly endpoint = 'unix:///fake/docker.sock';
  images = new Set<string>();
  builds: { tag: string; buildArgs?: Record<string, string> }[] = [];
  networks: NetworkInfo[] = [];
  containers: (ContainerInfo & { req?: CreateContainerRequest })[] = [];
  pingError: unknown;
  /** Subnets the "engine" refuses as overlapping (another network outside our view). */
  overlapping = new Set<string>();
  failRemove = new Set<string>();
  private seq = 0;

  async ping(): Promise<void> { if (this.pingError) throw this.pingError; }
  async version() { return { version: '20.10.24', apiVersion: '1.41' }; }
  async imageExists(ref: string) { return this.images.has(ref); }
  async buildImage(req: { tag: string; buildArgs?: Record<string, string> }, onLine: (l: string) => void) {
    onLine('Step 1/1 : FROM base');
    this.builds.push({ tag: req.tag, buildArgs: req.buildArgs });
    this.images.add(req.tag);
  }
  removed: string[] = [];
  async removeImage(ref: string) { this.images.delete(ref); this.removed.push(ref); }
  async listImageTags() { return [...this.images].filter((t) => t.startsWith('firmlab/')); }
  async listNetworks(label?: string) {
    return this.networks.filter((n) => !label || matches(n.labels, label));
  }
  async createNetwork(req: CreateNetworkRequest) {
    if (this.overlapping.has(req.subnet)) throw Object.assign(new Error('Pool overlaps with other one on this address space'), { statusCode: 403 });
    const id = `net${++this.seq}`;
    this.networks.push({ id, name: req.name, labels: req.labels, subnets: [req.subnet], internal: true });
    return id;
  }
  async removeNetwork(id: string) {
    if (this.failRemove.has(id)) throw Object.assign(new Error('network has active endpoints'), { statusCode: 403 });
    this.networks = this.networks.filter((n) => n.id !== id);
  }
  async listContainers(label: string) { return this.containers.filter((c) => matches(c.labels, label)); }
  async createContainer(req: CreateContainerRequest) {
    if (!this.images.has(req.image)) throw Object.assign(new Error(`No such image: ${req.image}`), { statusCode: 404 });
    const id = `c${++this.seq}`;
    this.containers.push({ id, name: req.name, labels: req.labels, state: 'created', req });
    return id;
  }
  async startContainer() {}
  async inspectContainer(): Promise<ContainerState> { return { running: true, exitCode: 0, ipByNetwork: {} }; }
  async exec(): Promise<ExecResult> { return { exitCode: 0, stdout: '', stderr: '' }; }
  async followLogs() {}
  async waitContainer() { return 0; }
  async memoryBytes() { return { usage: 0, peak: undefined }; }
  async killContainer() {}
  async removeContainer(id: string) {
    if (!this.containers.some((c) => c.id === id)) throw Object.assign(new Error('no such container'), { statusCode: 404 });
    this.containers = this.containers.filter((c) => c.id !== id);
  }
}

function matches(labels: Record<string, string>, filter: string): boolean {
  const [k, v] = filter.split('=');
  return v === undefined ? k! in labels : labels[k!] === v;
}
