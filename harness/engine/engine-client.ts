/**
 * The narrow face of the Docker API that firmlab uses. `DockerodeClient` is
 * the real one; unit tests hand `DockerEngine` a fake (testcontainers'
 * ContainerClient pattern).
 */
export interface NetworkInfo {
  id: string;
  name: string;
  labels: Record<string, string>;
  subnets: string[];
  internal: boolean;
}

export interface ContainerInfo {
  id: string;
  name: string;
  labels: Record<string, string>;
  state: string;
}

export interface CreateNetworkRequest {
  name: string;
  labels: Record<string, string>;
  subnet: string;
  gateway: string;
}

export interface CreateContainerRequest {
  image: string;
  name: string;
  labels: Record<string, string>;
  cmd?: string[];
  entrypoint?: string[];
  env?: Record<string, string>;
  binds?: string[];
  capAdd?: string[];
  /** Capabilities taken away first (`ALL`, then `capAdd` gives back what is needed). */
  capDrop?: string[];
  devices?: string[];
  /** The image's filesystem read-only; `tmpfs` mounts are the writable places besides `binds`. */
  readonlyRootfs?: boolean;
  tmpfs?: Record<string, string>;
  /** e.g. `no-new-privileges`. */
  securityOpt?: string[];
  pidsLimit?: number;
  /** CPU time as a number of CPUs (1.5 = one and a half cores). */
  cpus?: number;
  network?: { name: string; ipv4?: string };
  workingDir?: string;
  memoryBytes?: number;
  /** Namespaced sysctls of the container (net.*), e.g. IPv6 on for its taps. */
  sysctls?: Record<string, string>;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ContainerState {
  running: boolean;
  exitCode: number;
  ipByNetwork: Record<string, string>;
}

export interface EngineClient {
  readonly endpoint: string;
  ping(): Promise<void>;
  version(): Promise<{ version: string; apiVersion: string }>;
  imageExists(ref: string): Promise<boolean>;
  buildImage(req: { contextDir: string; tag: string; labels: Record<string, string>; buildArgs?: Record<string, string> }, onLine: (line: string) => void): Promise<void>;
  removeImage(ref: string, opts?: { force?: boolean }): Promise<void>;
  /** Tags of the images carrying `label` (key=value). */
  listImageTags(label: string): Promise<string[]>;
  listNetworks(label?: string): Promise<NetworkInfo[]>;
  createNetwork(req: CreateNetworkRequest): Promise<string>;
  removeNetwork(id: string): Promise<void>;
  listContainers(label: string): Promise<ContainerInfo[]>;
  createContainer(req: CreateContainerRequest): Promise<string>;
  startContainer(id: string): Promise<void>;
  inspectContainer(id: string): Promise<ContainerState>;
  exec(id: string, cmd: string[], timeoutMs: number): Promise<ExecResult>;
  followLogs(id: string, onLine: (line: string, stream: 'stdout' | 'stderr') => void, signal: AbortSignal): Promise<void>;
  waitContainer(id: string): Promise<number>;
  memoryBytes(id: string): Promise<{ usage: number; peak: number | undefined }>;
  killContainer(id: string): Promise<void>;
  removeContainer(id: string): Promise<void>;
}
