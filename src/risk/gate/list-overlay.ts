import type { PendingLocks } from './buying-power.ts';
import type { Book, Held, WorkingSet } from './working.ts';
import type { OrderSide } from '../../model/orders/types.ts';

/** One earlier order of the list: what it holds, so it can be suspended and given back. */
interface Entry {
  readonly clientOrderId: string;
  /** Its OCO/OUO legs: alternatives to it, at most one of them fills. */
  readonly alternatives: readonly string[];
  readonly held: Held;
  readonly accountId: string;
  readonly currency: string | undefined;
  readonly lock: bigint;
}

/**
 * The earlier orders of one order list while the gate checks the list (RiskGate.checkList), so
 * that each order meets the figures it would meet had the earlier ones been sent one by one:
 * every earlier order counts as a submit message (denied ones too, as OrderInitialized counts
 * them); one that passed also counts as working (quantity, open orders and resting price, held
 * in the working set itself so that every check reads it), locks its buying power and leaves its
 * fingerprint for the duplicate window. OCO/OUO legs are alternatives to each other: while one is
 * checked, the quantity and lock of its linked legs are taken out (their open order and message
 * still count). `close` gives everything back, leaving the working set as it was.
 */
export class ListOverlay implements PendingLocks {
  private readonly entries: Entry[] = [];
  private readonly suspended: Entry[] = [];
  private readonly byStrategy = new Map<string, number>();
  private readonly byAccount = new Map<string, number>();
  private readonly fingerprints = new Set<string>();
  /** account → currency code → raw amount: nested, so that no two pairs share a key. */
  private readonly locks = new Map<string, Map<string, bigint>>();

  constructor(private readonly working: WorkingSet) {}

  /** Earlier submits of the list by the strategy / the account. */
  submitsOfStrategy(strategyId: string): number {
    return this.byStrategy.get(strategyId) ?? 0;
  }
  submitsOfAccount(accountId: string): number {
    return this.byAccount.get(accountId) ?? 0;
  }

  /** Whether an earlier order of the list that passed had this fingerprint. */
  has(fingerprint: string): boolean {
    return this.fingerprints.has(fingerprint);
  }

  locked(accountId: string, currency: string): bigint {
    return this.locks.get(accountId)?.get(currency) ?? 0n;
  }

  /** Before an order is checked: takes out what its OCO/OUO alternatives add. */
  enter(clientOrderId: string, alternatives: readonly string[]): void {
    for (const e of this.entries) {
      if (!alternatives.includes(e.clientOrderId) && !e.alternatives.includes(clientOrderId)) continue;
      this.working.suspend(e.held, true);
      this.addLock(e.accountId, e.currency, -e.lock);
      this.suspended.push(e);
    }
  }

  /** After it was checked: puts the alternatives back. */
  leave(): void {
    for (let e = this.suspended.pop(); e !== undefined; e = this.suspended.pop()) {
      this.working.suspend(e.held, false);
      this.addLock(e.accountId, e.currency, e.lock);
    }
  }

  /** Counts a submit message of the list, passed or denied. */
  message(strategyId: string, accountId: string): void {
    this.byStrategy.set(strategyId, this.submitsOfStrategy(strategyId) + 1);
    this.byAccount.set(accountId, this.submitsOfAccount(accountId) + 1);
  }

  /** An order that passed: working from now on for the rest of the list. */
  add(
    order: { readonly clientOrderId: string; readonly alternatives: readonly string[]; readonly fingerprint: string },
    work: { readonly book: Book; readonly side: OrderSide; readonly leaves: bigint; readonly rest: bigint | undefined },
    lock: { readonly currency: string | undefined; readonly raw: bigint },
  ): void {
    const held = this.working.hold(work.book, work.side, work.leaves, work.rest);
    const accountId = work.book.stake.accountId;
    this.entries.push({ clientOrderId: order.clientOrderId, alternatives: order.alternatives, held, accountId, currency: lock.currency, lock: lock.raw });
    this.addLock(accountId, lock.currency, lock.raw);
    this.fingerprints.add(order.fingerprint);
  }

  /** Gives back everything held in the working set, newest first. */
  close(): void {
    this.leave();
    for (let e = this.entries.pop(); e !== undefined; e = this.entries.pop()) this.working.release(e.held);
  }

  private addLock(accountId: string, currency: string | undefined, raw: bigint): void {
    if (currency === undefined || raw === 0n) return;
    let byCcy = this.locks.get(accountId);
    if (byCcy === undefined) this.locks.set(accountId, (byCcy = new Map<string, bigint>()));
    byCcy.set(currency, (byCcy.get(currency) ?? 0n) + raw);
  }
}
