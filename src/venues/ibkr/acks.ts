import type { Timer } from '../../execution/timer.ts';
import { VenueCallError } from '../../model/errors.ts';

export type AckKind = 'SUBMIT' | 'MODIFY' | 'CANCEL';

interface Waiting {
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
  readonly cancel: () => void;
}

/**
 * An order call over the socket is answered by TWS's next word about that order id (openOrder or
 * orderStatus, or an error for it). A call waits for it: refused is refused, silence past the
 * timeout or a dropped socket is ambiguous (the order may stand), and settled once.
 */
export class Acks {
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly timer: Timer,
    private readonly timeoutMs: number,
  ) {}

  wait(kind: AckKind, ibOrderId: number): Promise<void> {
    const key = `${kind}:${ibOrderId}`;
    this.waiting.get(key)?.reject(new VenueCallError('VENUE_NETWORK', `${kind} of IB order ${ibOrderId} superseded by another`));
    return new Promise<void>((resolve, reject) => {
      const cancel = this.timer.schedule(this.timeoutMs, () => this.reject(kind, ibOrderId, new VenueCallError('VENUE_TIMEOUT', `no word from TWS on IB order ${ibOrderId} within ${this.timeoutMs} ms after the ${kind.toLowerCase()}`)));
      this.waiting.set(key, { resolve, reject, cancel });
    });
  }

  has(kind: AckKind, ibOrderId: number): boolean {
    return this.waiting.has(`${kind}:${ibOrderId}`);
  }

  resolve(kind: AckKind, ibOrderId: number): void {
    this.take(kind, ibOrderId)?.resolve();
  }

  reject(kind: AckKind, ibOrderId: number, e: Error): boolean {
    const w = this.take(kind, ibOrderId);
    w?.reject(e);
    return w !== undefined;
  }

  /** The socket closed: every call waiting may or may not have been acted on. */
  rejectAll(why: string): void {
    for (const key of [...this.waiting.keys()]) {
      const w = this.waiting.get(key)!;
      this.waiting.delete(key);
      w.cancel();
      w.reject(new VenueCallError('VENUE_NETWORK', `${why} before TWS answered (${key})`));
    }
  }

  private take(kind: AckKind, ibOrderId: number): Waiting | undefined {
    const key = `${kind}:${ibOrderId}`;
    const w = this.waiting.get(key);
    if (!w) return undefined;
    this.waiting.delete(key);
    w.cancel();
    return w;
  }
}
