import { availableParallelism, freemem } from 'node:os';
import pLimit from 'p-limit';

/** Per router: QEMU held at 140-180 MB RSS (RECIPES.md) plus the container's tools. */
const BYTES_PER_ROUTER = 512 * 2 ** 20;

/** Builds at once by default: one per core, fewer when memory is short, at least one. */
export function defaultParallelism(cores = availableParallelism(), free = freemem()): number {
  return Math.max(1, Math.min(cores, Math.floor(free / BYTES_PER_ROUTER)));
}

/** Runs `fn` over `items` with at most `limit` at once (p-limit), results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const run = pLimit(Math.max(1, limit));
  return Promise.all(items.map((item, i) => run(() => fn(item, i))));
}
