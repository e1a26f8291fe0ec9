/**
 * Publishes to JetStream with plain NATS publishes and one reply subscription for every
 * acknowledgement, instead of a request (with its own inbox wait, timer and error objects) per
 * message: the publishes of one pump go out in one socket write, and one interval expires the
 * acknowledgements that never came. The message id travels in the Nats-Msg-Id header, as the
 * JetStream client would send it.
 */
import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';

export interface StoreAck {
  /** The server already held this message id: nothing was stored. */
  readonly duplicate: boolean;
}

interface Waiting {
  readonly resolve: (a: StoreAck) => void;
  readonly reject: (e: Error) => void;
  readonly at: number;
}

export class AckedPublisher {
  private readonly inbox = createInbox();
  private readonly sub: Subscription;
  private readonly waiting = new Map<string, Waiting>();
  private next = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs: number,
  ) {
    this.sub = nc.subscribe(`${this.inbox}.*`, { callback: (_err, msg) => this.answer(msg) });
    this.timer = setInterval(() => this.expire(), Math.max(50, Math.floor(timeoutMs / 4)));
    this.timer.unref();
  }

  /** Sends one message; resolves with the stream's acknowledgement, rejects on refusal or timeout. */
  publish(subject: string, payload: string, headers: MsgHdrs): Promise<StoreAck> {
    const token = String(++this.next);
    return new Promise<StoreAck>((resolve, reject) => {
      this.waiting.set(token, { resolve, reject, at: performance.now() });
      try {
        this.nc.publish(subject, payload, { reply: `${this.inbox}.${token}`, headers });
      } catch (e) {
        this.waiting.delete(token);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  close(): void {
    clearInterval(this.timer);
    this.sub.unsubscribe();
    for (const w of this.waiting.values()) w.reject(new Error('publisher closed'));
    this.waiting.clear();
  }

  private answer(msg: Msg): void {
    const token = msg.subject.slice(this.inbox.length + 1);
    const w = this.waiting.get(token);
    if (!w) return;
    this.waiting.delete(token);
    if (msg.headers?.hasError) {
      w.reject(new Error(`no JetStream stream took the message (${msg.headers.code} ${msg.headers.description})`));
      return;
    }
    try {
      const ack = msg.json<{ error?: { description?: string }; duplicate?: boolean }>();
      if (ack.error) w.reject(new Error(`JetStream refused the message: ${ack.error.description ?? 'no reason given'}`));
      else w.resolve({ duplicate: ack.duplicate === true });
    } catch (e) {
      w.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private expire(): void {
    const oldest = performance.now() - this.timeoutMs;
    for (const [token, w] of this.waiting) {
      // Insertion order is send order: the first one still young ends the sweep.
      if (w.at > oldest) break;
      this.waiting.delete(token);
      w.reject(new Error(`no acknowledgement within ${this.timeoutMs} ms`));
    }
  }
}
