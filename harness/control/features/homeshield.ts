import { FeatureReadbackError, FeatureUnreadableError } from '../control-errors.js';
import type { FeatureState, FeatureSwitch, ShellConsole } from '../feature-switch.js';
import type { WebUiSession } from '../web-ui-session.js';

/**
 * TP-Link HomeShield: `admin/homeshield?form=enable` on the web UI first, the
 * console's `homeshield` command as the fallback when there is no web session
 * or the web UI fails.
 */
export class HomeShieldFeature implements FeatureSwitch {
  readonly name = 'homeshield';
  readonly livenessPattern = /homeshield: (started|setting changed)/;

  constructor(
    private readonly web: WebUiSession | undefined,
    private readonly console: ShellConsole | undefined,
  ) {}

  async set(state: FeatureState): Promise<{ via: 'web' | 'console' }> {
    if (this.web) {
      try {
        await this.web.call('homeshield', 'enable', { operation: 'write', enable: state });
        await this.expect(state, await this.readWeb(), 'web UI');
        return { via: 'web' };
      } catch (e) {
        // Only a web UI that is down or broken falls back; a wrong password or a
        // router that disagrees on read-back is a finding, not something to route around.
        const code = (e as { code?: string }).code;
        if (!this.console || (code !== 'FIRMLAB_CONTROL_HTTP' && code !== 'FIRMLAB_CONTROL_UNREACHABLE')) throw e;
      }
    }
    const shell = this.requireConsole();
    await shell.run(`homeshield set ${state}`);
    await this.expect(state, await this.readConsole(), 'console');
    return { via: 'console' };
  }

  async read(): Promise<FeatureState> {
    return this.web ? this.readWeb() : this.readConsole();
  }

  async alive(): Promise<boolean> {
    const out = await this.requireConsole().run('pidof homeshieldd || echo none');
    return /^\s*\d+/.test(out);
  }

  private async readWeb(): Promise<FeatureState> {
    const data = await this.web!.call('homeshield', 'enable', { operation: 'read' });
    return parseState(data.enable === undefined ? '' : String(data.enable), 'web UI');
  }

  private async readConsole(): Promise<FeatureState> {
    const out = await this.requireConsole().run('homeshield status');
    const m = /enable=(\S+)/.exec(out);
    return parseState(m?.[1] ?? out.trim(), 'console');
  }

  private async expect(wanted: FeatureState, seen: FeatureState, via: string): Promise<void> {
    if (seen !== wanted) throw new FeatureReadbackError(this.name, wanted, seen, via);
  }

  private requireConsole(): ShellConsole {
    if (!this.console) throw new Error('homeshield: no console to fall back to');
    return this.console;
  }
}

/**
 * What the router says, as on or off. Anything else (a missing field, an
 * error page, a new value) is refused: mapping it to `off` would let
 * "set off" pass its read-back on a router that never understood it.
 */
export function parseState(s: string, via: string): FeatureState {
  const v = s.trim().toLowerCase();
  if (v === 'on' || v === '1' || v === 'true' || v === 'enabled') return 'on';
  if (v === 'off' || v === '0' || v === 'false' || v === 'disabled') return 'off';
  throw new FeatureUnreadableError('homeshield', s, via);
}
