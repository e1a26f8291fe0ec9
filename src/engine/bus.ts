/**
 * A typed, synchronous publish/subscribe bus. Topics and their message types are one map, so a
 * subscriber gets exactly the type published on its topic.
 */
export class MessageBus<Topics extends object> {
  private readonly handlers = new Map<keyof Topics, Set<(msg: never) => void>>();
  /** Handler failures so far; a failing subscriber never breaks the publisher or other subscribers. */
  handlerErrors = 0;

  constructor(private readonly onHandlerError: (error: unknown, topic: keyof Topics) => void = () => {}) {}

  subscribe<K extends keyof Topics>(topic: K, handler: (msg: Topics[K]) => void): () => void {
    let set = this.handlers.get(topic);
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }

  /** Cheap check so publishers can skip building messages nobody reads. */
  has(topic: keyof Topics): boolean {
    const set = this.handlers.get(topic);
    return set !== undefined && set.size > 0;
  }

  publish<K extends keyof Topics>(topic: K, msg: Topics[K]): void {
    const set = this.handlers.get(topic);
    if (!set) return;
    for (const h of set) {
      try {
        (h as (m: Topics[K]) => void)(msg);
      } catch (error) {
        this.handlerErrors++;
        this.onHandlerError(error, topic);
      }
    }
  }
}
