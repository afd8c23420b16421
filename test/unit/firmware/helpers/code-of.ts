import { expect } from 'chai';
import { FirmlabError } from '../../../../harness/errors.js';

/** The FirmlabError code `fn` throws, or 'no error'; anything else thrown fails the test. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(FirmlabError);
    return (e as FirmlabError).code;
  }
  return 'no error';
}
