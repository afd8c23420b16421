import type { Expectation as AnalysisExpectation, Traffic } from '../analysis/index.js';
import type { Expectation } from './scenario.js';

/**
 * A scenario's expectations in analysis terms, for one model: build names
 * become the job ids (`old`, or `archer-ax55v1/old` in a matrix) so one
 * analysis covers every model without mixing their builds.
 */
export function toAnalysisExpectations(expect: readonly Expectation[], model: string | undefined): AnalysisExpectation[] {
  const id = (build: string) => (model === undefined ? build : `${model}/${build}`);
  return expect.map((e): AnalysisExpectation => {
    if ('compare' in e) {
      const compare = { ...traffic(e.compare), window: e.compare.window, old: id('old'), new: id('new') };
      return e.kind === 'newAtMost' ? { compare, newAtMost: e.newAtMost } : { compare, atLeastTimesFewer: e.atLeastTimesFewer };
    }
    const at = { build: id(e.build), window: e.window };
    switch (e.kind) {
      case 'maxPerDay': return { ...at, ...traffic(e), maxPerDay: e.maxPerDay };
      case 'minPerDay': return { ...at, ...traffic(e), minPerDay: e.minPerDay };
      case 'none': return { ...at, ...traffic(e), none: true };
      case 'ttlRespected': return { ...at, domain: e.domain, ttlRespected: true };
    }
  });
}

/** Only the Traffic keys of an entry that also carries its kind, index and line. */
function traffic(t: Traffic): Traffic {
  return t.egress === undefined ? { domain: t.domain } : { egress: t.egress };
}
