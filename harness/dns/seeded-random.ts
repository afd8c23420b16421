// fail_ratio faults draw from the shared seeded generator.
export { seededRandom } from '../util/seeded-random.js';

/** FNV-1a, to derive one stream per rule from the run's seed. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
