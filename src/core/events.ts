/**
 * A small typed event emitter: each event name has one listener signature, checked by the compiler
 * (Node's EventEmitter takes any name and any arguments). A listener that throws is reported to
 * `onListenerError` and never stops the others.
 */
export type EventMap = { [event: string]: (...args: never[]) => void };

export class Emitter<E extends EventMap> {
  private readonly listeners = new Map<keyof E, Set<E[keyof E]>>();

  constructor(private readonly onListenerError: (event: string, err: unknown) => void = () => undefined) {}

  /** Subscribes; the returned function unsubscribes. */
  on<K extends keyof E>(event: K, listener: E[K]): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  }

  emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const l of [...set]) {
      try {
        (l as (...a: Parameters<E[K]>) => void)(...args);
      } catch (e) {
        this.onListenerError(String(event), e);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
