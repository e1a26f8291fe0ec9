/**
 * The ledger in its KV bucket, changed only by compare-and-set: read the value and its revision,
 * apply a pure change, `update(key, value, revision)`. A conflict (another node wrote first) is
 * retried after a jittered backoff from the injected random source, a bounded number of times;
 * past that the change fails with FIRM_BUDGET_CONTENDED and the caller fails closed.
 */
import type { KV } from '@nats-io/kv';
import { WardenError } from '../../model/errors.ts';
import { decodeLedger, encodeLedger } from './ledger-codec.ts';
import { EMPTY_LEDGER, type Ledger } from './ledger.ts';

export class FirmBudgetError extends WardenError {
  override readonly name = 'FirmBudgetError';
}

export interface LedgerStoreOptions {
  /** Uniform in [0, 1): the jitter of the retry backoff (injected: tests fix it). */
  readonly random: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Attempts before giving up (default 40). */
  readonly maxAttempts?: number;
  /** The first backoff's ceiling, doubled each conflict up to 64× (default 2 ms). */
  readonly backoffMs?: number;
}

/** What a change decides: the new ledger to write (undefined: write nothing) and what to return. */
export interface Change<T> {
  readonly next: Ledger | undefined;
  readonly result: T;
}

export const ledgerKey = (firm: string): string => `${firm}.ledger`;

export class LedgerStore {
  private readonly key: string;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Conflicts met so far (a figure for the bench and tests). */
  conflicts = 0;

  constructor(
    private readonly kv: KV,
    firm: string,
    private readonly o: LedgerStoreOptions,
  ) {
    this.key = ledgerKey(firm);
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async read(): Promise<{ ledger: Ledger; revision: number }> {
    const e = await this.kv.get(this.key);
    if (!e || e.operation !== 'PUT') return { ledger: EMPTY_LEDGER, revision: e?.revision ?? 0 };
    return { ledger: decodeLedger(e.string()), revision: e.revision };
  }

  /** Applies `change` with compare-and-set, retrying on conflict; `change` must be pure (it may run several times). */
  async mutate<T>(change: (l: Ledger) => Change<T>): Promise<T> {
    const attempts = this.o.maxAttempts ?? 40;
    const base = this.o.backoffMs ?? 2;
    for (let i = 0; i < attempts; i++) {
      const { ledger, revision } = await this.read();
      const c = change(ledger);
      if (!c.next) return c.result;
      const text = encodeLedger(c.next);
      try {
        if (revision === 0) await this.kv.create(this.key, text);
        else await this.kv.update(this.key, text, revision);
        return c.result;
      } catch (e) {
        if (!isConflict(e)) throw e;
        this.conflicts++;
        await this.sleep(this.o.random() * base * 2 ** Math.min(i, 6));
      }
    }
    throw new FirmBudgetError('FIRM_BUDGET_CONTENDED', `the firm budget ledger changed under this node ${attempts} times in a row`, { attempts });
  }
}

/** Whether a KV write failed because the key moved on since it was read (JetStream 10071, or create on an existing key). */
export function isConflict(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  if (code === 10071 || code === 10164) return true;
  const msg = e instanceof Error ? e.message : '';
  return /wrong last sequence|key exists/i.test(msg);
}
