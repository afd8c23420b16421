import { FirmlabError } from '../errors.js';

export class InvalidDomainPatternError extends FirmlabError {
  readonly pattern: string;
  constructor(pattern: string, reason: string) {
    super('FIRMLAB_DOMAIN_PATTERN', `invalid domain pattern "${pattern}": ${reason}`, {
      exitKind: 'usage',
      details: { pattern },
    });
    this.pattern = pattern;
  }
}

/** Lower-case and drop one trailing dot: DNS names compare case-insensitively (RFC 4343). */
export function normalizeName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * A domain pattern as written in scenarios and upstream rules:
 * - `example.com`: that name only;
 * - `*.example.com`: any name at any depth below it (`a.example.com`,
 *   `a.b.example.com`), but not `example.com` itself;
 * - `*`: every name.
 * Matching is case-insensitive and ignores a trailing dot on either side.
 */
export class DomainPattern {
  readonly source: string;
  private readonly exact: string | undefined;
  private readonly suffix: string | undefined;

  private constructor(source: string, exact: string | undefined, suffix: string | undefined) {
    this.source = source;
    this.exact = exact;
    this.suffix = suffix;
  }

  static parse(source: string): DomainPattern {
    const norm = normalizeName(source.trim());
    if (norm === '') throw new InvalidDomainPatternError(source, 'empty');
    if (norm === '*') return new DomainPattern(source, undefined, '');
    const wildcard = norm.startsWith('*.');
    const base = wildcard ? norm.slice(2) : norm;
    if (base.includes('*')) {
      throw new InvalidDomainPatternError(source, 'a wildcard may only be the whole first label ("*.example.com")');
    }
    if (base.split('.').some((label) => label === '')) {
      throw new InvalidDomainPatternError(source, 'empty label');
    }
    return wildcard ? new DomainPattern(source, undefined, `.${base}`) : new DomainPattern(source, base, undefined);
  }

  matches(name: string): boolean {
    const norm = normalizeName(name);
    if (this.exact !== undefined) return norm === this.exact;
    return norm.length > this.suffix!.length && norm.endsWith(this.suffix!);
  }

  toString(): string {
    return this.source;
  }
}
