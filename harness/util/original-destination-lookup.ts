import type { Endpoint } from './endpoint.js';

/**
 * Where a redirected flow was really going. The emulator container DNATs the
 * guest's DNS to the recorder and its other egress to the sinkhole, so each
 * listener sees only its own address; Node cannot read SO_ORIGINAL_DST, so the
 * lab supplies it (from `conntrack -L` in the container, keyed by the client's
 * address and port). Undefined: the lab could not tell.
 */
export type OriginalDestinationLookup = (flow: {
  transport: 'tcp' | 'udp';
  client: Endpoint;
  local: Endpoint;
}) => Endpoint | undefined | Promise<Endpoint | undefined>;
