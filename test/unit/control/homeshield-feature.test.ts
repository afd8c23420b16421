import { expect } from 'chai';
import { HomeShieldFeature, parseState } from '../../../harness/control/features/homeshield.js';
import type { ShellConsole } from '../../../harness/control/feature-switch.js';

/** A console that answers `homeshield status` with `status` and records what was typed. */
function shell(status: string): ShellConsole & { typed: string[] } {
  const typed: string[] = [];
  return { typed, run: async (c: string) => { typed.push(c); return c === 'homeshield status' ? status : ''; } };
}

describe('HomeShield read-back', () => {
  for (const [seen, state] of [['on', 'on'], ['off', 'off'], ['1', 'on'], ['0', 'off'], [' OFF ', 'off'], ['true', 'on']] as const) {
    it(`"${seen}" reads as ${state}`, () => expect(parseState(seen, 'web UI')).to.equal(state));
  }
  for (const seen of ['', 'unknown', 'null', '<html>403</html>', '2']) {
    it(`refuses ${JSON.stringify(seen)} with FIRMLAB_FEATURE_READBACK showing what was read`, () => {
      expect(() => parseState(seen, 'console')).to.throw().that.satisfies((e: { code: string; details: { seen: string } }) =>
        e.code === 'FIRMLAB_FEATURE_READBACK' && e.details.seen === seen);
    });
  }

  it('setting off over the console fails when the router reads back something unknown, instead of passing as off', async () => {
    const con = shell('homeshield: enable=maybe');
    const e = await new HomeShieldFeature(undefined, con).set('off').catch((x: unknown) => x);
    expect(e).to.have.property('code', 'FIRMLAB_FEATURE_READBACK');
    expect((e as Error).message).to.include('maybe');
    expect(con.typed).to.deep.equal(['homeshield set off', 'homeshield status']);
  });

  it('setting off passes when the router reads back off', async () => {
    expect(await new HomeShieldFeature(undefined, shell('enable=off')).set('off')).to.deep.equal({ via: 'console' });
  });
});
