import { FeatureReadbackError, FeatureUnreadableError } from '../control-errors.js';
import { readings, type FeatureDefinition } from '../feature-definition.js';
import type { FeatureState, FeatureSwitch, SetOptions, SetResult, ShellConsole } from '../feature-switch.js';
import type { WebUi } from '../web-ui.js';
import { FirmlabError } from '../../errors.js';
import { webFormFor, type WebForm } from './web-form.js';

/**
 * Switches any declared feature: through the web UI when the definition has
 * a web form and a session exists (the form in the session's dialect), else
 * through the console (or the path the step names); reads the setting back
 * the same way and refuses a reading that is neither on nor off. A web UI
 * that does not answer falls back to the console only when the step allows
 * it; a wrong password or a router that disagrees on read-back is a
 * finding, never routed around.
 */
export class DeclarativeFeature implements FeatureSwitch {
  private readonly web: WebForm | undefined;
  private readonly loggedIn: boolean;

  constructor(
    readonly definition: FeatureDefinition,
    web: WebUi | undefined,
    private readonly console: ShellConsole | undefined,
  ) {
    this.loggedIn = web !== undefined;
    const d = definition;
    this.web = web && d.web ? webFormFor({ ...d, web: d.web }, web) : undefined;
  }

  get name(): string {
    return this.definition.name;
  }

  async set(state: FeatureState, opts: SetOptions = {}): Promise<SetResult> {
    const path = opts.via ?? (this.web ? 'web' : 'console');
    let fellBack: string | undefined;
    if (path === 'web') {
      if (!this.definition.web) throw new FirmlabError('FIRMLAB_FEATURE_NO_PATH', `${this.name}: its definition has no web form; use \`via: console\``, { exitKind: 'usage' });
      if (!this.web || !this.loggedIn) throw new FirmlabError('FIRMLAB_FEATURE_NO_PATH', `${this.name}: \`via: web\` needs a \`login\` step first`, { exitKind: 'usage' });
      try {
        await this.web.write(state);
        this.expect(state, await this.readWeb(), 'web UI');
        return { via: 'web' };
      } catch (e) {
        // Only a web UI that failed to answer; a wrong password or a read-back that disagrees is a finding.
        const { code, message } = e as { code?: string; message?: string };
        if (opts.fallback !== 'console' || (code !== 'FIRMLAB_CONTROL_HTTP' && code !== 'FIRMLAB_CONTROL_UNREACHABLE')) throw e;
        fellBack = `${code}: ${message}`;
      }
    }
    const c = this.requireConsole();
    await this.shell().run(c.set[state], { timeoutMs: 30_000 });
    this.expect(state, await this.readConsole(), 'console');
    return fellBack === undefined ? { via: 'console' } : { via: 'console', fellBack };
  }

  read(): Promise<FeatureState> {
    return this.web ? this.readWeb() : this.readConsole();
  }

  async alive(): Promise<boolean | undefined> {
    const { process } = this.definition.alive;
    if (process === undefined) return undefined;
    const out = await this.shell().run(`pidof ${process} || echo none`);
    return /^\s*\d+/.test(out);
  }

  private async readWeb(): Promise<FeatureState> {
    return this.parse(await this.web!.reading(), 'web UI', this.web!.values);
  }

  private async readConsole(): Promise<FeatureState> {
    const c = this.requireConsole();
    const out = await this.shell().run(c.read);
    const m = c.pattern === undefined ? undefined : new RegExp(c.pattern).exec(out);
    return this.parse(m?.[1] ?? out, 'console');
  }

  private parse(seen: string, via: string, values: Record<FeatureState, readonly string[]> = readings(this.definition)): FeatureState {
    const v = seen.trim().toLowerCase();
    for (const state of ['on', 'off'] as const) {
      if (values[state].some((x) => x.toLowerCase() === v)) return state;
    }
    throw new FeatureUnreadableError(this.name, seen, via);
  }

  private expect(wanted: FeatureState, seen: FeatureState, via: string): void {
    if (seen !== wanted) throw new FeatureReadbackError(this.name, wanted, seen, via);
  }

  private requireConsole(): NonNullable<FeatureDefinition['console']> {
    const c = this.definition.console;
    if (!c) throw new FirmlabError('FIRMLAB_FEATURE_NO_PATH', `${this.name}: no web session and no console commands to switch it; log in first`, { exitKind: 'usage' });
    return c;
  }

  private shell(): ShellConsole {
    if (!this.console) throw new FirmlabError('FIRMLAB_FEATURE_NO_PATH', `${this.name}: this needs the router's console, which is not up`);
    return this.console;
  }
}
