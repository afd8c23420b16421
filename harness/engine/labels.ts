/**
 * Every Docker object firmlab creates carries these labels, so `firmlab gc`
 * can find what a crashed run left behind (DESIGN.md, rules that never bend).
 */
export const LABEL = {
  session: 'firmlab.session',
  run: 'firmlab.run',
  role: 'firmlab.role',
  image: 'firmlab.image',
  contextHash: 'firmlab.context-hash',
} as const;

export interface OwnerLabels {
  /** One harness process (or test suite) that owns the object. */
  session: string;
  /** One run inside the session, e.g. a lab for one build. */
  run?: string;
  /** What the object is for: `lab-network`, `emulator`, `gc-probe`... */
  role?: string;
}

const LABEL_VALUE = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/;

export function buildLabels(owner: OwnerLabels, extra: Record<string, string> = {}): Record<string, string> {
  const labels: Record<string, string> = { [LABEL.session]: owner.session };
  if (owner.run !== undefined) labels[LABEL.run] = owner.run;
  if (owner.role !== undefined) labels[LABEL.role] = owner.role;
  for (const [k, v] of Object.entries(labels)) {
    if (!LABEL_VALUE.test(v)) throw new TypeError(`label ${k} has an unusable value ${JSON.stringify(v)}`);
  }
  return { ...labels, ...extra };
}

/** Names Docker accepts for containers and networks, built from our ids. */
export function objectName(...parts: string[]): string {
  return ['firmlab', ...parts].join('-').toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').slice(0, 63);
}

/** A short random id for a session or run: sortable by time, unique enough for one machine. */
export function newId(now: () => number = Date.now, random: () => number = Math.random): string {
  const t = now().toString(36);
  const r = Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0');
  return `${t}-${r}`;
}
