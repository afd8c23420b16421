export { DockerEngine, DEFAULT_BASE_IMAGE, type BuildOptions, type ContainerSpec } from './docker-engine.js';
export { ContainerHandle } from './container-handle.js';
export { LabNetwork } from './lab-network.js';
export { collectGarbage, type GcReport } from './garbage-collector.js';
export { buildLabels, newId, objectName, LABEL, type OwnerLabels } from './labels.js';
export { contentTag, hashContext } from './content-hash.js';
export { EngineUnavailableError, ImageMissingError, ImageBuildError, DockerApiError } from './engine-errors.js';
export type { EngineClient, ExecResult, ContainerState } from './engine-client.js';
export { OWNER_LABEL } from '../util/process-owner.js';
