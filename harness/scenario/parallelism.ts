import { availableParallelism, freemem } from 'node:os';

/** Per router: QEMU held at 140-180 MB RSS (RECIPES.md) plus the container's tools. */
const BYTES_PER_ROUTER = 512 * 2 ** 20;

/** Builds at once by default: one per core, fewer when memory is short, at least one. */
export function defaultParallelism(cores = availableParallelism(), free = freemem()): number {
  return Math.max(1, Math.min(cores, Math.floor(free / BYTES_PER_ROUTER)));
}

/** Runs `fn` over `items` with at most `limit` at once, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
