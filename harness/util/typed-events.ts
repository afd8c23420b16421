/**
 * A small typed listener list. Listener exceptions are swallowed (and passed to
 * `onListenerError`) so a faulty subscriber can never stop a server's hot path.
 */
export class TypedEvents<E extends Record<string, unknown>> {
  private readonly listeners: { [K in keyof E]?: Array<(value: E[K]) => void> } = {};

  constructor(private readonly onListenerError: (e: unknown) => void = () => {}) {}

  /** Subscribe; returns the unsubscribe function. */
  on<K extends keyof E>(event: K, fn: (value: E[K]) => void): () => void {
    const list = (this.listeners[event] ??= []);
    list.push(fn);
    return () => {
      const i = list.indexOf(fn);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** Whether anyone listens (lets a producer skip building values nobody reads). */
  has<K extends keyof E>(event: K): boolean {
    return (this.listeners[event]?.length ?? 0) > 0;
  }

  emit<K extends keyof E>(event: K, value: E[K]): void {
    const list = this.listeners[event];
    if (list === undefined) return;
    for (const fn of list) {
      try {
        fn(value);
      } catch (e) {
        this.onListenerError(e);
      }
    }
  }
}
