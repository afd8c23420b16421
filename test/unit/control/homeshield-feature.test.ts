import { expect } from 'chai';
import { DeclarativeFeature } from '../../../harness/control/features/declarative-feature.js';
import type { FeatureDefinition } from '../../../harness/control/feature-definition.js';
import type { ShellConsole } from '../../../harness/control/feature-switch.js';
import { BUILTIN_FEATURES } from '../../../harness/profiles/index.js';

const byName = (n: string) => BUILTIN_FEATURES.find((f) => f.name === n)!;

/** A console that answers `read` with `reading` and records what was typed. */
function shell(read: string, reading: string): ShellConsole & { typed: string[] } {
  const typed: string[] = [];
  return { typed, run: async (c: string) => { typed.push(c); return c === read ? reading : ''; } };
}

describe('declared features: honest read-back', () => {
  const hs = byName('homeshield');
  for (const [seen, state] of [['enable=on', 'on'], ['homeshield: enable=off', 'off'], ['enable=OFF', 'off']] as const) {
    it(`homeshield "${seen}" reads as ${state}`, async () => {
      expect(await new DeclarativeFeature(hs, undefined, shell('homeshield status', seen)).read()).to.equal(state);
    });
  }
  for (const seen of ['', 'enable=maybe', '<html>403</html>', 'enable=1']) {
    it(`homeshield refuses ${JSON.stringify(seen)} with FIRMLAB_FEATURE_READBACK showing what was read`, async () => {
      const e = await new DeclarativeFeature(hs, undefined, shell('homeshield status', seen)).read().catch((x: unknown) => x);
      expect(e).to.have.property('code', 'FIRMLAB_FEATURE_READBACK');
      expect((e as { details: { seen: string } }).details.seen).to.equal(seen.replace(/^enable=/, ''));
    });
  }

  it('setting off fails when the router reads back something unknown, instead of passing as off', async () => {
    const con = shell('homeshield status', 'enable=maybe');
    const e = await new DeclarativeFeature(hs, undefined, con).set('off').catch((x: unknown) => x);
    expect(e).to.have.property('code', 'FIRMLAB_FEATURE_READBACK');
    expect((e as Error).message).to.include('maybe');
    expect(con.typed).to.deep.equal(['homeshield set off', 'homeshield status']);
  });

  it("OpenWrt's ntp is switched through UCI on the console and read back from it", async () => {
    const con = shell('uci -q get system.ntp.enabled', '0\n');
    expect(await new DeclarativeFeature(byName('ntp'), undefined, con).set('off')).to.deep.equal({ via: 'console' });
    expect(con.typed[0]).to.equal('uci set system.ntp.enabled=0 && uci commit system && /etc/init.d/sysntpd restart');
    const wrong = await new DeclarativeFeature(byName('ntp'), undefined, shell('uci -q get system.ntp.enabled', '0')).set('on').catch((x: unknown) => x);
    expect(wrong).to.have.property('code', 'FIRMLAB_FEATURE_READBACK');
  });

  it('a feature with no console commands and no web session says how to reach it', async () => {
    const webOnly: FeatureDefinition = { ...hs, console: undefined };
    const e = await new DeclarativeFeature(webOnly, undefined, shell('x', '')).set('on').catch((x: unknown) => x);
    expect(e).to.have.property('code', 'FIRMLAB_FEATURE_NO_PATH');
  });
});
