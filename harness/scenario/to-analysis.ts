import type { Expectation as AnalysisExpectation } from '../analysis/index.js';
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
      const compare = { domain: e.compare.domain, window: e.compare.window, old: id('old'), new: id('new') };
      return e.kind === 'newAtMost' ? { compare, newAtMost: e.newAtMost } : { compare, atLeastTimesFewer: e.atLeastTimesFewer };
    }
    const target = { build: id(e.build), window: e.window, domain: e.domain };
    switch (e.kind) {
      case 'maxPerDay': return { ...target, maxPerDay: e.maxPerDay };
      case 'minPerDay': return { ...target, minPerDay: e.minPerDay };
      case 'none': return { ...target, none: true };
      case 'ttlRespected': return { ...target, ttlRespected: true };
    }
  });
}
