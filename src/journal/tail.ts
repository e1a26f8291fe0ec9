import type { JournalRecord } from '../engine/events.ts';
import type { RecordListener, Subscription } from './types.ts';

export type PageReader = (fromSeq: number, limit: number) => Promise<readonly JournalRecord[]> | readonly JournalRecord[];

const PAGE = 1_000;

/**
 * Follows a journal: reads pages from `next` until it is caught up, and reads again when woken
 * (a batch became durable, a NOTIFY arrived, a poll ticked). One read runs at a time; a wake
 * during a read makes it look once more, so nothing is missed and nothing is delivered twice.
 */
export class Tail implements Subscription {
  private next: number;
  private running = false;
  private again = false;
  private closed = false;

  constructor(
    private readonly readPage: PageReader,
    fromSeq: number,
    private readonly listener: RecordListener,
    private readonly onError: (e: unknown) => void,
    private readonly onClose: (t: Tail) => void,
  ) {
    this.next = Math.max(1, fromSeq);
  }

  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.pump();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
  }

  private async pump(): Promise<void> {
    try {
      do {
        this.again = false;
        for (;;) {
          const page = await this.readPage(this.next, PAGE);
          for (const r of page) {
            if (this.closed) return;
            if (r.seq !== this.next) continue; // already delivered
            this.listener(r);
            this.next = r.seq + 1;
          }
          if (page.length < PAGE) break;
        }
      } while (this.again && !this.closed);
    } catch (e) {
      if (!this.closed) this.onError(e);
    } finally {
      this.running = false;
    }
  }
}

/** The tails of one journal. */
export class Tails {
  private readonly tails = new Set<Tail>();
  private readonly remove = (t: Tail): void => {
    this.tails.delete(t);
  };

  constructor(private readonly readPage: PageReader) {}

  subscribe(fromSeq: number, listener: RecordListener, onError: (e: unknown) => void = noop): Subscription {
    const t = new Tail(this.readPage, fromSeq, listener, onError, this.remove);
    this.tails.add(t);
    t.wake();
    return t;
  }

  get size(): number {
    return this.tails.size;
  }

  wake(): void {
    for (const t of this.tails) t.wake();
  }

  closeAll(): void {
    for (const t of [...this.tails]) t.close();
  }
}

function noop(): void {}

/** An async iterable over pages, for `read(fromSeq)`. */
export function pagedRead(readPage: PageReader, fromSeq: number, limit = PAGE): AsyncIterable<JournalRecord> {
  return {
    async *[Symbol.asyncIterator]() {
      let next = Math.max(1, fromSeq);
      for (;;) {
        const page = await readPage(next, limit);
        for (const r of page) yield r;
        if (page.length < limit) return;
        next = page[page.length - 1]!.seq + 1;
      }
    },
  };
}
