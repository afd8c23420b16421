import { UsageError } from '../../errors.js';
import { DnsRecorder } from '../../dns/dns-recorder.js';
import { formatListenAddress, parseListenAddress, type ListenAddress } from '../../util/listen-address.js';
import { loadRulesFile } from '../../scenario/load-rules-file.js';
import { ServeStats } from '../../dns/serve-stats.js';
import type { Command } from '../command.js';

export const dnsServeCommand: Command = {
  path: ['dns', 'serve'],
  summary: 'run the DNS recorder on its own (point a real device at it)',
  usage: 'firmlab dns serve --listen HOST:PORT [--listen HOST:PORT...] [--rules FILE.yaml] [--log FILE.jsonl] [--seed N]',
  options: {
    listen: { type: 'string', multiple: true },
    rules: { type: 'string' },
    log: { type: 'string' },
    seed: { type: 'string' },
  },
  async run(args, ctx) {
    const listenArgs = (args.values.listen as string[] | undefined) ?? [];
    if (listenArgs.length === 0) throw new UsageError('--listen HOST:PORT is required (e.g. 127.0.0.1:5353)');
    const listen: ListenAddress[] = listenArgs.map((text) => {
      const a = parseListenAddress(text);
      if (a === undefined) throw new UsageError(`--listen: cannot read "${text}" (expected HOST:PORT or [V6]:PORT)`, { listen: text });
      return a;
    });
    const seedText = args.values.seed as string | undefined;
    const seed = seedText === undefined ? undefined : Number(seedText);
    if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed: expected an integer, got "${seedText}"`);
    const rulesFile = args.values.rules as string | undefined;
    const rules = rulesFile === undefined ? [] : await loadRulesFile(rulesFile);
    const logFile = args.values.log as string | undefined;

    const options = { listen, rules, ...(logFile ? { logFile } : {}), ...(seed === undefined ? {} : { seed }), keepRecords: false };
    const rec = await DnsRecorder.start(options);
    const stats = new ServeStats();
    rec.on('query', (r) => stats.addQuery(r));
    rec.on('malformed', () => stats.addMalformed());
    rec.on('error', (e) => ctx.stderr.write(`dns serve: ${e instanceof Error ? e.message : String(e)}\n`));
    ctx.stderr.write(`dns serve: listening on ${rec.addresses().map(formatListenAddress).join(', ')} (udp+tcp), ${rules.length} rules${logFile ? `, log ${logFile}` : ''}\n`);
    const timer = setInterval(() => {
      const line = stats.tick();
      if (line) ctx.stderr.write(`dns serve: ${line}\n`);
    }, 1000);
    try {
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      clearInterval(timer);
      await rec.stop();
    }
    ctx.stderr.write(`dns serve: stopped: ${stats.summary()}\n`);
    return 0;
  },
};
