import { FirmlabError } from '../errors.js';
import { AddressBlock } from '../util/address-block.js';
import type { EgressEvent } from './analysis-input.js';
import { DomainPattern } from '../util/domain-pattern.js';
import type { EgressFilter } from './expectation.js';

export class InvalidEgressFilterError extends FirmlabError {
  constructor(reason: string) {
    super('FIRMLAB_EGRESS_FILTER', `invalid egress filter: ${reason}`, { exitKind: 'usage' });
  }
}

/** The name in an HTTP Host header: `a.example:8080` -> `a.example`, `[2001:db8::1]:80` -> `2001:db8::1`. */
export function httpHostName(host: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(host);
  if (bracketed) return bracketed[1]!;
  return host.replace(/:\d*$/, '');
}

/** An EgressFilter compiled once: every key it gives must match a sinkhole record. */
export class EgressMatcher {
  private constructor(
    private readonly filter: EgressFilter,
    private readonly address: AddressBlock | undefined,
    private readonly sni: DomainPattern | undefined,
    private readonly httpHost: DomainPattern | undefined,
  ) {}

  /** Throws InvalidEgressFilterError (an empty filter, a bad address) or InvalidDomainPatternError. */
  static parse(filter: EgressFilter): EgressMatcher {
    if (Object.values(filter).every((v) => v === undefined)) {
      throw new InvalidEgressFilterError('give at least one of address, port, protocol, sni, http_host');
    }
    let address: AddressBlock | undefined;
    try {
      address = filter.address === undefined ? undefined : AddressBlock.parse(filter.address);
    } catch (e) {
      throw new InvalidEgressFilterError((e as Error).message);
    }
    const pattern = (p: string | undefined) => (p === undefined ? undefined : DomainPattern.parse(p));
    return new EgressMatcher(filter, address, pattern(filter.sni), pattern(filter.httpHost));
  }

  matches(e: EgressEvent): boolean {
    const f = this.filter;
    if (f.protocol !== undefined && e.transport !== f.protocol) return false;
    if (f.port !== undefined && e.destination.port !== f.port) return false;
    if (this.address && !this.address.contains(e.destination.address)) return false;
    if (this.sni && (e.sni === undefined || !this.sni.matches(e.sni))) return false;
    if (this.httpHost && (e.httpHost === undefined || !this.httpHost.matches(httpHostName(e.httpHost)))) return false;
    return true;
  }
}
