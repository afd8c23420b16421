import { execFile } from 'node:child_process';

export interface DigResult {
  status: string;
  flags: string[];
  answers: string[];
  ednsUdp?: number;
  retriedTcp: boolean;
  timedOut: boolean;
  raw: string;
}

/** Runs dig (or kdig) against a loopback port and reads the parts the tests assert on. */
export function dig(port: number, args: string[], tool = 'dig', server = '127.0.0.1'): Promise<DigResult> {
  return new Promise((resolve) => {
    execFile(tool, [`@${server}`, '-p', String(port), ...args], { timeout: 20_000 }, (_err, stdout, stderr) => {
      const raw = stdout + stderr;
      const status = /status: (\w+)/.exec(raw)?.[1] ?? '';
      const flags = (/;; flags: ([^;]*);/.exec(raw)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
      const udp = /udp: (\d+)/i.exec(raw)?.[1];
      const answerSection = /;; ANSWER SECTION:\n([\s\S]*?)(\n\n|$)/.exec(raw)?.[1] ?? '';
      resolve({
        status,
        flags,
        answers: answerSection.split('\n').filter((l) => l && !l.startsWith(';')).map((l) => l.split(/\s+/).slice(3).join(' ')),
        ...(udp === undefined ? {} : { ednsUdp: Number(udp) }),
        retriedTcp: /Truncated, retrying in TCP mode/.test(raw),
        timedOut: /timed out|no servers could be reached|connection timed out/i.test(raw),
        raw,
      });
    });
  });
}
