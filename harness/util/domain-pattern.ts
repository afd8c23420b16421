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

// RFC 1035 2.3.1 host labels, plus `_` (service labels such as `_dns`, RFC 8552).
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Why `name` (no wildcard) is not a domain name, or undefined when it is one. */
export function domainNameProblem(name: string): string | undefined {
  const norm = normalizeName(name);
  if (norm === '') return 'empty';
  if (norm.length > 253) return 'longer than 253 characters (RFC 1035 2.3.4)';
  for (const label of norm.split('.')) {
    if (label === '') return 'empty label';
    if (label.length > 63) return `label "${label.slice(0, 20)}…" is longer than 63 characters`;
    if (!LABEL.test(label)) return `label "${label}" may hold only letters, digits, "-" and "_", and not start or end with "-"`;
  }
  return undefined;
}

/** Why `source` is not a domain pattern (see DomainPattern), or undefined when it is one. */
export function domainPatternProblem(source: string): string | undefined {
  const norm = normalizeName(source);
  if (norm === '*') return undefined;
  const base = norm.startsWith('*.') ? norm.slice(2) : norm;
  if (base.includes('*')) return 'a wildcard may only be the whole first label, as in "*.example.com"';
  return domainNameProblem(base);
}

/**
 * A domain pattern, the one grammar of scenario `expect: domain`, `wait_for:
 * dns`, upstream rules' `match` and the recorder that applies them:
 * - `example.com`: that name only;
 * - `*.example.com`: any name at any depth below it (`a.example.com`,
 *   `a.b.example.com`), but not `example.com` itself;
 * - `*`: every name.
 * Matching is case-insensitive and ignores a trailing dot on either side.
 */
export class DomainPattern {
  readonly source: string;
  /** Lower case without a trailing dot: `*.example.com`, `example.com` or `*`. */
  readonly normalized: string;
  private readonly exact: string | undefined;
  /** `.example.com` below a wildcard; empty for `*`. */
  private readonly suffix: string;

  private constructor(source: string, normalized: string) {
    this.source = source;
    this.normalized = normalized;
    const wildcard = normalized === '*' || normalized.startsWith('*.');
    this.exact = wildcard ? undefined : normalized;
    this.suffix = wildcard ? normalized.slice(1) : '';
  }

  /** Throws InvalidDomainPatternError (FIRMLAB_DOMAIN_PATTERN) naming what is wrong. */
  static parse(source: string): DomainPattern {
    const problem = domainPatternProblem(source);
    if (problem !== undefined) throw new InvalidDomainPatternError(source, problem);
    return new DomainPattern(source, normalizeName(source));
  }

  matches(name: string): boolean {
    return this.matchesNormalized(normalizeName(name));
  }

  /**
   * For a name already lower-cased without a trailing dot, as the recorder
   * holds it: its hot path (10k queries/s) allocates nothing here.
   */
  matchesNormalized(name: string): boolean {
    if (this.exact !== undefined) return name === this.exact;
    return name.length > this.suffix.length && name.endsWith(this.suffix);
  }

  toString(): string {
    return this.source;
  }
}
