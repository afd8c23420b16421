/**
 * Lab networks get their own /24 out of 10.213.0.0/16, a block picked to stay
 * clear of Docker's default pools (172.17+/16, 192.168+/20). Parallel labs on
 * one machine must never collide: the caller tries candidates in order and
 * moves on when the engine reports an overlap.
 */
export const LAB_POOL_PREFIX = '10.213';

export function subnetCandidates(taken: Iterable<string>, start: number): string[] {
  const used = new Set<string>();
  for (const s of taken) used.add(s.replace(/\/\d+$/, ''));
  const out: string[] = [];
  for (let i = 0; i < 256; i++) {
    const n = (start + i) % 256;
    const net = `${LAB_POOL_PREFIX}.${n}.0`;
    if (!used.has(net)) out.push(`${net}/24`);
  }
  return out;
}

export function gatewayOf(subnet: string): string {
  return subnet.replace(/\.0\/24$/, '.1');
}

export function isOverlapError(e: unknown): boolean {
  const msg = String((e as { json?: { message?: string } })?.json?.message ?? (e as Error)?.message ?? '');
  return /overlap|already in use|conflicts with/i.test(msg);
}
