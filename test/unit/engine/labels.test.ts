import { expect } from 'chai';
import { buildLabels, LABEL, newId, objectName } from '../../../harness/engine/labels.js';

describe('engine labels', () => {
  it('labels every object with session, run and role', () => {
    expect(buildLabels({ session: 's1', run: 'r1', role: 'emulator' })).to.deep.equal({
      [LABEL.session]: 's1', [LABEL.run]: 'r1', [LABEL.role]: 'emulator',
    });
  });

  it('leaves out run and role when not given but always has the session', () => {
    expect(buildLabels({ session: 's1' })).to.deep.equal({ 'firmlab.session': 's1' });
  });

  it('rejects label values Docker filters could not match reliably', () => {
    expect(() => buildLabels({ session: 'has space' })).to.throw(/firmlab.session/);
    expect(() => buildLabels({ session: '' })).to.throw();
  });

  it('builds lower-case Docker-safe names of at most 63 characters', () => {
    expect(objectName('Sess/1', 'Old Build')).to.equal('firmlab-sess-1-old-build');
    expect(objectName('x'.repeat(100))).to.have.length(63);
  });

  it('makes ids from the injected clock and random source', () => {
    expect(newId(() => 36 ** 3, () => 0)).to.equal('1000-000000');
    expect(newId(() => 1, () => 0.5)).to.not.equal(newId(() => 1, () => 0.25));
  });
});
